package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// compareEnv runs compare on examples/NAME with the given environment.
func compareEnv(t *testing.T, name string, env map[string]string, extra ...string) (int, string, string) {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", name)
	args := append([]string{"compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"),
		"--policy", filepath.Join(dir, "gate.yaml")}, extra...)
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	return code, stdout.String(), stderr.String()
}

func TestCompareWritesMarkdownAndJUnit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	md, junit := filepath.Join(dir, "summary.md"), filepath.Join(dir, "junit.xml")
	code, _, stderr := compareEnv(t, "cost-loss", nil, "--markdown", md, "--junit", junit)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	data, err := os.ReadFile(md)
	if err != nil || !strings.HasPrefix(string(data), "## ❌ ftgate: FAIL") {
		t.Errorf("--markdown: %v\n%s", err, data)
	}
	data, err = os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Failures == 0 {
		t.Errorf("--junit: %v, %d failures\n%s", err, doc.Failures, data)
	}
	if code, _, stderr := compareEnv(t, "pass", nil, "--junit", filepath.Join(dir, "no", "such", "dir", "j.xml")); code != 2 || !strings.Contains(stderr, "--junit") {
		t.Errorf("unwritable --junit: exit %d, stderr %q", code, stderr)
	}
}

func TestCompareInsideGitHubActions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, sum := filepath.Join(dir, "out"), filepath.Join(dir, "sum")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": out, "GITHUB_STEP_SUMMARY": sum}
	code, stdout, stderr := compareEnv(t, "pass", env, "--json", filepath.Join(dir, "r.json"))
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	outputs, _ := os.ReadFile(out)
	if !strings.Contains(string(outputs), "verdict<<") || !strings.Contains(string(outputs), "\npass\n") ||
		!strings.Contains(string(outputs), filepath.Join(dir, "r.json")) {
		t.Errorf("GITHUB_OUTPUT:\n%s", outputs)
	}
	summary, _ := os.ReadFile(sum)
	if !strings.HasPrefix(string(summary), "## ✅ ftgate: PASS") {
		t.Errorf("job summary:\n%s", summary)
	}
	if !strings.Contains(stdout, "::notice title=ftgate%3A PASS::") {
		t.Errorf("no annotation:\n%s", stdout)
	}

	// Outside Actions nothing of this is written.
	code, stdout, _ = compareEnv(t, "pass", map[string]string{"GITHUB_OUTPUT": out + "2"})
	if code != 0 || strings.Contains(stdout, "::") {
		t.Errorf("outside Actions: exit %d, stdout has commands:\n%s", code, stdout)
	}
	if _, err := os.Stat(out + "2"); err == nil {
		t.Errorf("GITHUB_OUTPUT written outside Actions")
	}
}

func TestCompareFailOnEnv(t *testing.T) {
	t.Parallel()
	code, _, _ := compareEnv(t, "inconclusive", nil)
	if code != 1 {
		t.Fatalf("inconclusive example: exit %d, want 1", code)
	}
	code, stdout, stderr := compareEnv(t, "inconclusive", map[string]string{"FTGATE_FAIL_ON": "fail"})
	if code != 0 || !strings.Contains(stderr, "does not fail") || !strings.Contains(stdout, "INCONCLUSIVE") {
		t.Errorf("FTGATE_FAIL_ON=fail: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = compareEnv(t, "inconclusive", map[string]string{"FTGATE_FAIL_ON": "nope"})
	if code != 1 || !strings.Contains(stderr, "ftgate: warning: FTGATE_FAIL_ON=\"nope\"") {
		t.Errorf("FTGATE_FAIL_ON=nope: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := compareEnv(t, "cost-loss", map[string]string{"FTGATE_FAIL_ON": "fail"}); code != 1 {
		t.Errorf("a FAIL verdict exited %d with FTGATE_FAIL_ON=fail", code)
	}
}

// With --json - inside Actions, standard output is the JSON report alone:
// the annotations go to standard error with the terminal report, and the
// step output "report" is empty (there is no file).
func TestJSONToStandardOutputInsideGitHubActions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, sum := filepath.Join(dir, "out"), filepath.Join(dir, "sum")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": out, "GITHUB_STEP_SUMMARY": sum}
	code, stdout, stderr := compareEnv(t, "pass", env, "--json", "-")
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); code != 0 || err != nil || rep["verdict"] != "pass" {
		t.Fatalf("exit %d, standard output is not the report alone (%v):\n%s", code, err, stdout)
	}
	if !strings.Contains(stderr, "::notice title=ftgate%3A PASS::") || !strings.HasPrefix(stderr, "ftgate: PASS") {
		t.Errorf("standard error lacks the report or the annotation:\n%s", stderr)
	}
	outputs, _ := os.ReadFile(out)
	if !strings.Contains(string(outputs), "report<<") || strings.Contains(string(outputs), "-\n") {
		t.Errorf("GITHUB_OUTPUT:\n%s", outputs)
	}
}

// An interrupt while the pull-request comment is being posted, after the
// reports are written: the run exits 130 and says the reports are there,
// rather than finishing with the verdict's exit code.
func TestInterruptDuringTheComment(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel() // the interrupt arrives while the API is answering
		<-r.Context().Done()
	}))
	defer srv.Close()
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"pull_request":{"number":7}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": filepath.Join(dir, "out"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "sum"),
		"FTGATE_COMMENT": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "o/r",
		"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": "t0ken"}
	ex := filepath.Join("..", "..", "examples", "pass")
	report := filepath.Join(dir, "r.json")
	var stdout, stderr bytes.Buffer
	code := Run(ctx, []string{"compare", "--baseline", filepath.Join(ex, "baseline.jsonl"), "--candidate", filepath.Join(ex, "candidate.jsonl"),
		"--policy", filepath.Join(ex, "gate.yaml"), "--json", report}, Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	if code != ExitInterrupted || !strings.Contains(stderr.String(), "ftgate: reports written; interrupted during the pull-request comment") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("the report: %v", err)
	}
}
