package scorecard

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestImportPromptfoo(t *testing.T) {
	const mini = "openai:chat:gpt-4o-mini"
	const ft = "openai:chat:ft:gpt-4.1-mini:acme::x1"
	const big = "openai:chat:gpt-4.1"
	const haiku = "anthropic:messages:claude-haiku-4-5"
	runImportCases(t, []importCase{
		{
			// results[] out of testIdx order; a failed assertion (failure
			// class from its metric), an error row (failureReason 2), a test
			// without description (id from the vars hash) and three runs of
			// one test (samples 0, 1, 2 in testIdx order).
			name:   "basic",
			file:   "promptfoo/basic.json",
			format: "promptfoo",
			system: System{Name: mini, Model: mini},
			run:    Run{ID: "eval-abc-2026-03-01T10:00:00", Dataset: "support bot smoke"},
			samples: []Sample{
				{ID: "greeting", Sample: 0, Workflow: "chitchat", Accepted: true, Score: fp(1), CostUSD: fp(0.0001),
					Usage: tokens(mini, 50, 10, 0), LatencyMS: fp(450), Line: 39},
				{ID: "refund status", Sample: 0, Workflow: "refunds", Accepted: false, Score: fp(0), CostUSD: fp(0.0002),
					Usage: tokens(mini, 120, 10, 0), LatencyMS: fp(910), FailureClass: "mentions_refund", Line: 10},
				{ID: "greeting", Sample: 1, Workflow: "chitchat", Accepted: false, Score: fp(0), CostUSD: fp(0),
					LatencyMS: fp(30000), Error: "API error: 503 Service Unavailable", Line: 70},
				// sha256(`{"city":"Paris","country":"France"}`) starts 94d3b5749c4b.
				{ID: "vars-94d3b5749c4b", Sample: 0, Accepted: true, Score: fp(1), CostUSD: fp(0.0003),
					Usage: tokens(mini, 80, 10, 0), LatencyMS: fp(700), Line: 57},
				{ID: "greeting", Sample: 2, Workflow: "chitchat", Accepted: true, Score: fp(1), CostUSD: fp(0.0001),
					Usage: tokens(mini, 50, 11, 0), LatencyMS: fp(480), Line: 88},
			},
			warnings: []string{
				"FILE: promptfoo input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// JSONL rows; vars with the same content in another key order
			// are one test; every cost 0 means "no price", so usage is
			// left for the price table.
			name:   "jsonl rows, zero costs",
			file:   "promptfoo/rows.jsonl",
			format: "promptfoo",
			system: System{Name: "python:provider.py", Model: "python:provider.py"},
			samples: []Sample{
				// sha256(`{"name":"Bob","topic":"billing"}`) starts 8cb11f9e238b.
				{ID: "vars-8cb11f9e238b", Sample: 0, Accepted: false, Score: fp(0), LatencyMS: fp(900),
					Usage: tokens("python:provider.py", 280, 35, 0), Line: 2},
				// sha256(`{"name":"Ann","topic":"billing"}`) starts 99261782f9e6.
				{ID: "vars-99261782f9e6", Sample: 0, Accepted: true, Score: fp(1), LatencyMS: fp(1200),
					Usage: tokens("python:provider.py", 300, 40, 0), Line: 1},
				{ID: "vars-99261782f9e6", Sample: 1, Accepted: true, Score: fp(1), LatencyMS: fp(1000),
					Usage: tokens("python:provider.py", 290, 30, 0), Line: 4},
			},
			warnings: []string{
				"FILE: every promptfoo cost is 0, which promptfoo writes when it has no price for the provider; cost is taken from token usage and the policy's price table instead",
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (token usage is priced with the policy's price table)",
			},
		},
		{
			name:   "two providers, pick by label",
			file:   "promptfoo/two_providers.json",
			opts:   ReadOptions{Provider: "candidate"},
			format: "promptfoo",
			system: System{Name: "candidate", Model: ft},
			run:    Run{ID: "eval-two"},
			samples: []Sample{
				{ID: "case a", Accepted: false, Score: fp(0), CostUSD: fp(0.0001), LatencyMS: fp(120),
					Usage: tokens(ft, 200, 18, 0), Line: 10},
				// Served from promptfoo's cache: no token split to keep.
				{ID: "case b", Accepted: true, Score: fp(1), CostUSD: fp(0.0001), LatencyMS: fp(0), Line: 18},
			},
			warnings: []string{
				"FILE: 1 of 2 results came from promptfoo's response cache, which records no prompt/completion token split, so their tokens cannot be priced; rerun with promptfoo eval --no-cache",
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			name:   "two providers, pick by id",
			file:   "promptfoo/two_providers.json",
			opts:   ReadOptions{Provider: big},
			format: "promptfoo",
			system: System{Name: "baseline", Model: big},
			run:    Run{ID: "eval-two"},
			samples: []Sample{
				{ID: "case a", Accepted: true, Score: fp(1), CostUSD: fp(0.002), LatencyMS: fp(300),
					Usage: tokens(big, 200, 20, 0), Line: 6},
				{ID: "case b", Accepted: true, Score: fp(1), CostUSD: fp(0.002), LatencyMS: fp(310),
					Usage: tokens(big, 210, 25, 0), Line: 14},
			},
			warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// Two tests with different vars share a description: each id
			// gets its vars hash (sha256 of {"text":"hello"} starts
			// cbbbdcd27692, of {"text":"goodbye"} 1aa71cc4873e).
			name:   "shared description",
			file:   "promptfoo/shared_description.jsonl",
			format: "promptfoo",
			system: System{Name: haiku, Model: haiku},
			samples: []Sample{
				{ID: "translate (vars-cbbbdcd27692)", Accepted: true, CostUSD: fp(0.001), LatencyMS: fp(500), Line: 1},
				{ID: "translate (vars-1aa71cc4873e)", Accepted: false, CostUSD: fp(0.001), LatencyMS: fp(600), Line: 2},
				{ID: "summarise", Workflow: "digest", Accepted: true, CostUSD: fp(0.001), LatencyMS: fp(450), Line: 3},
			},
			warnings: []string{
				`FILE: tests with different vars share a description ("translate"); their ids get the vars hash appended`,
				"FILE: promptfoo input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// One provider id under two labels (two prompt setups): the
			// label picks the rows.
			name:    "same id, two labels",
			file:    "promptfoo/same_id_two_labels.json",
			opts:    ReadOptions{Provider: "short-prompt"},
			format:  "promptfoo",
			system:  System{Name: "short-prompt", Model: big},
			run:     Run{ID: "eval-labels"},
			samples: []Sample{{ID: "q1", Accepted: false, CostUSD: fp(0.002), LatencyMS: fp(500), Line: 9}},
			warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
		{
			// --format promptfoo forces the reader.
			name:   "forced format",
			file:   "promptfoo/two_providers.json",
			opts:   ReadOptions{Format: "promptfoo", Provider: big},
			format: "promptfoo",
			system: System{Name: "baseline", Model: big},
			run:    Run{ID: "eval-two"},
			samples: []Sample{
				{ID: "case a", Accepted: true, Score: fp(1), CostUSD: fp(0.002), LatencyMS: fp(300),
					Usage: tokens(big, 200, 20, 0), Line: 6},
				{ID: "case b", Accepted: true, Score: fp(1), CostUSD: fp(0.002), LatencyMS: fp(310),
					Usage: tokens(big, 210, 25, 0), Line: 14},
			},
			warnings: []string{
				"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
			},
		},
	})
}

// promptfoo writes results.prompts before results.results; long prompts
// (RAG contexts) push results[] far beyond the sniffer's first 64 KiB.
func TestPromptfooLongPromptsDetected(t *testing.T) {
	basic, err := os.ReadFile(filepath.Join("testdata", "import", "promptfoo", "basic.json"))
	if err != nil {
		t.Fatal(err)
	}
	const short = `"raw": "Answer: {{question}}"`
	if !bytes.Contains(basic, []byte(short)) {
		t.Fatal("basic.json changed: no prompt to lengthen")
	}
	for _, size := range []int{200 << 10, sniffDeep + 1<<20} {
		long := `"raw": "` + strings.Repeat("Context: a retrieved passage. ", size/30) + `Answer: {{question}}"`
		data := bytes.Replace(basic, []byte(short), []byte(long), 1)
		start := time.Now()
		f, err := pickFormat("long.json", data, "auto")
		if err != nil || f.name != "promptfoo" {
			t.Errorf("%d-byte prompt: detected %q, %v; want promptfoo", size, f.name, err)
			continue
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d-byte prompt: detection took %v", size, d)
		}
		sc, err := Read("long.json", data, ReadOptions{})
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
