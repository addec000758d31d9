package lmeval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/google/go-cmp/cmp"
)

func TestImportLMEval(t *testing.T) {
	const arc = "samples_arc_easy_2026-01-02T03-04-05.678901.jsonl"
	const gsm = "samples_gsm8k_2026-01-02T03-04-05.678901.jsonl"
	arcSystem := scorecard.System{Name: "samples_arc_easy_2026-01-02T03-04-05.678901"}
	arcWarnings := []string{
		"FILE: lm-eval input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured); latency (the latency constraint is not measured)",
	}
	readertest.RunCases(t, []readertest.Case{
		{
			Name: "default metric acc", File: "" + arc, Format: "lm-eval",
			System: arcSystem, Run: scorecard.Run{Dataset: "arc_easy"},
			Samples: []scorecard.Sample{
				{ID: "arc_easy:0", Workflow: "arc_easy", Accepted: true, Score: readertest.F(1), Line: 1},
				{ID: "arc_easy:1", Workflow: "arc_easy", Accepted: false, Score: readertest.F(0), Line: 2},
				{ID: "arc_easy:2", Workflow: "arc_easy", Accepted: false, Score: readertest.F(0), Line: 3},
			},
			Warnings: arcWarnings,
		},
		{
			Name: "metric acc_norm", File: "" + arc, Opts: scorecard.ReadOptions{Metric: "acc_norm"}, Format: "lm-eval",
			System: arcSystem, Run: scorecard.Run{Dataset: "arc_easy"},
			Samples: []scorecard.Sample{
				{ID: "arc_easy:0", Workflow: "arc_easy", Accepted: true, Score: readertest.F(1), Line: 1},
				{ID: "arc_easy:1", Workflow: "arc_easy", Accepted: true, Score: readertest.F(1), Line: 2},
				{ID: "arc_easy:2", Workflow: "arc_easy", Accepted: false, Score: readertest.F(0), Line: 3},
			},
			Warnings: arcWarnings,
		},
		{
			// Two filters score each document: the filter joins the id and
			// the document is the cluster.
			Name: "two filters", File: "" + gsm, Format: "lm-eval",
			System: scorecard.System{Name: "samples_gsm8k_2026-01-02T03-04-05.678901"}, Run: scorecard.Run{Dataset: "gsm8k"},
			Samples: []scorecard.Sample{
				{ID: "gsm8k:0:strict-match", Cluster: "gsm8k:0", Workflow: "gsm8k", Accepted: true, Score: readertest.F(1), Line: 1},
				{ID: "gsm8k:0:flexible-extract", Cluster: "gsm8k:0", Workflow: "gsm8k", Accepted: true, Score: readertest.F(1), Line: 2},
				{ID: "gsm8k:1:strict-match", Cluster: "gsm8k:1", Workflow: "gsm8k", Accepted: false, Score: readertest.F(0), Line: 3},
				{ID: "gsm8k:1:flexible-extract", Cluster: "gsm8k:1", Workflow: "gsm8k", Accepted: true, Score: readertest.F(1), Line: 4},
			},
			Warnings: []string{
				`FILE: 2 filters ("flexible-extract", "strict-match") score each document, so each document is 2 cases in one cluster`,
				"FILE: lm-eval input has no schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured); latency (the latency constraint is not measured)",
			},
		},
	})
}

func TestImportLMEvalTask(t *testing.T) {
	for name, want := range map[string]string{
		"samples_arc_easy_2026-01-02T03-04-05.678901.jsonl":                 "arc_easy",
		"out/model/samples_mmlu_abstract_algebra_2024-05-06T07-08-09.jsonl": "mmlu_abstract_algebra",
		"samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl":      "math_perturbed_full",
		"arc.jsonl": "arc",
		"-":         "",
	} {
		if got := lmEvalTask(name); got != want {
			t.Errorf("lmEvalTask(%q) = %q, want %q", name, got, want)
		}
	}
}

// Read from standard input, the task is unknown and ids are bare doc_ids.
func TestImportLMEvalStdin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "samples_arc_easy_2026-01-02T03-04-05.678901.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scorecard.Read("-", data, scorecard.ReadOptions{Format: "auto"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range sc.Samples {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"0", "1", "2"}, ids); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	want := "-: cannot tell the task from the file name (samples_<task>_<date>.jsonl), so case ids are bare doc_ids"
	if len(sc.Warnings) == 0 || sc.Warnings[0] != want {
		t.Errorf("Warnings = %q, want first %q", sc.Warnings, want)
	}
}
