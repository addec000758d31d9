package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/cli"
)

var (
	passDir  = filepath.Join("..", "..", "examples", "pass")
	passArgs = []string{"compare", "--baseline", filepath.Join(passDir, "baseline.jsonl"), "--candidate", filepath.Join(passDir, "candidate.jsonl"),
		"--policy", filepath.Join(passDir, "gate.yaml")}
)

// --json - writes to standard output the same bytes as --json FILE, and
// the terminal report goes to standard error.
func TestJSONToStandardOutput(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "r.json")
	code, stdout, _ := run(t, "", append(passArgs, "--json", file)...)
	want, err := os.ReadFile(file)
	if code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	code, stdout2, stderr := run(t, "", append(passArgs, "--json", "-")...)
	if code != 0 || stdout2 != string(want) {
		t.Errorf("exit %d; --json - wrote %d bytes, --json FILE %d", code, len(stdout2), len(want))
	}
	// The same terminal report, but for the command that lists the
	// changed cases, which reads the report from standard input.
	same, _, _ := strings.Cut(stdout, "cases that changed")
	if !strings.HasPrefix(stderr, "ftgate: PASS\n") || !strings.HasPrefix(stderr, same) ||
		!strings.Contains(stderr, "pipe the JSON report into 'ftgate cases -'") {
		t.Errorf("the terminal report is not on standard error:\n%s", stderr)
	}
	if !strings.Contains(stdout, "list them with:\n    ftgate cases "+file+"\n") {
		t.Errorf("the terminal report does not give the command that lists the cases of %s:\n%s", file, stdout)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout2), &rep); err != nil || rep["verdict"] != "pass" {
		t.Errorf("standard output is not the report: %v", err)
	}
}

