package gate_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// scorecardOf builds a single-sample, unclustered scorecard whose case i
// is accepted when acc(i) is true.
func scorecardOf(t *testing.T, name string, n int, acc func(i int) bool) *scorecard.Scorecard {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"id\":\"c%03d\",\"accepted\":%v,\"cost_usd\":0.01}\n", i, acc(i))
	}
	sc, err := scorecard.Read(name, []byte(b.String()), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func ptr[T any](v T) *T { return &v }

// Connor's (1987) formula by hand, z_{0.95} = 1.6448536269514722 and
// z_{0.90} = 1.2815515655446004:
//
//	baseline only, p_B = 0.8, effect 0.1 → p_C = 0.9,
//	ψ = 0.8·0.1 + 0.9·0.2 = 0.26,
//	n = [1.64485·√0.26 + 1.28155·√(0.26 − 0.01)]² / 0.01 = 218.889 → 219.
//
//	paired, b = 15, c = 5 of n = 100, effect 0.05: ψ = 0.2,
//	n = [1.64485·√0.2 + 1.28155·√(0.2 − 0.0025)]² / 0.0025 = 681.351 → 682.
func TestPowerMatchesConnorByHand(t *testing.T) {
	t.Parallel()
	pol := gate.DefaultPolicy()
	pol.Power.Effect = ptr(0.1)
	base := scorecardOf(t, "b.jsonl", 100, func(i int) bool { return i < 80 })
	plan, err := gate.PlanPowerFromBaseline(base, pol)
	if err != nil {
		t.Fatal(err)
	}
	if plan.CasesNeeded != 219 || plan.MoreCasesNeeded != 119 || plan.Method != "mcnemar-exact" {
		t.Errorf("baseline-only plan: needed %v (want 218.889), more %d (want 119), method %s", plan.CasesNeeded, plan.MoreCasesNeeded, plan.Method)
	}

	pol.Power.Effect = ptr(0.05)
	// Cases 0-14 candidate only, 15-19 baseline only, 20-79 both, 80-99 neither.
	b := scorecardOf(t, "b.jsonl", 100, func(i int) bool { return i >= 15 && i < 80 })
	c := scorecardOf(t, "c.jsonl", 100, func(i int) bool { return i < 15 || (i >= 20 && i < 80) })
	p, err := scorecard.Pair([]*scorecard.Scorecard{b, c}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = gate.PlanPower(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(plan.Psi-0.2) > 1e-15 || plan.CasesNeeded != 682 || plan.MoreCasesNeeded != 582 {
		t.Errorf("paired plan: ψ %v, needed %v (want 681.351), more %d (want 582)", plan.Psi, plan.CasesNeeded, plan.MoreCasesNeeded)
	}
	// 100 cases cannot detect 0.05 (682 could), so the MDE is above it.
	if plan.MDE <= 0.05 {
		t.Errorf("MDE at n = 100 is %v, want above 0.05", plan.MDE)
	}
}

// The plan without a candidate works per case, as the clustered t does.
// Four cases with two samples each, accepted (2, 1, 1, 0) times: a_B =
// (1, .5, .5, 0), p_B = .5, per-case variance Var(a_B) = .5/3 = 1/6 and
// design effect 1 (unclustered). For effect .1, p_C = .6 and
// Var(a_C) = (1/6)·(.6·.4)/(.5·.5) = .16, so σ² = 1/6 + .16 = .326667 and
// n = (1.64485 + 1.28155)²·.326667/.01 = 279.75 → 280. (The per-sample
// ψ − effect² = .49 that the plan used before gives 420.)
//
// Cost, one cent per sample everywhere: c/c̄ − a/ā = 1 − a/.5 =
// (−1, 0, 0, 1), whose cluster-robust per-case variance is
// 4/3·2/4 = 2/3; the candidate an independent copy doubles it to 4/3, and
// at the default ratio 0.9 n = 8.56385·(4/3)/log(1/0.9)² = 1028.6 → 1029.
func TestPlanFromBaselineIsPerCase(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i, k := range []int{2, 1, 1, 0} {
		for s := 0; s < 2; s++ {
			fmt.Fprintf(&b, "{\"id\":\"c%d\",\"sample\":%d,\"accepted\":%v,\"cost_usd\":0.01}\n", i, s, s < k)
		}
	}
	sc, err := scorecard.Read("b.jsonl", []byte(b.String()), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pol := gate.DefaultPolicy()
	pol.Power.Effect = ptr(0.1)
	plan, err := gate.PlanPowerFromBaseline(sc, pol)
	if err != nil {
		t.Fatal(err)
	}
	zz := math.Pow(1.6448536269514722+1.2815515655446004, 2)
	if plan.Method != "cluster-t" || math.Abs(plan.Sigma2-(1.0/6+0.16)) > 1e-15 || plan.DEff != 1 || plan.CasesNeeded != 280 || plan.MoreCasesNeeded != 276 {
		t.Errorf("plan %s σ² %v deff %v needed %v (more %d); want cluster-t, .326667, 1, 280 (276)", plan.Method, plan.Sigma2, plan.DEff, plan.CasesNeeded, plan.MoreCasesNeeded)
	}
	if want := math.Ceil(zz * (1.0/6 + 0.16) / 0.01); want != 280 {
		t.Fatalf("hand calculation %v", want)
	}
	l := math.Log(1 / 0.9)
	if math.Abs(plan.CostVariance-4.0/3) > 1e-12 || plan.CostRatio != 0.9 || plan.CostCasesNeeded != math.Ceil(zz*4/3/(l*l)) || plan.CostCasesNeeded != 1029 {
		t.Errorf("cost plan: v %v ratio %v needed %v; want 4/3, 0.9, 1029", plan.CostVariance, plan.CostRatio, plan.CostCasesNeeded)
	}
}

// With a candidate the cost plan uses the delta method's own variance:
// n·SE² of the log ratio. The "more cases" sentence takes the larger of
// the open tests' plans, in whole cases.
func TestCostPlanAndTheLargerPlan(t *testing.T) {
	t.Parallel()
	// 60 cases, alternating costs; the candidate is 3% cheaper per
	// accepted outcome, far from established at this size, and gains
	// 5 points of quality, not established either.
	n := 60
	var b, c strings.Builder
	for i := 0; i < n; i++ {
		cost := 0.01 + 0.01*float64(i%3)
		fmt.Fprintf(&b, "{\"id\":\"c%03d\",\"accepted\":%v,\"cost_usd\":%v}\n", i, i%5 != 0, cost)
		fmt.Fprintf(&c, "{\"id\":\"c%03d\",\"accepted\":%v,\"cost_usd\":%v}\n", i, i%5 != 0 || i%10 == 5 && i < 30, cost*0.97*(0.5+float64((i*37)%60)/59))
	}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	d := decidePair(t, b.String(), c.String(), pol)
	pw := d.Power
	if d.Quality.Met || d.Cost.Met || d.Cost.Missed || d.Quality.Missed {
		t.Fatalf("quality met %v missed %v, cost met %v missed %v: the example must leave both open", d.Quality.Met, d.Quality.Missed, d.Cost.Met, d.Cost.Missed)
	}
	// The variance is that of the delta method at n cases: SE from its
	// interval, whose half-width on the log scale is t_{.95, 59}·SE
	// (R: qt(0.95, 59)).
	v := float64(n) * math.Pow((math.Log(d.Cost.DeltaCIHigh)-math.Log(d.Cost.Ratio))/1.6710930321038948, 2)
	if math.Abs(pw.CostVariance-v) > 1e-9*v {
		t.Errorf("cost variance %v, want n·SE² = %v from the delta interval", pw.CostVariance, v)
	}
	l := math.Log(1 / 0.9)
	want := math.Ceil(math.Pow(1.6448536269514722+1.2815515655446004, 2) * pw.CostVariance / (l * l))
	if pw.CostCasesNeeded != want || pw.CostMoreCasesNeeded != int(want)-n {
		t.Errorf("cost cases needed %v (more %d), want %v", pw.CostCasesNeeded, pw.CostMoreCasesNeeded, want)
	}
	more := max(pw.MoreCasesNeeded, pw.CostMoreCasesNeeded)
	sentence := fmt.Sprintf("About %s more paired cases (%s in all)", numfmt.Int(more), numfmt.Int(more+n))
	if !strings.Contains(strings.Join(d.Reasons, "\n"), sentence) {
		t.Errorf("no reason says %q (quality %d more, cost %d more):\n%s", sentence, pw.MoreCasesNeeded, pw.CostMoreCasesNeeded, strings.Join(d.Reasons, "\n"))
	}
	if pw.CasesNeeded != math.Ceil(pw.CasesNeeded) {
		t.Errorf("cases needed %v is not a whole number", pw.CasesNeeded)
	}
	// Planned for a large quality effect, the cost test needs more cases
	// and the sentence says so.
	pol.Power.Effect = ptr(0.3)
	d = decidePair(t, b.String(), c.String(), pol)
	pw = d.Power
	if pw.CostMoreCasesNeeded <= pw.MoreCasesNeeded {
		t.Fatalf("quality needs %d more, cost %d more; the example wants cost larger", pw.MoreCasesNeeded, pw.CostMoreCasesNeeded)
	}
	sentence = fmt.Sprintf("About %d more paired cases (%d in all) would give 90.0%% power to show a cost ratio of 0.900× below the limit 1.000×", pw.CostMoreCasesNeeded, int(pw.CostCasesNeeded))
	if !strings.Contains(strings.Join(d.Reasons, "\n"), sentence) {
		t.Errorf("no reason says %q:\n%s", sentence, strings.Join(d.Reasons, "\n"))
	}
}
