package openaievals

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestImportOpenAIEvals(t *testing.T) {
	const model = "gpt-4o-mini"
	const wf = "support-match.dev.v1"
	// In event order: a match after sampling with cached tokens, a miss, a
	// sampling that ended in an error event, a sampling never graded, and
	// two graded attempts of one sample (samples 0 and 1).
	want := []scorecard.Sample{
		{ID: "support-match.dev.0", Workflow: wf, Accepted: true, Usage: readertest.Tokens(model, 120, 8, 64), Line: 4},
		{ID: "support-match.dev.1", Workflow: wf, Accepted: false, Usage: readertest.Tokens(model, 100, 5, 0), Line: 6},
		{ID: "support-match.dev.2", Workflow: wf, Accepted: false, Usage: readertest.Tokens(model, 90, 0, 0), Line: 7,
			Error: "sampling failed: APITimeoutError: Request timed out."},
		{ID: "support-match.dev.3", Workflow: wf, Accepted: false, Usage: readertest.Tokens(model, 110, 7, 0), Line: 9,
			Error: "no match event: the sample was never graded"},
		{ID: "support-match.dev.4", Sample: 0, Workflow: wf, Accepted: false, Usage: readertest.Tokens(model, 100, 4, 0), Line: 11},
		{ID: "support-match.dev.4", Sample: 1, Workflow: wf, Accepted: true, Usage: readertest.Tokens(model, 100, 6, 0), Line: 13},
	}
	warnings := []string{
		`FILE: 1 sample was sampled but never graded (no match event), so not accepted, with an error: "support-match.dev.3"`,
		"FILE: openai-evals input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (computed from token usage at the policy's prices); latency (the latency constraint is not measured)",
	}
	readertest.RunCases(t, []readertest.Case{{
		Name: "in order", File: "ordered.jsonl", Format: "openai-evals",
		System:  scorecard.System{Name: model, Model: model},
		Run:     scorecard.Run{ID: "250101000000ABCDEFGH", Dataset: wf},
		Samples: want, Warnings: warnings,
	}})

	// The same lines shuffled give the same samples (only the lines move).
	read := func(name string) *scorecard.Scorecard {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scorecard.Read(name, data, scorecard.ReadOptions{Format: "auto"})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Format != "openai-evals" {
			t.Errorf("%s: Format = %q, want openai-evals", name, sc.Format)
		}
		return sc
	}
	ordered, shuffled := read("ordered.jsonl"), read("shuffled.jsonl")
	if diff := cmp.Diff(ordered.Samples, shuffled.Samples, cmpopts.IgnoreFields(scorecard.Sample{}, "Line")); diff != "" {
		t.Errorf("shuffled lines read differently (-ordered +shuffled):\n%s", diff)
	}
	if diff := cmp.Diff(ordered.System, shuffled.System); diff != "" {
		t.Errorf("shuffled scorecard.System differs (-ordered +shuffled):\n%s", diff)
	}
}
