package actions

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The fake release: the current code built as GoReleaser builds it,
// packed under the names .goreleaser.yaml gives, with its checksums.txt,
// served with the repository's tags from a server on the loopback
// interface (httptest listens on 127.0.0.1 only).

const (
	testReleaseTag = "v0.99.0"
	// testReleaseCommit is the commit the tag points at; the tag is an
	// annotated one, so the server lists testReleaseTagObject too.
	testReleaseCommit    = "5e1ea5e0000000000000000000000000c0ffee01"
	testReleaseTagObject = "7a90b1ec7000000000000000000000000000a001"
	// testUnreleasedCommit is a commit no tag points at.
	testUnreleasedCommit = "de7e10900000000000000000000000000000beef"
)

// releaseFiles are the files of one release, by name.
type releaseFiles map[string][]byte

var (
	releaseOnce  sync.Once
	releaseBuilt releaseFiles
	releaseErr   error
)

// testArchiveName is the archive action.yml wants on this machine.
func testArchiveName(tag string) string {
	name := fmt.Sprintf("ftgate_%s_%s_%s", strings.TrimPrefix(tag, "v"), runtime.GOOS, runtime.GOARCH)
	if runtime.GOOS == "windows" {
		return name + ".zip"
	}
	return name + ".tar.gz"
}

// testRelease builds ftgate once per test process and returns the release
// testReleaseTag for this machine's platform.
func testRelease(t testing.TB) releaseFiles {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	releaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ftgate-release")
		if err != nil {
			releaseErr = err
			return
		}
		defer os.RemoveAll(dir)
		exe := "ftgate"
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		// The flags of .goreleaser.yaml, less the VCS stamp.
		cmd := exec.Command(goBin, "build", "-trimpath", "-buildvcs=false",
			"-ldflags=-s -w -X github.com/ftgate/ftgate/internal/cli.Version="+testReleaseTag,
			"-o", filepath.Join(dir, exe), "./cmd/ftgate")
		cmd.Dir = repoRoot(t)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		bin, err := os.ReadFile(filepath.Join(dir, exe))
		if err != nil {
			releaseErr = err
			return
		}
		archive, err := packArchive(testArchiveName(testReleaseTag), exe, bin)
		if err != nil {
			releaseErr = err
			return
		}
		releaseBuilt = releaseFiles{testArchiveName(testReleaseTag): archive}
		releaseBuilt["checksums.txt"] = checksums(releaseBuilt)
	})
	if releaseErr != nil {
		t.Fatal(releaseErr)
	}
	return releaseBuilt
}

// packArchive packs the binary as GoReleaser does: at the archive's root,
// next to the README.
func packArchive(name, exe string, bin []byte) ([]byte, error) {
	readme := []byte("# ftgate\n")
	var buf bytes.Buffer
	if strings.HasSuffix(name, ".zip") {
		zw := zip.NewWriter(&buf)
		for _, f := range []struct {
			name string
			data []byte
		}{{"README.md", readme}, {exe, bin}} {
			w, err := zw.Create(f.name)
			if err != nil {
				return nil, err
			}
			w.Write(f.data)
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"README.md", 0o644, readme}, {exe, 0o755, bin}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: time.Unix(1764527220, 0)}); err != nil {
			return nil, err
		}
		tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checksums writes checksums.txt as GoReleaser does: "SUM  NAME" lines.
func checksums(files releaseFiles) []byte {
	var names []string
	for name := range files {
		if name != "checksums.txt" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		sum := sha256.Sum256(files[name])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	return []byte(b.String())
}

// A fakeRelease serves one release of ftgate/ftgate and the repository's
// tags (git's "dumb" HTTP protocol: info/refs), and counts the requests.
type fakeRelease struct {
	url   string
	files releaseFiles
	refs  string

	mu       sync.Mutex
	requests []string
}

func newFakeRelease(t testing.TB, files releaseFiles) *fakeRelease {
	t.Helper()
	f := &fakeRelease{files: files, refs: strings.Join([]string{
		"1111111111111111111111111111111111111111\trefs/tags/v0.98.0",
		testReleaseTagObject + "\trefs/tags/" + testReleaseTag,
		testReleaseCommit + "\trefs/tags/" + testReleaseTag + "^{}",
		"2222222222222222222222222222222222222222\trefs/tags/v0.99.1-rc.1",
		testUnreleasedCommit + "\trefs/tags/nightly",
		"",
	}, "\n")}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fakeRelease) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.Path)
	f.mu.Unlock()
	if r.Method != http.MethodGet {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/ftgate/ftgate.git/info/refs" {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, f.refs)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/ftgate/ftgate/releases/download/"+testReleaseTag+"/")
	data, found := f.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(data)
}

