package scorecard_test

import (
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard/internal/readertest"
)

// TestBadInputs reads every file in testdata/bad (the native formats) and
// compares the error it gives with the FILE.want beside it: one bad input,
// one expected message. FILE.opts, when present, holds key=value read
// options. Run with -update to rewrite the .want files, then review the
// diff. Each reader under scorecard/ has its own testdata/bad.
func TestBadInputs(t *testing.T) {
	readertest.RunBadInputs(t, filepath.Join("testdata", "bad"), 10)
}
