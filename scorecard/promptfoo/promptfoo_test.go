package promptfoo

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func TestImportPromptfoo(t *testing.T) {
	const mini = "openai:chat:gpt-4o-mini"
	const ft = "openai:chat:ft:gpt-4.1-mini:acme::x1"
	const big = "openai:chat:gpt-4.1"
	const haiku = "anthropic:messages:claude-haiku-4-5"
	readertest.RunCases(t, []readertest.Case{
		{
			// results[] out of testIdx order; a failed assertion (failure
			// class from its metric), an error row (failureReason 2), a test
			// without description (id from the vars hash) and three runs of
			// one test (samples 0, 1, 2 in testIdx order).
			Name:   "basic",
			File:   "basic.json",
			Format: "promptfoo",
			System: scorecard.System{Name: mini, Model: mini},
			Run:    scorecard.Run{ID: "eval-abc-2026-03-01T10:00:00", Dataset: "support bot smoke"},
			Samples: []scorecard.Sample{
				{ID: "greeting", Sample: 0, Workflow: "chitchat", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.0001),
					Usage: readertest.Tokens(mini, 50, 10, 0), LatencyMS: readertest.F(450), Line: 39},
				{ID: "refund status", Sample: 0, Workflow: "refunds", Accepted: false, Score: readertest.F(0), CostUSD: readertest.F(0.0002),
					Usage: readertest.Tokens(mini, 120, 10, 0), LatencyMS: readertest.F(910), FailureClass: "mentions_refund", Line: 10},
				{ID: "greeting", Sample: 1, Workflow: "chitchat", Accepted: false, Score: readertest.F(0), CostUSD: readertest.F(0),
					LatencyMS: readertest.F(30000), Error: "API error: 503 Service Unavailable", Line: 70},
				// sha256(`{"city":"Paris","country":"France"}`) starts 94d3b5749c4b.
				{ID: "vars-94d3b5749c4b", Sample: 0, Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.0003),
					Usage: readertest.Tokens(mini, 80, 10, 0), LatencyMS: readertest.F(700), Line: 57},
				{ID: "greeting", Sample: 2, Workflow: "chitchat", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.0001),
					Usage: readertest.Tokens(mini, 50, 11, 0), LatencyMS: readertest.F(480), Line: 88},
			},
			Warnings: []string{
				"FILE: promptfoo input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// JSONL rows; vars with the same content in another key order
			// are one test; every cost 0 means "no price", so usage is
			// left for the price table.
			Name:   "jsonl rows, zero costs",
			File:   "rows.jsonl",
			Format: "promptfoo",
			System: scorecard.System{Name: "python:provider.py", Model: "python:provider.py"},
			Samples: []scorecard.Sample{
				// sha256(`{"name":"Bob","topic":"billing"}`) starts 8cb11f9e238b.
				// The failing assertion has no metric: its type is the class.
				{ID: "vars-8cb11f9e238b", Sample: 0, Accepted: false, Score: readertest.F(0), LatencyMS: readertest.F(900),
					Usage: readertest.Tokens("python:provider.py", 280, 35, 0), FailureClass: "contains", Line: 2},
				// sha256(`{"name":"Ann","topic":"billing"}`) starts 99261782f9e6.
				{ID: "vars-99261782f9e6", Sample: 0, Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1200),
					Usage: readertest.Tokens("python:provider.py", 300, 40, 0), Line: 1},
				{ID: "vars-99261782f9e6", Sample: 1, Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1000),
					Usage: readertest.Tokens("python:provider.py", 290, 30, 0), Line: 4},
			},
			Warnings: []string{
				"FILE: every promptfoo cost is 0, which promptfoo writes when it has no price for the provider; cost is taken from token usage and the policy's price table instead",
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (computed from token usage at the policy's prices)",
			},
		},
		{
			Name:   "two providers, pick by label",
			File:   "two_providers.json",
			Opts:   scorecard.ReadOptions{Provider: "candidate"},
			Format: "promptfoo",
			System: scorecard.System{Name: "candidate", Model: ft},
			Run:    scorecard.Run{ID: "eval-two"},
			Samples: []scorecard.Sample{
				{ID: "case a", Accepted: false, Score: readertest.F(0), CostUSD: readertest.F(0.0001), LatencyMS: readertest.F(120),
					Usage: readertest.Tokens(ft, 200, 18, 0), Line: 10},
				// Served from promptfoo's cache: no token split to keep.
				{ID: "case b", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.0001), LatencyMS: readertest.F(0), Line: 18},
			},
			Warnings: []string{
				"FILE: 1 of 2 results came from promptfoo's response cache, which records no prompt/completion token split, so their tokens cannot be priced; rerun with promptfoo eval --no-cache",
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			Name:   "two providers, pick by id",
			File:   "two_providers.json",
			Opts:   scorecard.ReadOptions{Provider: big},
			Format: "promptfoo",
			System: scorecard.System{Name: "baseline", Model: big},
			Run:    scorecard.Run{ID: "eval-two"},
			Samples: []scorecard.Sample{
				{ID: "case a", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.002), LatencyMS: readertest.F(300),
					Usage: readertest.Tokens(big, 200, 20, 0), Line: 6},
				{ID: "case b", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.002), LatencyMS: readertest.F(310),
					Usage: readertest.Tokens(big, 210, 25, 0), Line: 14},
			},
			Warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// Two tests with different vars share a description: each id
			// gets its vars hash (sha256 of {"text":"hello"} starts
			// cbbbdcd27692, of {"text":"goodbye"} 1aa71cc4873e).
			Name:   "shared description",
			File:   "shared_description.jsonl",
			Format: "promptfoo",
			System: scorecard.System{Name: haiku, Model: haiku},
			Samples: []scorecard.Sample{
				{ID: "translate (vars-cbbbdcd27692)", Accepted: true, CostUSD: readertest.F(0.001), LatencyMS: readertest.F(500), Line: 1},
				{ID: "translate (vars-1aa71cc4873e)", Accepted: false, CostUSD: readertest.F(0.001), LatencyMS: readertest.F(600), Line: 2},
				{ID: "summarise", Workflow: "digest", Accepted: true, CostUSD: readertest.F(0.001), LatencyMS: readertest.F(450), Line: 3},
			},
			Warnings: []string{
				`FILE: tests with different vars share a description ("translate"); their ids get the vars hash appended`,
				"FILE: promptfoo input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// One provider id under two labels (two prompt setups): the
			// label picks the rows.
			Name:    "same id, two labels",
			File:    "same_id_two_labels.json",
			Opts:    scorecard.ReadOptions{Provider: "short-prompt"},
			Format:  "promptfoo",
			System:  scorecard.System{Name: "short-prompt", Model: big},
			Run:     scorecard.Run{ID: "eval-labels"},
			Samples: []scorecard.Sample{{ID: "q1", Accepted: false, CostUSD: readertest.F(0.002), LatencyMS: readertest.F(500), Line: 9}},
			Warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// --format promptfoo forces the reader.
			Name:   "forced format",
			File:   "two_providers.json",
			Opts:   scorecard.ReadOptions{Format: "promptfoo", Provider: big},
			Format: "promptfoo",
			System: scorecard.System{Name: "baseline", Model: big},
			Run:    scorecard.Run{ID: "eval-two"},
			Samples: []scorecard.Sample{
				{ID: "case a", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.002), LatencyMS: readertest.F(300),
					Usage: readertest.Tokens(big, 200, 20, 0), Line: 6},
				{ID: "case b", Accepted: true, Score: readertest.F(1), CostUSD: readertest.F(0.002), LatencyMS: readertest.F(310),
					Usage: readertest.Tokens(big, 210, 25, 0), Line: 14},
			},
			Warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
	})
}

