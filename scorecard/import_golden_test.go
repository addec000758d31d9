package scorecard_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
)

// TestImportBadInputs reads every file in testdata/import/bad and checks
// that it fails with exactly the error text in FILE.want. FILE.opts, when
// present, holds key=value lines (format, scorer, metric, provider,
// partial) for the read options. Run with -update to rewrite the .want
// files, then review the diff.
func TestImportBadInputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "import", "bad", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if ext := filepath.Ext(path); ext == ".want" || ext == ".opts" {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.ToSlash(path)
			sc, err := scorecard.Read(name, data, readOpts(t, path+".opts"))
			if err == nil {
				t.Fatalf("Read(%s) = %d samples, want an error", name, len(sc.Samples))
			}
			if !scorecard.IsInputError(err) {
				t.Errorf("Read(%s) error %T is not an input error", name, err)
			}
			got := err.Error() + "\n"
			for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
				if !strings.HasPrefix(line, name+":") {
					t.Errorf("error line %q does not start with %q", line, name+":")
				}
			}
			wantFile := path + ".want"
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("missing golden file (run go test -update): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Read(%s) error mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no bad inputs in testdata/import/bad")
	}
}

// readOpts reads an optional key=value options file.
func readOpts(t *testing.T, path string) scorecard.ReadOptions {
	t.Helper()
	o := scorecard.ReadOptions{Format: "auto"}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return o
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "format":
			o.Format = v
		case "scorer":
			o.Scorer = v
		case "metric":
			o.Metric = v
		case "provider":
			o.Provider = v
		case "partial":
			o.PartialAccepted = v == "true"
		default:
			t.Fatalf("%s: unknown option %q", path, k)
		}
	}
	return o
}
