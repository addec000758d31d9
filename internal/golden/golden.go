// Package golden compares what a test produced with a file under testdata,
// and rewrites the file instead when the tests run with -update (review
// every such diff before committing it).
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// Check compares got with the contents of the golden file path, or writes
// got to it under -update.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run go test -update and review it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// CheckInputError checks that err is an input problem reported as lines
// that each start with "name:", and that its text matches the golden file.
func CheckInputError(t testing.TB, name string, err error, path string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error; want one", name)
	}
	got := err.Error() + "\n"
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if !strings.HasPrefix(line, name+":") {
			t.Errorf("error line %q does not start with %q", line, name+":")
		}
	}
	Check(t, path, got)
}