// downloads counts the requests for release files.
func (f *fakeRelease) downloads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, p := range f.requests {
		if strings.Contains(p, "/releases/download/") {
			n++
		}
	}
	return n
}

// passInputs are the inputs of the bundled passing example.
func passInputs(t testing.TB) map[string]string {
	return map[string]string{
		"baseline":  example(t, "pass", "baseline.jsonl"),
		"candidate": example(t, "pass", "candidate.jsonl"),
		"policy":    example(t, "pass", "gate.yaml"),
	}
}

// noLeaks checks that a run left nothing for the caller's later steps.
func noLeaks(t *testing.T, r runResult) {
	t.Helper()
	if r.githubPath != "" || r.githubEnv != "" {
		t.Errorf("the action changed later steps: GITHUB_PATH %q, GITHUB_ENV %q", r.githubPath, r.githubEnv)
	}
}

// TestActionInstallsRelease uses the action at a release tag: the first
// run downloads the archive, checks it against checksums.txt and keeps it
// in the tool cache; a second run with the same tool cache downloads
// nothing.
func TestActionInstallsRelease(t *testing.T) {
	t.Parallel()
	release := newFakeRelease(t, testRelease(t))
	cache := filepath.Join(t.TempDir(), "tool cache")
	run := actionRun{with: passInputs(t), ref: testReleaseTag, release: release, toolCache: cache}

	r := runActionWith(t, run)
	if r.exit != 0 || r.outputs["verdict"] != "pass" {
		t.Fatalf("exit %d, verdict %q\nstdout:\n%s\nstderr:\n%s", r.exit, r.outputs["verdict"], r.stdout, r.stderr)
	}
	if got := r.outputs["ftgate-version"]; got != testReleaseTag {
		t.Errorf("ftgate-version output %q, want %q", got, testReleaseTag)
	}
	if !strings.Contains(r.stdout, "ftgate install: ftgate "+testReleaseTag) || !strings.Contains(r.stdout, "SHA-256 verified against checksums.txt") {
		t.Errorf("the log does not say what was installed:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "from source") {
		t.Errorf("a release run built from source:\n%s", r.stdout)
	}
	if n := release.downloads(); n != 2 {
		t.Errorf("%d release downloads, want 2 (checksums.txt and the archive)", n)
	}
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	dir := filepath.Join(cache, "ftgate", strings.TrimPrefix(testReleaseTag, "v"), arch)
	if _, err := os.Stat(dir + ".complete"); err != nil {
		t.Errorf("tool cache: %v", err)
	}
	if want := filepath.Join(dir, "ftgate"); r.steps["install"]["path"] != want {
		t.Errorf("installed at %q, want %q", r.steps["install"]["path"], want)
	}
	noLeaks(t, r)
	first, firstCPU := r.durations["install"], r.cpu["install"]

	r = runActionWith(t, run)
	if r.exit != 0 || r.outputs["verdict"] != "pass" {
		t.Fatalf("second run: exit %d, verdict %q\n%s", r.exit, r.outputs["verdict"], r.stderr)
	}
	if n := release.downloads(); n != 2 {
		t.Errorf("the second run downloaded again (%d downloads in all)", n)
	}
	if !strings.Contains(r.stdout, "from the tool cache") {
		t.Errorf("the second run does not say it used the tool cache:\n%s", r.stdout)
	}
	t.Logf("install step: %v (%v CPU) downloading and verifying, %v (%v CPU) from the tool cache",
		first, firstCPU, r.durations["install"], r.cpu["install"])
}

// BenchmarkActionInstall times the action's install step against the fake
// release on the loopback interface: downloading, verifying, unpacking and
// caching the archive (download), and finding it in the tool cache
// (cached). It reports the step's CPU time too, which a busy machine
// inflates less than the wall time.
func BenchmarkActionInstall(b *testing.B) {
	release := newFakeRelease(b, testRelease(b))
	with := passInputs(b)
	for _, bc := range []struct {
		name   string
		cached bool
	}{{"download", false}, {"cached", true}} {
		b.Run(bc.name, func(b *testing.B) {
			cache := filepath.Join(b.TempDir(), "tool cache")
			if bc.cached {
				runActionWith(b, actionRun{with: with, ref: testReleaseTag, release: release, toolCache: cache, stopAfter: "install"})
			}
			var wall, cpu time.Duration
			for i := 0; b.Loop(); i++ {
				run := actionRun{with: with, ref: testReleaseTag, release: release, toolCache: cache, stopAfter: "install"}
				if !bc.cached {
					run.toolCache = filepath.Join(cache, fmt.Sprint(i))
				}
				r := runActionWith(b, run)
				if r.exit != 0 {
					b.Fatalf("exit %d\n%s%s", r.exit, r.stdout, r.stderr)
				}
				wall += r.durations["install"]
				cpu += r.cpu["install"]
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "step-ms/op")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "step-cpu-ms/op")
		})
	}
}

