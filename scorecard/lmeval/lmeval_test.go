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
		// A renamed file says nothing about its task.
		"arc.jsonl":      "",
		"baseline.jsonl": "",
		"-":              "",
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
	want := "-: the documents do not name their task and the file name is not the harness's samples_<task>_<timestamp>.jsonl, so 3 case ids are bare doc_ids; they pair only with a file read the same way"
	if len(sc.Warnings) == 0 || sc.Warnings[0] != want {
		t.Errorf("Warnings = %q, want first %q", sc.Warnings, want)
	}
}

// Two runs of one task saved under other names pair on the task and
// doc_id: the task comes from the documents where they name it, so the
// file name does not matter; where they do not, ids are bare doc_ids in
// both.
func TestImportLMEvalRenamed(t *testing.T) {
	t.Parallel()
	rows := "{\"doc_id\": 0, \"task_name\": \"arc_easy\", \"filter\": \"none\", \"metrics\": [\"acc\"], \"acc\": 1.0}\n" +
		"{\"doc_id\": 1, \"task_name\": \"arc_easy\", \"filter\": \"none\", \"metrics\": [\"acc\"], \"acc\": 0.0}\n"
	plain := "{\"doc_id\": 0, \"filter\": \"none\", \"metrics\": [\"acc\"], \"acc\": 1.0}\n"
	for _, tc := range []struct {
		name, data string
		ids        []string
		dataset    string
	}{
		{"baseline.jsonl", rows, []string{"arc_easy:0", "arc_easy:1"}, "arc_easy"},
		{"samples_arc_easy_2026-01-02T03-04-05.jsonl", rows, []string{"arc_easy:0", "arc_easy:1"}, "arc_easy"},
		// The documents' task wins over the file name's.
		{"samples_arc_2026-01-02T03-04-05.jsonl", rows, []string{"arc_easy:0", "arc_easy:1"}, "arc_easy"},
		{"candidate.jsonl", plain, []string{"0"}, ""},
		{"samples_boolq_2026-01-02T03-04-05.jsonl", plain, []string{"boolq:0"}, "boolq"},
	} {
		sc, err := scorecard.Read(tc.name, []byte(tc.data), scorecard.ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []string
		for _, s := range sc.Samples {
			ids = append(ids, s.ID)
		}
		if diff := cmp.Diff(tc.ids, ids); diff != "" || sc.Run.Dataset != tc.dataset {
			t.Errorf("%s: dataset %q, ids (-want +got):\n%s", tc.name, sc.Run.Dataset, diff)
		}
	}
}
