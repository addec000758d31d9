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

// A report through a link is written to the link's target, which is
// replaced whole; the link stays.
func TestReportThroughALink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "link.json")
	os.WriteFile(target, []byte("old"), 0o644)
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	pass := filepath.Join("..", "..", "examples", "pass")
	code := Run(context.Background(), []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"),
		"--json", link}, Env{Stdout: io.Discard, Stderr: io.Discard})
	data, _ := os.ReadFile(target)
	fi, _ := os.Lstat(link)
	if code != 0 || !strings.HasPrefix(string(data), "{") || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("exit %d, target %.20q, link mode %v", code, data, fi.Mode())
	}
}
