package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// These tests run the composite action of action.yml the way the runner
// does: each run: step in bash with the step's env: block (inputs and step
// outputs substituted into the env values only), GITHUB_ACTION_PATH at the
// repository root and the runner's files and tool cache in a temporary
// folder. By default the action is used at a release tag and installs
// ftgate from a fake release served on the loopback interface
// (install_test.go), so they prove that the metadata, the installer and
// the program agree.

type actionMeta struct {
	Inputs map[string]struct {
		Required bool    `yaml:"required"`
		Default  *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "action.yml")); err != nil {
		t.Fatal(err)
	}
	return root
}

func loadAction(t testing.TB) actionMeta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var m actionMeta
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return m
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// A runResult is what a simulated run of the action left behind.
type runResult struct {
	exit            int
	stdout, stderr  string
	outputs         map[string]string // the action's outputs, mapped from the step's
	summary         string
	temp, workspace string
	// steps are the outputs of each step with an id; durations and cpu
	// the wall time and the CPU time (user and system, children included)
	// of each step that ran, by id (or name).
	steps          map[string]map[string]string
	durations, cpu map[string]time.Duration
	// githubPath and githubEnv are what the steps wrote to GITHUB_PATH and
	// GITHUB_ENV: what would reach the caller's later steps.
	githubPath, githubEnv string
}

// An actionRun describes one simulated run of the action.
type actionRun struct {
	with map[string]string // the inputs
	env  map[string]string // the job's environment, over the runner's
	// ref is github.action_ref: the ref the action is used at. Empty plays
	// a local action (uses: ./).
	ref string
	// release serves the releases and tags; nil starts one with the
	// current code released as testReleaseTag.
	release *fakeRelease
	// toolCache is RUNNER_TOOL_CACHE; empty is a new folder.
	toolCache string
	// stopAfter ends the run after the step with this id.
	stopAfter string
}

// runAction runs action.yml at the release tag testReleaseTag, with the
// given inputs (with:) and extra runner environment, and returns what it
// did.
func runAction(t *testing.T, with map[string]string, extraEnv map[string]string) runResult {
	t.Helper()
	return runActionWith(t, actionRun{with: with, env: extraEnv, ref: testReleaseTag})
}

