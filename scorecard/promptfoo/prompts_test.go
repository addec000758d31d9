package promptfoo

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

// TestPromptSelection reads the two everyday promptfoo comparisons: one
// provider running two prompts (prompt v1 against v2), and two providers
// running two prompts each. A prompt is chosen by its label, promptfoo's
// id for it or its index; the system is named after the provider and, as
// it ran several, the prompt. Token usage is read from the row
// (promptfoo 0.122) or from the response.
func TestPromptSelection(t *testing.T) {
	const mini = "openai:chat:gpt-4.1-mini"
	const v1 = "Answer briefly: {{q}}"
	const v2 = "You are the shop's returns assistant. Quote the policy, then answer: {{q}}"
	f, tok := readertest.F, readertest.Tokens
	v1Samples := []scorecard.Sample{
		{ID: "refund window", Accepted: true, Score: f(1), CostUSD: f(0.00011), Usage: tok(mini, 60, 20, 0), LatencyMS: f(410), Line: 27},
		{ID: "gift card", Accepted: false, Score: f(0), CostUSD: f(0.00011), Usage: tok(mini, 60, 20, 0), LatencyMS: f(380), FailureClass: "policy_fact", Line: 149},
		{ID: "lost parcel", Accepted: true, Score: f(1), CostUSD: f(0.00011), Usage: tok(mini, 60, 20, 0), LatencyMS: f(505), Line: 271},
		{ID: "address change", Accepted: false, Score: f(0), CostUSD: f(0.00011), Usage: tok(mini, 60, 20, 0), LatencyMS: f(390), FailureClass: "policy_fact", Line: 393},
	}
	v2Samples := []scorecard.Sample{
		{ID: "refund window", Accepted: true, Score: f(1), CostUSD: f(0.00019), Usage: tok(mini, 110, 35, 0), LatencyMS: f(620), Line: 88},
		{ID: "gift card", Accepted: true, Score: f(1), CostUSD: f(0.00019), Usage: tok(mini, 110, 35, 0), LatencyMS: f(700), Line: 210},
		{ID: "lost parcel", Accepted: true, Score: f(1), CostUSD: f(0.00019), Usage: tok(mini, 110, 35, 0), LatencyMS: f(640), Line: 332},
		// This row's tokens are under response.tokenUsage.
		{ID: "address change", Accepted: false, Score: f(0), CostUSD: f(0.00019), Usage: tok(mini, 110, 35, 0), LatencyMS: f(610), FailureClass: "policy_fact", Line: 454},
	}
	abRun := scorecard.Run{ID: "eval-prompts-2026-05-20T09:00:00", Dataset: "returns assistant: prompt v1 against v2"}
	lacking := []string{"FILE: promptfoo input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)"}
	const ft = "openai:chat:ft:gpt-4.1-mini:acme:returns:x9"
	readertest.RunCases(t, []readertest.Case{
		{
			Name: "prompt by label", File: "prompt_ab.json", Opts: scorecard.ReadOptions{Prompt: v1}, Format: "promptfoo",
			System: scorecard.System{Name: mini + " [" + v1 + "]", Model: mini}, Run: abRun, Samples: v1Samples, Warnings: lacking,
		},
		{
			Name: "prompt by index", File: "prompt_ab.json", Opts: scorecard.ReadOptions{Prompt: "1"}, Format: "promptfoo",
			System: scorecard.System{Name: mini + " [You are the shop's returns assistant. Q…]", Model: mini}, Run: abRun, Samples: v2Samples, Warnings: lacking,
		},
		{
			// sha256("Answer briefly: {{q}}"), promptfoo's id for the prompt.
			Name: "prompt by id", File: "prompt_ab.json", Opts: scorecard.ReadOptions{Prompt: "acc243f3a09c0bcbcc15c42234711e62a2ce8c52fa217407f972567b1b9be152"}, Format: "promptfoo",
			System: scorecard.System{Name: mini + " [" + v1 + "]", Model: mini}, Run: abRun, Samples: v1Samples, Warnings: lacking,
		},
		{
			Name: "two providers, two prompts", File: "providers_prompts.json", Opts: scorecard.ReadOptions{Provider: "tuned", Prompt: v2}, Format: "promptfoo",
			System: scorecard.System{Name: "tuned [You are the shop's returns assistant. Q…]", Model: ft},
			Run:    scorecard.Run{ID: "eval-2x2-2026-05-21T10:00:00", Dataset: "base and tuned model, two prompts each"},
			Samples: []scorecard.Sample{
				{ID: "refund window", Accepted: false, Score: f(0), CostUSD: f(0.0002), Usage: tok(ft, 50, 11, 0), LatencyMS: f(400), FailureClass: "policy_fact", Line: 595},
				{ID: "gift card", Accepted: true, Score: f(1), CostUSD: f(0.0002), Usage: tok(ft, 51, 11, 0), LatencyMS: f(410), Line: 657},
				{ID: "lost parcel", Accepted: true, Score: f(1), CostUSD: f(0.0002), Usage: tok(ft, 52, 11, 0), LatencyMS: f(420), Line: 719},
			},
			Warnings: lacking,
		},
	})
}

// A writer that sorts keys puts results.version after a results[] longer
// than the first 64 KiB the sniffer reads: the deeper walk finds it.
func TestSniffSortedKeys(t *testing.T) {
	t.Parallel()
	var rows []string
	for i := range 400 {
		rows = append(rows, fmt.Sprintf(`{"promptIdx": 0, "provider": "p", "success": true, "testCase": {"description": "case %d", "vars": {"text": "%s"}}, "testIdx": %d}`, i, strings.Repeat("x", 200), i))
	}
	data := []byte(`{"config": {}, "evalId": "e", "results": {"results": [` + strings.Join(rows, ",") + `], "stats": {}, "version": 3}}`)
	if len(data) < 2*readkit.SniffHead {
		t.Fatalf("only %d bytes", len(data))
	}
	if !sniffPromptfoo(data) {
		t.Error("not detected as promptfoo")
	}
	if sc, err := scorecard.Read("sorted.json", data, scorecard.ReadOptions{}); err != nil || len(sc.Samples) != 400 {
		t.Errorf("read: %v", err)
	}
}
