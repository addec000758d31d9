package gate

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func ptr[T any](v T) *T { return &v }

// approx compares floats to 1e-9 relative, with NaN equal to NaN and
// infinities equal to themselves.
var approx = cmp.Options{
	cmpopts.EquateApprox(1e-9, 1e-12),
	cmpopts.EquateNaNs(),
}

// TestWorkedExample checks the worked example of docs/economics.md
// against the hand calculation written there:
//
//	F = 10 000 + 5 000 + 2 000·3 + 3 000                      = 24 000
//	retrain = (2 000 + 5 000)/4 (default cost, every 4 months) =  1 750 / month
//	M = 1 500 + 500 + 500 + 1 750                             =  4 250 / month
//	s = 0.0050 − 0.0020 = 0.0030;  s_cons = 0.0050·(1 − 0.5)  = 0.0025
//	S = 3 000 000·0.0030 − 4 250 = 4 750;  S_cons = 7 500 − 4 250 = 3 250
//	break-even = 24 000/4 750 = 5.0526 months (cons. 24 000/3 250 = 7.3846)
//	N* = (24 000/12 + 4 250)/0.0030 = 6 250/0.0030 = 2 083 333.3
//	N*_cons = 6 250/0.0025 = 2 500 000 ≤ 3 000 000, so volume is met
//	net value = 12·4 750 − 24 000 = 33 000 (cons. 12·3 250 − 24 000 = 15 000)
func TestWorkedExample(t *testing.T) {
	pol := DefaultPolicy()
	pol.Economics.AcceptedOutcomesPerMonth = ptr(3_000_000.0)
	pol.Economics.Costs = HiddenCosts{
		DataCuration: 10_000, AnnotationQC: 5_000, TrainingRun: 2_000, TrainingCycles: 3, DeploymentSetup: 3_000,
		HostingMonthly: 1_500, MonitoringMonthly: 500, MaintenanceMonthly: 500, RetrainEveryMonths: 4,
	}
	d := &Decision{Cost: Cost{Measured: true, BaselineCPA: 0.0050, CandidateCPA: 0.0020, Ratio: 0.4, CIHigh: 0.5}}
	d.Format.BaselineValidRate = math.NaN()
	d.Latency.BaselineP95 = math.NaN()
	e := economics(d, nil, Input{}, arm{}, arm{}, pol)

	type figures struct {
		F, M, Retrain, N, S, SCons, MonthlyS, MonthlySCons      float64
		BreakEven, BreakEvenCons, Volume, VolumeCons, Net, Net2 float64
	}
	want := figures{
		F: 24_000, M: 4_250, Retrain: 1_750, N: 3_000_000, S: 0.003, SCons: 0.0025, MonthlyS: 4_750, MonthlySCons: 3_250,
		BreakEven: 24_000.0 / 4_750, BreakEvenCons: 24_000.0 / 3_250, Volume: 6_250 / 0.003, VolumeCons: 2_500_000,
		Net: 33_000, Net2: 15_000,
	}
	got := figures{e.OneTimeUSD, e.MonthlyUSD, e.RetrainMonthlyUSD, e.AcceptedOutcomesPerMonth, e.SavingPerAcceptedUSD,
		e.SavingPerAcceptedConservativeUSD, e.MonthlySavingUSD, e.MonthlySavingConservativeUSD, e.BreakEvenMonths,
		e.BreakEvenMonthsConservative, e.BreakEvenMonthlyVolume, e.BreakEvenMonthlyVolumeConservative,
		e.NetValueHorizonUSD, e.NetValueHorizonConservativeUSD}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("worked example (-want +got):\n%s", diff)
	}
	if math.Abs(e.BreakEvenMonths-5.0526) > 1e-4 || math.Abs(e.BreakEvenMonthlyVolume-2_083_333.33) > 0.01 {
		t.Errorf("break-even %v months, volume %v: the rounded figures of docs/economics.md", e.BreakEvenMonths, e.BreakEvenMonthlyVolume)
	}
	var status []string
	for _, c := range e.Conditions {
		status = append(status, c.Name+"="+c.Status)
	}
	wantStatus := []string{"volume=met", "strict_format=not_measured", "latency=not_measured", "plateau=not_measured"}
	if diff := cmp.Diff(wantStatus, status); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if e.Met != 1 || e.Blocks {
		t.Errorf("met %d blocks %v, want 1 and not blocking (not enforced)", e.Met, e.Blocks)
	}
}

