package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/cli"
	"github.com/ftgate/ftgate/internal/golden"
	"github.com/ftgate/ftgate/schema"
)

// run calls the command line in-process and returns its exit code and
// output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// examples lists the bundled scenarios with the exit code each must give.
var examples = []struct {
	name      string
	baselines []string
	verdict   string
	code      int
}{
	{"pass", []string{"baseline.jsonl"}, "pass", 0},
	{"cost-loss", []string{"baseline.jsonl"}, "fail", 1},
	{"inconclusive", []string{"baseline.jsonl"}, "inconclusive", 1},
	{"segment-regression", []string{"baseline.jsonl"}, "fail", 1},
	{"routed", []string{"baseline-small.jsonl", "baseline-medium.jsonl", "baseline-large.jsonl"}, "fail", 1},
	{"volume", []string{"baseline.jsonl"}, "pass", 0},
}

func exampleArgs(dir string, baselines []string, jsonOut string) []string {
	args := []string{"compare"}
	for _, b := range baselines {
		args = append(args, "--baseline", filepath.Join(dir, b))
	}
	args = append(args, "--candidate", filepath.Join(dir, "candidate.jsonl"), "--policy", filepath.Join(dir, "gate.yaml"))
	if jsonOut != "" {
		args = append(args, "--json", jsonOut)
	}
	return args
}

// The JSON report must carry every name interface.md promises.
var requiredKeys = map[string][]string{
	"":        {"schema", "verdict", "exit_code", "reasons", "alpha", "policy", "inputs", "cases", "quality", "cost", "latency", "format", "segments", "power", "economics", "checklist", "tiers", "warnings"},
	"cases":   {"paired", "clusters", "baseline_only", "candidate_only", "max_samples_per_case"},
	"quality": {"method", "baseline", "candidate", "delta", "margin", "ci_low", "ci_high", "ci_level", "p_value", "met", "missed"},
	"cost": {"method", "baseline_cpa", "candidate_cpa", "ratio", "max_ratio", "ci_low", "ci_high", "ci_level", "p_value", "met", "missed",
		"delta_ci_low", "delta_ci_high", "resamples", "seed", "baseline_total_usd", "candidate_total_usd"},
	"latency": {"baseline_p50_ms", "baseline_p95_ms", "candidate_p50_ms", "candidate_p95_ms", "baseline_p95_ms_ci_low", "baseline_p95_ms_ci_high",
		"candidate_p95_ms_ci_low", "candidate_p95_ms_ci_high", "constraints"},
	"format": {"baseline_valid_rate", "candidate_valid_rate", "constraints"},
	"power":  {"effect", "target", "cases_needed", "more_cases_needed", "mde"},
}

func TestExamples(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "..", "examples", ex.name)
			out := filepath.Join(t.TempDir(), "report.json")
			code, stdout, stderr := run(t, "", exampleArgs(dir, ex.baselines, out)...)
			if code != ex.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ex.code, stdout, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rep map[string]any
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatalf("report is not JSON: %v", err)
			}
			// The report is what its JSON Schema promises.
			if problems, err := schema.ValidateReport(rep); err != nil || len(problems) > 0 {
				t.Errorf("the report breaks schema/report.schema.json: %v %+v", err, problems)
			}
			if rep["verdict"] != ex.verdict || rep["schema"] != "ftgate.report/v1" || rep["exit_code"] != float64(ex.code) {
				t.Errorf("verdict %v schema %v exit_code %v", rep["verdict"], rep["schema"], rep["exit_code"])
			}
			for section, keys := range requiredKeys {
				obj := rep
				if section != "" {
					obj, _ = rep[section].(map[string]any)
				}
				for _, k := range keys {
					if _, ok := obj[k]; !ok {
						t.Errorf("report has no %s.%s", section, k)
					}
				}
			}
			if !strings.HasPrefix(stdout, "ftgate: "+strings.ToUpper(ex.verdict)) {
				t.Errorf("terminal report does not start with the verdict:\n%s", stdout)
			}
			// The report's path, a new folder each run, is named in the
			// command that lists the changed cases, continued on the next
			// line where the path makes it too long.
			golden.Check(t, filepath.Join("testdata", "golden", ex.name+".stdout"), withReportPath(stdout, out))
			for i, line := range strings.Split(stdout, "\n") {
				if n := len([]rune(line)); n > 100 {
					t.Errorf("line %d of the terminal report is %d columns, more than 100: %q", i+1, n, line)
				}
			}
		})
	}
}

