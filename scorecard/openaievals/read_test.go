package openaievals

import (
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard/internal/readertest"
)

// TestBadInputs checks the message of every bad input in testdata/bad
// against its .want golden (-update rewrites them; review the diff).
func TestBadInputs(t *testing.T) {
	readertest.RunBadInputs(t, filepath.Join("testdata", "bad"), 3)
}

// FuzzRead feeds arbitrary bytes to the reader, forced and through
// detection: it returns a scorecard or an input error and never panics.
// Run longer with: go test -run '^$' -fuzz FuzzRead -parallel 1 ./scorecard/openaievals
func FuzzRead(f *testing.F) {
	for _, seed := range readertest.FuzzSeeds(filepath.Join("testdata", "*"), filepath.Join("testdata", "bad", "*")) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		readertest.CheckRead(t, "samples_task_2026-01-01T00-00-00.jsonl", data, "openai-evals", "auto")
	})
}
