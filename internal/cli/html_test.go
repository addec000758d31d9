package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareWritesHTML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, stderr := compareEnv(t, "segment-regression", nil, "--html", page)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", `<span class="badge">FAIL</span>`, "policy-qa", `id="case-table"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("--html: the page does not hold %q", want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--html", filepath.Join(dir, "no", "such", "dir", "r.html")}, "--html"},
		{[]string{"--html", page, "--json", page}, "and --html " + page + " are the same file"},
		{[]string{"--html", "-"}, "--html -"},
	} {
		if code, _, stderr := compareEnv(t, "pass", nil, c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
