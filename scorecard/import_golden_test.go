package scorecard

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateImport = flag.Bool("update-import", false, "rewrite the .want files of testdata/import/bad")

// TestImportBadInputs reads every file in testdata/import/bad (besides the
// .want and .opts files) and checks that it fails with exactly the error
// text in NAME.want. NAME.opts, when present, holds key=value lines (format,
// scorer, metric, provider, partial) for ReadOptions. Run with
// -update-import to rewrite the .want files, then review the diff.
func TestImportBadInputs(t *testing.T) {
	dir := filepath.Join("testdata", "import", "bad")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || ext == ".want" || ext == ".opts" {
			continue
		}
		n++
		stem := strings.TrimSuffix(name, ext)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			o := readOpts(t, filepath.Join(dir, stem+".opts"))
			sc, err := Read(name, data, o)
			if err == nil {
				t.Fatalf("Read(%s) = %d samples, want an error", name, len(sc.Samples))
			}
			if !IsInputError(err) {
				t.Errorf("Read(%s) error %T is not an input error", name, err)
			}
			got := err.Error() + "\n"
			wantFile := filepath.Join(dir, stem+".want")
			if *updateImport {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test -run TestImportBadInputs -update-import to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Read(%s) error mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
	if n == 0 {
		t.Fatalf("no bad inputs found in %s", dir)
	}
}

// readOpts reads an optional key=value options file.
func readOpts(t *testing.T, path string) ReadOptions {
	t.Helper()
	o := ReadOptions{Format: "auto"}
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