// Same inputs and policy give a byte-identical JSON report, whatever
// GOMAXPROCS is. Not parallel: it changes GOMAXPROCS.
// The example's policy fixes the number of bootstrap draws; the default
// policy resamples adaptively, whose stopping point must not depend on the
// cores either.
func TestReportIsDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	dir := filepath.Join("..", "..", "examples", "pass")
	for _, policy := range []string{"the example's", "the default"} {
		var first []byte
		for i, procs := range []int{1, 8, 2, 1} {
			runtime.GOMAXPROCS(procs)
			out := filepath.Join(t.TempDir(), "r.json")
			args := exampleArgs(dir, []string{"baseline.jsonl"}, out)
			if policy == "the default" {
				args = []string{"compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"), "--json", out}
			}
			if code, _, stderr := run(t, "", args...); code != 0 {
				t.Fatalf("%s policy: exit %d: %s", policy, code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"the example's": `"resampling": "fixed"`, "the default": `"resampling": "adaptive"`}[policy]
			if !bytes.Contains(data, []byte(want)) {
				t.Fatalf("%s policy: the report lacks %s", policy, want)
			}
			if i == 0 {
				first = data
				continue
			}
			if !bytes.Equal(first, data) {
				t.Fatalf("%s policy: report with GOMAXPROCS=%d differs from the first run", policy, procs)
			}
		}
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no args", nil, 2, "ftgate: no command given: run 'ftgate COMMAND [flags]', such as 'ftgate compare --baseline FILE --candidate FILE'\n\nUsage:"},
		{"unknown command", []string{"compair"}, 2, `unknown command "compair"; did you mean "compare"?`},
		{"unknown command with flags", []string{"compre", "--baseline", "a", "--candidate", "b"}, 2, `ftgate: unknown command "compre"; did you mean "compare"? (commands: `},
		{"no candidate", []string{"compare", "--baseline", "x"}, 2, "ftgate: compare needs --candidate FILE (see 'ftgate compare --help')"},
		{"no baseline", []string{"compare", "--candidate", "x"}, 2, "ftgate: compare needs --baseline FILE (see 'ftgate compare --help')"},
		{"no inputs", []string{"compare"}, 2, "ftgate: compare needs --baseline FILE and --candidate FILE (see"},
		{"cases without a report", []string{"cases"}, 2, "ftgate: cases needs the JSON report to read: ftgate cases REPORT.json"},
		{"cases on a scorecard", []string{"cases", filepath.Join(pass, "baseline.jsonl")}, 2, "baseline.jsonl: this is a scorecard (read as native), not a report: 'ftgate cases' reads the JSON report that 'ftgate compare --json REPORT.json' writes\n"},
		{"quiet and details", []string{"compare", "--baseline", "x", "--candidate", "y", "--quiet", "--details"}, 2, "ftgate: --quiet and --details ask for opposite reports"},
		{"unknown flag", []string{"compare", "--baseline", "x", "--candidat", "y"}, 2, "ftgate: unknown flag --candidat; did you mean --candidate? (see 'ftgate compare --help')"},
		{"unknown flag of validate", []string{"validate", "--polcy", "x"}, 2, "unknown flag --polcy; did you mean --policy?"},
		{"stray argument", []string{"compare", "x"}, 2, `unexpected argument "x"`},
		{"missing file", []string{"compare", "--baseline", "nope.jsonl", "--candidate", "nope2.jsonl"}, 2, "nope.jsonl: cannot read: no such file or directory"},
		{"bad format", []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"), "--format", "promptfu"}, 2,
			"ftgate: --format \"promptfu\": unknown format (want auto or one of csv, deepeval, inspect, lm-eval, native, openai-evals, promptfoo); did you mean \"promptfoo\"?\n"},
		{"help", []string{"compare", "-h"}, 0, ""},
		{"version", []string{"version"}, 0, ""},
		{"validate nothing", []string{"validate"}, 2, "validate needs at least one FILE"},
	} {
		code, _, stderr := run(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) || strings.Contains(stderr, "flag(s)") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tc.name, code, stderr, tc.code, tc.stderr)
		}
	}
}

