package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/golden"
)

// acceptedIn reads which cases of a native JSONL scorecard are accepted,
// with their workflow, straight from the file.
func acceptedIn(t *testing.T, path string) (accepted map[string]bool, workflow map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	accepted, workflow = map[string]bool{}, map[string]string{}
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		var rec struct {
			ID       string `json:"id"`
			Workflow string `json:"workflow"`
			Accepted bool   `json:"accepted"`
		}
		if err := json.Unmarshal(s.Bytes(), &rec); err != nil || rec.ID == "" {
			continue // the header line
		}
		accepted[rec.ID], workflow[rec.ID] = rec.Accepted, rec.Workflow
	}
	return accepted, workflow
}

// The cases behind the report can be listed and filtered: the broken
// cases of the regressed workflow are exactly those its baseline
// accepted and its candidate did not, counted here from the scorecards.
func TestListCases(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "examples", "segment-regression")
	rep := filepath.Join(t.TempDir(), "report.json")
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"),
		"--policy", filepath.Join(dir, "gate.yaml"), "--json", rep}, Env{Stdout: &out, Stderr: &errb})
	if code != 1 {
		t.Fatalf("compare: exit %d: %s", code, errb.String())
	}
	base, wf := acceptedIn(t, filepath.Join(dir, "baseline.jsonl"))
	cand, _ := acceptedIn(t, filepath.Join(dir, "candidate.jsonl"))
	var want []string
	for id, ok := range base {
		if ok && !cand[id] && wf[id] == "policy-qa" {
			want = append(want, id)
		}
	}

	list := func(o casesOptions) (string, error) {
		var buf bytes.Buffer
		o.report = rep
		err := listCases(o, Env{Stdout: &buf})
		return buf.String(), err
	}
	csvOut, err := list(casesOptions{changes: []string{gate.ChangeBroke}, workflow: "policy-qa", csv: true})
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(csvOut), "\n")
	if len(rows)-1 != len(want) || len(want) == 0 {
		t.Errorf("%d broken policy-qa cases listed, %d in the scorecards", len(rows)-1, len(want))
	}
	for _, id := range want {
		if !strings.Contains(csvOut, "\n"+id+",policy-qa,broke,accepted,") {
			t.Errorf("case %s is not listed as broken:\n%s", id, csvOut)
		}
	}
	golden.Check(t, filepath.Join("testdata", "golden", "cases-broke-policy-qa.csv"), csvOut)

	table, err := list(casesOptions{changes: []string{gate.ChangeBroke}, workflow: "policy-qa", class: "wrong-policy"})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "cases-broke-policy-qa-wrong-policy.txt"), table)
	for i, line := range strings.Split(table, "\n") {
		if len([]rune(line)) > 100 {
			t.Errorf("line %d is %d columns: %q", i+1, len([]rune(line)), line)
		}
	}

	if _, err := list(casesOptions{workflow: "policy-q"}); err == nil || !strings.Contains(err.Error(), `--workflow "policy-q": no changed case has it; did you mean "policy-qa"?`) {
		t.Errorf("a mistyped workflow: %v", err)
	}
	if _, err := list(casesOptions{class: "nonsense"}); err == nil || !strings.Contains(err.Error(), "no changed case has it") {
		t.Errorf("an unknown class: %v", err)
	}
	notReport := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(notReport, []byte(`{"schema":"other"}`), 0o644)
	if err := listCases(casesOptions{report: notReport}, Env{Stdout: &bytes.Buffer{}}); err == nil || !strings.Contains(err.Error(), `schema "other"`) {
		t.Errorf("not a report: %v", err)
	}
}

// Text from a scorecard that a spreadsheet would run is defused in CSV.
func TestCaseCSVDefusesFormulas(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	cs := []gate.CaseChange{{ID: "=HYPERLINK(\"x\")", Workflow: "@w", Change: gate.ChangeFixed,
		Baseline: gate.CaseOutcome{Samples: 1, Classes: []string{"-x"}}, Candidate: gate.CaseOutcome{Samples: 1, Accepted: 1}}}
	if err := listCasesTo(&buf, cs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"'=HYPERLINK(""x"")",'@w,fixed,'-x,accepted,'-x,,0,0,0`) {
		t.Errorf("CSV %q", buf.String())
	}
}
