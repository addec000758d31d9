package gate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
)

// exampleInput reads a bundled example as the command line does: its
// policy, the given baseline scorecards and the candidate, paired.
func exampleInput(t *testing.T, dir string, baselines []string) (Input, Policy) {
	t.Helper()
	root := filepath.Join("..", "examples", dir)
	data, err := os.ReadFile(filepath.Join(root, "gate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := ParsePolicy("gate.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var arms []*scorecard.Scorecard
	in := Input{}
	for i, b := range baselines {
		arms = append(arms, readExample(t, root, b, pol))
		in.Baselines = append(in.Baselines, i)
	}
	arms = append(arms, readExample(t, root, "candidate.jsonl", pol))
	in.Candidate = len(arms) - 1
	in.Paired = pairOf(t, arms...)
	return in, pol
}

func readExample(t *testing.T, root, name string, pol Policy) *scorecard.Scorecard {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scorecard.Read(name, data, scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := scorecard.ApplyPricing(sc, pol.Pricing); err != nil {
		t.Fatal(err)
	}
	return sc
}

// decideExample runs the gate on a bundled example as the command line
// does.
func decideExample(t *testing.T, dir string, baselines, history []string) *Decision {
	t.Helper()
	in, pol := exampleInput(t, dir, baselines)
	for _, h := range history {
		in.History = append(in.History, readExample(t, filepath.Join("..", "examples", dir), h, pol))
	}
	d, err := Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRoutedExample: examples/routed/README.md routes order-status to the
// small tier, refund-email to the medium tier and policy-qa to the large
// tier, and the candidate FAILs on cost against that routed baseline.
func TestRoutedExample(t *testing.T) {
	d := decideExample(t, "routed", []string{"baseline-small.jsonl", "baseline-medium.jsonl", "baseline-large.jsonl"}, nil)
	want := map[string]string{
		"order-status": "support-rag-v7-small",
		"refund-email": "support-rag-v7-medium",
		"policy-qa":    "support-rag-v7-large",
	}
	if diff := cmp.Diff(want, d.Routed); diff != "" {
		t.Errorf("routed tiers (-want +got):\n%s", diff)
	}
	if d.Verdict != Fail || d.ExitCode != ExitNotPass || !d.Cost.Missed {
		t.Errorf("verdict %s exit %d cost missed %v; reasons %q", d.Verdict, d.ExitCode, d.Cost.Missed, d.Reasons)
	}
	// README: routed CPA 1.754 per 1k, candidate/routed ratio 1.497.
	if r := d.Cost.Ratio; r < 1.4965 || r > 1.4975 {
		t.Errorf("candidate/routed CPA ratio %v, want 1.497", r)
	}
	var roles, frontier []string
	for _, tr := range d.Tiers {
		roles = append(roles, tr.Role)
		if tr.OnFrontier {
			frontier = append(frontier, tr.Name)
		}
		if !(tr.QualityLow <= tr.Quality && tr.Quality <= tr.QualityHigh && tr.CPALow <= tr.CPA && tr.CPA <= tr.CPAHigh) {
			t.Errorf("tier %s: estimate outside its interval: %+v", tr.Name, tr)
		}
	}
	if diff := cmp.Diff([]string{RoleBaseline, RoleBaseline, RoleBaseline, RoleRouted, RoleCandidate}, roles); diff != "" {
		t.Errorf("tier roles (-want +got):\n%s", diff)
	}
	// The large tier is dominated by the routed baseline (same quality,
	// a third of the cost).
	if diff := cmp.Diff([]string{"support-rag-v7-small", "support-rag-v7-medium", RoutedName, "support-ft-mini-v5"}, frontier); diff != "" {
		t.Errorf("frontier (-want +got):\n%s", diff)
	}
}

// TestVolumeExample: examples/volume/README.md passes with 3 of 4
// conditions (volume, latency, plateau; not strict format).
func TestVolumeExample(t *testing.T) {
	d := decideExample(t, "volume", []string{"baseline.jsonl"},
		[]string{"baseline-history-1.jsonl", "baseline-history-2.jsonl", "baseline-history-3.jsonl"})
	if d.Verdict != Pass || d.ExitCode != ExitPass {
		t.Fatalf("verdict %s exit %d; reasons %q", d.Verdict, d.ExitCode, d.Reasons)
	}
	e := d.Economics
	var got []string
	for _, c := range e.Conditions {
		got = append(got, c.Name+"="+c.Status)
	}
	want := []string{"volume=met", "strict_format=not_met", "latency=met", "plateau=met"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if e.Met != 3 || e.Blocks || !e.Enforced {
		t.Errorf("met %d blocks %v enforced %v", e.Met, e.Blocks, e.Enforced)
	}
	// F = 18 000 + 9 000 + 2 500·4 + 5 000; M = 3 000 + 800 + 1 200 + 6 000/3.
	if e.OneTimeUSD != 42_000 || e.MonthlyUSD != 7_000 {
		t.Errorf("F = %v, M = %v; want 42 000 and 7 000", e.OneTimeUSD, e.MonthlyUSD)
	}
	if !strings.Contains(d.Reasons[len(d.Reasons)-1], "threshold rule holds (3 of 4 conditions met") {
		t.Errorf("last reason %q", d.Reasons[len(d.Reasons)-1])
	}
}

// TestRouting checks the routing rule on two workflows and three tiers,
// hand-made so that each tie-break is exercised (CPA = cost/accepted).
//
//	workflow a (10 cases): cheap 8 accepted at $1/case (CPA 1.25), mid 9 at $2 (2.22), top 9 at $2 (2.22)
//	workflow b (10 cases): cheap 9 at $1 (1.11), mid 9 at $1 (1.11), top 10 at $5 (5.00)
//	no workflow (10 cases): every tier 5 at $1 (2.00)
//
// max_quality_loss 0.01: a → mid (mid and top qualify, same CPA and
// acceptance, mid given first); b → top (the only one within 0.01 of
// 100%); no workflow → cheap (all equal, first given).
// max_quality_loss 0.1: a → cheap (80% is within 0.1 of 90%, cheapest);
// b → cheap (cheap and mid tie on CPA and acceptance, cheap first).
func TestRouting(t *testing.T) {
	type tier struct {
		name  string
		acc   map[string]int // accepted cases of 10 per workflow
		costs map[string]float64
	}
	tiers := []tier{
		{"cheap", map[string]int{"a": 8, "b": 9, "": 5}, map[string]float64{"a": 1, "b": 1, "": 1}},
		{"mid", map[string]int{"a": 9, "b": 9, "": 5}, map[string]float64{"a": 2, "b": 1, "": 1}},
		{"top", map[string]int{"a": 9, "b": 10, "": 5}, map[string]float64{"a": 2, "b": 5, "": 1}},
	}
	var cards []*scorecard.Scorecard
	for _, tr := range append(tiers, tier{"cand", map[string]int{"a": 10, "b": 10, "": 10}, map[string]float64{"a": 1, "b": 1, "": 1}}) {
		sc := &scorecard.Scorecard{Source: tr.name + ".jsonl", System: scorecard.System{Name: tr.name}}
		for _, w := range []string{"a", "b", ""} {
			for i := 0; i < 10; i++ {
				sc.Samples = append(sc.Samples, scorecard.Sample{ID: w + "-" + string(rune('0'+i)), Workflow: w, Sample: 1,
					Accepted: i < tr.acc[w], CostUSD: ptr(tr.costs[w])})
			}
		}
		cards = append(cards, sc)
	}
	p := pairOf(t, cards...)
	for _, tt := range []struct {
		loss float64
		want map[string]string
	}{
		{0.01, map[string]string{"a": "mid", "b": "top", NoWorkflow: "cheap"}},
		{0.1, map[string]string{"a": "cheap", "b": "cheap", NoWorkflow: "cheap"}},
	} {
		pol := DefaultPolicy()
		pol.Statistics.Resamples = 1000
		pol.Routing.MaxQualityLoss = tt.loss
		d := &Decision{}
		routed, err := routeBaseline(d, p, Input{Paired: p, Baselines: []int{0, 1, 2}, Candidate: 3}, pol)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, d.Routed); diff != "" {
			t.Errorf("loss %v: routed (-want +got):\n%s", tt.loss, diff)
		}
		// Each case takes its workflow's tier's outcome.
		for i, c := range p.Cases {
			w := c.Workflow
			if w == "" {
				w = NoWorkflow
			}
			k := map[string]int{"cheap": 0, "mid": 1, "top": 2}[d.Routed[w]]
			if routed.acc[i] != c.Arms[k].Accepted || routed.cost[i] != c.Arms[k].Cost {
				t.Errorf("loss %v: case %s takes acc %v cost %v, want tier %s's", tt.loss, c.ID, routed.acc[i], routed.cost[i], d.Routed[w])
			}
		}
	}
}

// TestRoutingOptimism cross-fits the routing rule by hand. Twenty cases in
// ten clusters of two (cluster k = case/2), one workflow, loss 0.1. The
// large tier (10 a case) fails cluster 0, the small tier (1 a case) fails
// clusters 5 and 6: in-sample 90% against 80%, within the loss, so the
// small tier routes everything: acceptance 80%, CPA 20/16 = 1.25.
//
// Folds are clusters mod 5. Fold 0 (clusters 0, 5) is routed by the other
// folds, where the large tier accepts 16/16 and the small 14/16: 0.125 >
// 0.1, large; it accepts 2 of fold 0's 4 cases. Fold 1 (1, 6): 14/16
// each, small; 2 of 4. Folds 2–4: 14/16 against 12/16, large; 4 of 4
// each. Cross-fitted: acceptance 16/20 = 80%, cost 4·10 + 4·1 + 12·10 =
// 164 over 16 accepted = 10.25 per accepted outcome; 4 of the 5 choices
// differ from the in-sample one.
func TestRoutingOptimism(t *testing.T) {
	t.Parallel()
	card := func(name string, fails func(k int) bool, cost float64) *scorecard.Scorecard {
		acc := make([]bool, 20)
		for i := range acc {
			acc[i] = !fails(i / 2)
		}
		sc := buildCard(name, acc, func(int) float64 { return cost })
		for i := range sc.Samples {
			sc.Samples[i].Cluster = fmt.Sprintf("k%02d", i/2)
		}
		return sc
	}
	large := card("large", func(k int) bool { return k == 0 }, 10)
	small := card("small", func(k int) bool { return k == 5 || k == 6 }, 1)
	cand := card("cand", func(int) bool { return false }, 1)
	pol := DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Routing.MaxQualityLoss = 0.1
	d, err := Decide(Input{Paired: pairOf(t, large, small, cand), Baselines: []int{0, 1}, Candidate: 2}, pol)
	if err != nil {
		t.Fatal(err)
	}
	want := &RoutingCheck{Folds: 5, Acceptance: 0.8, CrossFitAcceptance: 0.8, CPA: 1.25, CrossFitCPA: 10.25, Changed: 4}
	if diff := cmp.Diff(want, d.RoutingCheck, approx); diff != "" {
		t.Errorf("routing check (-want +got):\n%s", diff)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "routing: the routed baseline is chosen on the cases it is evaluated on; chosen on other cases (5-fold cross-fitting) it accepts 80.0% instead of 80.0% at $10.25 instead of $1.25 per accepted outcome") {
		t.Errorf("warnings:\n%s", strings.Join(d.Warnings, "\n"))
	}
}
