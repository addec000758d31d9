package deepeval

import (
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
)

func TestReadDeepEval(t *testing.T) {
	const model = "gpt-4.1-mini"
	f := readertest.F
	// The first 12 hex digits of the SHA-256 of each input written as JSON,
	// computed apart with Python: hashlib.sha256(json.dumps(s).encode()).
	const (
		refund  = "input-cfcf98350333" // "How long does a refund take?"
		abroad  = "input-114f9bb69249" // "Do you ship abroad?"
		where   = "input-770594eb001e" // "Where is my order?"
		address = "input-b30e6b716915" // "Can I change my delivery address?"
	)
	system := scorecard.System{Name: model, Model: model}
	lacking := "FILE: deepeval input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)"
	readertest.RunCases(t, []readertest.Case{{
		// User-named test cases keep their names; DeepEval's positional
		// names (test_case_2, test_case_3) give way to the input's hash; a
		// name shared by different inputs gets the hash appended, and the
		// same name and input twice is one case run twice. success decides,
		// the first failing metric is the failure class, a metric error is
		// the sample's error; tokenCost is the cost and completionTime the
		// latency; evaluationCost and runDuration (the judge's) are not read.
		Name: "latest test run", File: "latest_test_run.json", Format: "deepeval",
		System: system, Run: scorecard.Run{ID: "returns-bot-nightly"},
		Samples: []scorecard.Sample{
			{ID: "test_returns[gift-card]", Accepted: true, CostUSD: f(0.00021), LatencyMS: f(1400), Line: 1},
			{ID: "test_returns[damaged-item]", Accepted: false, CostUSD: f(0.00034), LatencyMS: f(2200), FailureClass: "Faithfulness", Line: 1},
			{ID: refund, Accepted: true, CostUSD: f(0.00018), LatencyMS: f(1100), Line: 1},
			{ID: abroad, Accepted: false, CostUSD: f(0.00015), LatencyMS: f(900), Line: 1,
				Error: "Contextual Recall: OutputParserException: the judge returned text that is not JSON"},
			{ID: "test_faq (" + where + ")", Accepted: true, CostUSD: f(0.00012), LatencyMS: f(800), Line: 1},
			{ID: "test_faq (" + address + ")", Accepted: false, CostUSD: f(0.0001), LatencyMS: f(700), FailureClass: "Answer Relevancy", Line: 1},
			{ID: "test_faq (" + where + ")", Sample: 1, Accepted: true, CostUSD: f(0.00013), LatencyMS: f(800), Line: 1},
			{ID: "test_cancellation_chat", Accepted: true, Line: 1},
		},
		Warnings: []string{
			`FILE: test cases with different inputs share a name ("test_faq"); their ids get the input's hash appended`,
			"FILE: 2 test cases have no name of their own (DeepEval numbered them test_case_N by position), so each is identified by the hash of its input",
			lacking,
		},
	}, {
		// The run unwrapped, as DeepEval keeps it while it runs, indented.
		Name: "temp test run", File: "temp_test_run_data.json", Format: "deepeval", System: system,
		Samples: []scorecard.Sample{
			{ID: "test_returns[gift-card]", Accepted: true, CostUSD: f(0.00021), LatencyMS: f(1400), Line: 4},
			{ID: "test_returns[damaged-item]", Accepted: false, CostUSD: f(0.00034), LatencyMS: f(2200), FailureClass: "Faithfulness", Line: 44},
		},
		Warnings: []string{lacking},
	}, {
		// The judge's evaluationCost is all the cost the run records: it
		// is not the system's, so the cases have none, and a warning says
		// why.
		Name: "judge cost only", File: "judge_cost_only.json", Format: "deepeval",
		System: scorecard.System{Name: "judge_cost_only"},
		Samples: []scorecard.Sample{
			{ID: "test_greeting[morning]", Accepted: true, Line: 1},
			{ID: "test_greeting[evening]", Accepted: false, FailureClass: "Answer Relevancy", Line: 1},
		},
		Warnings: []string{
			"FILE: evaluationCost is what DeepEval's judge cost, not what the system costs to serve; it is not read as cost (give the test cases a cost, or token counts with a model in the hyperparameters)",
			"FILE: deepeval input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured); latency (the latency constraint is not measured)",
		},
	}})
}

// TestBadInputs checks the message of every bad input in testdata/bad
// against its .want golden (-update rewrites them; review the diff).
func TestBadInputs(t *testing.T) {
	readertest.RunBadInputs(t, filepath.Join("testdata", "bad"), 6)
}

// FuzzRead feeds arbitrary bytes to the reader, forced and through
// detection: it returns a scorecard or an input error and never panics.
// Run longer with: go test -run '^$' -fuzz FuzzRead -parallel 1 ./scorecard/deepeval
func FuzzRead(f *testing.F) {
	for _, seed := range readertest.FuzzSeeds(filepath.Join("testdata", "*"), filepath.Join("testdata", "bad", "*")) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		readertest.CheckRead(t, "latest_test_run.json", data, "deepeval", "auto")
	})
}