// TestBreakEvenEdges covers "never", a missing volume and a missing cost.
func TestBreakEvenEdges(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name                  string
		cost                  Cost
		volume                *float64
		wantMonths, wantVol   float64
		wantNet, wantVolState string
	}{
		{"no saving", Cost{Measured: true, BaselineCPA: 0.002, CandidateCPA: 0.003, CIHigh: 1.8}, ptr(1e6), inf, inf, "finite", StatusNotMet},
		{"saving below monthly costs", Cost{Measured: true, BaselineCPA: 0.002, CandidateCPA: 0.001, CIHigh: 0.6}, ptr(1000.0), inf, 1_000 * 4_250 / 0.001 / 1000, "finite", StatusNotMet},
		{"no volume", Cost{Measured: true, BaselineCPA: 0.002, CandidateCPA: 0.001, CIHigh: 0.6}, nil, math.NaN(), 4_250 / 0.001, "nan", StatusNotMeasured},
		{"cost not measured", Cost{Measured: false, BaselineCPA: math.NaN(), CandidateCPA: math.NaN(), CIHigh: math.NaN()}, ptr(1e6), math.NaN(), math.NaN(), "nan", StatusNotMeasured},
		{"candidate never accepted", Cost{Measured: true, BaselineCPA: 0.002, CandidateCPA: inf, CIHigh: math.NaN()}, ptr(1e6), inf, inf, "-inf", StatusNotMet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := DefaultPolicy()
			pol.Economics.AcceptedOutcomesPerMonth = tt.volume
			pol.Economics.Costs = HiddenCosts{HostingMonthly: 4_250, TrainingCycles: 1}
			d := &Decision{Cost: tt.cost}
			d.Format.BaselineValidRate, d.Latency.BaselineP95 = math.NaN(), math.NaN()
			e := economics(d, nil, Input{}, arm{}, arm{}, pol)
			if diff := cmp.Diff([]float64{tt.wantMonths, tt.wantVol}, []float64{e.BreakEvenMonths, e.BreakEvenMonthlyVolume}, approx); diff != "" {
				t.Errorf("break-even months and volume (-want +got):\n%s", diff)
			}
			net := "finite"
			switch {
			case math.IsNaN(e.NetValueHorizonUSD):
				net = "nan"
			case math.IsInf(e.NetValueHorizonUSD, -1):
				net = "-inf"
			}
			if net != tt.wantNet {
				t.Errorf("net value %v, want %s", e.NetValueHorizonUSD, tt.wantNet)
			}
			if got := e.Conditions[0].Status; got != tt.wantVolState {
				t.Errorf("volume condition %s (%s), want %s", got, e.Conditions[0].Detail, tt.wantVolState)
			}
		})
	}
}

// TestRequestsBasis: with requests_per_month the saving is the spend per
// request saved (docs/economics.md, "Requests or accepted outcomes").
// Baseline: 0.010 per request, accepts 50%; candidate 0.004, accepts
// 100%. Per request the saving is 0.006, so 10 000 requests save $60 a
// month; the CPA view would credit 5 000·(0.020 − 0.004) = $80.
func TestRequestsBasis(t *testing.T) {
	const n = 40
	base := make([]bool, n)
	cand := make([]bool, n)
	for i := range base {
		base[i] = i%2 == 0
		cand[i] = true
	}
	p := pairOf(t, buildCard("base", base, func(int) float64 { return 0.010 }), buildCard("cand", cand, func(int) float64 { return 0.004 }))
	pol := DefaultPolicy()
	pol.Statistics.Resamples = 2000
	pol.Economics.RequestsPerMonth = ptr(10_000.0)
	d, err := Decide(Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	e := d.Economics
	got := []float64{e.AcceptedOutcomesPerMonth, e.SavingPerAcceptedUSD, e.SavingPerRequestUSD, e.MonthlySavingUSD}
	want := []float64{5_000, 0.020 - 0.004, 0.006, 60}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("requests basis (-want +got):\n%s", diff)
	}
	// Constant costs: the per-request cost ratio has no spread.
	if math.Abs(e.SavingPerRequestConservativeUSD-0.006) > 1e-12 || e.VolumeBasis != BasisRequests {
		t.Errorf("conservative saving per request %v, basis %q", e.SavingPerRequestConservativeUSD, e.VolumeBasis)
	}
}