func TestBadInputsExit2(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pass := filepath.Join("..", "..", "examples", "pass")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.jsonl", "{\"id\":\"a\",\"accepted\":true}\n{\"id\":\"b\",\"accepted\":1}\n")
	typo := write("typo.yaml", "alpha: 0.05\nquality:\n  min_gian: 0.01\n")
	other := write("other.jsonl", "{\"id\":\"zzz\",\"accepted\":true}\n")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"malformed candidate", []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", bad}, bad + ":2:11: accepted must be true or false, found 1"},
		{"policy typo", []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"), "--policy", typo},
			typo + `:3:3: unknown key "quality.min_gian"; did you mean "quality.min_gain"?`},
		{"mismatched cases", []string{"compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", other}, "the scorecards have no case id in common: the baseline's ids look like \"order-0001\""},
		{"validate lists every problem", []string{"validate", bad, typo}, typo + ":3:3"},
	} {
		code, stdout, stderr := run(t, "", tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.name, code, stderr, tc.stderr)
		}
		if strings.Contains(stdout, "verdict") {
			t.Errorf("%s: a verdict was printed on bad input:\n%s", tc.name, stdout)
		}
	}
}

func TestInitPolicyValidates(t *testing.T) {
	t.Parallel()
	code, policy, stderr := run(t, "", "init")
	if code != 0 || !strings.Contains(policy, "alpha: 0.05") {
		t.Fatalf("init: exit %d, stderr %s", code, stderr)
	}
	code, stdout, stderr := run(t, policy, "validate", "--policy", "-")
	if code != 0 || !strings.Contains(stdout, "-: policy ok") {
		t.Errorf("validate of the starter policy: exit %d\n%s%s", code, stdout, stderr)
	}
	out := filepath.Join(t.TempDir(), "gate.yaml")
	if code, _, stderr := run(t, "", "init", "--out", out); code != 0 {
		t.Fatalf("init --out: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "init", "--out", out); code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over an existing file: exit %d, %s", code, stderr)
	}
}

// validate says what it understood of each scorecard, one aligned label a
// line, wrapped at 100 columns; a file that holds several systems is
// described with the choice to make, not refused.
func TestValidateDescribes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		file []string
		want []string
	}{
		{"native", []string{"examples", "pass", "baseline.jsonl"}, []string{
			"  format:    native\n",
			"  system:    support-rag-v7 (model gpt-4.1-mini)\n",
			"  cases:     600 (600 samples, 472 accepted, 2 with errors)\n",
			"  workflows: 3 (order-status, policy-qa, refund-email)\n",
			"  clusters:  306\n",
			"  fields:    workflow, cluster",
		}},
		{"lm-eval", []string{"scorecard", "lmeval", "testdata", "samples_arc_easy_2026-01-02T03-04-05.678901.jsonl"}, []string{
			"  format:    lm-eval\n",
			"  workflows: 1 (arc_easy)\n",
			"  clusters:  none (each case is its own cluster)\n",
			"  warning:   lm-eval input has no cluster",
		}},
		{"openai-evals", []string{"scorecard", "openaievals", "testdata", "ordered.jsonl"}, []string{
			"  format:    openai-evals\n",
			"  clusters:  none (each case is its own cluster)\n",
			"  cases:     5 (6 samples, 2 accepted, 2 with errors)\n",
			"  warning:   the token usage of \"gpt-4o-mini\" (6 samples) has no price in the policy's pricing\n",
			"'pricing.gpt-4o-mini={input_per_mtok: IN, output_per_mtok: OUT}'",
		}},
		{"two providers", []string{"testdata", "tools", "promptfoo-providers", "results.json"}, []string{
			"results.json: ok, but it holds several systems: pick one to\n  compare it\n",
			"  format:    promptfoo\n",
			"  choose:    this file has 2 providers (",
			"pick one with --provider",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, "", "validate", filepath.Join(append([]string{"..", ".."}, tc.file...)...))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("validate output lacks %q:\n%s", want, stdout)
				}
			}
			for _, line := range strings.Split(stdout, "\n") {
				if n := utf8.RuneCountInString(line); n > 100 && strings.Contains(strings.TrimSpace(line), " ") {
					t.Errorf("line of %d columns: %q", n, line)
				}
			}
		})
	}
}

