package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Reports are all or nothing: when one cannot be written, no report is
// changed (the earlier one keeps its old content) and no temporary file
// is left. Not parallel: it replaces createTemp.
func TestReportsAreAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "report.json")
	if err := os.WriteFile(old, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	defer func(f func(string, string) (*os.File, error)) { createTemp = f }(createTemp)
	createTemp = func(d, pattern string) (*os.File, error) {
		if strings.Contains(pattern, "junit") {
			return nil, errors.New("no space left on device")
		}
		return os.CreateTemp(d, pattern)
	}
	pass := filepath.Join("..", "..", "examples", "pass")
	var stderr strings.Builder
	code := Run(context.Background(), []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"),
		"--json", old, "--markdown", filepath.Join(dir, "summary.md"), "--junit", filepath.Join(dir, "junit.xml")}, Env{Stdout: io.Discard, Stderr: &stderr})
	if code != 2 || !strings.Contains(stderr.String(), "junit.xml: no space left on device") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	if data, _ := os.ReadFile(old); string(data) != "old\n" || len(entries) != 1 {
		t.Errorf("report %q, folder %v", data, entries)
	}

	// Once everything can be written, every report is, with the old
	// file's permissions kept.
	createTemp = os.CreateTemp
	code = Run(context.Background(), []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"),
		"--json", old, "--markdown", filepath.Join(dir, "summary.md"), "--junit", filepath.Join(dir, "junit.xml")}, Env{Stdout: io.Discard, Stderr: io.Discard})
	entries, _ = os.ReadDir(dir)
	st, _ := os.Stat(old)
	if code != 0 || len(entries) != 3 || st.Mode().Perm() != 0o600 {
		t.Errorf("exit %d, folder %v, mode %v", code, entries, st.Mode())
	}
	if st, _ := os.Stat(filepath.Join(dir, "junit.xml")); st.Mode().Perm() != 0o644 {
		t.Errorf("a new report has mode %v, want 0644", st.Mode())
	}
}

// A report path that is a symbolic link is refused before anything is
// written, and the link's target keeps its content and mode.
func TestReportThroughALinkIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "deploy.sh")
	link := filepath.Join(dir, "summary.md")
	os.WriteFile(target, []byte("#!/bin/sh\n"), 0o755)
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	var stderr strings.Builder
	code := Run(context.Background(), []string{"compare", "--baseline", passBaseline, "--candidate", passCandidate,
		"--markdown", link}, Env{Stdout: io.Discard, Stderr: &stderr})
	data, _ := os.ReadFile(target)
	st, _ := os.Stat(target)
	if code != 2 || !strings.Contains(stderr.String(), "is a symbolic link; give the real path") || string(data) != "#!/bin/sh\n" || st.Mode().Perm() != 0o755 {
		t.Errorf("exit %d, stderr %q, target %q mode %v", code, stderr.String(), data, st.Mode())
	}
}

var (
	passBaseline  = filepath.Join("..", "..", "examples", "pass", "baseline.jsonl")
	passCandidate = filepath.Join("..", "..", "examples", "pass", "candidate.jsonl")
)

// An existing output that is not a regular file (a named pipe here; a
// device such as /dev/null the same) is refused with exit 2 and left as
// it is: a rename would replace it with a file.
func TestReportOverANamedPipeIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "junit.xml")
	if err := mkfifo(fifo); err != nil {
		t.Skip(err)
	}
	var stderr strings.Builder
	code := Run(context.Background(), []string{"compare", "--baseline", passBaseline, "--candidate", passCandidate,
		"--json", filepath.Join(dir, "r.json"), "--junit", fifo}, Env{Stdout: io.Discard, Stderr: &stderr})
	st, err := os.Lstat(fifo)
	entries, _ := os.ReadDir(dir)
	if code != 2 || !strings.Contains(stderr.String(), "is not a regular file (a named pipe)") || err != nil || st.Mode()&os.ModeNamedPipe == 0 || len(entries) != 1 {
		t.Errorf("exit %d, stderr %q, %v %v, folder %v", code, stderr.String(), st.Mode(), err, entries)
	}
}

