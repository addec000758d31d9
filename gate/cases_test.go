package gate_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCaseChanges lists, by hand, what changed on each case of a small
// pair of scorecards with repeated samples and failure classes.
func TestCaseChanges(t *testing.T) {
	t.Parallel()
	base := readJSONL(t, "b.jsonl", `{"id":"a","workflow":"w1","accepted":true,"cost_usd":0.010}
{"id":"b","workflow":"w1","accepted":false,"failure_class":"tone","cost_usd":0.010}
{"id":"c","workflow":"w2","accepted":false,"failure_class":"tone","cost_usd":0.020}
{"id":"d","workflow":"w2","accepted":false,"cost_usd":0.010}
{"id":"e","workflow":"w2","accepted":true,"cost_usd":0.010}
{"id":"f","workflow":"w1","sample":0,"accepted":true,"cost_usd":0.010}
{"id":"f","workflow":"w1","sample":1,"accepted":false,"failure_class":"format","cost_usd":0.030}
`)
	cand := readJSONL(t, "c.jsonl", `{"id":"a","workflow":"w1","accepted":false,"failure_class":"wrong-policy","cost_usd":0.004}
{"id":"b","workflow":"w1","accepted":true,"cost_usd":0.004}
{"id":"c","workflow":"w2","accepted":false,"failure_class":"format","cost_usd":0.004}
{"id":"d","workflow":"w2","accepted":false,"cost_usd":0.004}
{"id":"e","workflow":"w2","accepted":true,"cost_usd":0.004}
{"id":"f","workflow":"w1","sample":0,"accepted":false,"failure_class":"tone","cost_usd":0.004}
{"id":"f","workflow":"w1","sample":1,"accepted":false,"cost_usd":0.002}
`)
	p, err := scorecard.Pair([]*scorecard.Scorecard{base, cand}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1,
		Provenance: gate.Provenance{PolicyFile: "gate.yaml", PolicySHA256: "ab12", Version: "v9"}}, gate.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	one := func(accepted int, cost float64, classes ...string) gate.CaseOutcome {
		return gate.CaseOutcome{Samples: 1, Accepted: accepted, Classes: classes, CostUSD: cost}
	}
	want := []gate.CaseChange{
		// Broken first, by workflow then id: a (w1), f (w1, 1 of 2 → 0 of 2).
		{ID: "a", Workflow: "w1", Change: gate.ChangeBroke, Baseline: one(1, 0.010), Candidate: one(0, 0.004, "wrong-policy"), CostChangeUSD: 0.004 - 0.010},
		{ID: "f", Workflow: "w1", Change: gate.ChangeBroke,
			Baseline:      gate.CaseOutcome{Samples: 2, Accepted: 1, Classes: []string{"format"}, CostUSD: 0.020},
			Candidate:     gate.CaseOutcome{Samples: 2, Accepted: 0, Classes: []string{gate.Unlabelled, "tone"}, CostUSD: 0.003},
			CostChangeUSD: 0.003 - 0.020},
		{ID: "b", Workflow: "w1", Change: gate.ChangeFixed, Baseline: one(0, 0.010, "tone"), Candidate: one(1, 0.004), CostChangeUSD: 0.004 - 0.010},
		{ID: "c", Workflow: "w2", Change: gate.ChangeClass, Baseline: one(0, 0.020, "tone"), Candidate: one(0, 0.004, "format"), CostChangeUSD: 0.004 - 0.020},
		// d (unlabelled on both sides) and e (accepted on both) did not change.
	}
	if diff := cmp.Diff(want, d.CaseChanges, cmpopts.EquateApprox(0, 1e-15), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("case changes (-want +got):\n%s", diff)
	}
	if got := []string{want[0].Candidate.Label(), want[1].Baseline.Label(), d.CaseChanges[2].Candidate.Label()}; !cmp.Equal(got, []string{"wrong-policy", "1 of 2 accepted", "accepted"}) {
		t.Errorf("labels %q", got)
	}
	if broke, fixed, class := gate.CountChanges(d.CaseChanges); broke != 2 || fixed != 1 || class != 1 {
		t.Errorf("CountChanges = %d, %d, %d; want 2, 1, 1", broke, fixed, class)
	}
	if !d.CaseChanges[1].HasClass("tone") || d.CaseChanges[1].HasClass("wrong-policy") {
		t.Error("HasClass looks at neither or the wrong side")
	}
	if !cmp.Equal(d.Provenance, gate.Provenance{PolicyFile: "gate.yaml", PolicySHA256: "ab12", Version: "v9"}) {
		t.Errorf("provenance not copied: %+v", d.Provenance)
	}
	// With one sample per case, the transition table counts exactly the
	// listed changes (f, with two samples, spreads its unit over pairs).
	var broke float64
	for _, tr := range d.FailureTransitions {
		if tr.From == gate.Accepted {
			broke += tr.Cases
		}
	}
	if broke != 1+0.5 {
		t.Errorf("transitions from accepted add up to %v, want 1.5 (case a, and half of f)", broke)
	}
}

