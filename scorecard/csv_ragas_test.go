package scorecard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A Ragas results table reads as CSV once told its id column and which
// score, from which threshold, counts as accepted; the score is kept.
func TestReadRagasAsCSV(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "ragas_results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	threshold := 0.8
	sc, err := Read("ragas_results.csv", data, ReadOptions{IDColumn: "user_input", AcceptedColumn: "faithfulness", AcceptThreshold: &threshold, Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	one, half := 1.0, 0.5
	want := []Sample{
		{ID: "How long is the return window?", Accepted: true, Score: &one, Line: 2},
		{ID: "Can I return a gift card?", Accepted: true, Score: &one, Line: 3},
		{ID: "Who pays for return shipping, me or you?", Accepted: false, Score: &half, Line: 4},
	}
	if diff := cmp.Diff(want, sc.Samples); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	// Without a threshold, a score is not a boolean.
	_, err = Read("ragas_results.csv", data, ReadOptions{IDColumn: "user_input", AcceptedColumn: "faithfulness", Lenient: true})
	if err == nil || !IsInputError(err) {
		t.Errorf("without --accept-threshold: %v", err)
	}
}