// TestActionInstallsReleaseOfCommit uses the action at a commit SHA, as
// the docs ask: the release tag pointing at that commit is found among
// the repository's tags and its archive installed. An unreleased commit
// is built from source, and the log says why.
func TestActionInstallsReleaseOfCommit(t *testing.T) {
	t.Parallel()
	release := newFakeRelease(t, testRelease(t))
	r := runActionWith(t, actionRun{with: passInputs(t), ref: testReleaseCommit, release: release})
	if r.exit != 0 || r.outputs["ftgate-version"] != testReleaseTag {
		t.Fatalf("released commit: exit %d, ftgate-version %q\nstdout:\n%s\nstderr:\n%s", r.exit, r.outputs["ftgate-version"], r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "from the release tag of commit "+testReleaseCommit) {
		t.Errorf("the log does not say how the version was found:\n%s", r.stdout)
	}

	// Not a release: built from source with the job's Go, which stays off
	// the caller's PATH.
	r = runActionWith(t, actionRun{with: passInputs(t), ref: testUnreleasedCommit, release: release})
	if r.exit != 0 || r.outputs["verdict"] != "pass" {
		t.Fatalf("unreleased commit: exit %d, verdict %q\nstdout:\n%s\nstderr:\n%s", r.exit, r.outputs["verdict"], r.stdout, r.stderr)
	}
	for _, want := range []string{
		"ftgate install: the action is used at " + testUnreleasedCommit + ", which is not a release",
		"ftgate install: building ftgate from source at " + testUnreleasedCommit,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the log lacks %q:\n%s", want, r.stdout)
		}
	}
	if got, want := r.outputs["ftgate-version"], "devel ("+testUnreleasedCommit+")"; got != want {
		t.Errorf("ftgate-version %q, want %q", got, want)
	}
	if !strings.HasPrefix(r.steps["install"]["path"], r.temp) {
		t.Errorf("a source build went to %q, not the runner's temporary folder", r.steps["install"]["path"])
	}
	noLeaks(t, r)
	t.Logf("install step: %v building from source (warm Go build cache)", r.durations["install"])

	// At a branch, the version names the commit of the checkout that was
	// built, so that a run can be traced to the code that decided.
	with := passInputs(t)
	with["install"] = "source"
	r = runActionWith(t, actionRun{with: with, ref: "main", release: release, stopAfter: "install"})
	if got := r.outputs["ftgate-version"]; !regexp.MustCompile(`^devel \(main at [0-9a-f]{12}\)$`).MatchString(got) {
		t.Errorf("source build at a branch: ftgate-version %q, want \"devel (main at COMMIT)\"\nstdout:\n%s\nstderr:\n%s", got, r.stdout, r.stderr)
	}
}

