package actions

import (
	"path/filepath"
	"strings"
	"testing"
)

// tool returns a file of the end-to-end fixtures in testdata/tools.
func tool(t *testing.T, parts ...string) string {
	return filepath.Join(append([]string{repoRoot(t), "testdata", "tools"}, parts...)...)
}

// TestActionToolOutputs gates each eval tool's current output through the
// action: a zstd Inspect log and a DeepEval test run with the reader
// options from the policy, a promptfoo prompt A/B file whose two prompts
// the baseline-prompt and candidate-prompt inputs pick (or the policy
// alone), and a file of two providers by two prompts whose providers the
// inputs pick over the policy's.
func TestActionToolOutputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		with    map[string]string
		systems []string
		verdict string
	}{
		{"inspect zstd", map[string]string{
			"baseline": tool(t, "inspect-zstd", "baseline.eval"), "candidate": tool(t, "inspect-zstd", "candidate.eval"),
			"policy": tool(t, "inspect-zstd", "gate.yaml"),
		}, []string{"openai/gpt-4.1", "openai/ft:gpt-4.1-mini:acme:support:x1"}, "pass"},
		{"deepeval", map[string]string{
			"baseline": tool(t, "deepeval", "baseline.json"), "candidate": tool(t, "deepeval", "candidate.json"),
			"policy": tool(t, "deepeval", "gate.yaml"),
		}, []string{"gpt-4.1", "ft:gpt-4.1-mini:acme:support:x1"}, "pass"},
		{"promptfoo prompt inputs", map[string]string{
			"baseline": tool(t, "promptfoo-prompts", "results.json"), "candidate": tool(t, "promptfoo-prompts", "results.json"),
			"baseline-prompt": "Answer the customer: {{question}}", "candidate-prompt": " 1 ",
		}, []string{"openai:chat:gpt-4.1-mini [Answer the customer: {{question}}]", "openai:chat:gpt-4.1-mini [You are the support desk. Check the pol…]"}, "pass"},
		// The same file with the prompts picked by the policy's importers
		// block: no input beyond the files and the policy.
		{"promptfoo prompts from the policy", map[string]string{
			"baseline": tool(t, "promptfoo-prompts", "results.json"), "candidate": tool(t, "promptfoo-prompts", "results.json"),
			"policy": tool(t, "promptfoo-prompts", "gate.yaml"),
		}, []string{"openai:chat:gpt-4.1-mini [Answer the customer: {{question}}]", "openai:chat:gpt-4.1-mini [You are the support desk. Check the pol…]"}, "pass"},
		// The policy names base as the baseline and tuned as the candidate;
		// the inputs swap them, and the gate fails the base model.
		{"promptfoo provider inputs over the policy", map[string]string{
			"baseline": tool(t, "promptfoo-providers", "results.json"), "candidate": tool(t, "promptfoo-providers", "results.json"),
			"policy": tool(t, "promptfoo-providers", "gate.yaml"), "baseline-provider": "tuned", "candidate-provider": "base",
		}, []string{"tuned [concise: {{question}}]", "base [concise: {{question}}]"}, "fail"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runAction(t, tc.with, nil)
			if r.exit != 0 && r.exit != 1 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.exit, r.stdout, r.stderr)
			}
			if r.outputs["verdict"] != tc.verdict {
				t.Errorf("verdict %q, want %q", r.outputs["verdict"], tc.verdict)
			}
			rep := readReport(t, r.outputs["report"])
			var systems []string
			for _, in := range rep["inputs"].([]any) {
				systems = append(systems, in.(map[string]any)["system"].(string))
			}
			if strings.Join(systems, "|") != strings.Join(tc.systems, "|") {
				t.Errorf("systems %q, want %q", systems, tc.systems)
			}
		})
	}
}

// The lenient input is true or false; anything else stops the step.
func TestActionLenientInput(t *testing.T) {
	t.Parallel()
	with := map[string]string{
		"baseline": example(t, "pass", "baseline.jsonl"), "candidate": example(t, "pass", "candidate.jsonl"),
		"policy": example(t, "pass", "gate.yaml"), "lenient": "true",
	}
	if r := runAction(t, with, nil); r.exit != 0 {
		t.Errorf("lenient true: exit %d\n%s", r.exit, r.stderr)
	}
	with["lenient"] = "yes please"
	if r := runAction(t, with, nil); r.exit != 2 || !strings.Contains(r.stdout, "::error title=ftgate::lenient must be true or false") {
		t.Errorf("lenient %q: exit %d, stdout %q", with["lenient"], r.exit, r.stdout)
	}
}