// TestCaseChangesNoCost: without costs the cost change is NaN.
func TestCaseChangesNoCost(t *testing.T) {
	t.Parallel()
	d := decide(t, 40, armSpec{acc: func(i int) bool { return i < 20 }}, armSpec{acc: func(i int) bool { return i < 21 }}, gate.DefaultPolicy())
	if len(d.CaseChanges) != 1 || d.CaseChanges[0].ID != "c0020" || !math.IsNaN(d.CaseChanges[0].CostChangeUSD) {
		t.Errorf("case changes %+v; want c0020 fixed with a NaN cost change", d.CaseChanges)
	}
}

// TestSegmentMDE checks the smallest detectable drop of a segment against
// Connor's (1987) closed form, solved here independently: with ψ the
// discordant share, the one-sided level-a test of n pairs detects δ with
// power 1 − b when n = (z_a·√ψ + z_b·√(ψ − δ²))² / δ². Two segments are
// tested, so the level is α/2 = 0.025; the quantiles are scipy's
// norm.ppf(0.975) and norm.ppf(0.9).
func TestSegmentMDE(t *testing.T) {
	t.Parallel()
	const za, zb = 1.959963984540054, 1.2815515655446004
	// Workflow "a": cases 0-99; the baseline accepts 0-69, the candidate
	// 0-59 and 70-89: 20 candidate-only and 10 baseline-only, ψ = 0.3.
	// Workflow "b": cases 100-159, accepted alike by both.
	wf := func(i int) string {
		if i < 100 {
			return "a"
		}
		return "b"
	}
	base := armSpec{acc: func(i int) bool { return i < 70 || i >= 130 }, workflow: wf}
	cand := armSpec{acc: func(i int) bool { return i < 60 || (i >= 70 && i < 90) || i >= 130 }, workflow: wf}
	pol := gate.DefaultPolicy()
	pol.Cost.Required = false
	d := decide(t, 160, base, cand, pol)
	if d.Quality.Method != "mcnemar-exact" || len(d.Segments) != 2 {
		t.Fatalf("method %s, %d segments", d.Quality.Method, len(d.Segments))
	}
	delta := d.Segments[0].MDE
	psi := 0.3
	n := math.Pow(za*math.Sqrt(psi)+zb*math.Sqrt(psi-delta*delta), 2) / (delta * delta)
	if math.Abs(n-100) > 1e-6 {
		t.Errorf("segment a: MDE %v gives n = %v by Connor's formula, want 100", delta, n)
	}
	var item gate.ChecklistItem
	for _, it := range d.Checklist {
		if it.Question == gate.QuestionRegression {
			item = it
		}
	}
	if item.Answer != gate.AnswerYes || !strings.Contains(item.Detail, "2 of 2 workflows tested") {
		t.Errorf("regression item %+v; want yes, 2 of 2 tested", item)
	}
	a, b := numfmt.Points(d.Segments[0].MDE)[1:], numfmt.Points(d.Segments[1].MDE)[1:]
	want := fmt.Sprintf(`with 90.0%% power the tests see a drop of %s ("b") to %s ("a") or more`, b, a)
	if d.Segments[0].MDE < d.Segments[1].MDE {
		want = fmt.Sprintf(`with 90.0%% power the tests see a drop of %s ("a") to %s ("b") or more`, a, b)
	}
	if !strings.Contains(item.Detail, want) {
		t.Errorf("regression item detail %q lacks %q", item.Detail, want)
	}
}