// TestActionInstallChecksumMismatch serves an archive that does not match
// checksums.txt: the step fails, nothing is cached, nothing is built from
// source and ftgate does not run.
func TestActionInstallChecksumMismatch(t *testing.T) {
	t.Parallel()
	files := releaseFiles{}
	for name, data := range testRelease(t) {
		files[name] = data
	}
	name := testArchiveName(testReleaseTag)
	tampered := slices.Clone(files[name])
	tampered[len(tampered)/2] ^= 1
	files[name] = tampered
	cache := filepath.Join(t.TempDir(), "tool cache")
	r := runActionWith(t, actionRun{with: passInputs(t), ref: testReleaseTag, release: newFakeRelease(t, files), toolCache: cache})
	if r.exit != 3 {
		t.Fatalf("exit %d, want 3\nstdout:\n%s\nstderr:\n%s", r.exit, r.stdout, r.stderr)
	}
	cmds := runnerCommands(t, r.stdout+"\n"+r.stderr)
	if len(cmds) != 1 || cmds[0].name != "error" || !strings.HasPrefix(cmds[0].data, "checksum mismatch for "+name+" of ftgate "+testReleaseTag) {
		t.Errorf("commands %+v, want one checksum mismatch error", cmds)
	}
	if strings.Contains(r.stdout, "from source") || r.outputs["verdict"] != "" {
		t.Errorf("a mismatch fell back to something:\n%s", r.stdout)
	}
	if entries, _ := os.ReadDir(filepath.Join(cache, "ftgate")); len(entries) != 0 {
		t.Errorf("a rejected archive reached the tool cache: %v", entries)
	}
}

// TestActionInstallErrors covers the inputs and runners that cannot work:
// each is an error annotation that says what to do, shown escaped.
func TestActionInstallErrors(t *testing.T) {
	t.Parallel()
	release := newFakeRelease(t, testRelease(t))
	for _, tc := range []struct {
		name string
		ref  string
		with map[string]string
		env  map[string]string
		exit int
		want string // the error annotation's data starts so
	}{
		{"unknown architecture", testReleaseTag, nil, map[string]string{"RUNNER_ARCH": "X86"}, 2,
			"ftgate releases have no build for RUNNER_OS=" + map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS] + " RUNNER_ARCH=X86: they cover Linux, macOS and Windows on X64 and ARM64; set install: source"},
		{"unknown system", testReleaseTag, nil, map[string]string{"RUNNER_OS": "Plan9"}, 2, "ftgate releases have no build for RUNNER_OS=Plan9"},
		{"no archive for the platform", testReleaseTag, nil, map[string]string{"RUNNER_OS": "Windows", "RUNNER_ARCH": "ARM64"}, 3,
			"could not download " + release.url + "/ftgate/ftgate/releases/download/" + testReleaseTag + "/ftgate_0.99.0_windows_arm64.zip: HTTP 404: the release " + testReleaseTag + " of ftgate/ftgate has no such file"},
		{"unknown release", testReleaseTag, map[string]string{"version": "v0.97.0"}, nil, 3, "could not download " + release.url + "/ftgate/ftgate/releases/download/v0.97.0/checksums.txt: HTTP 404"},
		{"release at a branch", "main", map[string]string{"install": "release"}, nil, 2, "install is release, but no release version is known: the action is used at main"},
		{"bad install", testReleaseTag, map[string]string{"install": "binary"}, nil, 2, "the install input must be auto, release or source, not binary"},
		{"bad version", testReleaseTag, map[string]string{"version": "latest\n::warning::forged"}, nil, 2, "the version input must be a release tag such as v1.2.3, not $'latest\\n::warning::forged'"},
		{"test server off loopback", testReleaseTag, nil, map[string]string{"FTGATE_TEST_RELEASE_SERVER": "http://example.com:80"}, 2, "FTGATE_TEST_RELEASE_SERVER is for tests and must be http://127.x.x.x:PORT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			with := passInputs(t)
			for k, v := range tc.with {
				with[k] = v
			}
			r := runActionWith(t, actionRun{with: with, env: tc.env, ref: tc.ref, release: release})
			if r.exit != tc.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.exit, tc.exit, r.stdout, r.stderr)
			}
			cmds := runnerCommands(t, r.stdout+"\n"+r.stderr)
			if len(cmds) != 1 || cmds[0].name != "error" || cmds[0].props["title"] != "ftgate install" || !strings.HasPrefix(cmds[0].data, tc.want) {
				t.Errorf("commands %+v\nwant one error starting %q", cmds, tc.want)
			}
			if strings.Contains(r.stdout, "from source") {
				t.Errorf("built from source:\n%s", r.stdout)
			}
		})
	}
}

