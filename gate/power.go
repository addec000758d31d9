package gate

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/ftgate/ftgate/scorecard"

	"github.com/ftgate/ftgate/stats"
)

// powerAnalysis runs methods.md §6: how many paired cases give the policy's
// target power to the quality test against the policy's effect δ and to
// the cost test against the assumed cost ratio, and the smallest quality
// effect the current n can detect (the MDE, an effect like δ).
//
// McNemar and Tango: Nam's (1997) formula with the margin m
// (stats.ConnorNMargin): the critical value uses the variance Tango's
// score test estimates under the constraint Δ = m (its restricted MLE at
// the expected cells of the observed ψ and the effect δ), the power the
// variance of a pair's difference at Δ = δ; for m = 0 it is Connor's
// (1987) formula exactly.
//
// Clustered t: the test divides by the estimated standard error, which
// under the alternative estimates the variance at Δ = δ, so both normal
// quantiles multiply the same alternative variance σ²·deff/n. The observed
// σ² stands for it (a location shift from the observed gain to δ). When the
// differences do not vary at all, σ² is taken as the variance of a
// single-sample pair difference at Δ = δ with the smallest discordant share
// that allows both δ and m, ψ = max(|δ|, |m|): σ² = ψ − δ², with deff = 1.
//
// Cost: the delta method's normal formula on the log scale
// (stats.RatioN) with costV, the per-case variance of the log ratio's
// influence values times the design effect (n·SE² of the delta method);
// NaN when the cost test has no such variance.
func powerAnalysis(d *Decision, q qualityResult, costV float64, n int, pol Policy) Power {
	effect := pol.EffectivePowerEffect()
	m := pol.Quality.MinGain
	pw := Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.Inf(1)}
	var powerAt func(n int) float64
	pw.costPlan(costV, n, pol)
	if effect <= m {
		d.Warnings = append(d.Warnings, "power: power.effect is not above quality.min_gain, so no sample size can detect it")
		return pw
	}
	switch q.Method {
	case "mcnemar-exact", "tango", "tango-exact":
		psi := q.psi
		if psi < math.Max(math.Abs(effect), math.Abs(m)) {
			d.Warnings = append(d.Warnings, "power: the observed share of discordant cases is below the effect of interest (or the size of the margin); the sample size assumes the smallest share that allows it and is optimistic")
		}
		pw.CasesNeeded = stats.ConnorNMargin(psi, effect, m, pol.Alpha, pol.Power.Target)
		pw.MDE = stats.ConnorMDEMargin(psi, n, m, pol.Alpha, pol.Power.Target)
		powerAt = func(n int) float64 { return stats.ConnorPowerMargin(psi, effect, m, n, pol.Alpha) }
	default:
		sigma2, deff := q.sigma2, q.deff
		if sigma2 == 0 {
			// No observed variation: plan with the variance at Δ = effect
			// of a pair design with the smallest discordant share that
			// allows the effect and the margin (the Connor floor).
			sigma2, deff = math.Max(math.Abs(effect), math.Abs(m))-effect*effect, 1
			d.Warnings = append(d.Warnings, "power: the per-case differences do not vary, so the sample size assumes the variance of a paired difference at the effect with the fewest discordant cases that allow it, and is a rough guide")
		} else if deff <= 0 || math.IsNaN(deff) || math.IsInf(deff, 0) {
			// Cases differ but every cluster has the same mean: the
			// observed design effect is zero, which would promise
			// certainty from any n. Plan as if the cases were independent.
			deff = 1
			d.Warnings = append(d.Warnings, "power: every cluster shows the same mean difference, so the observed design effect is zero; the sample size assumes independent cases (design effect 1)")
		}
		pw.CasesNeeded = stats.ClusterN(sigma2, deff, effect-m, pol.Alpha, pol.Power.Target)
		pw.MDE = m + stats.ClusterMDE(sigma2, deff, n, pol.Alpha, pol.Power.Target)
		powerAt = func(n int) float64 { return stats.ClusterPower(sigma2, deff, effect-m, n, pol.Alpha) }
	}
	pw.CasesNeeded, pw.MoreCasesNeeded = wholeCases(pw.CasesNeeded, n)
	pw.Curve = powerCurve(powerAt, n, pw.CasesNeeded)
	return pw
}

// powerCurveSteps is the number of equal steps of the power curve.
const powerCurveSteps = 60