// --quiet prints the verdict line and what blocks the release, nothing
// else: one line for a PASS.
func TestQuiet(t *testing.T) {
	t.Parallel()
	code, stdout, _ := run(t, "", append(passArgs, "--quiet")...)
	if lines := strings.Split(stdout, "\n"); code != 0 || len(lines) != 3 || lines[0] != "ftgate: PASS" || !strings.HasPrefix(lines[1], "candidate ") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	loss := filepath.Join("..", "..", "examples", "cost-loss")
	code, stdout, _ = run(t, "", "compare", "--baseline", filepath.Join(loss, "baseline.jsonl"), "--candidate", filepath.Join(loss, "candidate.jsonl"),
		"--policy", filepath.Join(loss, "gate.yaml"), "--quiet")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != 1 || !strings.HasPrefix(lines[0], "ftgate: FAIL") || len(lines) < 3 || !strings.HasPrefix(lines[2], "  - Cost: ") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// --baseline-name and --candidate-name name the systems in the reports.
func TestSystemNames(t *testing.T) {
	t.Parallel()
	md := filepath.Join(t.TempDir(), "s.md")
	code, stdout, _ := run(t, "", append(passArgs, "--baseline-name", "prod-rag", "--candidate-name", "nano-ft", "--markdown", md)...)
	data, _ := os.ReadFile(md)
	if code != 0 || !strings.Contains(stdout, "candidate nano-ft against baseline prod-rag") || !strings.Contains(string(data), "nano-ft") || strings.Contains(stdout+string(data), "support-ft-nano-v3") {
		t.Errorf("exit %d:\n%s\n%s", code, stdout, data)
	}
}

// --set overrides a key of the policy file, and is checked like it.
func TestSetOverridesThePolicy(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr := run(t, "", append(passArgs, "--set", "alpha=0.01", "--set", "statistics.seed=7", "--set", "pricing.gpt-4.1.5-x={input_per_mtok: 1, output_per_mtok: 2}", "--json", file)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Every report says the policy was changed on the command line.
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "and --set alpha=0.01, --set statistics.seed=7, --set pricing.gpt-4.1.5-x={input_per_mtok: 1, output_per_mtok: 2}") {
		t.Errorf("the terminal report does not name the overrides:\n%s", stdout)
	}
	var rep struct {
		Alpha           float64
		PolicyOverrides []string `json:"policy_overrides"`
		Policy          struct {
			Statistics struct{ Seed uint64 }
			Pricing    map[string]struct {
				Output float64 `json:"output_per_mtok"`
			}
		}
	}
	data, _ := os.ReadFile(file)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Alpha != 0.01 || rep.Policy.Statistics.Seed != 7 || rep.Policy.Pricing["gpt-4.1.5-x"].Output != 2 || len(rep.Policy.Pricing) < 2 || len(rep.PolicyOverrides) != 3 {
		t.Errorf("policy in the report: %+v", rep)
	}
	for _, tc := range []struct {
		set, want string
	}{
		{"alpha=0.7", "--set alpha=0.7: alpha: must be at least 1e-10 and below 0.5, found 0.7"},
		{"quality.min_gian=0.1", `--set quality.min_gian=0.1: unknown key "quality.min_gian"; did you mean "quality.min_gain"?`},
		{"statistics.seed=1.5", `--set statistics.seed=1.5: statistics.seed: must be a whole number, found "1.5"`},
		{"alpha", "--set alpha: give KEY=VALUE"},
		{"latency.max_p95_ms=[1", "--set latency.max_p95_ms=[1: the value is not YAML"},
		{"pricing.m.input_per_mtok=1", "--set pricing.m.input_per_mtok=1: pricing.m has no output_per_mtok"},
	} {
		code, stdout, stderr := run(t, "", append(passArgs, "--set", tc.set)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("--set %s: exit %d, stderr %q; want %q", tc.set, code, stderr, tc.want)
		}
	}
}

// Planning from an assumed rate gives Connor's number by hand (see
// TestPowerCommandMatchesConnor): p_B = 0.8, effect 0.1, 219 cases.
func TestPowerFromAnAssumedRate(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run(t, "", "power", "--baseline-rate", "0.8", "--effect", "0.1")
	if code != 0 || !strings.Contains(stdout, "cases needed:      219\n") || !strings.Contains(stdout, "baseline accepts:  80.0% (assumed)") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	// An effect out of range typed on the command line is a usage error
	// (exit 2), whether as --effect or as --set; in a policy file it is
	// advice gone wrong: the default effect is planned for, with the
	// warning first.
	for _, tc := range []struct{ args, want string }{
		{"--effect 1e-12", "--effect 1e-12: power.effect: must exceed quality.min_gain (0) by at least 0.001 (0.1 pts; a smaller effect is too small to plan for) and be at most 1, found 1e-12\n"},
		{"--effect 3", "--effect 3: power.effect: must exceed quality.min_gain (0) by at least 0.001 (0.1 pts; a smaller effect is too small to plan for) and be at most 1, found 3 (a share: 0.03 is 3 points)\n"},
		{"--effect 0", "found 0\n"},
		{"--set power.effect=3", "--set power.effect=3: power.effect: must exceed"},
		{"--set power.target=2", "--set power.target=2: power.target: must be between 0.5 and 1 (exclusive), found 2\n"},
		{"--set power.cost_ratio=5", "--set power.cost_ratio=5: power.cost_ratio: must be above 0 and below cost.max_ratio (1), found 5\n"},
	} {
		code, stdout, stderr = run(t, "", append([]string{"power", "--baseline-rate", "0.8"}, strings.Fields(tc.args)...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d\n%s%s", tc.args, code, stdout, stderr)
		}
	}
	policy := filepath.Join(t.TempDir(), "gate.yaml")
	if err := os.WriteFile(policy, []byte("power:\n  effect: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, "", "power", "--baseline-rate", "0.8", "--policy", policy)
	if code != 0 || !strings.HasPrefix(stdout, "power of the quality test (mcnemar-exact, one-sided α = 0.05, target power 90.0%)\n  warning: "+policy+":2: power.effect: must exceed") ||
		!strings.Contains(stdout, "found 3 (a share: 0.03 is 3 points); planning for the default 0.02 instead\n  effect to detect:  +2.0 pts") {
		t.Errorf("power.effect: 3 in the policy: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--baseline-rate", "1.2"}, `--baseline-rate "1.2" is not a share between 0 and 1`},
		{[]string{"--baseline-rate", "0.8", "--effect", "x"}, "--effect x: power.effect: expected a number, found text \"x\""},
	} {
		code, _, stderr := run(t, "", append([]string{"power"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("power %v: exit %d, %q; want %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A run whose context is already done stops before reading anything,
// exits 130 and writes no report.
func TestInterruptedRunWritesNoReport(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	file := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	code := cli.Run(ctx, append(passArgs, "--json", file), cli.Env{Stdout: &stdout, Stderr: &stderr})
	if _, err := os.Stat(file); code != 130 || err == nil || stdout.Len() != 0 || stderr.String() != "ftgate: interrupted; no report written\n" {
		t.Errorf("exit %d, report %v, stdout %q, stderr %q", code, err, stdout.String(), stderr.String())
	}
}
