package cli_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/golden"
)

// writeInspectLog writes an Inspect AI log of n single-epoch samples for
// model: sample i is correct when correct(i), costs cost(i) and takes
// seconds(i).
func writeInspectLog(t *testing.T, path, model string, n int, correct func(int) bool, cost, seconds func(int) float64) {
	t.Helper()
	type usage struct {
		InputTokens  int     `json:"input_tokens"`
		OutputTokens int     `json:"output_tokens"`
		TotalTokens  int     `json:"total_tokens"`
		TotalCost    float64 `json:"total_cost"`
	}
	var samples []map[string]any
	for i := range n {
		value := "I"
		if correct(i) {
			value = "C"
		}
		samples = append(samples, map[string]any{
			"id": fmt.Sprintf("q%03d", i), "epoch": 1,
			"scores":      map[string]any{"match": map[string]any{"value": value}},
			"model_usage": map[string]usage{model: {800, 100, 900, cost(i)}},
			"total_time":  seconds(i),
		})
	}
	log := map[string]any{"version": 2, "status": "success",
		"eval":    map[string]any{"run_id": "run-" + model, "task": "support_qa", "model": model},
		"samples": samples}
	data, err := json.MarshalIndent(log, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstRun checks the two Inspect logs a new user starts from, kept in
// testdata/firstrun (with -update, rewritten): 200 questions, the baseline
// right on 70%, the fine-tune on 85% at a third of the cost, and both slow
// (about 7.6 s a sample): a latency limit of the kind an example policy
// shows would fail them. The starter policy of 'ftgate init' is kept there
// too, as a golden.
func firstRun(t *testing.T) (dir, base, cand string) {
	dir = filepath.Join("testdata", "firstrun")
	tmp := t.TempDir()
	base, cand = filepath.Join(dir, "baseline.json"), filepath.Join(dir, "candidate.json")
	for _, f := range []string{base, cand} {
		want := filepath.Join(tmp, filepath.Base(f))
		defer func() {
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, f, string(data))
		}()
	}
	_, starter, _ := run(t, "", "init")
	golden.Check(t, filepath.Join(dir, "gate.yaml"), starter)
	base, cand = filepath.Join(tmp, "baseline.json"), filepath.Join(tmp, "candidate.json")
	wobble := func(i int) float64 { return 1 + 0.2*math.Sin(float64(i)) }
	writeInspectLog(t, base, "openai/gpt-4.1-mini", 200, func(i int) bool { return i%10 < 7 },
		func(i int) float64 { return 0.0021 * wobble(i) }, func(i int) float64 { return 7.4 * wobble(i) })
	writeInspectLog(t, cand, "openai/ft:gpt-4.1-nano:acme:v3", 200, func(i int) bool { return i%20 < 17 },
		func(i int) float64 { return 0.0007 * wobble(i) }, func(i int) float64 { return 7.6 * wobble(i) })
	return dir, filepath.Join(dir, "baseline.json"), filepath.Join(dir, "candidate.json")
}

// checkOutput compares command output with a golden file.
func checkOutput(t *testing.T, name, out string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), out)
}

// withReportPath replaces the JSON report's path, a new folder each run,
// by its base name in the commands that list the changed cases, joining
// the lines that a long path made the command continue on.
func withReportPath(stdout, path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(stdout, " \\\n      ", " "), path, filepath.Base(path))
}

// flat joins text on single spaces, so that a check does not depend on
// where the terminal report wraps.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// reasons reads the reasons of a JSON report.
func reasons(t *testing.T, path string) []string {
	t.Helper()
	var rep struct{ Reasons []string }
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Reasons
}

// A new user with two Inspect logs and no policy gets a decision on
// quality and cost only; so does one who starts from 'ftgate init'. The
// logs carry latencies far above any example limit.
func TestFirstRunDecidesOnQualityAndCost(t *testing.T) {
	t.Parallel()
	dir, base, cand := firstRun(t)
	starter := filepath.Join(dir, "gate.yaml")
	for _, tc := range []struct {
		name   string
		policy []string
	}{
		{"first-run-no-policy", nil},
		{"first-run-starter-policy", []string{"--policy", starter}},
	} {
		out := filepath.Join(t.TempDir(), tc.name+".json")
		args := append([]string{"compare", "--baseline", base, "--candidate", cand, "--json", out}, tc.policy...)
		code, stdout, stderr := run(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", tc.name, code, stdout, stderr)
		}
		checkOutput(t, tc.name+".stdout", withReportPath(stdout, out))
		rs := reasons(t, out)
		if len(rs) != 2 || !strings.HasPrefix(rs[0], "Quality:") || !strings.HasPrefix(rs[1], "Cost:") {
			t.Errorf("%s: reasons are not quality and cost alone: %q", tc.name, rs)
		}
	}
}