// The two Inspect AI logs of the same task (written by the tool itself)
// compare directly: no conversion, token usage priced by the policy.
func TestCompareRealInspectLogs(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "samples", "inspect_ai")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real samples absent: %v", err)
	}
	policy := filepath.Join(t.TempDir(), "gate.yaml")
	os.WriteFile(policy, []byte(`pairing: {allow_unmatched: true}
pricing:
  ollama/qwen2.5:0.5b: {input_per_mtok: 0.05, output_per_mtok: 0.10}
  anthropic/claude-sonnet-4-0: {input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 0.3}
`), 0o644)
	out := filepath.Join(t.TempDir(), "r.json")
	code, stdout, stderr := run(t, "", "compare", "--baseline", filepath.Join(dir, "arc_easy_qwen2.5-0.5b.json"),
		"--candidate", filepath.Join(dir, "arc_easy_claude-sonnet-4.json"), "--policy", policy, "--json", out)
	if code != 1 || !strings.HasPrefix(stdout, "ftgate: INCONCLUSIVE") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var rep struct {
		Cases struct {
			Paired        int `json:"paired"`
			CandidateOnly int `json:"candidate_only"`
		}
		Inputs []struct{ Format string }
		Cost   struct{ Measured bool }
	}
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Cases.Paired != 3 || rep.Cases.CandidateOnly != 2 || rep.Inputs[0].Format != "inspect" || rep.Inputs[1].Format != "inspect" || !rep.Cost.Measured {
		t.Errorf("paired %d, formats %+v, cost measured %v", rep.Cases.Paired, rep.Inputs, rep.Cost.Measured)
	}
}

// 'ftgate power' on a baseline alone, against Connor's formula by hand:
// p_B = 0.8 (80 of 100 cases), effect 0.1 → p_C = 0.9, the discordant share
// under independent failures ψ = 0.8·0.1 + 0.9·0.2 = 0.26, and
// n = [z_.95·√0.26 + z_.90·√(0.26 − 0.1²)]² / 0.1² = 218.889 → 219 cases,
// 119 more than the 100 at hand.
func TestPowerCommandMatchesConnor(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "{\"id\":\"c%03d\",\"accepted\":%v}\n", i, i < 80)
	}
	base := filepath.Join(dir, "b.jsonl")
	pol := filepath.Join(dir, "gate.yaml")
	os.WriteFile(base, []byte(b.String()), 0o644)
	os.WriteFile(pol, []byte("power: {effect: 0.1, target: 0.9}\n"), 0o644)
	code, stdout, stderr := run(t, "", "power", "--baseline", base, "--policy", pol)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"mcnemar-exact", "discordant share:  0.26", "cases needed:      219 (119 more than the 100 at hand)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("power output lacks %q:\n%s", want, stdout)
		}
	}
}