// powerCurve evaluates powerAt from 0 to a quarter beyond the larger of
// the cases at hand and the cases needed (at least 10), in
// powerCurveSteps equal steps, with both of those counts included.
func powerCurve(powerAt func(int) float64, n int, needed float64) []PowerPoint {
	top := float64(n)
	if !math.IsInf(needed, 0) && !math.IsNaN(needed) {
		top = math.Max(top, math.Ceil(needed))
	}
	top = math.Max(10, math.Ceil(1.25*top))
	counts := []int{n}
	if !math.IsInf(needed, 0) && !math.IsNaN(needed) {
		counts = append(counts, int(math.Ceil(needed)))
	}
	for k := 0; k <= powerCurveSteps; k++ {
		counts = append(counts, int(math.Round(top*float64(k)/powerCurveSteps)))
	}
	slices.Sort(counts)
	counts = slices.Compact(counts)
	curve := make([]PowerPoint, len(counts))
	for i, c := range counts {
		curve[i] = PowerPoint{Cases: c, Power: powerAt(c)}
	}
	return curve
}

// costPlan fills the cost test's plan from v (NaN: none).
func (pw *Power) costPlan(v float64, n int, pol Policy) {
	pw.CostRatio = pol.EffectiveCostRatio()
	pw.CostVariance, pw.CostCasesNeeded = v, math.NaN()
	if math.IsNaN(v) {
		return
	}
	pw.CostCasesNeeded, pw.CostMoreCasesNeeded = wholeCases(stats.RatioN(v, pw.CostRatio, pol.Cost.MaxRatio, pol.Alpha, pol.Power.Target), n)
}

// wholeCases rounds a sample size up to whole cases (a case is run or not)
// and returns it with the number beyond the n at hand.
func wholeCases(need float64, n int) (float64, int) {
	if math.IsInf(need, 0) || math.IsNaN(need) {
		return need, 0
	}
	if need > maxPlannedCases {
		// No eval set is that large: a plan for an effect too small to
		// plan for, stated as no number of cases rather than overflowed.
		return math.Inf(1), 0
	}
	need = math.Ceil(need)
	return need, max(0, int(need)-n)
}

// costPlanVariance returns v = n·SE² of the delta method's log cost ratio
// on the paired arms (the per-case variance of its influence values times
// the design effect), or NaN when the cost test has no such variance: cost
// not measured (as costTest decides it), an undefined ratio, fewer than
// two clusters or a zero standard error.
func costPlanVariance(base, cand arm, cluster []int, pol Policy) float64 {
	if !base.hasCost || !cand.hasCost || (!pol.Cost.ZeroIsReal && (allZero(base.cost) || allZero(cand.cost))) {
		return math.NaN()
	}
	costB, costC := scaleCosts(base.cost, cand.cost)
	dr := stats.DeltaRatio(stats.RatioData{CostB: costB, AccB: base.acc, CostC: costC, AccC: cand.acc, Cluster: cluster}, pol.Cost.MaxRatio, 1-2*pol.Alpha)
	if len(dr.Warnings) > 0 || !(dr.SE > 0) || math.IsInf(dr.SE, 0) {
		return math.NaN()
	}
	return float64(dr.N) * dr.SE * dr.SE
}

// A PowerPlan is the sample-size advice of 'ftgate power': the Power block
// with what it was computed from.
type PowerPlan struct {
	Power
	// Method is the quality test the numbers are for.
	Method string
	// Margin is the policy's quality margin.
	Margin float64
	// Cases is the number of paired cases (or baseline cases) at hand.
	Cases int
	// Baseline is the baseline's acceptance rate.
	Baseline float64
	// Psi is the discordant share (McNemar/Tango paths); Sigma2 and DEff
	// the per-case difference variance and design effect (cluster-t).
	Psi, Sigma2, DEff float64
	// Assumed is true when no candidate was given and the discordance
	// was derived from the baseline alone.
	Assumed  bool
	Warnings []string
	// Sequential is the sequential test's plan (statistics.sequential).
	Sequential *SeqPowerPlan
}

