#!/usr/bin/env bash
# Installs ftgate for action.yml and writes the binary's path to the step
# output "path" (and the installed version to "version").
#
# With install=auto (the default) or install=release, the release archive for
# the runner's OS and architecture is downloaded, its SHA-256 is checked
# against the release's checksums.txt (a mismatch is an error, never a
# fallback), and the binary is kept in the runner's tool cache
# ($RUNNER_TOOL_CACHE/ftgate/VERSION/ARCH), where a later run in the same
# job, or on the same self-hosted runner, finds it. The version is the
# version input, or else the release tag the action is used at: the ref
# itself (ftgate/ftgate@v1.2.3) or, for a commit SHA (ftgate/ftgate@<sha>),
# the release tag that points at that commit.
#
# With install=source, or install=auto at a branch or a commit that is no
# release, ftgate is built from the action's own source with the job's Go,
# in a subshell: nothing it sets (GOTOOLCHAIN, GOFLAGS, ...) reaches later
# steps, and nothing is added to PATH. docs/github-action.md has the details.
#
# Inputs come only from the environment:
#   FTGATE_INSTALL, FTGATE_VERSION       the action's inputs
#   FTGATE_ACTION_REF                    github.action_ref
#   FTGATE_ACTION_REPOSITORY             github.action_repository
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, RUNNER_TOOL_CACHE, GITHUB_OUTPUT,
#   GITHUB_ACTION_PATH, GITHUB_SERVER_URL
#   FTGATE_TEST_RELEASE_SERVER           tests only: http://127.x.x.x:PORT or
#                                        http://[::1]:PORT serves the releases
#                                        and tags instead of GITHUB_SERVER_URL
#
# Exit codes: 2 for inputs that cannot work (unknown install mode, malformed
# version, no release for this platform, release asked for but no version
# known), 3 when the installation fails (download, checksum, build).
set -euo pipefail

# --- messages -------------------------------------------------------------

# quote shows a value as bash would write it, so that control characters
# are visible and a value cannot end a line.
quote() { printf '%q' "$1"; }

# command_data escapes text for the data part of a workflow command.
command_data() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}

log() { printf 'ftgate install: %s\n' "$1"; }

fail() {
  local code=$1
  printf '::error title=ftgate install::%s\n' "$(command_data "$2")"
  exit "$code"
}

trim() {
  local s=$1
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

now_ms() {
  # EPOCHREALTIME is bash 5; macOS's /bin/bash 3.2 lacks it.
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/,/.}
    printf '%s' "$(( ${t%.*} * 1000 + 10#$(printf '%.3s' "${t#*.}") ))"
  else
    printf '%s' "$(( $(date +%s) * 1000 ))"
  fi
}

started=$(now_ms)

output() { printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; }

# --- inputs -----------------------------------------------------------------

release_tag='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'

install=$(trim "${FTGATE_INSTALL:-}")
install=${install:-auto}
case $install in
  auto | release | source) ;;
  *) fail 2 "the install input must be auto, release or source, not $(quote "$install")" ;;
esac

version=$(trim "${FTGATE_VERSION:-}")
if [[ -n $version && ! $version =~ $release_tag ]]; then
  fail 2 "the version input must be a release tag such as v1.2.3, not $(quote "$version")"
fi

