package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-11-30T18:27:00Z"},
			{Key: "vcs.modified", Value: modified},
		}
	}
	const rev = "832df77b1c3a9e0d4f5a6b7c8d9e0f1a2b3c4d5e"
	for _, tc := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"release build", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false")}, "v1.2.3"},
		{"stamped wins over the build info", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v1.2.3"},
		{"go install at a tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"go install at a prerelease", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0-rc.1"}}, "v1.3.0-rc.1"},
		{"go install at a commit", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261130182700-832df77b1c3a"}}, "v1.2.4-0.20261130182700-832df77b1c3a"},
		{"go build at a tag", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false")}, "v1.2.3"},
		{"go build at a tag with changes", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3+dirty"}, Settings: vcs(rev, "true")}, "v1.2.3+dirty"},
		{"go build between tags", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261130182700-832df77b1c3a"}, Settings: vcs(rev, "false")}, "devel (832df77b1c3a)"},
		{"go build before any tag, with changes", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261130182700-832df77b1c3a+dirty"}, Settings: vcs(rev, "true")}, "devel (832df77b1c3a, modified)"},
		{"go build without a version", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "devel (832df77b1c3a, modified)"},
		{"go build with -buildvcs=false", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"no build information", "", nil, "devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeVersion(tc.stamped, tc.bi); got != tc.want {
				t.Errorf("describeVersion(%q, ...) = %q, want %q", tc.stamped, got, tc.want)
			}
		})
	}
}

// TestVersionStamp builds the command the way .goreleaser.yaml does and
// checks that the stamped version is what 'ftgate version' prints: the
// -X flag names this package's Version, and a rename must fail here
// rather than in a release.
func TestVersionStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "ftgate")
	build := exec.Command(goBin, "build", "-trimpath", "-buildvcs=false",
		"-ldflags=-X github.com/ftgate/ftgate/internal/cli.Version=v9.8.7-test", "-o", bin, "../../cmd/ftgate")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("ftgate version: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "ftgate v9.8.7-test"; got != want {
		t.Errorf("ftgate version printed %q, want %q", got, want)
	}
}
