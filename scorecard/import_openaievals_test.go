package scorecard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestImportOpenAIEvals(t *testing.T) {
	const model = "gpt-4o-mini"
	const wf = "support-match.dev.v1"
	// In event order: a match after sampling with cached tokens, a miss, a
	// sampling that ended in an error event, a sampling never graded, and
	// two graded attempts of one sample (samples 0 and 1).
	want := []Sample{
		{ID: "support-match.dev.0", Workflow: wf, Accepted: true, Usage: tokens(model, 120, 8, 64), Line: 4},
		{ID: "support-match.dev.1", Workflow: wf, Accepted: false, Usage: tokens(model, 100, 5, 0), Line: 6},
		{ID: "support-match.dev.2", Workflow: wf, Accepted: false, Usage: tokens(model, 90, 0, 0), Line: 7,
			Error: "sampling failed: APITimeoutError: Request timed out."},
		{ID: "support-match.dev.3", Workflow: wf, Accepted: false, Usage: tokens(model, 110, 7, 0), Line: 9,
			Error: "no match event: the sample was never graded"},
		{ID: "support-match.dev.4", Sample: 0, Workflow: wf, Accepted: false, Usage: tokens(model, 100, 4, 0), Line: 11},
		{ID: "support-match.dev.4", Sample: 1, Workflow: wf, Accepted: true, Usage: tokens(model, 100, 6, 0), Line: 13},
	}
	warnings := []string{
		`FILE: 1 sample was sampled but never graded (no match event), so not accepted, with an error: "support-match.dev.3"`,
		"FILE: openai-evals input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (token usage is priced with the policy's price table); latency (the latency constraint is not measured)",
	}
	runImportCases(t, []importCase{{
		name: "in order", file: "openaievals/ordered.jsonl", format: "openai-evals",
		system:  System{Name: model, Model: model},
		run:     Run{ID: "250101000000ABCDEFGH", Dataset: wf},
		samples: want, warnings: warnings,
	}})

	// The same lines shuffled give the same samples (only the lines move).
	read := func(name string) *Scorecard {
		data, err := os.ReadFile(filepath.Join("testdata", "import", "openaievals", name))
		if err != nil {
			t.Fatal(err)
		}
		sc, err := Read(name, data, ReadOptions{Format: "auto"})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Format != "openai-evals" {
			t.Errorf("%s: Format = %q, want openai-evals", name, sc.Format)
		}
		return sc
	}
	ordered, shuffled := read("ordered.jsonl"), read("shuffled.jsonl")
	if diff := cmp.Diff(ordered.Samples, shuffled.Samples, cmpopts.IgnoreFields(Sample{}, "Line")); diff != "" {
		t.Errorf("shuffled lines read differently (-ordered +shuffled):\n%s", diff)
	}
	if diff := cmp.Diff(ordered.System, shuffled.System); diff != "" {
		t.Errorf("shuffled System differs (-ordered +shuffled):\n%s", diff)
	}
}