// TestGoreleaserMatchesInstaller checks that .goreleaser.yaml makes the
// archives install.bash looks for, stamps the version 'ftgate version'
// prints, and builds reproducibly.
func TestGoreleaserMatchesInstaller(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version     int    `yaml:"version"`
		ProjectName string `yaml:"project_name"`
		Builds      []struct {
			Main         string   `yaml:"main"`
			Binary       string   `yaml:"binary"`
			Env          []string `yaml:"env"`
			Goos         []string `yaml:"goos"`
			Goarch       []string `yaml:"goarch"`
			Flags        []string `yaml:"flags"`
			Ldflags      []string `yaml:"ldflags"`
			ModTimestamp string   `yaml:"mod_timestamp"`
		} `yaml:"builds"`
		Archives []struct {
			Formats         []string `yaml:"formats"`
			NameTemplate    string   `yaml:"name_template"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || cfg.ProjectName != "ftgate" || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("version %d, project %q, %d builds, %d archives; want 2, ftgate, 1, 1", cfg.Version, cfg.ProjectName, len(cfg.Builds), len(cfg.Archives))
	}
	b, a := cfg.Builds[0], cfg.Archives[0]
	if b.Main != "./cmd/ftgate" || b.Binary != "ftgate" {
		t.Errorf("builds %q as %q", b.Main, b.Binary)
	}
	if !slices.Equal(b.Goos, []string{"linux", "darwin", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("platforms %v × %v", b.Goos, b.Goarch)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") || b.ModTimestamp != "{{ .CommitTimestamp }}" {
		t.Errorf("not reproducible: env %v, flags %v, mod_timestamp %q", b.Env, b.Flags, b.ModTimestamp)
	}
	if !slices.Contains(b.Ldflags, "-X github.com/ftgate/ftgate/internal/cli.Version=v{{ .Version }}") {
		t.Errorf("ldflags %q do not stamp cli.Version", b.Ldflags)
	}
	// install.bash wants ftgate_<version without v>_<os>_<arch>.tar.gz, .zip
	// on Windows, listed in checksums.txt with its SHA-256.
	if a.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(a.Formats, []string{"tar.gz"}) ||
		len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives: %+v", a)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum: %+v", cfg.Checksum)
	}
	script, err := os.ReadFile(filepath.Join(repoRoot(t), "internal", "actions", "install.bash"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`archive="ftgate_${plain}_${os}_${arch}.tar.gz"`, `archive="ftgate_${plain}_${os}_${arch}.zip"`, `"$base/checksums.txt"`} {
		if !strings.Contains(string(script), want) {
			t.Errorf("install.bash lacks %s", want)
		}
	}
}

// TestWorkflowsPinActions checks that every action a workflow or
// action.yml uses is pinned to a full commit SHA with the version in a
// comment, and that the release workflow grants write permissions only
// to the job that publishes.
func TestWorkflowsPinActions(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "workflows", "*.yml"))
	files = append(files, examples...)
	files = append(files, filepath.Join(root, "action.yml"))
	uses := regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range uses.FindAllStringSubmatch(string(data), -1) {
			ref, rest := m[1], m[2]
			switch {
			case strings.HasPrefix(ref, "./"):
			case ref == "ftgate/ftgate@RELEASE_COMMIT_SHA" && strings.Contains(rest, "# vX.Y.Z"):
				// The example's placeholder until a first release
				// (docs/releasing.md).
			case !pinned.MatchString(ref):
				t.Errorf("%s: uses %s, not pinned to a full commit SHA", filepath.Base(f), ref)
			case !regexp.MustCompile(`^\s+# v\d+\.\d+\.\d+`).MatchString(rest):
				t.Errorf("%s: uses %s without its version in a comment", filepath.Base(f), ref)
			}
		}
	}

	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.Permissions) != 0 {
		t.Errorf("release.yml grants %v to every job", wf.Permissions)
	}
	for name, job := range wf.Jobs {
		publishes := false
		for _, st := range job.Steps {
			if strings.HasPrefix(st.Uses, "goreleaser/goreleaser-action@") {
				publishes = true
			}
			if strings.HasPrefix(st.Uses, "actions/attest-build-provenance@") {
				for _, want := range []string{"dist/*.tar.gz", "dist/*.zip", "dist/checksums.txt"} {
					if !strings.Contains(st.With["subject-path"], want) {
						t.Errorf("the attestation does not cover %s", want)
					}
				}
			}
		}
		want := map[string]string{"contents": "read"}
		if publishes {
			want = map[string]string{"contents": "write", "id-token": "write", "attestations": "write"}
		}
		if fmt.Sprint(job.Permissions) != fmt.Sprint(want) {
			t.Errorf("job %s: permissions %v, want %v", name, job.Permissions, want)
		}
	}
}
