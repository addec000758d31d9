package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/schema"
)

// mergeRun writes a native JSONL run of system sys with run id runID (none
// when empty) and the given case lines.
func mergeRun(t *testing.T, dir, name, sys, runID string, cases ...string) string {
	t.Helper()
	head := fmt.Sprintf(`{"scorecard": 1, "system": {"name": %q}`, sys)
	if runID != "" {
		head += fmt.Sprintf(`, "run": {"id": %q}`, runID)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(head+"}\n"+strings.Join(cases, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMerge(t *testing.T) {
	a := `{"id": "a", "accepted": true, "cost_usd": 0.001, "cluster": "t1"}`
	b := `{"id": "b", "accepted": false, "cost_usd": 0.002, "cluster": "t1"}`
	c := `{"id": "c", "accepted": true, "cost_usd": 0.0015}`
	aAgain := `{"id": "a", "accepted": false, "cost_usd": 0.0011, "cluster": "t1"}`
	tests := []struct {
		name  string
		runs  [][]string // each: name, system, run id, cases...
		flags []string
		code  int
		// want is a substring of stderr (code 2) or of the merged file.
		want string
	}{
		{"first run creates the evidence", [][]string{{"r1.jsonl", "cand", "run-1", a, b}}, nil, 0,
			`{"id":"a","sample":0,"cluster":"t1","accepted":true,"cost_usd":0.001,"batch":"run-1"}`},
		{"new cases are a second batch", [][]string{{"r1.jsonl", "cand", "run-1", a, b}, {"r2.jsonl", "cand", "run-2", c}}, nil, 0,
			`{"id":"c","sample":0,"accepted":true,"cost_usd":0.0015,"batch":"run-2"}`},
		{"a batch label is merged once", [][]string{{"r1.jsonl", "cand", "run-1", a}, {"r2.jsonl", "cand", "run-1", c}}, nil, 2,
			`r2.jsonl: batch "run-1" is already in`},
		{"a copy of a run under another label is refused", [][]string{{"r1.jsonl", "cand", "run-1", a, b}, {"r2.jsonl", "cand", "run-2", b, a}}, nil, 2,
			`the run's 2 samples are identical to batch "run-1"`},
		{"a repeated sample number is refused", [][]string{{"r1.jsonl", "cand", "run-1", a}, {"r2.jsonl", "cand", "run-2", aAgain}}, nil, 2,
			`r2.jsonl:2: case "a" sample 0 is already in`},
		{"renumber makes a re-run new samples", [][]string{{"r1.jsonl", "cand", "run-1", a}, {"r2.jsonl", "cand", "run-2", aAgain}}, []string{"--renumber"}, 0,
			`{"id":"a","sample":1,"cluster":"t1","accepted":false,"cost_usd":0.0011,"batch":"run-2"}`},
		{"another system is refused", [][]string{{"r1.jsonl", "cand", "run-1", a}, {"r2.jsonl", "base", "run-2", c}}, nil, 2,
			`r2.jsonl:1: the run is of system "base" but`},
		{"a case moving cluster is refused", [][]string{{"r1.jsonl", "cand", "run-1", a}, {"r2.jsonl", "cand", "run-2", `{"id": "a", "sample": 1, "accepted": true, "cost_usd": 0.001, "cluster": "t9"}`}}, nil, 2,
			`case "a" has workflow "" and cluster "t9", but`},
		{"without a run id the label is a digest", [][]string{{"r1.jsonl", "cand", "", a}}, nil, 0, `"batch":"sha256:`},
		{"--batch names the batch", [][]string{{"r1.jsonl", "cand", "run-1", a}}, []string{"--batch", "ci-1234"}, 0, `"batch":"ci-1234"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ev := filepath.Join(dir, "evidence.jsonl")
			var code int
			var stderr string
			for _, r := range tc.runs {
				path := mergeRun(t, dir, r[0], r[1], r[2], r[3:]...)
				args := append([]string{"merge", "--into", ev}, tc.flags...)
				code, _, stderr = run(t, "", append(args, path)...)
				if code != 0 {
					break
				}
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			got := stderr
			if code == 0 {
				data, err := os.ReadFile(ev)
				if err != nil {
					t.Fatal(err)
				}
				got = string(data)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("want %q in:\n%s", tc.want, got)
			}
			// The evidence file is replaced whole or not at all: no
			// temporary file is left behind.
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// A re-run merged without --renumber repeats every case's sample number:
// said once with the count, not once a case.
func TestMergeReRunSaidOnce(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "evidence.jsonl")
	var first, again []string
	for i := range 10 {
		first = append(first, fmt.Sprintf(`{"id": "q%02d", "accepted": true}`, i))
		again = append(again, fmt.Sprintf(`{"id": "q%02d", "accepted": %v}`, i, i%2 == 0))
	}
	r1 := mergeRun(t, dir, "r1.jsonl", "cand", "run-1", first...)
	r2 := mergeRun(t, dir, "r2.jsonl", "cand", "run-2", again...)
	if code, _, stderr := run(t, "", "merge", "--into", ev, r1); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := run(t, "", "merge", "--into", ev, r2)
	want := r2 + `:2: 10 of the run's 10 samples repeat a case and sample number already in ` + ev + ` (the first: case "q00" sample 0, from ` + ev +
		` line 2); a re-run needs new sample numbers: use --renumber to number them after each case's last sample` + "\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
}

// A refused merge leaves the evidence as it was.
func TestMergeRefusedLeavesEvidence(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "evidence.jsonl")
	r1 := mergeRun(t, dir, "r1.jsonl", "cand", "run-1", `{"id": "a", "accepted": true}`)
	if code, _, stderr := run(t, "", "merge", "--into", ev, r1); code != 0 {
		t.Fatal(stderr)
	}
	before, _ := os.ReadFile(ev)
	if code, _, _ := run(t, "", "merge", "--into", ev, r1); code != 2 {
		t.Fatalf("merging a run twice: exit %d, want 2", code)
	}
	after, _ := os.ReadFile(ev)
	if string(before) != string(after) {
		t.Errorf("the evidence changed:\n%s\n→\n%s", before, after)
	}
}

func TestMergeUsage(t *testing.T) {
	dir := t.TempDir()
	r1 := mergeRun(t, dir, "r1.jsonl", "cand", "run-1", `{"id": "a", "accepted": true}`)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", r1}, "ftgate: merge needs --into FILE (see 'ftgate merge --help')"},
		{[]string{"merge", "--into", filepath.Join(dir, "e.jsonl")}, "merge needs at least one RUN scorecard"},
		{[]string{"merge", "--into", r1, r1}, "is both the evidence file and a run"},
		{[]string{"merge", "--into", filepath.Join(dir, "e.jsonl"), "--batch", "x", r1, r1}, "--batch labels one run"},
	} {
		code, _, stderr := run(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// Evidence merged run by run is gated in sequential mode, and the report
// counts its batches as looks.
func TestMergeThenSequentialCompare(t *testing.T) {
	dir := t.TempDir()
	evB, evC := filepath.Join(dir, "baseline.jsonl"), filepath.Join(dir, "candidate.jsonl")
	for k := 1; k <= 3; k++ {
		var bs, cs []string
		for i := 0; i < 60; i++ {
			id := fmt.Sprintf("k%d-%02d", k, i)
			bs = append(bs, fmt.Sprintf(`{"id": %q, "accepted": %v, "cost_usd": 0.002}`, id, i%4 != 0))
			cs = append(cs, fmt.Sprintf(`{"id": %q, "accepted": %v, "cost_usd": 0.001}`, id, i%10 != 0))
		}
		rb := mergeRun(t, dir, fmt.Sprintf("b%d.jsonl", k), "base", fmt.Sprint("b-run-", k), bs...)
		rc := mergeRun(t, dir, fmt.Sprintf("c%d.jsonl", k), "cand", fmt.Sprint("c-run-", k), cs...)
		for _, m := range [][2]string{{evB, rb}, {evC, rc}} {
			if code, _, stderr := run(t, "", "merge", "--into", m[0], m[1]); code != 0 {
				t.Fatal(stderr)
			}
		}
	}
	pol := filepath.Join(dir, "gate.yaml")
	if err := os.WriteFile(pol, []byte("statistics: {sequential: true}\npower: {effect: 0.12}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	code, stdout, stderr := run(t, "", "compare", "--baseline", evB, "--candidate", evC, "--policy", pol, "--json", report)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "sequential gate (confidence sequences, valid at every look): 3 looks so far, 180 candidate and 180 baseline samples") {
		t.Errorf("report:\n%s", stdout)
	}
	var r struct {
		Sequential struct {
			Looks   int `json:"looks"`
			History []struct {
				Cases int `json:"cases"`
			} `json:"history"`
		} `json:"sequential"`
	}
	data, _ := os.ReadFile(report)
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if problems, err := schema.ValidateReport(doc); err != nil || len(problems) > 0 {
		t.Errorf("the sequential report breaks schema/report.schema.json: %v %+v", err, problems)
	}
	if r.Sequential.Looks != 3 || len(r.Sequential.History) != 3 || r.Sequential.History[1].Cases != 120 {
		t.Errorf("sequential block %+v", r.Sequential)
	}
}

// The sequential example, as its README runs it: each batch merged into
// the pooled evidence, the gate run after each merge.
func TestSequentialExample(t *testing.T) {
	dir := t.TempDir()
	ex := filepath.Join("..", "..", "examples", "sequential")
	want := []struct {
		code    int
		verdict string
	}{{1, "INCONCLUSIVE"}, {1, "INCONCLUSIVE"}, {0, "PASS"}}
	for k := 1; k <= 3; k++ {
		for _, side := range []string{"baseline", "candidate"} {
			if code, _, stderr := run(t, "", "merge", "--into", filepath.Join(dir, side+".jsonl"), filepath.Join(ex, fmt.Sprintf("%s-%d.jsonl", side, k))); code != 0 {
				t.Fatalf("merge batch %d: %s", k, stderr)
			}
		}
		code, stdout, stderr := run(t, "", "compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"),
			"--policy", filepath.Join(ex, "gate.yaml"))
		if code != want[k-1].code || !strings.HasPrefix(stdout, "ftgate: "+want[k-1].verdict) {
			t.Errorf("after batch %d: exit %d, want %d (%s)\n%s%s", k, code, want[k-1].code, want[k-1].verdict, stdout, stderr)
		}
		looks := fmt.Sprintf("%d looks so far", k)
		if k == 1 {
			looks = "1 look so far"
		}
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), looks) {
			t.Errorf("after batch %d the report does not say %q", k, looks)
		}
	}
}
