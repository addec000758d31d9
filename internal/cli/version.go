package cli

import (
	"regexp"
	"runtime/debug"
)

// Version is the release version, stamped into release binaries with
// -ldflags "-X github.com/ftgate/ftgate/internal/cli.Version=v1.2.3"
// (see .goreleaser.yaml). Other builds leave it empty and report what
// the Go build information knows.
var Version = ""

// version is what 'ftgate version' prints.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return describeVersion(Version, bi)
}

// pseudoVersion matches the versions the go command makes up for a commit
// that has no tag of its own (golang.org/x/mod/module.IsPseudoVersion).
var pseudoVersion = regexp.MustCompile(`^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// describeVersion names the build, from the best source there is:
//
//   - a release build: the stamped version;
//   - go install ...@v1.2.3 (or @commit): the module version from the
//     build information;
//   - go build in a checkout at a tag: that tag, "+dirty" when the tree
//     had changes;
//   - go build in a checkout between tags: "devel (REV)" or
//     "devel (REV, modified)", REV the first 12 digits of the commit;
//   - anything else: "devel".
func describeVersion(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "devel"
	}
	var revision string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v := bi.Main.Version
	if v != "" && v != "(devel)" && (revision == "" || !pseudoVersion.MatchString(v)) {
		return v
	}
	if revision == "" {
		return "devel"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified {
		return "devel (" + revision + ", modified)"
	}
	return "devel (" + revision + ")"
}
