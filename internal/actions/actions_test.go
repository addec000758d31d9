package actions

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

const evil = "::error::pwned%0A|`x`|\n::warning title=a,b::c <script>alert(1)</script> ##[error]legacy"

func decision(v gate.Verdict, exit int) *gate.Decision {
	nan := math.NaN()
	pol := gate.DefaultPolicy()
	pol.Segments.BlockOnRegression = true
	return &gate.Decision{
		Verdict: v, ExitCode: exit, Policy: pol,
		Reasons: []string{"Quality: something about " + evil},
		Quality: gate.Quality{Method: "cluster-t", Baseline: 0.8, Candidate: 0.85, Delta: 0.05, CILow: 0.01, CIHigh: 0.09, CILevel: 0.9, PValue: 0.0123},
		Cost: gate.Cost{Measured: true, Method: "bootstrap", BaselineCPA: 0.01, CandidateCPA: 0.008, Ratio: 0.8, MaxRatio: 1, CILow: 0.7, CIHigh: 0.9,
			CILevel: 0.9, PValue: 0.000012345678},
		Latency: gate.Latency{BaselineP50: nan, BaselineP95: nan, CandidateP50: nan, CandidateP95: nan,
			Constraints: []gate.Constraint{{Name: "latency.max_p95_ms", Limit: 2500, Value: 2600, Measured: true}}},
		Format: gate.Format{BaselineValidRate: nan, CandidateValidRate: nan},
		Segments: []gate.Segment{
			{Name: evil, Cases: 40, Baseline: 0.9, Candidate: 0.6, Delta: -0.3, PAdjusted: 0.001, Tested: true, Regression: true},
			{Name: "fine", Cases: 40, Baseline: 0.9, Candidate: 0.9, PAdjusted: 1, Tested: true},
		},
		Warnings: []string{"w1 " + evil, "w2", "w3", "w4", "w5", "w6", "w7"},
	}
}

// fakeEnv is a runner environment with its files in a temporary folder.
func fakeEnv(t *testing.T, extra map[string]string) (func(string) string, string, string) {
	t.Helper()
	dir := t.TempDir()
	out, sum := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": out, "GITHUB_STEP_SUMMARY": sum}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }, out, sum
}

// parseOutputFile reads a GITHUB_OUTPUT file (name<<DELIMITER lines).
func parseOutputFile(t testing.TB, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			name, value, _ := strings.Cut(lines[i], "=")
			got[name] = value
			continue
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("output %s: delimiter %q never closes", name, delim)
		}
		if _, dup := got[name]; dup {
			t.Errorf("output %s written twice", name)
		}
		got[name] = strings.Join(value, "\n")
	}
	return got
}

func TestPublishOutputsSummaryAnnotations(t *testing.T) {
	t.Parallel()
	getenv, outFile, sumFile := fakeEnv(t, nil)
	var stdout, stderr bytes.Buffer
	p := New(Options{Getenv: getenv, Stdout: &stdout, Stderr: &stderr})
	d := decision(gate.Fail, 1)
	names := report.Names{Baseline: "base " + evil, Candidate: "cand"}
	if err := p.Publish(context.Background(), Result{Decision: d, Names: names, JSONPath: "out/report.json"}); err != nil {
		t.Fatal(err)
	}

	want := map[string]string{"verdict": "fail", "quality-delta": "0.05", "quality-p": "0.0123", "cost-ratio": "0.8",
		"cost-p": "0.0000123457", "report": "out/report.json"}
	if diff := cmp.Diff(want, parseOutputFile(t, outFile)); diff != "" {
		t.Errorf("step outputs (-want +got):\n%s", diff)
	}

	sum, err := os.ReadFile(sumFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(sum), "## ❌ ftgate: FAIL") || strings.Contains(string(sum), "<script") {
		t.Errorf("job summary:\n%s", sum)
	}

	cmds := runnerCommands(t, stdout.String())
	// Annotations carry the hostile text intact, except the legacy
	// command marker, which is shown as #\x23[.
	shown := strings.ReplaceAll(evil, "##[", `#\x23[`)
	var titles []string
	for _, c := range cmds {
		titles = append(titles, c.name+": "+c.props["title"])
	}
	wantTitles := []string{
		"error: ftgate: FAIL",
		"error: ftgate: workflow \"::error::pwned%0A|`x`|\\n::warning title=a,b::c <script>alert(1)</script> #\\x23[error]legacy\" regressed",
		"error: ftgate: constraint latency.max_p95_ms broken",
		"warning: ftgate: warning", "warning: ftgate: warning", "warning: ftgate: warning", "warning: ftgate: warning", "warning: ftgate: warning",
		"warning: ftgate: more warnings",
	}
	if diff := cmp.Diff(wantTitles, titles); diff != "" {
		t.Errorf("annotations (-want +got):\n%s\nstdout:\n%s", diff, stdout.String())
	}
	if got := cmds[0].data; !strings.Contains(got, "base "+shown) || !strings.Contains(got, "\nQuality: something about "+shown) {
		t.Errorf("the verdict annotation does not carry the names and reasons intact: %q", got)
	}
	if got := cmds[3].data; got != "w1 "+shown {
		t.Errorf("warning annotation %q, want %q", got, "w1 "+shown)
	}
	// The escaping is done once: "%" in a name is %25, not %2525.
	if !strings.Contains(stdout.String(), "pwned%250A") || strings.Contains(stdout.String(), "%2525") {
		t.Errorf("escaping of %% is wrong:\n%s", stdout.String())
	}
	if !strings.Contains(stdout.String(), "::error title=ftgate%3A FAIL::") {
		t.Errorf("the verdict annotation's title is not escaped as a property:\n%s", stdout.String())
	}
}

func TestAnnotationKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v     gate.Verdict
		exit  int
		want  string
		title string
	}{
		{gate.Pass, 0, "notice", "ftgate: PASS"},
		{gate.Inconclusive, 1, "error", "ftgate: INCONCLUSIVE"},
		{gate.Inconclusive, 0, "warning", "ftgate: INCONCLUSIVE (not blocking)"},
	} {
		var stdout bytes.Buffer
		p := New(Options{Getenv: func(string) string { return "" }, Stdout: &stdout})
		d := decision(tc.v, tc.exit)
		d.Segments, d.Latency.Constraints, d.Warnings = nil, nil, nil
		if err := p.Annotate(Result{Decision: d}); err != nil {
			t.Fatal(err)
		}
		cmds := runnerCommands(t, stdout.String())
		if len(cmds) != 1 || cmds[0].name != tc.want || cmds[0].props["title"] != tc.title {
			t.Errorf("%s/%d: annotations %+v, want one %s titled %q", tc.v, tc.exit, cmds, tc.want, tc.title)
		}
	}
}

func TestPublishWithoutRunnerFiles(t *testing.T) {
	t.Parallel()
	// GITHUB_OUTPUT unset, GITHUB_STEP_SUMMARY a folder: go-githubactions
	// would panic; Publish reports both and still annotates.
	dir := t.TempDir()
	getenv := func(k string) string {
		return map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": dir}[k]
	}
	var stdout bytes.Buffer
	err := New(Options{Getenv: getenv, Stdout: &stdout}).Publish(context.Background(), Result{Decision: decision(gate.Pass, 0)})
	if err == nil || !strings.Contains(err.Error(), "GITHUB_OUTPUT is not set") || !strings.Contains(err.Error(), "job summary") {
		t.Errorf("error %v, want both problems", err)
	}
	if !strings.Contains(stdout.String(), "::notice title=ftgate%3A PASS::") {
		t.Errorf("no annotation after the failures:\n%s", stdout.String())
	}
}

func TestOutputsUndefinedValues(t *testing.T) {
	t.Parallel()
	d := decision(gate.Inconclusive, 1)
	d.Cost = gate.Cost{Measured: false, Ratio: math.NaN(), PValue: math.NaN()}
	d.Quality.PValue = math.NaN()
	got := map[string]string{}
	for _, kv := range Outputs(Result{Decision: d}) {
		got[kv[0]] = kv[1]
	}
	want := map[string]string{"verdict": "inconclusive", "quality-delta": "0.05", "quality-p": "", "cost-ratio": "", "cost-p": "", "report": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
}

func TestOutputWithLineBreakRefused(t *testing.T) {
	t.Parallel()
	getenv, outFile, _ := fakeEnv(t, nil)
	p := New(Options{Getenv: getenv})
	err := p.SetOutputs(Result{Decision: decision(gate.Pass, 0), JSONPath: "a\n_GitHubActionsFileCommandDelimeter_\nverdict=pass"})
	if err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("error %v, want a refusal", err)
	}
	if _, ok := parseOutputFile(t, outFile)["report"]; ok {
		t.Errorf("the report output was written")
	}
}

func TestFailOn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"", FailOnFailOrInconclusive, false},
		{"fail", FailOnFail, false},
		{" fail-or-inconclusive ", FailOnFailOrInconclusive, false},
		{"never", FailOnFailOrInconclusive, true},
	} {
		got, err := ParseFailOn(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseFailOn(%q) = %q, %v", tc.in, got, err)
		}
	}
	d := decision(gate.Inconclusive, 1)
	if !ApplyFailOn(d, FailOnFail) || d.ExitCode != 0 || !strings.Contains(d.Reasons[len(d.Reasons)-1], "fail-on: fail") {
		t.Errorf("inconclusive with fail-on fail: exit %d, reasons %q", d.ExitCode, d.Reasons)
	}
	// The gate's own "the release is blocked" sentence (gate/decide.go) is
	// replaced, so the reasons do not contradict each other.
	d = decision(gate.Inconclusive, 1)
	d.Reasons = append(d.Reasons, "About 120 more paired cases would help.", blockedReason)
	n := len(d.Reasons)
	if !ApplyFailOn(d, FailOnFail) || len(d.Reasons) != n || d.Reasons[n-1] != failOnReason || d.Reasons[n-2] != "About 120 more paired cases would help." {
		t.Errorf("reasons after fail-on fail: %q", d.Reasons)
	}
	for _, r := range d.Reasons {
		if strings.Contains(r, "release is blocked") {
			t.Errorf("a reason still says the release is blocked: %q", r)
		}
	}
	for _, d := range []*gate.Decision{decision(gate.Fail, 1), decision(gate.Inconclusive, 1)} {
		before := d.ExitCode
		if ApplyFailOn(d, FailOnFailOrInconclusive) || d.ExitCode != before {
			t.Errorf("%s changed by the default fail-on", d.Verdict)
		}
	}
	if d := decision(gate.Fail, 1); ApplyFailOn(d, FailOnFail) || d.ExitCode != 1 {
		t.Errorf("a fail verdict was let through")
	}
}

// Step outputs are plain decimals rounded to six significant digits,
// never exponent notation, so that a workflow can compare them as text.
func TestOutputNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{1.8993812e-05, "0.0000189938"},
		{0.3133333333, "0.313333"},
		{1.4966, "1.4966"},
		{-0.0512345678, "-0.0512346"},
		{1234567.8, "1234570"},
		{2e-9, "0.000000002"},
		{0, "0"},
		{math.NaN(), ""},
		{math.Inf(1), ""},
	} {
		if got := number(tc.x); got != tc.want {
			t.Errorf("number(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}