ref=${FTGATE_ACTION_REF:-}
repo=${FTGATE_ACTION_REPOSITORY:-}
# A local action (uses: ./) has neither; its releases are ftgate's own.
if [[ ! $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
  repo=ftgate/ftgate
fi
# Only a ref of plain characters is ever printed.
shown_ref=$ref
if [[ ! $shown_ref =~ ^[A-Za-z0-9._/+-]+$ ]]; then
  shown_ref="(a local or unnamed ref)"
fi

server=${GITHUB_SERVER_URL:-https://github.com}
protocol='=https'
if [[ -n ${FTGATE_TEST_RELEASE_SERVER:-} ]]; then
  if [[ ! $FTGATE_TEST_RELEASE_SERVER =~ ^http://(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\]):[0-9]{1,5}$ ]]; then
    fail 2 "FTGATE_TEST_RELEASE_SERVER is for tests and must be http://127.x.x.x:PORT or http://[::1]:PORT, not $(quote "$FTGATE_TEST_RELEASE_SERVER")"
  fi
  server=$FTGATE_TEST_RELEASE_SERVER
  protocol='=http'
fi

exe=ftgate
if [[ ${RUNNER_OS:-} == Windows ]]; then
  exe=ftgate.exe
fi

# --- which release, if any ------------------------------------------------

# release_of_commit prints the newest release tag of repo that points at the
# commit $1, reading the tags with git ls-remote (no API token, no rate
# limit); nothing when there is none or the tags cannot be read.
release_of_commit() {
  local sha=$1 line tag commit best=""
  local refs
  if ! refs=$(GIT_TERMINAL_PROMPT=0 git -c credential.helper= ls-remote --tags "$server/$repo.git" 'v*' 2>/dev/null); then
    log "could not list the tags of $repo; treating $sha as a commit that is no release" >&2
    return 0
  fi
  # Annotated tags are listed twice: the tag object, then "TAG^{}" with the
  # commit. A lightweight tag is listed once, with the commit.
  while IFS=$'\t' read -r commit line; do
    [[ -n ${line:-} ]] || continue
    tag=${line#refs/tags/}
    tag=${tag%'^{}'}
    [[ $commit == "$sha" && $tag =~ $release_tag ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$tag" | sort -V | tail -n 1) == "$tag" ]]; then
      best=$tag
    fi
  done <<< "$refs"
  printf '%s' "$best"
}

how=""
if [[ $install != source && -z $version ]]; then
  if [[ $ref =~ $release_tag ]]; then
    version=$ref
    how="the action's tag"
  elif [[ $ref =~ ^[0-9a-f]{40}$ ]]; then
    version=$(release_of_commit "$ref")
    how="the release tag of commit $ref"
  fi
elif [[ -n $version ]]; then
  how="the version input"
fi

# --- build from source ----------------------------------------------------

build_from_source() {
  local why=$1 out stamp gobin rev
  log "$why"
  log "building ftgate from source at $shown_ref (with an empty Go build cache this takes 34-39 s of CPU, 20-30 s on an idle 2-core runner, plus module downloads; pin a release to download a checksummed binary instead)"

  gobin=$(command -v go || true)
  if [[ -z $gobin && -n ${RUNNER_TOOL_CACHE:-} ]]; then
    # Hosted runners keep several Go releases in the tool cache.
    local candidate
    while IFS= read -r candidate; do
      if [[ -x $candidate ]]; then
        gobin=$candidate # the last one is the newest
      fi
    done < <(printf '%s\n' "$RUNNER_TOOL_CACHE"/go/*/*/bin/go "$RUNNER_TOOL_CACHE"/go/*/*/bin/go.exe | sort -V)
  fi
  if [[ -z $gobin ]]; then
    fail 3 "a source build needs Go (1.21 or later; it fetches the Go that go.mod asks for) and there is none on PATH or in the tool cache; pin a release of the action, or set up Go before this step"
  fi

  out="$RUNNER_TEMP/ftgate-source/$exe"
  mkdir -p "$(dirname "$out")"
  # The version names the commit that decides: the ref when it is one,
  # else the checkout's commit when the action is a git checkout (a local
  # action), else the branch or tag it was built from, said as such.
  rev=""
  if [[ -e $GITHUB_ACTION_PATH/.git ]]; then
    rev=$(git -C "$GITHUB_ACTION_PATH" rev-parse --short=12 HEAD 2>/dev/null || true)
    [[ $rev =~ ^[0-9a-f]{12}$ ]] || rev=""
  fi
  if [[ $ref =~ ^[0-9a-f]{40}$ ]]; then
    stamp="devel ($ref)"
  elif [[ -n $ref && -n $rev ]]; then
    stamp="devel ($shown_ref at $rev)"
  elif [[ -n $ref ]]; then
    stamp="devel (source build of $shown_ref)"
  elif [[ -n $rev ]]; then
    stamp="devel ($rev)"
  else
    stamp="devel (source build)"
  fi

  # The build's settings live and die with this subshell. GOTOOLCHAIN=auto
  # lets an older Go fetch the release go.mod asks for; the job's module
  # and build caches are used as any go build would.
  if ! (
    cd "$GITHUB_ACTION_PATH"
    unset GOROOT GOOS GOARCH GOARM GOARM64 GOAMD64 GO386 GOEXPERIMENT GOFLAGS
    export GOTOOLCHAIN=auto GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=readonly
    log "using $("$gobin" version)"
    "$gobin" build -trimpath -buildvcs=false \
      -ldflags="-s -w -X 'github.com/ftgate/ftgate/internal/cli.Version=$stamp'" \
      -o "$out" ./cmd/ftgate
  ); then
    fail 3 "building ftgate from source failed (see the log above)"
  fi
  output path "$out"
  output version "$stamp"
  log "built $stamp in $(( $(now_ms) - started )) ms"
}

if [[ $install == source ]]; then
  build_from_source "install is source"
  exit 0
fi
if [[ -z $version ]]; then
  if [[ $install == release ]]; then
    fail 2 "install is release, but no release version is known: the action is used at $shown_ref, which is not a release tag nor a released commit; set the version input (such as v1.2.3) or pin the action to a release"
  fi
  build_from_source "the action is used at $shown_ref, which is not a release"
  exit 0
fi

# --- install a release ----------------------------------------------------

case ${RUNNER_OS:-} in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) os="" ;;
esac
case ${RUNNER_ARCH:-} in
  X64) arch=amd64 cache_arch=x64 ;;
  ARM64) arch=arm64 cache_arch=arm64 ;;
  *) arch="" cache_arch="" ;;
esac
if [[ -z $os || -z $arch ]]; then
  fail 2 "ftgate releases have no build for RUNNER_OS=$(quote "${RUNNER_OS:-}") RUNNER_ARCH=$(quote "${RUNNER_ARCH:-}"): they cover Linux, macOS and Windows on X64 and ARM64; set install: source to build ftgate on this runner"
fi

plain=${version#v}
archive="ftgate_${plain}_${os}_${arch}.tar.gz"
if [[ $os == windows ]]; then
  archive="ftgate_${plain}_${os}_${arch}.zip"
fi

cache_root=${RUNNER_TOOL_CACHE:-$RUNNER_TEMP/ftgate-tool-cache}
dir="$cache_root/ftgate/$plain/$cache_arch"
if [[ -f "$dir.complete" && -f "$dir/$exe" ]]; then
  output path "$dir/$exe"
  output version "$version"
  log "ftgate $version ($os/$arch) from the tool cache, in $(( $(now_ms) - started )) ms"
  exit 0
fi

work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/ftgate-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

base="$server/$repo/releases/download/$version"

# download URL FILE fails the step with the HTTP status when URL cannot be
# fetched.
download() {
  local url=$1 file=$2 status
  status=$(curl --silent --show-error --location --proto "$protocol" --proto-redir "$protocol" \
    --connect-timeout 20 --max-time 300 --retry 3 --retry-connrefused \
    --output "$file" --write-out '%{http_code}' "$url" 2> "$work/curl.err") || status=${status:-000}
  if [[ $status != 200 ]]; then
    local why="HTTP $status"
    if [[ $status == 000 ]]; then
      why=$(tr -d '\r' < "$work/curl.err" | head -n 1)
    fi
    if [[ $status == 404 ]]; then
      why="HTTP 404: the release $version of $repo has no such file"
    fi
    fail 3 "could not download $url: $why"
  fi
}

download "$base/checksums.txt" "$work/checksums.txt"
download "$base/$archive" "$work/$archive"

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums.txt")
if [[ ! $want =~ ^[0-9a-f]{64}$ ]]; then
  fail 3 "checksums.txt of ftgate $version has no single SHA-256 for $archive"
fi

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum > /dev/null; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    openssl dgst -sha256 -r "$1" | awk '{ print $1 }'
  fi
}

got=$(sha256 "$work/$archive")
if [[ $got != "$want" ]]; then
  fail 3 "checksum mismatch for $archive of ftgate $version: its SHA-256 is $got, checksums.txt says $want; nothing was installed"
fi

# unpack extracts the binary alone from the archive into $work/bin.
unpack() {
  case $archive in
    *.tar.gz)
      tar -xzf "$work/$archive" -C "$work/bin" "$exe"
      ;;
    *.zip)
      if command -v unzip > /dev/null; then
        unzip -q "$work/$archive" "$exe" -d "$work/bin"
      elif command -v 7z > /dev/null; then
        7z e -y -bd "-o$work/bin" "$work/$archive" "$exe" > /dev/null
      else
        # shellcheck disable=SC2016 # PowerShell expands $env:, not bash
        FTGATE_ARCHIVE="$work/$archive" FTGATE_DEST="$work/bin" \
          powershell -NoProfile -Command 'Expand-Archive -LiteralPath $env:FTGATE_ARCHIVE -DestinationPath $env:FTGATE_DEST'
      fi
      ;;
  esac
}

mkdir "$work/bin"
if ! unpack; then
  fail 3 "could not unpack $exe from $archive of ftgate $version"
fi
if [[ ! -f "$work/bin/$exe" ]]; then
  fail 3 "$archive of ftgate $version holds no $exe"
fi
chmod +x "$work/bin/$exe"

# Into the tool cache: a whole directory renamed into place, then the
# marker, so that a run that stopped half-way is never taken for an install.
mkdir -p "$(dirname "$dir")"
rm -rf "$dir" "$dir.complete"
mv "$work/bin" "$dir"
touch "$dir.complete"

output path "$dir/$exe"
output version "$version"
log "ftgate $version ($os/$arch, from $how) downloaded, SHA-256 verified against checksums.txt and cached, in $(( $(now_ms) - started )) ms"