// buildCard makes a single-sample scorecard with the given outcomes and
// per-case costs (no cost when cost is nil).
func buildCard(name string, accepted []bool, cost func(i int) float64) *scorecard.Scorecard {
	sc := &scorecard.Scorecard{Source: name + ".jsonl", Format: "native", System: scorecard.System{Name: name}}
	for i, a := range accepted {
		s := scorecard.Sample{ID: fmt.Sprintf("c%03d", i), Sample: 1, Accepted: a, Line: i + 2}
		if cost != nil {
			s.CostUSD = ptr(cost(i))
		}
		sc.Samples = append(sc.Samples, s)
	}
	return sc
}

func pairOf(t *testing.T, cards ...*scorecard.Scorecard) *scorecard.Paired {
	t.Helper()
	p, err := scorecard.Pair(cards, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// thresholdCards builds a baseline and a candidate where the candidate
// clearly wins on quality and cost, the baseline's p95 latency is about
// 4 s (against a 2.5 s target) and its schema-valid rate is 80%.
func thresholdCards() (*scorecard.Scorecard, *scorecard.Scorecard) {
	const n = 400
	var b, c []bool
	for i := 0; i < n; i++ {
		b = append(b, i%10 < 7)
		c = append(c, i%10 < 9)
	}
	base := buildCard("base", b, func(int) float64 { return 0.010 })
	cand := buildCard("cand", c, func(int) float64 { return 0.002 })
	for i := range base.Samples {
		base.Samples[i].LatencyMS = ptr(3500 + float64(i%50)*20)
		base.Samples[i].SchemaValid = ptr(i%5 != 0)
		cand.Samples[i].LatencyMS = ptr(900 + float64(i%50)*10)
		cand.Samples[i].SchemaValid = ptr(true)
	}
	return base, cand
}

// TestThresholdRule: with enforce and fewer met conditions than required
// the verdict is FAIL with the threshold reason; with enough, economics
// does not block.
func TestThresholdRule(t *testing.T) {
	tests := []struct {
		name        string
		format      *float64
		enforce     bool
		wantMet     int
		wantVerdict Verdict
		wantReason  string
	}{
		{"one met, enforced", nil, true, 1, Fail, "Economics: fine-tuning does not clear the threshold rule (1 of 4 conditions); the policy requires 2 and enforces the rule."},
		{"two met, enforced", ptr(0.95), true, 2, Pass, "Economics: the threshold rule holds (2 of 4 conditions met, 2 required)."},
		{"one met, advice only", nil, false, 1, Pass, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, cand := thresholdCards()
			pol := DefaultPolicy()
			pol.Statistics.Resamples = 2000
			pol.Latency.MaxP95Ms = ptr(2500.0)
			pol.Format.MinValidRate = tt.format
			pol.Economics.Enforce = tt.enforce
			pol.Economics.AcceptedOutcomesPerMonth = ptr(100.0) // far too little volume
			pol.Economics.Costs = HiddenCosts{TrainingRun: 5_000, TrainingCycles: 2, HostingMonthly: 1_000}
			d, err := Decide(Input{Paired: pairOf(t, base, cand), Baselines: []int{0}, Candidate: 1}, pol)
			if err != nil {
				t.Fatal(err)
			}
			e := d.Economics
			if e.Met != tt.wantMet || e.Blocks != (tt.enforce && tt.wantMet < 2) {
				t.Errorf("met %d blocks %v; conditions %+v", e.Met, e.Blocks, e.Conditions)
			}
			if d.Verdict != tt.wantVerdict {
				t.Errorf("verdict %s, want %s; reasons %q", d.Verdict, tt.wantVerdict, d.Reasons)
			}
			last := d.Reasons[len(d.Reasons)-1]
			if tt.wantReason != "" && last != tt.wantReason {
				t.Errorf("last reason %q, want %q", last, tt.wantReason)
			}
			if tt.wantReason == "" && !hasPrefix(d.Warnings, "economics: fine-tuning does not clear the threshold rule (1 of 4 conditions)") {
				t.Errorf("no advice warning in %q", d.Warnings)
			}
		})
	}
}

func hasPrefix(ss []string, prefix string) bool {
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// TestPlateau runs the plateau condition on synthetic histories of the
// same 300 cases.
func TestPlateau(t *testing.T) {
	const n = 300
	// acceptance pattern: case i accepted when (i*7+shift)%100 < pct.
	card := func(name string, pct, shift int) *scorecard.Scorecard {
		acc := make([]bool, n)
		for i := range acc {
			acc[i] = (i*7+shift)%100 < pct
		}
		return buildCard(name, acc, func(int) float64 { return 0.01 })
	}
	tests := []struct {
		name    string
		history []*scorecard.Scorecard
		minRuns int
		want    string
		detail  string
	}{
		// Same acceptance as the current baseline two runs back, a few
		// cases swapped each way: gain 0, Tango interval about ±1.4 pts,
		// below min_gain 2 pts.
		{"flat", []*scorecard.Scorecard{card("v1", 70, 1), card("v2", 70, 2)}, 3, StatusMet, "gains +0.0 pts over v1, 2 runs back"},
		// The baseline rose from 50% to 70% in two runs.
		{"improving", []*scorecard.Scorecard{card("v1", 50, 0), card("v2", 60, 0)}, 3, StatusNotMet, "gains +20.0 pts over v1"},
		{"too few runs", []*scorecard.Scorecard{card("v1", 70, 0)}, 3, StatusNotMeasured, "2 baseline runs (1 from --baseline-history and the current one)"},
		{"min_runs counts the current run", []*scorecard.Scorecard{card("v1", 70, 0), card("v2", 70, 3)}, 4, StatusNotMeasured, "fewer than economics.plateau.min_runs 4"},
		{"other cases", []*scorecard.Scorecard{buildCard("v1", make([]bool, n+1), nil), card("v2", 70, 3)}, 3, StatusNotMeasured, "does not pair with the baseline"},
		{"no history", nil, 3, StatusNotMeasured, "no --baseline-history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := card("v3", 70, 0)
			cand := card("cand", 80, 0)
			pol := DefaultPolicy()
			pol.Statistics.Resamples = 1000
			pol.Economics.Plateau = PlateauPolicy{MinRuns: tt.minRuns, Window: 2, MinGain: 0.02}
			d, err := Decide(Input{Paired: pairOf(t, base, cand), Baselines: []int{0}, Candidate: 1, History: tt.history}, pol)
			if err != nil {
				t.Fatal(err)
			}
			if d.Economics == nil && len(tt.history) == 0 {
				return // economics is reported only when asked for
			}
			c := d.Economics.Conditions[3]
			if c.Name != CondPlateau || c.Status != tt.want || !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("plateau %s: %q; want %s containing %q", c.Status, c.Detail, tt.want, tt.detail)
			}
		})
	}
}

