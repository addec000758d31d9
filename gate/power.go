package gate

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/ftgate/ftgate/scorecard"

	"github.com/ftgate/ftgate/stats"
)

// powerAnalysis runs methods.md §6 for the quality test: how many paired
// cases give the policy's target power against the policy's effect δ, and
// the smallest effect the current n can detect (the MDE, an effect like δ).
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
func powerAnalysis(d *Decision, q qualityResult, n int, pol Policy) Power {
	effect := pol.EffectivePowerEffect()
	m := pol.Quality.MinGain
	pw := Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.Inf(1)}
	var powerAt func(n int) float64
	if effect <= m {
		d.Warnings = append(d.Warnings, "power: power.effect is not above quality.min_gain, so no sample size can detect it")
		return pw
	}
	switch q.Method {
	case "mcnemar-exact", "tango":
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
	if !math.IsInf(pw.CasesNeeded, 0) {
		pw.MoreCasesNeeded = max(0, int(math.Ceil(pw.CasesNeeded))-n)
	}
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
}

// PlanPower computes the power advice from paired baseline and candidate
// results, as the gate would report it.
func PlanPower(in Input, pol Policy) (*PowerPlan, error) {
	p := in.Paired
	if p == nil || len(p.Cases) == 0 || len(in.Baselines) == 0 {
		return nil, fmt.Errorf("no paired cases")
	}
	base, cand := armOf(p, in.Baselines[0]), armOf(p, in.Candidate)
	q, err := qualityTest(p, base, cand, p.ClusterIndex(), pol)
	if err != nil {
		return nil, err
	}
	d := &Decision{}
	pw := powerAnalysis(d, q, len(p.Cases), pol)
	return &PowerPlan{Power: pw, Method: q.Method, Margin: pol.Quality.MinGain, Cases: len(p.Cases), Baseline: q.Baseline,
		Psi: q.psi, Sigma2: q.sigma2, DEff: q.deff, Warnings: append(q.warnings, d.Warnings...)}, nil
}

// PlanPowerFromBaseline sizes an eval before the candidate exists. It
// assumes the candidate will accept a share p_B + effect of cases and that
// its failures are independent of the baseline's, so the discordant share
// is ψ = p_B(1 − p_C) + p_C(1 − p_B) and the per-case difference variance
// is ψ − effect². With one sample per case and no clusters, n is Nam's
// formula with the margin (stats.ConnorNMargin; Connor's at m = 0) on ψ,
// as in the gate's McNemar/Tango power block. Otherwise clusters and
// repeated samples in the baseline scorecard set the design effect (the
// clustered variance of the baseline's acceptance over its
// independent-case variance) of the clustered normal formula, whose
// variance is the alternative's, ψ − effect² (the clustered t divides by
// the standard error estimated at the truth).
func PlanPowerFromBaseline(sc *scorecard.Scorecard, pol Policy) (*PowerPlan, error) {
	if sc == nil || len(sc.Samples) == 0 {
		return nil, fmt.Errorf("no baseline cases")
	}
	type caseAcc struct {
		sum, k  float64
		cluster string
	}
	byID := map[string]*caseAcc{}
	var ids []string
	maxK := 0.0
	for _, s := range sc.Samples {
		c, ok := byID[s.ID]
		if !ok {
			c = &caseAcc{cluster: s.Cluster}
			byID[s.ID] = c
			ids = append(ids, s.ID)
		}
		c.k++
		maxK = math.Max(maxK, c.k)
		if s.Accepted {
			c.sum++
		}
	}
	sort.Strings(ids)
	acc := make([]float64, len(ids))
	cluster := make([]int, len(ids))
	clusterIdx := map[string]int{}
	for i, id := range ids {
		c := byID[id]
		acc[i] = c.sum / c.k
		key := "case\x00" + id
		if c.cluster != "" {
			key = "cluster\x00" + c.cluster
		}
		k, ok := clusterIdx[key]
		if !ok {
			k = len(clusterIdx)
			clusterIdx[key] = k
		}
		cluster[i] = k
	}
	n := len(ids)
	effect, m := pol.EffectivePowerEffect(), pol.Quality.MinGain
	pB := mean(acc)
	pC := math.Min(1, pB+effect)
	psi := pB*(1-pC) + pC*(1-pB)
	plan := &PowerPlan{Margin: m, Cases: n, Baseline: pB, Psi: psi, Assumed: true, DEff: 1}
	plan.Power = Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.Inf(1)}
	if pB+effect > 1 {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("the baseline already accepts %.1f%% of cases, so a gain of %.1f points is impossible", 100*pB, 100*effect))
		return plan, nil
	}
	simple := maxK == 1 && len(clusterIdx) == n
	if effect <= m {
		plan.Warnings = append(plan.Warnings, "power.effect is not above quality.min_gain")
		return plan, nil
	}
	if simple {
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
		// The design effect of the baseline's own acceptance.
		ct := stats.ClusterT(acc, cluster, 0, 0.9)
		if ct.Var > 0 && !math.IsInf(ct.DEff, 0) {
			plan.DEff = ct.DEff
		}
		plan.Sigma2 = psi - effect*effect
		if plan.Sigma2 <= 0 {
			plan.Sigma2 = psi
		}
		plan.CasesNeeded = stats.ClusterN(plan.Sigma2, plan.DEff, effect-m, pol.Alpha, pol.Power.Target)
		plan.MDE = m + stats.ClusterMDE(plan.Sigma2, plan.DEff, n, pol.Alpha, pol.Power.Target)
	}
	if !math.IsInf(plan.CasesNeeded, 0) {
		plan.MoreCasesNeeded = max(0, int(math.Ceil(plan.CasesNeeded))-n)
	}
	return plan, nil
}