// runActionWith runs action.yml as run describes.
func runActionWith(t testing.TB, run actionRun) runResult {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the Action simulations build and run the program")
	}
	with, extraEnv := run.with, run.env
	if run.release == nil {
		run.release = newFakeRelease(t, testRelease(t))
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	for _, tool := range []string{"curl", "git", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH; the action's installer needs it", tool)
		}
	}
	root := repoRoot(t)
	meta := loadAction(t)
	if meta.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", meta.Runs.Using)
	}

	inputs := map[string]string{}
	for name, in := range meta.Inputs {
		if in.Default != nil {
			inputs[name] = *in.Default
		}
	}
	for name, v := range with {
		if _, ok := meta.Inputs[name]; !ok {
			t.Fatalf("input %q is not declared in action.yml", name)
		}
		inputs[name] = v
	}
	for name, in := range meta.Inputs {
		if _, ok := with[name]; in.Required && !ok {
			t.Fatalf("required input %q not given", name)
		}
	}

	dir := t.TempDir()
	temp := filepath.Join(dir, "runner temp")
	os.MkdirAll(temp, 0o755)
	if run.toolCache == "" {
		run.toolCache = filepath.Join(dir, "tool cache")
	}
	files := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_ENV":          filepath.Join(dir, "env"),
		"GITHUB_PATH":         filepath.Join(dir, "path"),
	}
	for _, f := range files {
		os.WriteFile(f, nil, 0o644)
	}
	ctx := map[string]string{
		"github.action_path":       root,
		"github.action_ref":        run.ref,
		"github.action_repository": "ftgate/ftgate",
		"github.token":             "fake-token-from-the-runner",
		"runner.temp":              temp,
	}
	if run.ref == "" {
		ctx["github.action_repository"] = ""
	}
	// An input's default may itself be an expression (github.token).
	for name, v := range inputs {
		inputs[name] = substitute(t, v, ctx, nil)
	}

	// The job's environment: this process's, less anything of a real
	// runner, plus the runner's variables.
	var base []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "FTGATE_") || k == "CI" {
			continue
		}
		base = append(base, kv)
	}
	base = append(base, "PATH="+filepath.Dir(goBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GITHUB_ACTIONS=true", "CI=true", "GITHUB_ACTION_PATH="+root, "GITHUB_WORKSPACE="+root, "RUNNER_TEMP="+temp,
		"RUNNER_OS="+map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS],
		"RUNNER_ARCH="+map[string]string{"amd64": "X64", "arm64": "ARM64", "386": "X86", "arm": "ARM"}[runtime.GOARCH],
		"RUNNER_TOOL_CACHE="+run.toolCache,
		// Nothing may reach out: the releases come from the fake server.
		"GITHUB_SERVER_URL=https://github.invalid", "FTGATE_TEST_RELEASE_SERVER="+run.release.url,
		"GITHUB_EVENT_NAME=push", "GITHUB_REPOSITORY=ftgate/ftgate")
	for k, v := range files {
		base = append(base, k+"="+v)
	}
	for k, v := range extraEnv {
		base = append(base, k+"="+v)
	}

	var res runResult
	res.temp, res.workspace = temp, root
	res.durations, res.cpu = map[string]time.Duration{}, map[string]time.Duration{}
	stepOutputs := map[string]map[string]string{}
	res.steps = stepOutputs
	var stdout, stderr bytes.Buffer
	for i, st := range meta.Runs.Steps {
		if st.Uses != "" {
			if !regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`).MatchString(st.Uses) {
				t.Errorf("step %d uses %q, not pinned to a full commit SHA", i, st.Uses)
			}
			continue // setup-go: Go is already here
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", st.Name, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Fatalf("step %q pastes an expression into its script; inputs must go through env:", st.Name)
		}
		env := slices.Clone(base)
		for k, v := range st.Env {
			env = append(env, k+"="+substitute(t, v, ctx, inputs))
		}
		script := filepath.Join(dir, fmt.Sprintf("step%d.sh", i))
		os.WriteFile(script, []byte(st.Run), 0o755)
		// The runner's command line for shell: bash.
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = root, env, &stdout, &stderr
		os.Truncate(files["GITHUB_OUTPUT"], 0)
		start := time.Now()
		err := cmd.Run()
		key := st.ID
		if key == "" {
			key = st.Name
		}
		res.durations[key] = time.Since(start)
		if ps := cmd.ProcessState; ps != nil {
			res.cpu[key] = ps.UserTime() + ps.SystemTime()
		}
		if st.ID != "" {
			stepOutputs[st.ID] = parseOutputFile(t, files["GITHUB_OUTPUT"])
			for k, v := range stepOutputs[st.ID] {
				ctx["steps."+st.ID+".outputs."+k] = v
			}
		}
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("step %q: %v", st.Name, err)
			}
			res.exit = ee.ExitCode()
			break
		}
		if run.stopAfter != "" && st.ID == run.stopAfter {
			break
		}
	}
	res.stdout, res.stderr = stdout.String(), stderr.String()
	ghPath, _ := os.ReadFile(files["GITHUB_PATH"])
	ghEnv, _ := os.ReadFile(files["GITHUB_ENV"])
	res.githubPath, res.githubEnv = string(ghPath), string(ghEnv)
	sum, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
	res.summary = string(sum)
	res.outputs = map[string]string{}
	for name, out := range meta.Outputs {
		m := expr.FindStringSubmatch(out.Value)
		if m == nil {
			t.Fatalf("output %q: value %q is not an expression", name, out.Value)
		}
		parts := strings.Split(m[1], ".")
		if len(parts) != 4 || parts[0] != "steps" || parts[2] != "outputs" {
			t.Fatalf("output %q: value %q is not steps.ID.outputs.NAME", name, out.Value)
		}
		res.outputs[name] = stepOutputs[parts[1]][parts[3]]
	}
	return res
}

// substitute replaces the ${{ }} expressions the action uses in its env:
// values; any other expression fails the test. The output of a step that
// did not set it is empty, as on the runner.
func substitute(t testing.TB, s string, ctx, inputs map[string]string) string {
	t.Helper()
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		key := expr.FindStringSubmatch(m)[1]
		if name, ok := strings.CutPrefix(key, "inputs."); ok && inputs != nil {
			v, ok := inputs[name]
			if !ok {
				t.Fatalf("expression %s names an undeclared input", m)
			}
			return v
		}
		v, ok := ctx[key]
		if !ok && !strings.HasPrefix(key, "steps.") {
			t.Fatalf("expression %s is not simulated", m)
		}
		return v
	})
}

func example(t testing.TB, parts ...string) string {
	return filepath.Join(append([]string{repoRoot(t), "examples"}, parts...)...)
}

func readReport(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the JSON report: %v", err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestActionMetadata(t *testing.T) {
	t.Parallel()
	m := loadAction(t)
	for _, name := range []string{"baseline", "candidate", "policy", "format", "baseline-history", "json", "junit", "plot", "html", "comment", "github-token", "fail-on"} {
		if _, ok := m.Inputs[name]; !ok {
			t.Errorf("input %q missing", name)
		}
	}
	for _, name := range []string{"verdict", "quality-delta", "quality-p", "cost-ratio", "cost-p", "report"} {
		if _, ok := m.Outputs[name]; !ok {
			t.Errorf("output %q missing", name)
		}
	}
	if d := m.Inputs["comment"].Default; d == nil || *d != "false" {
		t.Errorf("comment must default to false")
	}
	if d := m.Inputs["fail-on"].Default; d == nil || *d != FailOnFailOrInconclusive {
		t.Errorf("fail-on must default to %s", FailOnFailOrInconclusive)
	}
	if d := m.Inputs["install"].Default; d == nil || *d != "auto" {
		t.Errorf("install must default to auto")
	}
	if d := m.Inputs["version"].Default; d == nil || *d != "" {
		t.Errorf("version must default to empty (the action's own release)")
	}
	// No step may change the caller's later steps: a setup-* action would
	// put its tool first on their PATH.
	for _, st := range m.Runs.Steps {
		if st.Uses != "" {
			t.Errorf("step %q uses %q; the action installs ftgate without other actions", st.Name, st.Uses)
		}
		if strings.Contains(st.Run, "GITHUB_PATH") || strings.Contains(st.Run, "GITHUB_ENV") {
			t.Errorf("step %q writes GITHUB_PATH or GITHUB_ENV", st.Name)
		}
	}
	// Every input reaches the program (through some step's env:).
	used := map[string]bool{}
	for _, st := range m.Runs.Steps {
		for _, v := range st.Env {
			for _, mm := range expr.FindAllStringSubmatch(v, -1) {
				if name, ok := strings.CutPrefix(mm[1], "inputs."); ok {
					used[name] = true
				}
			}
		}
	}
	for name := range m.Inputs {
		if !used[name] {
			t.Errorf("input %q is never passed to a step", name)
		}
	}
}

func TestActionPassingExample(t *testing.T) {
	t.Parallel()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	page := filepath.Join(t.TempDir(), "report.html")
	r := runAction(t, map[string]string{
		"baseline":  example(t, "pass", "baseline.jsonl"),
		"candidate": example(t, "pass", "candidate.jsonl"),
		"policy":    example(t, "pass", "gate.yaml"),
		"junit":     junit,
		"html":      page,
	}, nil)
	if r.exit != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.exit, r.stdout, r.stderr)
	}
	if r.outputs["verdict"] != "pass" {
		t.Errorf("verdict output %q, want pass (outputs %v)", r.outputs["verdict"], r.outputs)
	}
	for _, name := range []string{"quality-delta", "quality-p", "cost-ratio", "cost-p"} {
		if r.outputs[name] == "" {
			t.Errorf("output %s is empty", name)
		}
	}
	if want := filepath.Join(r.temp, "ftgate-report.json"); r.outputs["report"] != want {
		t.Errorf("report output %q, want %q", r.outputs["report"], want)
	}
	if v := readReport(t, r.outputs["report"])["verdict"]; v != "pass" {
		t.Errorf("JSON report verdict %v", v)
	}
	if data, err := os.ReadFile(page); err != nil || !bytes.Contains(data, []byte(`<span class="badge">PASS</span>`)) {
		t.Errorf("the html input: %v (%d bytes)", err, len(data))
	}
	for _, want := range []string{"## ✅ ftgate: PASS", "| | Baseline | Candidate |", "| Acceptance |", "| Cost per accepted outcome |", "```mermaid\nquadrantChart"} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("job summary lacks %q:\n%s", want, r.summary)
		}
	}
	if !strings.Contains(r.stdout, "::notice title=ftgate%3A PASS::") {
		t.Errorf("no escaped PASS annotation on stdout:\n%s", r.stdout)
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("junit input: %v", err)
	}
}