// PlanPower computes the power advice from paired baseline and candidate
// results, as the gate would report it.
func PlanPower(in Input, pol Policy) (*PowerPlan, error) {
	p := in.Paired
	if p == nil || len(p.Cases) == 0 || len(in.Baselines) == 0 {
		return nil, fmt.Errorf("no paired cases")
	}
	base, cand := armOf(p, in.Baselines[0]), armOf(p, in.Candidate)
	q, err := qualityTest(context.Background(), p, base, cand, p.ClusterIndex(), pol)
	if err != nil {
		return nil, err
	}
	d := &Decision{}
	pw := powerAnalysis(d, q, costPlanVariance(base, cand, p.ClusterIndex(), pol), len(p.Cases), pol)
	warnings := append(append(append([]string{}, pol.Warnings...), q.warnings...), d.Warnings...)
	plan := &PowerPlan{Power: pw, Method: q.Method, Margin: pol.Quality.MinGain, Cases: len(p.Cases), Baseline: q.Baseline,
		Psi: q.psi, Sigma2: q.sigma2, DEff: q.deff, Warnings: warnings}
	seqPowerPlan(plan, float64(len(p.Cases))/float64(max(1, len(p.Clusters))), pol)
	return plan, nil
}

// PlanPowerFromBaseline sizes an eval before the candidate exists
// (methods.md §6). It assumes the candidate accepts a share
// p_C = p_B + effect of cases and that its outcomes are independent of
// the baseline's.
//
// With one sample per case and no clusters, the discordant share is
// ψ = p_B(1 − p_C) + p_C(1 − p_B) and n is Nam's formula with the margin
// (stats.ConnorNMargin; Connor's at m = 0), as in the gate's McNemar/Tango
// power block.
//
// Otherwise every quantity is per case, as the clustered t uses them: the
// per-case difference d = a_C − a_B of two independent arms has variance
// σ² = Var(a_B) + Var(a_C), with Var(a_B) the observed per-case variance
// of the baseline's acceptance (between cases and within them) and
// Var(a_C) = Var(a_B)·p_C(1 − p_C)/(p_B(1 − p_B)), and the design effect is
// that of the baseline's acceptance over clusters (for independent arms
// with the same structure, the design effect of d). With one sample per
// case σ² is p_B(1 − p_B) + p_C(1 − p_C) = ψ − effect², the single-sample
// value. (Until this version σ² was the per-sample ψ − effect² with a
// per-case design effect, which overstated clustered designs with
// repeated samples several-fold.)
//
// The cost plan takes the candidate's influence values of the log cost
// ratio as an independent copy of the baseline's, so their variance is
// twice the baseline's per-case variance of c/c̄ − a/ā times its design
// effect (stats.DeltaRatio on the baseline against a constant arm), and
// n is stats.RatioN at power.cost_ratio. Independence is pessimistic when
// the two systems' outcomes and costs go together case by case, as they
// usually do, so both plans err on the side of more cases.
func PlanPowerFromBaseline(sc *scorecard.Scorecard, pol Policy) (*PowerPlan, error) {
	if sc == nil || len(sc.Samples) == 0 {
		return nil, fmt.Errorf("no baseline cases")
	}
	p, err := scorecard.Pair([]*scorecard.Scorecard{sc, sc}, scorecard.PairOptions{})
	if err != nil {
		return nil, err
	}
	base := armOf(p, 0)
	cluster := p.ClusterIndex()
	n := len(p.Cases)
	effect, m := pol.EffectivePowerEffect(), pol.Quality.MinGain
	pB := mean(base.acc)
	pC := pB + effect
	psi := pB*(1-pC) + pC*(1-pB)
	plan := &PowerPlan{Margin: m, Cases: n, Baseline: pB, Psi: psi, Assumed: true, DEff: 1}
	plan.Warnings = append(plan.Warnings, pol.Warnings...)
	plan.Power = Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.Inf(1)}
	plan.costPlan(baselineCostVariance(base, cluster, pol), n, pol)
	if pC > 1 || pC < 0 {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("the baseline accepts %.1f%% of cases, so a true difference of %.1f points is impossible", 100*pB, 100*effect))
		return plan, nil
	}
	if effect <= m {
		plan.Warnings = append(plan.Warnings, "power.effect is not above quality.min_gain")
		return plan, nil
	}
	if p.Single() && !p.Clustered() {
		plan.Method = "mcnemar-exact"
		if m != 0 {
			plan.Method = "tango"
		}
		if psi < math.Abs(m) {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("the assumed share of discordant cases (%.1f%%) is below the size of the margin, so the plan assumes %.1f%% and is optimistic", 100*psi, 100*math.Abs(m)))
		}
		plan.CasesNeeded = stats.ConnorNMargin(psi, effect, m, pol.Alpha, pol.Power.Target)
		plan.MDE = stats.ConnorMDEMargin(psi, n, m, pol.Alpha, pol.Power.Target)
	} else {
		plan.Method = "cluster-t"
		ct := stats.ClusterT(base.acc, cluster, 0, 0.9)
		vB, vC := ct.Var, 0.0
		if bern := pB * (1 - pB); bern > 0 {
			vC = ct.Var * pC * (1 - pC) / bern
		}
		plan.Sigma2 = vB + vC
		switch {
		case plan.Sigma2 == 0:
			// The baseline's acceptance does not vary: plan with the
			// single-sample variance of independent arms.
			plan.Sigma2 = pB*(1-pB) + pC*(1-pC)
			plan.Warnings = append(plan.Warnings, "the baseline's acceptance does not vary from case to case, so the plan assumes one independent sample per case (design effect 1)")
		case ct.DEff > 0 && !math.IsInf(ct.DEff, 0):
			plan.DEff = ct.DEff
		default:
			plan.Warnings = append(plan.Warnings, "every cluster of the baseline has the same mean acceptance, so the observed design effect is zero; the plan assumes independent cases (design effect 1)")
		}
		plan.CasesNeeded = stats.ClusterN(plan.Sigma2, plan.DEff, effect-m, pol.Alpha, pol.Power.Target)
		plan.MDE = m + stats.ClusterMDE(plan.Sigma2, plan.DEff, n, pol.Alpha, pol.Power.Target)
	}
	plan.CasesNeeded, plan.MoreCasesNeeded = wholeCases(plan.CasesNeeded, n)
	seqPowerPlan(plan, float64(n)/float64(max(1, len(p.Clusters))), pol)
	return plan, nil
}