// A true cost ratio a hair below the limit needs more cases than any eval
// set: power says no number is enough, and the JSON report gives null for
// both the cases needed and the cases beyond those at hand (never a 0
// that reads as "enough"); counts carry thousands separators.
func TestPowerAtTheCostLimit(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	b, c := filepath.Join(pass, "baseline.jsonl"), filepath.Join(pass, "candidate.jsonl")
	code, stdout, stderr := run(t, "", "power", "--baseline", b, "--candidate", c, "--set", "power.cost_ratio=0.999999999")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cost := stdout[strings.Index(stdout, "power of the cost test"):]
	if !strings.Contains(cost, "cases needed:      no number of cases is enough\n") || strings.Contains(cost, "at hand") {
		t.Errorf("the cost plan:\n%s", cost)
	}
	if !strings.Contains(stdout, "cases needed:      4,392 (3,792 more than the 600 at hand)") {
		t.Errorf("the quality plan:\n%s", stdout)
	}
	code, stdout, stderr = run(t, "", "compare", "--baseline", b, "--candidate", c, "--set", "power.cost_ratio=0.999999999", "--json", "-")
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	var doc struct {
		Power map[string]any `json:"power"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if v, w := doc.Power["cost_cases_needed"], doc.Power["cost_more_cases_needed"]; v != nil || w != nil {
		t.Errorf("cost_cases_needed %v, cost_more_cases_needed %v; want null and null", v, w)
	}
}

// An earlier baseline that is the candidate's own file is warned about,
// by any spelling of its path.
func TestHistoryIsTheCandidate(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	c := filepath.Join(pass, "candidate.jsonl")
	code, stdout, stderr := run(t, "", "compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", c,
		"--baseline-history", filepath.Join(pass, ".", "candidate.jsonl"), "--json", "-")
	if code != 0 || !strings.Contains(stdout, "is the candidate's scorecard: the plateau condition counts the candidate as an earlier baseline") {
		t.Errorf("exit %d, no warning:\n%s\n%s", code, stdout, stderr)
	}
}

func TestCompareRefusesAmbiguousArguments(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	b, c := filepath.Join(pass, "baseline.jsonl"), filepath.Join(pass, "candidate.jsonl")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"candidate twice", []string{"compare", "--baseline", b, "--candidate", b, "--candidate", c}, `"--candidate" flag: given twice`},
		{"format twice", []string{"compare", "--baseline", b, "--candidate", c, "--format", "native", "--format", "csv"}, `"--format" flag: given twice ("native" and "csv")`},
		{"lenient twice", []string{"validate", "--lenient", "--lenient=false", b}, `"--lenient" flag: given twice`},
		{"markdown to stdout", []string{"compare", "--baseline", b, "--candidate", c, "--markdown", "-"}, "--markdown -: only the JSON report can go to standard output"},
		{"json over an input", []string{"compare", "--baseline", b, "--candidate", c, "--json", c}, "would overwrite the --candidate input"},
		{"two reports one file", []string{"compare", "--baseline", b, "--candidate", c, "--json", "x.out", "--junit", "x.out"}, "--json x.out and --junit x.out are the same file"},
		{"empty baseline name", []string{"compare", "--baseline", "", "--candidate", c}, "--baseline was given an empty file name"},
		{"infinite threshold", []string{"compare", "--baseline", b, "--candidate", c, "--accept-threshold", "Inf"}, "is not a finite number"},
		{"power without inputs", []string{"power"}, "ftgate: power needs --baseline FILE or --baseline-rate RATE (see 'ftgate power --help')"},
		{"power with both", []string{"power", "--baseline", b, "--baseline-rate", "0.8"}, "ftgate: --baseline and --baseline-rate cannot be given together: give one"},
	} {
		code, stdout, stderr := run(t, "", tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.stderr) || strings.Contains(stdout, "verdict") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q, no verdict", tc.name, code, stderr, tc.stderr)
		}
	}
}

// A report file that cannot be written is an error, and no verdict is
// printed before it.
func TestUnwritableReportIsAnError(t *testing.T) {
	t.Parallel()
	pass := filepath.Join("..", "..", "examples", "pass")
	out := filepath.Join(t.TempDir(), "missing-dir", "r.json")
	code, stdout, stderr := run(t, "", "compare", "--baseline", filepath.Join(pass, "baseline.jsonl"), "--candidate", filepath.Join(pass, "candidate.jsonl"), "--json", out)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "--json "+out+": no such file or directory") {
		t.Errorf("exit %d, stdout %d bytes, stderr %q", code, len(stdout), stderr)
	}
}

// One promptfoo file with two providers holds both systems: each side
// picks its provider.
func TestComparePromptfooProviders(t *testing.T) {
	t.Parallel()
	file := filepath.Join("..", "..", "scorecard", "promptfoo", "testdata", "two_providers.json")
	pol := filepath.Join(t.TempDir(), "gate.yaml")
	os.WriteFile(pol, []byte("cost: {required: false}\n"), 0o644)
	out := filepath.Join(t.TempDir(), "r.json")
	code, _, stderr := run(t, "", "compare", "--baseline", file, "--baseline-provider", "baseline",
		"--candidate", file, "--candidate-provider", "candidate", "--policy", pol, "--json", out)
	if code == 2 || code == 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Inputs []struct{ System string }
	}
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 2 || rep.Inputs[0].System == rep.Inputs[1].System {
		t.Errorf("inputs %+v: want two different systems", rep.Inputs)
	}
	if code, _, stderr := run(t, "", "compare", "--baseline", file, "--candidate", file); code != 2 || !strings.Contains(stderr, "provider") {
		t.Errorf("without providers: exit %d, %s", code, stderr)
	}
}

// An output named by another path to an input (absolute, or a link) is
// refused too.
func TestReportNeverOverwritesAnInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pass := filepath.Join("..", "..", "examples", "pass")
	for _, name := range []string{"baseline.jsonl", "candidate.jsonl"} {
		data, err := os.ReadFile(filepath.Join(pass, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	b, c := filepath.Join(dir, "baseline.jsonl"), filepath.Join(dir, "candidate.jsonl")
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(b, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"compare", "--baseline", rel, "--candidate", c, "--json", b},
		{"compare", "--baseline", link, "--candidate", c, "--markdown", b},
	} {
		before, _ := os.ReadFile(b)
		code, _, stderr := run(t, "", args...)
		after, _ := os.ReadFile(b)
		if code != 2 || !strings.Contains(stderr, "would overwrite the --baseline input") || !bytes.Equal(before, after) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