// A pair given the wrong way round (each header names the other side)
// stops the run, naming both files and the fix; with --ignore-roles (or
// pairing.ignore_roles) it is compared as given, with the warning at the
// top of the report. One file on both sides stops the run whatever the
// flags say.
func TestSidesRefused(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	swapped := []string{"compare", "--baseline", filepath.Join(pass, "candidate.jsonl"), "--candidate", filepath.Join(pass, "baseline.jsonl"),
		"--policy", filepath.Join(pass, "gate.yaml")}
	code, stdout, stderr := run(t, "", swapped...)
	if code != 2 || stdout != "" {
		t.Errorf("swapped pair: exit %d, stdout %q", code, stdout)
	}
	checkOutput(t, "swapped.stderr", stderr)

	for golden, override := range map[string][]string{"swapped.stdout": {"--ignore-roles"}, "swapped-policy.stdout": {"--set", "pairing.ignore_roles=true"}} {
		code, stdout, _ = run(t, "", append(swapped, override...)...)
		if code != 1 {
			t.Errorf("swapped pair with %s: exit %d", override, code)
		}
		checkOutput(t, golden, stdout)
		if !strings.Contains(flat(stdout), "check the inputs ! the sides look swapped") {
			t.Errorf("the swapped pair does not warn under the verdict:\n%s", stdout)
		}
	}
	// The flag given as false wins over the policy.
	if code, _, _ := run(t, "", append(swapped, "--set", "pairing.ignore_roles=true", "--ignore-roles=false")...); code != 2 {
		t.Errorf("--ignore-roles=false over the policy: exit %d", code)
	}

	same := filepath.Join(pass, "baseline.jsonl")
	for _, extra := range [][]string{nil, {"--ignore-roles"}} {
		code, stdout, stderr = run(t, "", append([]string{"compare", "--baseline", same, "--candidate", same}, extra...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "ftgate: the baseline "+same+" and the candidate "+same+" have the same content (SHA-256 ") ||
			!strings.Contains(stderr, "a system with itself") {
			t.Errorf("one file on both sides %s: exit %d\n%s%s", extra, code, stdout, stderr)
		}
	}
}

// One promptfoo file read with the same provider on both sides is one
// system twice: an error, not a verdict.
func TestSameProviderBothSides(t *testing.T) {
	t.Parallel()
	file := filepath.Join("testdata", "sides", "two_systems.promptfoo.json")
	code, stdout, stderr := run(t, "", "compare", "--baseline", file, "--candidate", file, "--provider", "rag")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "are the same promptfoo file read with the same selection") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	code, _, stderr = run(t, "", "compare", "--baseline", file, "--candidate", file, "--baseline-provider", "rag", "--candidate-provider", "tuned")
	if code == 2 {
		t.Errorf("two providers of one file: exit 2: %s", stderr)
	}
	// One provider, two prompts: two systems; the same prompt twice: one.
	prompts := filepath.Join("testdata", "sides", "two_prompts.promptfoo.json")
	if code, _, stderr := run(t, "", "compare", "--baseline", prompts, "--candidate", prompts, "--baseline-prompt", "brief", "--candidate-prompt", "policy"); code == 2 {
		t.Errorf("two prompts of one provider: exit 2: %s", stderr)
	}
	code, stdout, stderr = run(t, "", "compare", "--baseline", prompts, "--candidate", prompts, "--prompt", "brief")
	if code != 2 || stdout != "" || !strings.Contains(stderr, `both sides would be the system "openai:chat:gpt-4.1-mini [brief]"`) {
		t.Errorf("the same prompt on both sides: exit %d\n%s", code, stderr)
	}
}

// ftgate init --from fills the starter from the two logs; the policy it
// writes validates and still decides on quality and cost alone.
func TestInitFromFirstRun(t *testing.T) {
	t.Parallel()
	_, base, cand := firstRun(t)
	policy := filepath.Join(t.TempDir(), "gate.yaml")
	code, _, stderr := run(t, "", "init", "--from", base, "--from", cand, "--out", policy)
	if code != 0 {
		t.Fatalf("init --from: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(policy)
	for _, want := range []string{"# Filled in from testdata/firstrun/baseline.json and testdata/firstrun/candidate.json.",
		"# Observed: the baseline accepts 70.0% and the candidate 85.0% of 200 paired cases."} {
		if !strings.Contains(string(data), want) {
			t.Errorf("init --from lacks %q:\n%s", want, data)
		}
	}
	if code, stdout, stderr := run(t, "", "validate", policy); code != 0 {
		t.Errorf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
	out := filepath.Join(t.TempDir(), "r.json")
	if code, stdout, stderr := run(t, "", "compare", "--baseline", base, "--candidate", cand, "--policy", policy, "--json", out); code != 0 {
		t.Fatalf("compare: exit %d\n%s%s", code, stdout, stderr)
	}
	if rs := reasons(t, out); len(rs) != 2 {
		t.Errorf("reasons %q, want quality and cost alone", rs)
	}
	if code, _, stderr := run(t, "", "init", "--from", base, "--from", cand, "--from", base); code != 2 || !strings.Contains(stderr, "at most twice") {
		t.Errorf("three --from: exit %d: %s", code, stderr)
	}
}

// 'ftgate cases' lists the cases behind a report from the command line,
// and compare --details prints every table within 100 columns.
func TestCasesAndDetailsCommands(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "examples", "segment-regression")
	rep := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := run(t, "", "compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"),
		"--policy", filepath.Join(dir, "gate.yaml"), "--json", rep, "--details")
	if code != 1 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"\ndecision checklist\n", "\neconomics\n", "\ntransitions (rows: baseline outcome"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--details lacks %q", want)
		}
	}
	for i, line := range strings.Split(stdout, "\n") {
		if n := len([]rune(line)); n > 100 {
			t.Errorf("--details line %d is %d columns", i+1, n)
		}
	}
	code, stdout, stderr = run(t, "", "cases", rep, "--broke", "--workflow", "policy-qa", "--csv")
	if code != 0 {
		t.Fatalf("cases: exit %d: %s", code, stderr)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "cases-broke-policy-qa.csv"), stdout)
	if code, _, stderr := run(t, "", "cases", rep, "--class", "tonne"); code != 2 || !strings.Contains(stderr, `did you mean "tone"?`) {
		t.Errorf("cases --class tonne: exit %d: %s", code, stderr)
	}
}