func TestActionFailingExample(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{
		"baseline":  example(t, "cost-loss", "baseline.jsonl"),
		"candidate": example(t, "cost-loss", "candidate.jsonl"),
		"policy":    example(t, "cost-loss", "gate.yaml"),
	}, nil)
	if r.exit != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.exit, r.stdout, r.stderr)
	}
	if r.outputs["verdict"] != "fail" {
		t.Errorf("verdict output %q, want fail", r.outputs["verdict"])
	}
	if r.outputs["cost-ratio"] == "" || r.outputs["report"] == "" {
		t.Errorf("outputs %v", r.outputs)
	}
	if !strings.Contains(r.summary, "## ❌ ftgate: FAIL") || !strings.Contains(r.summary, "| Cost per accepted outcome |") {
		t.Errorf("job summary:\n%s", r.summary)
	}
	if !strings.Contains(r.stdout, "::error title=ftgate%3A FAIL::") {
		t.Errorf("no escaped FAIL annotation on stdout:\n%s", r.stdout)
	}
}

func TestActionFailOn(t *testing.T) {
	t.Parallel()
	with := map[string]string{
		"baseline":  example(t, "inconclusive", "baseline.jsonl"),
		"candidate": example(t, "inconclusive", "candidate.jsonl"),
		"policy":    example(t, "inconclusive", "gate.yaml"),
	}
	r := runAction(t, with, nil)
	if r.exit != 1 || r.outputs["verdict"] != "inconclusive" {
		t.Fatalf("default fail-on: exit %d, verdict %q\n%s", r.exit, r.outputs["verdict"], r.stderr)
	}
	with["fail-on"] = "fail"
	r = runAction(t, with, nil)
	if r.exit != 0 || r.outputs["verdict"] != "inconclusive" {
		t.Fatalf("fail-on fail: exit %d, verdict %q\n%s", r.exit, r.outputs["verdict"], r.stderr)
	}
	if !strings.Contains(r.stdout, "::warning title=ftgate%3A INCONCLUSIVE (not blocking)::") ||
		!strings.Contains(r.summary, "INCONCLUSIVE (not blocking)") {
		t.Errorf("fail-on fail: no warning annotation or summary banner\n%s\n%s", r.stdout, r.summary)
	}
	with["fail-on"] = "sometimes"
	if r = runAction(t, with, nil); r.exit != 2 {
		t.Errorf("fail-on sometimes: exit %d, want 2", r.exit)
	}
}

