package gate_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// armSpec describes one synthetic scorecard: n single-sample cases.
type armSpec struct {
	acc      func(i int) bool
	cost     func(i int) float64 // nil: no cost
	latency  func(i int) float64 // nil: no latency
	workflow func(i int) string  // nil: no workflow
}

func build(t *testing.T, name string, n int, s armSpec) *scorecard.Scorecard {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"id":"c%04d","accepted":%v`, i, s.acc(i))
		if s.cost != nil {
			fmt.Fprintf(&b, `,"cost_usd":%v`, s.cost(i))
		}
		if s.latency != nil {
			fmt.Fprintf(&b, `,"latency_ms":%v`, s.latency(i))
		}
		if s.workflow != nil {
			fmt.Fprintf(&b, `,"workflow":%q`, s.workflow(i))
		}
		b.WriteString("}\n")
	}
	sc, err := scorecard.Read(name, []byte(b.String()), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func decide(t *testing.T, n int, base, cand armSpec, pol gate.Policy) *gate.Decision {
	t.Helper()
	p, err := scorecard.Pair([]*scorecard.Scorecard{build(t, "b.jsonl", n, base), build(t, "c.jsonl", n, cand)}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func constCost(c float64) func(int) float64 { return func(int) float64 { return c } }

// 200 cases: the baseline accepts 0-139 (70%), the candidate 0-129 and
// 140-179 (85%): b = 40 candidate-only, c = 10 baseline-only.
var (
	accB70 = func(i int) bool { return i < 140 }
	accC85 = func(i int) bool { return i < 130 || (i >= 140 && i < 180) }
	// costs: baseline 0.010 a case, candidate 0.004 (ratio (0.8/0.85)·... below 1).
	cheap = constCost(0.004)
	dear  = constCost(0.010)
)

func TestVerdicts(t *testing.T) {
	t.Parallel()
	def := gate.DefaultPolicy()
	def.Statistics.Resamples = 2000
	with := func(f func(*gate.Policy)) gate.Policy { p := def; f(&p); return p }
	for _, tc := range []struct {
		name       string
		base, cand armSpec
		pol        gate.Policy
		verdict    gate.Verdict
		code       int
		reason     string // a substring of some reason
	}{
		{"both met", armSpec{acc: accB70, cost: dear}, armSpec{acc: accC85, cost: cheap}, def, gate.Pass, 0, "so the gain over the margin +0.0 pts is established (mcnemar-exact)"},
		{"quality missed", armSpec{acc: accC85, cost: dear}, armSpec{acc: accB70, cost: cheap}, def, gate.Fail, 1, "lies below the margin"},
		{"cost missed", armSpec{acc: accB70, cost: cheap}, armSpec{acc: accC85, cost: dear}, def, gate.Fail, 1, "lies above the limit"},
		{"cost not measured", armSpec{acc: accB70}, armSpec{acc: accC85}, def, gate.Inconclusive, 1, "Cost: not measured"},
		{"cost not required", armSpec{acc: accB70}, armSpec{acc: accC85}, with(func(p *gate.Policy) { p.Cost.Required = false }), gate.Pass, 0, "decides on quality alone"},
		{"inconclusive warn", armSpec{acc: accB70}, armSpec{acc: accC85}, with(func(p *gate.Policy) { p.Inconclusive = "warn" }), gate.Inconclusive, 0, "inconclusive: warn"},
		{"no difference", armSpec{acc: accB70, cost: dear}, armSpec{acc: accB70, cost: cheap}, def, gate.Inconclusive, 1, "is not established"},
		{"latency broken", armSpec{acc: accB70, cost: dear, latency: constFloat(900)}, armSpec{acc: accC85, cost: cheap, latency: constFloat(3000)},
			with(func(p *gate.Policy) { p.Latency.MaxP95Ms = ptr(2500.0) }), gate.Fail, 1, "Constraint latency.max_p95_ms: broken, 3,000 ms against the limit 2,500 ms."},
		{"latency required, not measured", armSpec{acc: accB70, cost: dear}, armSpec{acc: accC85, cost: cheap},
			with(func(p *gate.Policy) { p.Latency.MaxP95Ms = ptr(2500.0); p.Latency.Required = true }), gate.Inconclusive, 1, "not measured, and the policy marks it required"},
		{"latency not required, not measured", armSpec{acc: accB70, cost: dear}, armSpec{acc: accC85, cost: cheap},
			with(func(p *gate.Policy) { p.Latency.MaxP95Ms = ptr(2500.0) }), gate.Pass, 0, "not measured (no data), not required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := decide(t, 200, tc.base, tc.cand, tc.pol)
			if d.Verdict != tc.verdict || d.ExitCode != tc.code {
				t.Errorf("verdict %s exit %d, want %s %d; reasons:\n%s", d.Verdict, d.ExitCode, tc.verdict, tc.code, strings.Join(d.Reasons, "\n"))
			}
			if !strings.Contains(strings.Join(d.Reasons, "\n"), tc.reason) {
				t.Errorf("no reason contains %q:\n%s", tc.reason, strings.Join(d.Reasons, "\n"))
			}
		})
	}
}

func constFloat(x float64) func(int) float64 { return func(int) float64 { return x } }

// The McNemar path's numbers, by hand: b = 40, c = 10, n = 200.
// Δ = (40 − 10)/200 = 0.15; p_B = 0.70, p_C = 0.85.
// CPA_B = 200·0.010/140, CPA_C = 200·0.004/170, ratio = (0.8/170)/(2/140) = 0.329411…
func TestQualityAndCostNumbers(t *testing.T) {
	t.Parallel()
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 2000
	d := decide(t, 200, armSpec{acc: accB70, cost: dear}, armSpec{acc: accC85, cost: cheap}, pol)
	q := d.Quality
	if q.Method != "mcnemar-exact" || q.Discordant == nil || q.Discordant.CandidateOnly != 40 || q.Discordant.BaselineOnly != 10 {
		t.Fatalf("method %s discordant %+v", q.Method, q.Discordant)
	}
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.15g, want %.15g", name, got, want)
		}
	}
	near("baseline", q.Baseline, 0.70, 1e-15)
	near("candidate", q.Candidate, 0.85, 1e-15)
	near("delta", q.Delta, 0.15, 1e-15)
	// R: binom.test(40, 50, 0.5, alternative = "greater")$p.value
	near("p", q.PValue, 1.19306658383778e-05, 1e-9*1.19306658383778e-05)
	near("ci level", q.CILevel, 0.90, 1e-15)
	c := d.Cost
	near("baseline CPA", c.BaselineCPA, 2.0/140, 1e-15)
	near("candidate CPA", c.CandidateCPA, 0.8/170, 1e-15)
	near("ratio", c.Ratio, (0.8/170)/(2.0/140), 1e-15)
	near("baseline total", c.BaselineTotalUSD, 2.0, 1e-12)
	near("candidate total", c.CandidateTotalUSD, 0.8, 1e-12)
	if !(c.CILow < c.Ratio && c.Ratio < c.CIHigh) || !(c.DeltaCILow < c.Ratio && c.Ratio < c.DeltaCIHigh) {
		t.Errorf("intervals [%v, %v] and [%v, %v] do not contain the ratio %v", c.CILow, c.CIHigh, c.DeltaCILow, c.DeltaCIHigh, c.Ratio)
	}
}

// A workflow that regresses while the total improves fails the gate, and
// the reason names it.
func TestSegmentRegressionFails(t *testing.T) {
	t.Parallel()
	wf := func(i int) string {
		if i < 100 {
			return "policy-qa"
		}
		return "refund-email"
	}
	// policy-qa (0-99): baseline accepts 0-79, candidate 0-49 → drop of 30 pts.
	// refund-email (100-399): baseline accepts 100-199, candidate 100-379.
	base := armSpec{acc: func(i int) bool { return i < 80 || (i >= 100 && i < 200) }, cost: dear, workflow: wf}
	cand := armSpec{acc: func(i int) bool { return i < 50 || (i >= 100 && i < 380) }, cost: cheap, workflow: wf}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 2000
	d := decide(t, 400, base, cand, pol)
	if d.Verdict != gate.Fail || !d.Quality.Met {
		t.Fatalf("verdict %s, quality met %v", d.Verdict, d.Quality.Met)
	}
	if !strings.Contains(strings.Join(d.Reasons, "\n"), `Segment "policy-qa" regresses`) {
		t.Errorf("reasons do not name policy-qa:\n%s", strings.Join(d.Reasons, "\n"))
	}
	if len(d.Segments) != 2 || !d.Segments[0].Regression || d.Segments[1].Regression {
		t.Errorf("segments %+v", d.Segments)
	}
	// policy-qa: b = 0, c = 30 → P(X ≤ 0 | 30, ½) = 2^-30; Holm over two
	// segments doubles the smaller p-value.
	if got, want := d.Segments[0].PAdjusted, 2*math.Pow(2, -30); math.Abs(got-want) > 1e-20 {
		t.Errorf("policy-qa adjusted p = %g, want %g", got, want)
	}
	pol.Segments.BlockOnRegression = false
	if d := decide(t, 400, base, cand, pol); d.Verdict != gate.Pass {
		t.Errorf("with block_on_regression false the verdict is %s", d.Verdict)
	}
}

func TestForcedMethodMustFitTheData(t *testing.T) {
	t.Parallel()
	b, err := scorecard.Read("b.jsonl", []byte("{\"id\":\"a\",\"cluster\":\"k\",\"accepted\":true}\n{\"id\":\"b\",\"cluster\":\"k\",\"accepted\":false}\n"), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := scorecard.Pair([]*scorecard.Scorecard{b, b}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pol := gate.DefaultPolicy()
	pol.Quality.Method = "mcnemar-exact"
	_, err = gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err == nil || !strings.Contains(err.Error(), "quality.method mcnemar-exact needs one sample per case") {
		t.Errorf("err = %v", err)
	}
}

func readJSONL(t *testing.T, name, data string) *scorecard.Scorecard {
	t.Helper()
	sc, err := scorecard.Read(name, []byte(data), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func decidePair(t *testing.T, b, c string, pol gate.Policy) *gate.Decision {
	t.Helper()
	p, err := scorecard.Pair([]*scorecard.Scorecard{readJSONL(t, "b.jsonl", b), readJSONL(t, "c.jsonl", c)}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Two clusters that show the same gain give the clustered t test a zero
// standard error; that is not proof. The exact sign test over the two
// clusters gives p = P(X ≥ 2 | 2, ½) = 0.25.
func TestZeroStandardErrorIsNotProof(t *testing.T) {
	t.Parallel()
	b := `{"id":"a","cluster":"k1","accepted":true,"cost_usd":1}
{"id":"b","cluster":"k1","accepted":false,"cost_usd":1}
{"id":"c","cluster":"k2","accepted":true,"cost_usd":1}
{"id":"d","cluster":"k2","accepted":false,"cost_usd":1}
`
	c := `{"id":"a","cluster":"k1","accepted":true,"cost_usd":0.5}
{"id":"b","cluster":"k1","accepted":true,"cost_usd":0.5}
{"id":"c","cluster":"k2","accepted":true,"cost_usd":0.5}
{"id":"d","cluster":"k2","accepted":true,"cost_usd":0.5}
`
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	d := decidePair(t, b, c, pol)
	if d.Verdict == gate.Pass {
		t.Fatalf("two identical clusters passed the gate:\n%s", strings.Join(d.Reasons, "\n"))
	}
	if d.Quality.PValue != 0.25 || !math.IsNaN(d.Quality.CILow) {
		t.Errorf("quality p = %v (want 0.25 from the sign test), interval [%v, %v] (want none)", d.Quality.PValue, d.Quality.CILow, d.Quality.CIHigh)
	}
	if d.Cost.Met {
		t.Errorf("the cost test was met on clusters with no variation (p = %v)", d.Cost.PValue)
	}
}

// A workflow whose cases all share one cluster cannot be tested: it is
// listed as not tested, with a warning, not as "ok".
func TestSegmentInOneClusterIsNotTested(t *testing.T) {
	t.Parallel()
	var b, c strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, `{"id":"m%03d","workflow":"main","accepted":%v,"cost_usd":1}`+"\n", i, i < 150)
		fmt.Fprintf(&c, `{"id":"m%03d","workflow":"main","accepted":%v,"cost_usd":0.5}`+"\n", i, i < 250)
	}
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, `{"id":"r%03d","workflow":"refunds","cluster":"doc","accepted":true,"cost_usd":1}`+"\n", i)
		fmt.Fprintf(&c, `{"id":"r%03d","workflow":"refunds","cluster":"doc","accepted":false,"cost_usd":0.5}`+"\n", i)
	}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	d := decidePair(t, b.String(), c.String(), pol)
	var refunds gate.Segment
	for _, s := range d.Segments {
		if s.Name == "refunds" {
			refunds = s
		}
	}
	if refunds.Tested || refunds.Regression {
		t.Errorf("refunds segment %+v, want not tested", refunds)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), `segment "refunds": its 30 cases are all in one cluster`) {
		t.Errorf("no warning about the untestable segment:\n%s", strings.Join(d.Warnings, "\n"))
	}
}

// A candidate that costs money where the baseline really costs nothing is
// dearer per accepted outcome, whatever the statistics.
func TestZeroCostBaselineFails(t *testing.T) {
	t.Parallel()
	pol := gate.DefaultPolicy()
	pol.Cost.ZeroIsReal = true
	d := decide(t, 200, armSpec{acc: accB70, cost: constCost(0)}, armSpec{acc: accC85, cost: cheap}, pol)
	if d.Verdict != gate.Fail || !d.Cost.Missed {
		t.Fatalf("verdict %s, cost missed %v", d.Verdict, d.Cost.Missed)
	}
	if !strings.Contains(strings.Join(d.Reasons, "\n"), "Cost: the baseline costs nothing while the candidate costs something, so the candidate costs more") {
		t.Errorf("reasons:\n%s", strings.Join(d.Reasons, "\n"))
	}
}

// Costs near the ends of the float range neither overflow nor underflow:
// the ratio is scale-free.
func TestExtremeCostMagnitudes(t *testing.T) {
	t.Parallel()
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	ref := decide(t, 200, armSpec{acc: accB70, cost: dear}, armSpec{acc: accC85, cost: cheap}, pol)
	for _, scale := range []float64{1e-300, 1e290} {
		d := decide(t, 200, armSpec{acc: accB70, cost: constCost(0.010 * scale)}, armSpec{acc: accC85, cost: constCost(0.004 * scale)}, pol)
		if math.Abs(d.Cost.Ratio-ref.Cost.Ratio) > 1e-12 || math.IsNaN(d.Cost.PValue) || d.Cost.Met != ref.Cost.Met {
			t.Errorf("scale %g: ratio %v p %v met %v; want ratio %v met %v", scale, d.Cost.Ratio, d.Cost.PValue, d.Cost.Met, ref.Cost.Ratio, ref.Cost.Met)
		}
	}
}

// Costs that are all zero on one side are taken as not measured unless the
// policy says zero is real: a candidate whose harness wrote cost_usd: 0
// everywhere used to get cost p = 0 at any n.
func TestAllZeroCostsAreNotMeasured(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		costB, costC func(int) float64
		who          string
	}{
		{"candidate", dear, constCost(0), "every cost of the candidate is 0"},
		{"baseline", constCost(0), cheap, "every cost of the baseline is 0"},
		{"both", constCost(0), constCost(0), "every cost of the baseline and the candidate is 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Ten cases: far too few to show anything about cost.
			d := decide(t, 10, armSpec{acc: func(i int) bool { return i < 5 }, cost: tc.costB}, armSpec{acc: func(i int) bool { return i < 6 }, cost: tc.costC}, gate.DefaultPolicy())
			c := d.Cost
			if c.Measured || c.Met || c.Method != "not-measured" || !strings.Contains(c.NotMeasured, tc.who) {
				t.Errorf("cost %+v; want not measured because %s", c, tc.who)
			}
			if !strings.Contains(strings.Join(d.Reasons, "\n"), "Cost: not measured ("+tc.who) || !strings.Contains(strings.Join(d.Warnings, "\n"), "cost.zero_is_real") {
				t.Errorf("reasons:\n%s\nwarnings:\n%s", strings.Join(d.Reasons, "\n"), strings.Join(d.Warnings, "\n"))
			}
		})
	}
	// With cost.zero_is_real a free candidate is cheaper with certainty.
	pol := gate.DefaultPolicy()
	pol.Cost.ZeroIsReal = true
	d := decide(t, 10, armSpec{acc: func(i int) bool { return i < 5 }, cost: dear}, armSpec{acc: func(i int) bool { return i < 6 }, cost: constCost(0)}, pol)
	if !d.Cost.Measured || d.Cost.Ratio != 0 {
		t.Errorf("zero is real: cost %+v", d.Cost)
	}
}

// Tango's test with a positive margin and few discordant pairs: 10 of 300
// cases accepted by the candidate alone, none by the baseline alone, margin
// +2 points. The normal reference gives p = 0.0495 and passed; the exact
// unconditional p-value (Berger–Boos, make_oracle_exact.py: 0.0828) does
// not.
func TestTangoFewDiscordantIsExact(t *testing.T) {
	t.Parallel()
	o := readOracleTable(t, "oracle_exact.csv")
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Quality.MinGain = 0.02
	d := decide(t, 300, armSpec{acc: func(i int) bool { return i < 200 }, cost: dear}, armSpec{acc: func(i int) bool { return i < 210 }, cost: cheap}, pol)
	q := d.Quality
	want := o.val(t, "tango_exact", "upper", "10:0:300:0.02")
	if q.Method != "tango-exact" || math.Abs(q.PValue-want) > 1e-9 || q.Met {
		t.Errorf("quality %s p %v met %v; want tango-exact p %v, not met", q.Method, q.PValue, q.Met, want)
	}
	// Eleven pairs clear it (exact p 0.0426).
	d = decide(t, 300, armSpec{acc: func(i int) bool { return i < 200 }, cost: dear}, armSpec{acc: func(i int) bool { return i < 211 }, cost: cheap}, pol)
	if want := o.val(t, "tango_exact", "upper", "11:0:300:0.02"); !d.Quality.Met || math.Abs(d.Quality.PValue-want) > 1e-9 {
		t.Errorf("eleven pairs: p %v met %v, want %v and met", d.Quality.PValue, d.Quality.Met, want)
	}
}

// DecideContext with a done context returns its error, not a decision.
func TestDecideContextStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	spec := armSpec{acc: func(i int) bool { return i%5 != 0 }, cost: constCost(0.01)}
	p, err := scorecard.Pair([]*scorecard.Scorecard{build(t, "b.jsonl", 100, spec), build(t, "c.jsonl", 100, spec)}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}
	if d, err := gate.DecideContext(ctx, in, gate.DefaultPolicy()); d != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("DecideContext = %v, %v; want nil, context.Canceled", d, err)
	}
	if d, err := gate.DecideContext(context.Background(), in, gate.DefaultPolicy()); d == nil || err != nil {
		t.Errorf("DecideContext without a cancel = %v, %v", d, err)
	}
}