// TestFailureTables counts classes and transitions of a small example by
// hand.
//
//	case  baseline samples        candidate samples
//	c0    tone                    accepted              fixed: tone → accepted 1
//	c1    accepted                format                broke: accepted → format 1
//	c2    tone                    format                tone → format 1
//	c3    (no class)              (no class)            unlabelled → unlabelled 1
//	c4    accepted                accepted              left out
//	c5    tone, accepted          accepted, format      each of the 4 pairs ¼:
//	                                                    tone → accepted ¼, tone → format ¼,
//	                                                    accepted → format ¼ (accepted → accepted left out)
//
// Classes (rejected samples): tone 3 baseline / 0 candidate; format 0 / 3;
// unlabelled 1 / 1. Transitions: tone → accepted 1¼, accepted → format 1¼,
// tone → format 1¼, unlabelled → unlabelled 1.
func TestFailureTables(t *testing.T) {
	type s struct {
		acc   bool
		class string
	}
	cases := []struct{ b, c []s }{
		{[]s{{false, "tone"}}, []s{{true, ""}}},
		{[]s{{true, ""}}, []s{{false, "format"}}},
		{[]s{{false, "tone"}}, []s{{false, "format"}}},
		{[]s{{false, ""}}, []s{{false, ""}}},
		{[]s{{true, ""}}, []s{{true, ""}}},
		{[]s{{false, "tone"}, {true, ""}}, []s{{true, ""}, {false, "format"}}},
	}
	mk := func(ss []s) []*scorecard.Sample {
		var out []*scorecard.Sample
		for k, x := range ss {
			out = append(out, &scorecard.Sample{Sample: k + 1, Accepted: x.acc, FailureClass: x.class})
		}
		return out
	}
	var base, cand arm
	for _, c := range cases {
		base.samples = append(base.samples, mk(c.b))
		cand.samples = append(cand.samples, mk(c.c))
	}
	classes, trans, _ := failureTables(base, cand)
	wantClasses := []FailureClassCount{{"format", 0, 3}, {"tone", 3, 0}, {Unlabelled, 1, 1}}
	if diff := cmp.Diff(wantClasses, classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	wantTrans := []Transition{
		{Accepted, "format", 1.25}, {"tone", Accepted, 1.25}, {"tone", "format", 1.25}, {Unlabelled, Unlabelled, 1},
	}
	if diff := cmp.Diff(wantTrans, trans, approx); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

func TestMixDistance(t *testing.T) {
	tests := []struct {
		name       string
		eval, prod map[string]float64
		want       float64
	}{
		{"same", map[string]float64{"a": 0.5, "b": 0.5}, map[string]float64{"a": 0.5, "b": 0.5}, 0},
		{"shifted", map[string]float64{"a": 0.7, "b": 0.3}, map[string]float64{"a": 0.5, "b": 0.5}, 0.2},
		{"disjoint", map[string]float64{"a": 1}, map[string]float64{"b": 1}, 1},
		{"missing workflow", map[string]float64{"a": 0.6, "b": 0.4}, map[string]float64{"a": 0.5, "b": 0.3, "c": 0.2}, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MixDistance(tt.eval, tt.prod); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("MixDistance = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestChecklist: two "no" answers add the advice that baseline work has
// the better return.
func TestChecklist(t *testing.T) {
	base, cand := thresholdCards()
	pol := DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Checklist.ProductionMix = map[string]float64{"refunds": 1} // these cases have no workflow: distance 1
	d, err := Decide(Input{Paired: pairOf(t, base, cand), Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	var answers []string
	for _, it := range d.Checklist {
		answers = append(answers, it.Answer)
	}
	// No failure class anywhere, the mix is off, no segments, no economics.
	if diff := cmp.Diff([]string{AnswerNo, AnswerNo, AnswerNo, AnswerUnknown}, answers); diff != "" {
		t.Errorf("answers (-want +got):\n%s\n%+v", diff, d.Checklist)
	}
	if !hasPrefix(d.Warnings, "decision checklist: 3 of 4 points are answered no (1, 2, 3), so baseline work") {
		t.Errorf("warnings %q lack the checklist advice", d.Warnings)
	}
	if len(d.Tiers) != 2 || d.Tiers[0].Role != RoleBaseline || d.Tiers[1].Role != RoleCandidate || !d.Tiers[1].OnFrontier || d.Tiers[0].OnFrontier {
		t.Errorf("single-baseline tiers %+v", d.Tiers)
	}
}

func TestMarkFrontier(t *testing.T) {
	ts := []Tier{
		{Name: "cheap", Quality: 0.7, CPA: 1},
		{Name: "mid", Quality: 0.8, CPA: 2},
		{Name: "dominated", Quality: 0.75, CPA: 3},
		{Name: "best", Quality: 0.9, CPA: 5},
		{Name: "tie-of-mid", Quality: 0.8, CPA: 2},
		{Name: "no cost", Quality: 0.95, CPA: math.NaN()},
		{Name: "never accepted", Quality: 0, CPA: math.Inf(1)},
	}
	markFrontier(ts)
	var on []string
	for _, t := range ts {
		if t.OnFrontier {
			on = append(on, t.Name)
		}
	}
	if diff := cmp.Diff([]string{"cheap", "mid", "best", "tie-of-mid"}, on); diff != "" {
		t.Errorf("frontier (-want +got):\n%s", diff)
	}
}
