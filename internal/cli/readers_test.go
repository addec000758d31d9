package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tools holds the end-to-end fixtures of testdata/tools: for each eval
// tool's current output, a baseline, a candidate and a policy whose
// importers block sets the reader options (go run ./testdata/tools/gen
// writes them).
var tools = filepath.Join("..", "..", "testdata", "tools")

// TestCompareToolOutputs gates each tool's output end to end from the
// command line, with the reader options from the policy: a current
// Inspect log (zstd members) with two scorers, a DeepEval test run, a
// promptfoo prompt A/B file (one provider, two prompts, one file for both
// sides) and a promptfoo file with two providers by two prompts.
func TestCompareToolOutputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dir, baseline, candidate string
		format                   string
		systems                  [2]string
		extra                    []string
	}{
		{"inspect-zstd", "baseline.eval", "candidate.eval", "inspect",
			[2]string{"openai/gpt-4.1", "openai/ft:gpt-4.1-mini:acme:support:x1"}, nil},
		{"deepeval", "baseline.json", "candidate.json", "deepeval",
			[2]string{"gpt-4.1", "ft:gpt-4.1-mini:acme:support:x1"}, nil},
		{"promptfoo-prompts", "results.json", "results.json", "promptfoo",
			[2]string{"openai:chat:gpt-4.1-mini [Answer the customer: {{question}}]", "openai:chat:gpt-4.1-mini [You are the support desk. Check the pol…]"}, nil},
		{"promptfoo-providers", "results.json", "results.json", "promptfoo",
			[2]string{"base [concise: {{question}}]", "tuned [concise: {{question}}]"}, nil},
		// The flags override the policy: the other prompt for both sides.
		{"promptfoo-providers", "results.json", "results.json", "promptfoo",
			[2]string{"base [detailed: explain the policy, then answ…]", "tuned [detailed: explain the policy, then answ…]"},
			[]string{"--prompt", "1"}},
		// And a side's flag overrides the flag for both.
		{"promptfoo-prompts", "results.json", "results.json", "promptfoo",
			[2]string{"openai:chat:gpt-4.1-mini [You are the support desk. Check the pol…]", "openai:chat:gpt-4.1-mini [Answer the customer: {{question}}]"},
			[]string{"--prompt", "1", "--candidate-prompt", "Answer the customer: {{question}}"}},
	}
	for _, tc := range tests {
		t.Run(tc.dir+strings.Join(tc.extra, " "), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(tools, tc.dir)
			out := filepath.Join(t.TempDir(), "report.json")
			args := append([]string{"compare", "--baseline", filepath.Join(dir, tc.baseline), "--candidate", filepath.Join(dir, tc.candidate),
				"--policy", filepath.Join(dir, "gate.yaml"), "--json", out}, tc.extra...)
			code, stdout, stderr := run(t, "", args...)
			if code != 0 && code != 1 {
				t.Fatalf("exit %d, want a verdict\n%s", code, stderr)
			}
			var rep struct {
				Verdict string
				Inputs  []struct{ Role, Format, System string }
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Verdict == "" || !strings.Contains(stdout, "ftgate: "+strings.ToUpper(rep.Verdict)) {
				t.Errorf("verdict %q; stdout:\n%s", rep.Verdict, stdout)
			}
			if len(rep.Inputs) != 2 {
				t.Fatalf("inputs %+v", rep.Inputs)
			}
			for i, in := range rep.Inputs {
				if in.Format != tc.format || in.System != tc.systems[i] {
					t.Errorf("%s read as %q, system %q; want %q, %q", in.Role, in.Format, in.System, tc.format, tc.systems[i])
				}
			}
		})
	}
}