// The check itself, on the system's devices (nothing is written here).
func TestResolveOutputRefusesDevices(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/dev/null", "/dev/full", "/dev/stdout"} {
		if _, err := os.Lstat(path); err != nil {
			continue
		}
		if _, _, err := resolveOutput(path); err == nil {
			t.Errorf("%s: accepted", path)
		}
	}
}

// --json /dev/stdout is standard output, as "-" is: the report goes to
// the stream, and /dev/stdout is not touched.
func TestJSONToDevStdout(t *testing.T) {
	t.Parallel()
	var stdout strings.Builder
	code := Run(context.Background(), []string{"compare", "--baseline", passBaseline, "--candidate", passCandidate,
		"--json", "/dev/stdout"}, Env{Stdout: &stdout, Stderr: io.Discard})
	if code != 0 || !strings.HasPrefix(stdout.String(), "{") {
		t.Errorf("exit %d, stdout %.40q", code, stdout.String())
	}
}

// A report replacing an executable file does not keep its execute bits.
func TestReportDropsExecuteBits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := filepath.Join(dir, "summary.md")
	os.WriteFile(old, []byte("old"), 0o750)
	code := Run(context.Background(), []string{"compare", "--baseline", passBaseline, "--candidate", passCandidate,
		"--markdown", old}, Env{Stdout: io.Discard, Stderr: io.Discard})
	if st, _ := os.Stat(old); code != 0 || st.Mode().Perm() != 0o640 {
		t.Errorf("exit %d, mode %v, want 0640", code, st.Mode())
	}
}

// A rename that fails midway (a file bind-mounted over a report cannot
// be renamed over; simulated here) leaves every report as it was: the
// ones already replaced get their old content back, a new one is
// removed, and no temporary or backup file is left, with hard-linked
// backups or renamed ones. Not parallel: it replaces rename and hardLink.
func TestReportsRestoredWhenARenameFails(t *testing.T) {
	dir := t.TempDir()
	old := map[string]string{"a.json": "OLDJSON\n", "m.md": "OLDMD\n"}
	for name, data := range old {
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	defer func(f, g func(string, string) error) { rename, hardLink = f, g }(rename, hardLink)
	for _, c := range []struct{ failing, links string }{{"m.md", "hard"}, {"a.json", "hard"}, {"j.xml", "hard"}, {"m.md", "none"}, {"j.xml", "none"}} {
		failing := c.failing
		hardLink = os.Link
		if c.links == "none" {
			// A file system without hard links: the backups are renames.
			hardLink = func(string, string) error { return errors.New("operation not permitted") }
		}
		rename = func(from, to string) error {
			if filepath.Base(to) == failing && strings.HasSuffix(from, ".tmp") {
				return errors.New("device or resource busy")
			}
			return os.Rename(from, to)
		}
		var stderr strings.Builder
		code := Run(context.Background(), []string{"compare", "--baseline", passBaseline, "--candidate", passCandidate,
			"--json", filepath.Join(dir, "a.json"), "--junit", filepath.Join(dir, "j.xml"), "--markdown", filepath.Join(dir, "m.md")},
			Env{Stdout: io.Discard, Stderr: &stderr})
		if code != 2 || !strings.Contains(stderr.String(), failing+": device or resource busy") {
			t.Errorf("%s failing: exit %d, stderr %q", failing, code, stderr.String())
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) != 2 {
			t.Errorf("%s failing: folder %v", failing, names)
		}
		for name, want := range old {
			if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
				t.Errorf("%s failing: %s holds %.30q", failing, name, got)
			}
		}
	}
}

// mountPoint finds the system's own mount points, and not a plain folder.
func TestMountPoint(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/mountinfo"); err != nil {
		t.Skip("no /proc/self/mountinfo")
	}
	if !mountPoint("/proc") {
		t.Error("/proc is not a mount point")
	}
	dir := t.TempDir()
	if mountPoint(dir) || mountPoint(filepath.Join(dir, "x")) {
		t.Error("a temporary folder is a mount point")
	}
	if got := unescapeMount(`/a\040b\134c`); got != `/a b\c` {
		t.Errorf("unescapeMount = %q", got)
	}
}
