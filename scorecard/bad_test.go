package scorecard_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/internal/golden"
	"github.com/ftgate/ftgate/scorecard"
)

// TestBadInputs reads every file in testdata/bad (the native formats) and
// testdata/import/bad (the importers) and compares the error it gives with
// the FILE.want beside it: one bad input, one expected message.
// FILE.opts, when present, holds key=value read options. Run with -update
// to rewrite the .want files, then review the diff.
func TestBadInputs(t *testing.T) {
	for _, dir := range []string{filepath.Join("testdata", "bad"), filepath.Join("testdata", "import", "bad")} {
		files, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, path := range files {
			if ext := filepath.Ext(path); ext == ".want" || ext == ".opts" {
				continue
			}
			n++
			t.Run(filepath.ToSlash(path), func(t *testing.T) {
				t.Parallel()
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.ToSlash(path)
				_, err = scorecard.Read(name, data, readOpts(t, path+".opts"))
				if err != nil && !scorecard.IsInputError(err) {
					t.Errorf("Read(%s) error %v is not an input error", name, err)
				}
				golden.CheckInputError(t, name, err, path+".want")
			})
		}
		if n < 10 {
			t.Errorf("only %d bad inputs found in %s", n, dir)
		}
	}
}
