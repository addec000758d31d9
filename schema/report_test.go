package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/schema"
)

// A report written by report.JSON validates; one with a key the schema
// does not know, a verdict out of its list or a number where a string
// belongs does not. (internal/cli validates the report of every example.)
func TestReportAgainstSchema(t *testing.T) {
	d := &gate.Decision{Verdict: gate.Pass, Policy: gate.DefaultPolicy(),
		CaseChanges: []gate.CaseChange{{ID: "a", Workflow: "w", Change: gate.ChangeBroke,
			Baseline:  gate.CaseOutcome{Samples: 1, Accepted: 1, CostUSD: 0.01},
			Candidate: gate.CaseOutcome{Samples: 1, Classes: []string{"tone"}, CostUSD: 0.004}, CostChangeUSD: -0.006}},
		Provenance: gate.Provenance{PolicyFile: "gate.yaml", PolicySHA256: "ab", Version: "v1"}}
	data, err := report.JSON(d, []report.Input{{Role: "baseline", File: "b.jsonl", Format: "native", System: "b", SHA256: "00", Samples: 1}})
	if err != nil {
		t.Fatal(err)
	}
	decode := func(s string) any {
		var doc any
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	if problems, err := schema.ValidateReport(decode(string(data))); err != nil || len(problems) > 0 {
		t.Fatalf("report.JSON's output breaks the schema: %v %+v\n%s", err, problems, data)
	}
	for _, tc := range []struct{ name, from, to, path string }{
		{"unknown key", `"schema": "ftgate.report/v1",`, `"schema": "ftgate.report/v1", "verdikt": "pass",`, ""},
		{"verdict", `"verdict": "pass"`, `"verdict": "maybe"`, "verdict"},
		{"type", `"paired": 0`, `"paired": "none"`, "cases.paired"},
		{"change", `"change": "broke"`, `"change": "worse"`, "case_changes.0.change"},
		{"policy key", `"inconclusive": "fail",`, `"inconclusive": "fail", "alfa": 1,`, "policy"},
	} {
		mutated := strings.Replace(string(data), tc.from, tc.to, 1)
		if mutated == string(data) {
			t.Fatalf("%s: %q is not in the report", tc.name, tc.from)
		}
		problems, err := schema.ValidateReport(decode(mutated))
		if err != nil || len(problems) == 0 {
			t.Errorf("%s: the schema accepts the mutated report (%v)", tc.name, err)
			continue
		}
		if tc.path != "" && problems[0].Path != tc.path {
			t.Errorf("%s: problem at %q (%s), want %q", tc.name, problems[0].Path, problems[0].Message, tc.path)
		}
	}
}