// Without the policy, the files that hold several systems are refused with
// what to pick, and an option naming something the file lacks says what it
// has and where the name came from. A file given as both sides is asked
// for a selection per side, and its problem is printed once.
func TestCompareToolOutputsNeedOptions(t *testing.T) {
	t.Parallel()
	prompts := filepath.Join(tools, "promptfoo-prompts", "results.json")
	providers := filepath.Join(tools, "promptfoo-providers", "results.json")
	inspect := filepath.Join(tools, "inspect-zstd")
	policy := filepath.Join(t.TempDir(), "gate.yaml")
	if err := os.WriteFile(policy, []byte("importers:\n  prompt: 0\n  baseline: {provider: base}\n  candidate: {provider: tunde}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--baseline", prompts, "--candidate", prompts},
			prompts + `: provider "openai:chat:gpt-4.1-mini" ran 2 prompts (0: "Answer the customer: {{question}}", 1: "You are the support desk. Check the pol…"); ` +
				"pick each side's prompt with --baseline-prompt and --candidate-prompt (its label, id or index): two prompts of one provider are two systems\n"},
		{[]string{"--baseline", prompts, "--candidate", prompts, "--baseline-prompt", "0", "--candidate-prompt", "Answer the custmer: {{question}}"},
			`no prompt "Answer the custmer: {{question}}" (given by --candidate-prompt) in this file`},
		{[]string{"--baseline", providers, "--candidate", providers},
			providers + `: this file has 2 providers ("openai:chat:ft:gpt-4.1-mini:acme:support:x1" (label "tuned"), "openai:chat:gpt-4.1" (label "base")); ` +
				"pick each side's provider with --baseline-provider and --candidate-provider (its id or label); " +
				"and each side's prompt with --baseline-prompt and --candidate-prompt, for a provider that ran several\n"},
		{[]string{"--baseline", providers, "--candidate", providers, "--policy", policy},
			providers + `: no provider "tunde" (given by ` + policy + `:4: importers.candidate.provider) in this file (it has ` +
				`"openai:chat:ft:gpt-4.1-mini:acme:support:x1" (label "tuned"), "openai:chat:gpt-4.1" (label "base")); did you mean "tuned"?` + "\n"},
		{[]string{"--baseline", filepath.Join(inspect, "baseline.eval"), "--candidate", filepath.Join(inspect, "candidate.eval")},
			`this file has 2 scorers ("judge", "match"); pick one with --scorer`},
	}
	for _, tc := range tests {
		code, stdout, stderr := run(t, "", append([]string{"compare"}, tc.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || strings.HasSuffix(tc.want, "\n") && stderr != tc.want {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A boolean flag given as false overrides the policy's true.
func TestLenientFlagOverridesPolicy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sc := filepath.Join(dir, "s.jsonl")
	os.WriteFile(sc, []byte("{\"id\": \"a\", \"accepted\": true, \"note\": \"x\"}\n"), 0o644)
	pol := filepath.Join(dir, "gate.yaml")
	os.WriteFile(pol, []byte("importers: {lenient: true}\n"), 0o644)
	if code, _, stderr := run(t, "", "validate", "--policy", pol, sc); code != 0 {
		t.Errorf("lenient from the policy: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "", "validate", "--policy", pol, "--lenient=false", sc); code != 2 || !strings.Contains(stderr, `unknown case field "note"`) {
		t.Errorf("--lenient=false: exit %d\n%s", code, stderr)
	}
}

// The detected format is said once per file and selection, naming the
// side, and not at all under --quiet; a reader's warning about one file
// read for both sides is listed once, naming both.
func TestDetectedFormatSaidOnce(t *testing.T) {
	t.Parallel()
	prompts := filepath.Join(tools, "promptfoo-prompts", "results.json")
	args := []string{"compare", "--baseline", prompts, "--candidate", prompts, "--baseline-prompt", "0", "--candidate-prompt", "1"}
	_, stdout, stderr := run(t, "", args...)
	want := "ftgate: " + prompts + ": read as promptfoo for the baseline (detected from its content; --format forces one)\n" +
		"ftgate: " + prompts + ": read as promptfoo for the candidate (detected from its content; --format forces one)\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if n := strings.Count(flat(stdout), "promptfoo input has no workflow"); n != 1 || !strings.Contains(flat(stdout), prompts+" (baseline and candidate): promptfoo input has no workflow") {
		t.Errorf("the reader's warning is listed %d times, or without its sides:\n%s", n, stdout)
	}
	if _, _, stderr := run(t, "", append(args, "--quiet")...); stderr != "" {
		t.Errorf("--quiet: stderr %q", stderr)
	}
	inspect := filepath.Join(tools, "inspect-zstd")
	_, _, stderr = run(t, "", "compare", "--baseline", filepath.Join(inspect, "baseline.eval"), "--candidate", filepath.Join(inspect, "candidate.eval"), "--scorer", "match")
	if !strings.Contains(stderr, "ftgate: "+filepath.Join(inspect, "baseline.eval")+": read as inspect for the baseline (") ||
		!strings.Contains(stderr, "ftgate: "+filepath.Join(inspect, "candidate.eval")+": read as inspect for the candidate (") {
		t.Errorf("stderr:\n%s", stderr)
	}
}