// TestActionBaselineList gives several baselines, one per line, with blank
// lines, surrounding spaces, a Windows line end and a path with spaces and
// shell syntax in it: each must arrive as one --baseline.
func TestActionBaselineList(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "my scores $(touch pwned) ; *")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile := func(src, dst string) string {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, dst)
		os.WriteFile(p, data, 0o644)
		return p
	}
	small := copyFile(example(t, "routed", "baseline-small.jsonl"), "base line small.jsonl")
	medium := copyFile(example(t, "routed", "baseline-medium.jsonl"), "baseline-medium.jsonl")
	large := copyFile(example(t, "routed", "baseline-large.jsonl"), "'quoted' large.jsonl")
	r := runAction(t, map[string]string{
		"baseline":  "\n  " + small + "  \r\n" + medium + "\n\n" + large,
		"candidate": example(t, "routed", "candidate.jsonl"),
		"policy":    example(t, "routed", "gate.yaml"),
	}, nil)
	if r.exit != 0 && r.exit != 1 {
		t.Fatalf("exit %d\nstderr:\n%s", r.exit, r.stderr)
	}
	rep := readReport(t, r.outputs["report"])
	var got []string
	for _, in := range rep["inputs"].([]any) {
		m := in.(map[string]any)
		if m["role"] == "baseline" {
			got = append(got, m["file"].(string))
		}
	}
	if want := []string{small, medium, large}; !slices.Equal(got, want) {
		t.Errorf("baselines %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(r.workspace, "pwned")); err == nil {
		os.Remove(filepath.Join(r.workspace, "pwned"))
		t.Errorf("a path was run as a command")
	}
}

