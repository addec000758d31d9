package formats_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/google/go-cmp/cmp"
)

// samplesDir holds small real files written by the eval tools, kept beside
// the repository (../shared from its root). The tests skip when it is absent.
var samplesDir = filepath.Join("..", "..", "..", "shared", "samples")

// readSample reads one real sample file with format detection.
func readSample(t *testing.T, rel string, o scorecard.ReadOptions) *scorecard.Scorecard {
	t.Helper()
	path := filepath.Join(samplesDir, rel)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	o.Format = "auto"
	sc, err := scorecard.Read(path, data, o)
	if err != nil {
		t.Fatalf("scorecard.Read(%s): %v", rel, err)
	}
	return sc
}

// outcome is what the real-sample tests check of each sample.
type outcome struct {
	ID       string
	Accepted bool
}

func outcomes(sc *scorecard.Scorecard) []outcome {
	var out []outcome
	for _, s := range sc.Samples {
		out = append(out, outcome{s.ID, s.Accepted})
	}
	return out
}

func TestImportRealSamples(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Skipf("no real samples: %v", err)
	}
	tests := []struct {
		file   string
		opts   scorecard.ReadOptions
		format string
		system string
		want   []outcome
		check  func(t *testing.T, sc *scorecard.Scorecard)
	}{
		{
			// The log's own results: accuracy 1.0 over 5 samples.
			file: "inspect_ai/arc_easy_claude-sonnet-4.json", format: "inspect", system: "anthropic/claude-sonnet-4-0",
			want: []outcome{{"1", true}, {"2", true}, {"3", true}, {"4", true}, {"5", true}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				s := sc.Samples[0]
				if diff := cmp.Diff(readertest.Tokens("anthropic/claude-sonnet-4-0", 129, 356, 0), s.Usage); diff != "" {
					t.Errorf("sample 1 usage (-want +got):\n%s", diff)
				}
				if s.LatencyMS == nil || *s.LatencyMS != 7899 {
					t.Errorf("sample 1 latency = %v, want 7899 (total_time 7.899 s)", s.LatencyMS)
				}
			},
		},
		{
			// accuracy 0.333 over 3 samples; ids 1-3 are also in the
			// Claude log, so the two pair on those.
			file: "inspect_ai/arc_easy_qwen2.5-0.5b.json", format: "inspect", system: "ollama/qwen2.5:0.5b",
			want: []outcome{{"1", true}, {"2", false}, {"3", false}},
		},
		{
			// The .eval archive: 10 samples, accuracy 0.8 (3 and 7 wrong).
			file: "inspect_ai/popularity_scored_2025-02-11.eval", format: "inspect", system: "openai/gpt-4o-mini",
			want: []outcome{{"1", true}, {"2", true}, {"3", false}, {"4", true}, {"5", true},
				{"6", true}, {"7", false}, {"8", true}, {"9", true}, {"10", true}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				if diff := cmp.Diff(readertest.Tokens("openai/gpt-4o-mini", 64, 2, 0), sc.Samples[0].Usage); diff != "" {
					t.Errorf("sample 1 usage (-want +got):\n%s", diff)
				}
			},
		},
		{
			// testPassed 7, testFailed 0: seven user-named test cases.
			file: "deepeval/Dicson-spec_AI_Powered_Incident_Knowledge_Base_Assistant_latest_test_run.json", format: "deepeval",
			system: "Dicson-spec_AI_Powered_Incident_Knowledge_Base_Assistant_latest_test_run",
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				if len(sc.Samples) != 7 {
					t.Fatalf("%d samples, want 7", len(sc.Samples))
				}
				for _, s := range sc.Samples {
					if !s.Accepted || s.CostUSD != nil || !strings.HasPrefix(s.ID, "test_resolution_quality[") {
						t.Errorf("sample %+v: want accepted, named by the test, without cost", s)
					}
				}
			},
		},
		{
			// exact_match 0.0 on every one of the 10 documents.
			file: "lm_eval_harness/samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl", format: "lm-eval",
			system: "samples_math_perturbed_full_2026-01-21T03-44-18.458309",
			want: []outcome{{"math_perturbed_full:0", false}, {"math_perturbed_full:1", false}, {"math_perturbed_full:2", false},
				{"math_perturbed_full:3", false}, {"math_perturbed_full:4", false}, {"math_perturbed_full:5", false},
				{"math_perturbed_full:6", false}, {"math_perturbed_full:7", false}, {"math_perturbed_full:8", false},
				{"math_perturbed_full:9", false}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				if sc.Samples[0].Workflow != "math_perturbed_full" {
					t.Errorf("workflow = %q, want the task", sc.Samples[0].Workflow)
				}
			},
		},
		{
			// final_report accuracy 1/3; events in reverse sample order.
			file: "openai_evals/autogpt_test-match_230417220821DPM75QNS.jsonl", format: "openai-evals", system: "auto_gpt_completion_fn",
			want: []outcome{{"test-match.s1.2", false}, {"test-match.s1.1", true}, {"test-match.s1.0", false}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				if sc.Samples[0].Workflow != "test-match.s1.simple-v0" || sc.Run.ID != "230417220821DPM75QNS" {
					t.Errorf("workflow %q, run %q", sc.Samples[0].Workflow, sc.Run.ID)
				}
			},
		},
		{
			// stats: 2 successes, 1 failure; results[] in testIdx order 1, 0, 2.
			file: "promptfoo/prompt-eval-workbench_promptfoo-results.json", format: "promptfoo", system: "openai:chat:gpt-4o-mini",
			want: []outcome{{"Capital of France", true}, {"Multiplication 7×8", false}, {"Home planet", true}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				total := 0.0
				for _, s := range sc.Samples {
					total += *s.CostUSD
				}
				// The prompt's metrics.cost is 2.07e-05.
				if d := total - 2.07e-05; d > 1e-12 || d < -1e-12 {
					t.Errorf("total cost = %g, want 2.07e-05", total)
				}
				if s := sc.Samples[1]; *s.LatencyMS != 473 || s.FailureClass != "regex" {
					t.Errorf("failed test: latency %v, failure class %q", *s.LatencyMS, s.FailureClass)
				}
			},
		},
		{
			// 8 tests, all pass; promptfoo wrote cost 0 for a python
			// provider, so cost is left to the price table.
			file: "promptfoo/measure-ai-drift_eval-vte_all-pass.json", format: "promptfoo", system: "python:prompts/patient_provider.py",
			want: []outcome{{"Cooperative - nightmare probe", true}, {"Cooperative - emotion probe", true},
				{"Cooperative - rescripting invitation", true}, {"Cooperative - receiving validation (trap)", true},
				{"Resistant - gentle probe", true}, {"Resistant - nightmare probe", true},
				{"Anxious - initial share", true}, {"Anxious - rescripting doubt", true}},
			check: func(t *testing.T, sc *scorecard.Scorecard) {
				s := sc.Samples[0]
				if s.CostUSD != nil || s.Usage == nil || s.Usage.InputTokens != 1135 || s.Usage.OutputTokens != 54 {
					t.Errorf("first sample cost %v usage %+v, want no cost and 1135/54 tokens", s.CostUSD, s.Usage)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			t.Parallel()
			sc := readSample(t, tc.file, tc.opts)
			if sc.Format != tc.format {
				t.Errorf("Format = %q, want %q", sc.Format, tc.format)
			}
			if sc.System.Name != tc.system {
				t.Errorf("System.Name = %q, want %q", sc.System.Name, tc.system)
			}
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, outcomes(sc)); diff != "" {
					t.Errorf("outcomes mismatch (-want +got):\n%s", diff)
				}
			}
			if tc.check != nil {
				tc.check(t, sc)
			}
		})
	}
}