// maxPlannedCases bounds the case counts a plan states as numbers.
const maxPlannedCases = 1e12

// PlanPowerFromRate plans the quality test before any scorecard exists,
// from an assumed baseline acceptance rate: independent cases (one sample
// each, no clusters) tested by McNemar (Tango with a margin), and a
// candidate whose true difference is power.effect, with failures
// independent of the baseline's (the discordant share ψ of
// PlanPowerFromBaseline). No cases are at hand, so there is no detectable
// effect now and no cost plan.
func PlanPowerFromRate(rate float64, pol Policy) (*PowerPlan, error) {
	if math.IsNaN(rate) || rate < 0 || rate > 1 {
		return nil, fmt.Errorf("the baseline rate %v is not a share between 0 and 1", rate)
	}
	effect, m := pol.EffectivePowerEffect(), pol.Quality.MinGain
	pB, pC := rate, rate+effect
	psi := pB*(1-pC) + pC*(1-pB)
	plan := &PowerPlan{Method: "mcnemar-exact", Margin: m, Baseline: pB, Psi: psi, Assumed: true, DEff: 1}
	if m != 0 {
		plan.Method = "tango"
	}
	plan.Warnings = append(plan.Warnings, pol.Warnings...)
	plan.Power = Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.NaN()}
	switch {
	case pC > 1 || pC < 0:
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("the baseline accepts %.1f%% of cases, so a true difference of %.1f points is impossible", 100*pB, 100*effect))
	case effect <= m:
		plan.Warnings = append(plan.Warnings, "power.effect is not above quality.min_gain")
	default:
		if psi < math.Abs(m) {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("the assumed share of discordant cases (%.1f%%) is below the size of the margin, so the plan assumes %.1f%% and is optimistic", 100*psi, 100*math.Abs(m)))
		}
		plan.CasesNeeded, plan.MoreCasesNeeded = wholeCases(stats.ConnorNMargin(psi, effect, m, pol.Alpha, pol.Power.Target), 0)
	}
	return plan, nil
}

// baselineCostVariance returns the variance v of the cost plan without a
// candidate: twice the baseline's per-case variance of c/c̄ − a/ā times its
// design effect, or NaN when the baseline's cost is not measured, is
// all zero (unless cost.zero_is_real), or does not vary.
func baselineCostVariance(base arm, cluster []int, pol Policy) float64 {
	if !base.hasCost || (!pol.Cost.ZeroIsReal && allZero(base.cost)) {
		return math.NaN()
	}
	ones := make([]float64, len(base.acc))
	for i := range ones {
		ones[i] = 1
	}
	costs, _ := scaleCosts(base.cost, nil)
	dr := stats.DeltaRatio(stats.RatioData{CostB: ones, AccB: ones, CostC: costs, AccC: base.acc, Cluster: cluster}, 1, 1-2*pol.Alpha)
	if len(dr.Warnings) > 0 || !(dr.SE > 0) || math.IsInf(dr.SE, 0) {
		return math.NaN()
	}
	return 2 * float64(dr.N) * dr.SE * dr.SE
}