func TestActionMissingInputs(t *testing.T) {
	t.Parallel()
	r := runAction(t, map[string]string{"baseline": " \n ", "candidate": "x.jsonl"}, nil)
	if r.exit != 2 || !strings.Contains(r.stdout, "::error title=ftgate::the baseline input names no file") {
		t.Errorf("empty baseline: exit %d, stdout %q", r.exit, r.stdout)
	}
	r = runAction(t, map[string]string{"baseline": example(t, "pass", "baseline.jsonl"), "candidate": "/no/such/file.jsonl"}, nil)
	if r.exit != 2 || r.outputs["verdict"] != "" {
		t.Errorf("missing candidate file: exit %d, outputs %v", r.exit, r.outputs)
	}
}

// A pair given the wrong way round stops the step with exit code 2 and
// no verdict; a policy with pairing.ignore_roles compares it as given,
// with the warning in the job summary.
func TestActionRefusesSwappedSides(t *testing.T) {
	t.Parallel()
	with := map[string]string{"baseline": example(t, "pass", "candidate.jsonl"), "candidate": example(t, "pass", "baseline.jsonl")}
	r := runAction(t, with, nil)
	if r.exit != 2 || r.outputs["verdict"] != "" || !strings.Contains(r.stderr, "the sides look swapped") {
		t.Errorf("swapped pair: exit %d, outputs %v, stderr:\n%s", r.exit, r.outputs, r.stderr)
	}
	policy := filepath.Join(t.TempDir(), "gate.yaml")
	if err := os.WriteFile(policy, []byte("pairing:\n  ignore_roles: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	with["policy"] = policy
	r = runAction(t, with, nil)
	if r.exit != 1 || r.outputs["verdict"] != "fail" || !strings.Contains(r.summary, "the sides look swapped") {
		t.Errorf("swapped pair, roles ignored: exit %d, outputs %v, summary:\n%s", r.exit, r.outputs, r.summary)
	}
}

// TestActionStickyComment runs the action twice on a pull_request event
// against a fake GitHub API: the first run posts the comment, the second
// updates it, and the token never shows in the logs.
func TestActionStickyComment(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"number":7,"pull_request":{"number":7}}`), 0o644)
	with := map[string]string{
		"baseline":     example(t, "pass", "baseline.jsonl"),
		"candidate":    example(t, "pass", "candidate.jsonl"),
		"policy":       example(t, "pass", "gate.yaml"),
		"comment":      "true",
		"github-token": testToken,
	}
	env := map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": srv.URL}
	for run := 1; run <= 2; run++ {
		r := runAction(t, with, env)
		if r.exit != 0 {
			t.Fatalf("run %d: exit %d\n%s", run, r.exit, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, testToken) {
			t.Errorf("run %d printed the token", run)
		}
		if strings.Contains(r.stderr, "warning") {
			t.Errorf("run %d: %s", run, r.stderr)
		}
	}
	if len(gh.comments) != 1 || !strings.HasPrefix(gh.comments[0].Body, Marker+"\n## ✅ ftgate: PASS") {
		t.Errorf("comments after two runs: %d", len(gh.comments))
	}
	if !slices.Contains(gh.requests, "PATCH /repos/o/r/issues/comments/101") {
		t.Errorf("the second run did not update the comment: %q", gh.requests)
	}

	// A failing API is a warning; the verdict and exit code stand.
	gh.fail["POST /repos/o/r/issues/7/comments"] = 500
	gh.comments = nil
	r := runAction(t, with, env)
	if r.exit != 0 || r.outputs["verdict"] != "pass" || !strings.Contains(r.stderr, "ftgate: warning: pull-request comment: GitHub API POST /repos/o/r/issues/7/comments: 500") {
		t.Errorf("failing API: exit %d, verdict %q, stderr:\n%s", r.exit, r.outputs["verdict"], r.stderr)
	}
}

// TestActionHostileScorecards feeds the action a scorecard pair whose
// system names, case ids and workflow names hold workflow commands, line
// breaks, "%", "|", backticks and HTML. The run must issue no workflow
// command but its own annotations, keep every Markdown table whole and let
// no HTML through.
func TestActionHostileScorecards(t *testing.T) {
	t.Parallel()
	const bad = "::error::forged%0A|`tick`|\n::warning title=x,y::z <script>alert(1)</script> ##[error]legacy\r::add-mask::x"
	dir := t.TempDir()
	write := func(name, system string, accepted func(wf, i int) bool) string {
		var b strings.Builder
		hdr, _ := json.Marshal(map[string]any{"scorecard": 1, "system": map[string]any{"name": system + " " + bad, "model": "m"}})
		b.Write(hdr)
		b.WriteByte('\n')
		for wf, name := range []string{bad, "plain-workflow"} {
			for i := range 60 {
				c, _ := json.Marshal(map[string]any{
					"id":       fmt.Sprintf("%s #%d-%d", bad, wf, i),
					"workflow": name,
					"accepted": accepted(wf, i),
					"cost_usd": 0.001,
				})
				b.Write(c)
				b.WriteByte('\n')
			}
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	// The hostile workflow regresses from 57/60 to 20/60; the other one
	// holds steady.
	base := write("baseline.jsonl", "base", func(wf, i int) bool { return i < 57 })
	cand := write("candidate.jsonl", "cand", func(wf, i int) bool { return (wf == 0 && i < 20) || (wf == 1 && i < 57) })
	r := runAction(t, map[string]string{"baseline": base, "candidate": cand}, nil)
	if r.exit != 1 || r.outputs["verdict"] != "fail" {
		t.Fatalf("exit %d, verdict %q; want 1 and fail\nstdout:\n%s\nstderr:\n%s", r.exit, r.outputs["verdict"], r.stdout, r.stderr)
	}

	// Workflow commands: only ftgate's own annotations, each carrying the
	// hostile text intact as data.
	cmds := runnerCommands(t, r.stdout+"\n"+r.stderr)
	regressed := false
	for _, c := range cmds {
		if !slices.Contains([]string{"error", "warning", "notice"}, c.name) || !strings.HasPrefix(c.props["title"], "ftgate") {
			t.Errorf("forged workflow command %+v", c)
		}
		if c.props["title"] == "ftgate: workflow "+strings.ReplaceAll(fmt.Sprintf("%q", bad), "##[", `#\x23[`)+" regressed" {
			regressed = true
		}
	}
	if !regressed {
		t.Errorf("no annotation for the regressed hostile workflow in %+v", cmds)
	}
	if len(cmds) == 0 || cmds[0].name != "error" || cmds[0].props["title"] != "ftgate: FAIL" {
		t.Errorf("first command %+v, want the FAIL annotation", cmds)
	}

	// The job summary: no HTML, whole tables, a sane chart.
	// ftgate's own collapsible sections are the only HTML.
	if strings.Contains(strings.NewReplacer("<details><summary>", "", "</summary>", "", "</details>", "").Replace(r.summary), "<") {
		t.Errorf("raw '<' in the job summary:\n%s", r.summary)
	}
	checkTables(t, r.summary)
	if !strings.Contains(r.summary, "&lt;script&gt;") || !strings.Contains(r.summary, `\|\`+"`tick\\`"+`\|`) {
		t.Errorf("the hostile name is not shown escaped:\n%s", r.summary)
	}
}

// checkTables checks that every row of every Markdown table has as many
// cells as the table's header, and that no line reads as a command.
func checkTables(t *testing.T, md string) {
	t.Helper()
	cols := -1
	for i, line := range strings.Split(md, "\n") {
		if LooksLikeCommand(line) {
			t.Errorf("summary line %d reads as a workflow command: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "|") {
			cols = -1
			continue
		}
		n := 0
		for j := 0; j < len(line); j++ {
			switch line[j] {
			case '\\':
				j++
			case '|':
				n++
			}
		}
		if cols < 0 {
			cols = n
		} else if n != cols {
			t.Errorf("summary line %d has %d pipes, its table %d: %q", i+1, n, cols, line)
		}
	}
}
