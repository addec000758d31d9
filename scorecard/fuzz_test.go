package scorecard_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
)

// FuzzRead checks that no input makes a reader panic, and that every
// failure is reported as an input error. The seeds are the bad-input
// corpus; run longer with: go test -fuzz FuzzRead ./scorecard
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bad", "*"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("{\"scorecard\":1}\n{\"id\":\"a\",\"accepted\":true,\"cost_usd\":1e308}\n"))
	f.Add([]byte("id,accepted\na,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scorecard.Read("f", data, scorecard.ReadOptions{})
		if err != nil {
			if !scorecard.IsInputError(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		if len(sc.Samples) == 0 {
			t.Fatal("read succeeded with no samples")
		}
		_ = scorecard.ApplyPricing(sc, map[string]scorecard.Price{"m": {InputPerMTok: 1, OutputPerMTok: 1}})
	})
}