// promptfoo writes results.prompts before results.results; long prompts
// (RAG contexts) push results[] far beyond the sniffer's first 64 KiB.
func TestPromptfooLongPromptsDetected(t *testing.T) {
	basic, err := os.ReadFile(filepath.Join("testdata", "basic.json"))
	if err != nil {
		t.Fatal(err)
	}
	const short = `"raw": "Answer: {{question}}"`
	if !bytes.Contains(basic, []byte(short)) {
		t.Fatal("basic.json changed: no prompt to lengthen")
	}
	for _, size := range []int{200 << 10, readkit.SniffDeep + 1<<20} {
		long := `"raw": "` + strings.Repeat("Context: a retrieved passage. ", size/30) + `Answer: {{question}}"`
		data := bytes.Replace(basic, []byte(short), []byte(long), 1)
		if !sniffPromptfoo(data) {
			t.Errorf("%d-byte prompt: not detected as promptfoo", size)
			continue
		}
		sc, err := scorecard.Read("long.json", data, scorecard.ReadOptions{})
		if err != nil {
			t.Errorf("%d-byte prompt: %v", size, err)
		} else if len(sc.Samples) != 5 {
			t.Errorf("%d-byte prompt: %d samples, want 5", size, len(sc.Samples))
		}
	}
	// A long value before the keys must not make others look like promptfoo.
	big := strings.Repeat("x", 200<<10)
	for name, text := range map[string]string{
		"native document":  `{"scorecard": 1, "metadata": {"note": "` + big + `"}, "results": {"version": 3, "prompts": []}, "cases": [{"id": "a", "accepted": true}]}`,
		"no results array": `{"evalId": "e", "results": {"version": 3, "prompts": [{"raw": "` + big + `"}], "stats": {}}, "config": {}}`,
		"inspect log":      `{"version": 2, "status": "success", "eval": {"model": "m", "task_args": {"ctx": "` + big + `"}}, "results": {"version": 3}, "samples": []}`,
	} {
		if sniffPromptfoo([]byte(text)) {
			t.Errorf("promptfoo sniffer claims the %s", name)
		}
	}
}
