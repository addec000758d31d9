package gate

import (
	"math"

	"github.com/ftgate/ftgate/stats"
)

// powerAnalysis runs methods.md §6 for the quality test: how many paired
// cases give the policy's target power against the policy's effect, and
// the smallest effect the current n can detect.
//
// With a margin m the distance to detect is effect − m (for m = 0 this is
// the formula of methods.md exactly); the MDE is reported as an effect,
// that is m plus the detectable distance.
func powerAnalysis(d *Decision, q qualityResult, n int, pol Policy) Power {
	effect := pol.EffectivePowerEffect()
	m := pol.Quality.MinGain
	pw := Power{Effect: effect, Target: pol.Power.Target, CasesNeeded: math.Inf(1), MDE: math.Inf(1)}
	dist := effect - m
	if dist <= 0 {
		d.Warnings = append(d.Warnings, "power: power.effect is not above quality.min_gain, so no sample size can detect it")
		return pw
	}
	switch q.Method {
	case "mcnemar-exact", "tango":
		psi := q.psi
		if psi < dist {
			d.Warnings = append(d.Warnings, "power: the observed share of discordant cases is below the effect of interest; the sample size assumes the smallest share that allows it and is optimistic")
		}
		pw.CasesNeeded = stats.ConnorN(psi, dist, pol.Alpha, pol.Power.Target)
		pw.MDE = m + stats.ConnorMDE(psi, n, pol.Alpha, pol.Power.Target)
	default:
		sigma2, deff := q.sigma2, q.deff
		if sigma2 == 0 {
			// No observed variation: plan as if outcomes disagreed on at
			// least the effect's share of cases (the Connor floor).
			sigma2, deff = dist, 1
			d.Warnings = append(d.Warnings, "power: the per-case differences do not vary, so the sample size assumes a variance of effect − margin and is a rough guide")
		}
		pw.CasesNeeded = stats.ClusterN(sigma2, deff, dist, pol.Alpha, pol.Power.Target)
		pw.MDE = m + stats.ClusterMDE(sigma2, deff, n, pol.Alpha, pol.Power.Target)
	}
	if !math.IsInf(pw.CasesNeeded, 0) {
		pw.MoreCasesNeeded = max(0, int(math.Ceil(pw.CasesNeeded))-n)
	}
	return pw
}
