package scorecard

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzImport feeds arbitrary bytes to every importer, detected and forced:
// whatever the input, a reader returns a scorecard or an input error, and
// never panics.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "import", "*", "*"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v", d)
			}
		}()
		for _, format := range []string{"auto", "promptfoo", "inspect", "lm-eval", "openai-evals"} {
			sc, err := Read("samples_task_2026-01-01T00-00-00.jsonl", data, ReadOptions{Format: format})
			if err != nil {
				if !IsInputError(err) {
					t.Fatalf("format %s: error %T %v is not an input error", format, err, err)
				}
				continue
			}
			if len(sc.Samples) == 0 {
				t.Fatalf("format %s: no samples and no error", format)
			}
		}
	})
}
