package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Anytime-valid inference: confidence sequences.
//
// A confidence sequence (CS) is a sequence of intervals, one for every
// number of observations t, that covers the parameter at every t at once
// with probability at least 1 − α. A decision read off it (the lower end
// is above the margin) may therefore be taken after any number of looks
// at accumulating data, without the false-pass rate growing with the
// number of looks. Two constructions are here:
//
//   - the asymptotic CS of Waudby-Smith, Arbour, Sinha, Kennedy and
//     Ramdas ("Time-uniform central limit theory and asymptotic confidence
//     sequences", Annals of Statistics 2024), the time-uniform analogue of
//     the CLT interval: an estimate plus or minus the sample standard
//     deviation of i.i.d. unit values times a normal-mixture radius. The
//     one-sided radius used here is that of the half-normal mixture
//     (Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform, nonparametric,
//     nonasymptotic confidence sequences", Annals of Statistics 2021).
//     Smooth functions of means (a ratio of means, a log cost ratio) are
//     handled by the delta method: the unit values are the influence
//     values, whose remainder vanishes fast enough for the time-uniform
//     guarantee to carry over.
//   - the betting CS for a bounded mean of Waudby-Smith and Ramdas
//     ("Estimating means of bounded random variables by betting", JRSS-B
//     2024), exact at every sample size: a gambler's wealth
//     Π(1 + λ_i(x_i − m)) with predictable bets is a non-negative
//     supermartingale when the mean is at most m, so by Ville's inequality
//     it reaches 1/α with probability at most α, ever.

// SeqRadius is the radius, in units of the standard deviation of one unit
// value, of the one-sided asymptotic confidence sequence at level α after
// t units, with mixing parameter ρ²:
//
//	r(t) = sqrt( 2(tρ² + 1)/(t²ρ²) · log(1 + sqrt(tρ² + 1)/(2α)) ).
//
// The lower bound of the mean is then μ̂_t − σ̂_t·r(t). It is +Inf for
// t < 1. It panics unless ρ² > 0 and α is in (0, 1).
func SeqRadius(t, rho2, alpha float64) float64 {
	checkSeqParams("SeqRadius", rho2, alpha)
	if !(t >= 1) {
		return math.Inf(1)
	}
	k := t*rho2 + 1
	return math.Sqrt(2 * k / (t * t * rho2) * math.Log1p(math.Sqrt(k)/(2*alpha)))
}

// SeqRho2 returns the mixing parameter ρ² that makes SeqRadius smallest at
// the planned number of units tPlan (≥ 1) for level α. With x = tPlan·ρ²,
// the radius at tPlan is sqrt(2(x + 1)/(x·tPlan)·log(1 + sqrt(x + 1)/(2α))),
// so the best x does not depend on tPlan; it is found by golden-section
// search on log x. A CS tuned to tPlan is narrowest there and only slowly
// wider elsewhere.
func SeqRho2(tPlan, alpha float64) float64 {
	if !(alpha > 0 && alpha < 1) {
		panic(fmt.Sprintf("stats: SeqRho2 alpha %v outside (0, 1)", alpha))
	}
	if !(tPlan >= 1) || math.IsInf(tPlan, 1) {
		panic(fmt.Sprintf("stats: SeqRho2 planned units %v not a finite number ≥ 1", tPlan))
	}
	return seqBestX(alpha) / tPlan
}

// seqBestX minimises f(x) = (x + 1)/x · log(1 + sqrt(x + 1)/(2α)) over
// x > 0. f falls from +Inf and then rises like log x, so its derivative
//
//	f'(x) = −log(1 + s/(2α))/x² + (x + 1)/x · 1/(4α·s·(1 + s/(2α))),  s = sqrt(x + 1),
//
// changes sign once; the root is found by bisection on log x to full
// precision (the minimum itself is too flat to locate by comparing f).
func seqBestX(alpha float64) float64 {
	df := func(x float64) float64 {
		s := math.Sqrt(x + 1)
		return -math.Log1p(s/(2*alpha))/(x*x) + (x+1)/x/(4*alpha*s*(1+s/(2*alpha)))
	}
	lo, hi := math.Log(1e-6), math.Log(1e6)
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if df(math.Exp(mid)) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Exp((lo + hi) / 2)
}

// seqP returns the smallest level α' at which the one-sided confidence
// sequence with radius SeqRadius(t, ρ², α')·sd excludes the null value,
// given that the estimate lies dist = |estimate − null| > 0 on the
// alternative's side: log(1 + k/(2α')) = L with k = sqrt(tρ² + 1) and
// L = dist²·t²ρ²/(2·sd²·(tρ² + 1)), so α' = k/(2(e^L − 1)), capped at 1.
// The mixing parameter stays the one tuned for the policy's α, so that
// seqP ≤ α exactly when the bound at α excludes the null value.
func seqP(dist, sd, t, rho2 float64) float64 {
	if !(dist > 0) {
		return 1
	}
	if sd == 0 {
		return 0
	}
	k := t*rho2 + 1
	L := dist * dist * t * t * rho2 / (2 * sd * sd * k)
	return math.Min(1, math.Sqrt(k)/(2*math.Expm1(L)))
}

func checkSeqParams(fn string, rho2, alpha float64) {
	if !(rho2 > 0) || math.IsInf(rho2, 1) {
		panic(fmt.Sprintf("stats: %s mixing parameter %v not a positive number", fn, rho2))
	}
	if !(alpha > 0 && alpha < 1) {
		panic(fmt.Sprintf("stats: %s alpha %v outside (0, 1)", fn, alpha))
	}
}

// A SeqResult is one look of an asymptotic confidence sequence.
type SeqResult struct {
	// Estimate is the point estimate: the mean difference, or the cost
	// ratio (not its log) for SeqRatio.
	Estimate float64
	// SD is the sample standard deviation of the unit (cluster) influence
	// values, denominator G − 1; Radius the SeqRadius at G units.
	SD, Radius float64
	// G is the number of units (clusters), N the number of cases.
	G, N int
	Rho2 float64
	// Lo and Hi are the one-sided bounds at level α each: the mean is
	// above Lo at every look with probability ≥ 1 − α, and below Hi.
	// For SeqRatio they are on the ratio scale.
	Lo, Hi float64
	// PUpper is the level at which Lo meets the null value (H1: above
	// it), PLower the level at which Hi meets it (H1: below it); each is
	// 1 when the estimate is on the null's side.
	PUpper, PLower float64
	Alpha          float64
	Warnings       []error
}

// SeqMean is the asymptotic confidence sequence of methods.md (sequential
// mode) for the case-weighted mean Δ of the per-case values d, with the
// clusters as the i.i.d. units (cluster indexes as for ClusterT; a case
// without a cluster of its own is its own unit). Δ̂ = Σd/n is a ratio of
// cluster means, Σ_g D_g / Σ_g n_g, so each cluster's influence value is
// φ_g = (D_g − Δ̂·n_g)/n̄ with n̄ = n/G; σ̂² = Σφ_g²/(G − 1) and
//
//	Lo = Δ̂ − σ̂·SeqRadius(G, ρ², α),  Hi = Δ̂ + σ̂·SeqRadius(G, ρ², α).
//
// Without clusters φ_i = d_i − Δ̂ and σ̂ is the sample standard deviation.
// PUpper and PLower are the levels at which Lo and Hi meet m.
//
// With fewer than 2 units there is no evidence: the bounds are infinite
// and both p-values 1 (ErrFewClusters). When every influence value is 0
// (ErrZeroSE: every cluster shows the same mean difference) the sequence
// would claim certainty from no variation; it reports no evidence either
// way instead (unbounded, p-values 1). It panics on
// mismatched lengths or bad parameters.
func SeqMean(d []float64, cluster []int, m, alpha, rho2 float64) SeqResult {
	checkSeqParams("SeqMean", rho2, alpha)
	if len(d) != len(cluster) {
		panic(fmt.Sprintf("stats: SeqMean len(d)=%d != len(cluster)=%d", len(d), len(cluster)))
	}
	n := len(d)
	r := SeqResult{N: n, Rho2: rho2, Alpha: alpha, PUpper: 1, PLower: 1}
	if n == 0 {
		r.Estimate, r.Lo, r.Hi = math.NaN(), math.Inf(-1), math.Inf(1)
		r.Warnings = append(r.Warnings, ErrEmpty)
		return r
	}
	r.Estimate = kahanMean(d)
	if allEqual(d) {
		r.Estimate = d[0]
	}
	sums, G := clusterTotals(n, cluster, func(i int) float64 { return d[i] })
	sums = append([]float64(nil), sums...)
	sizes, _ := clusterTotals(n, cluster, func(int) float64 { return 1 })
	r.G = G
	phi := make([]float64, G)
	nbar := float64(n) / float64(G)
	for g := range phi {
		phi[g] = (sums[g] - r.Estimate*sizes[g]) / nbar
	}
	return seqFinish(r, phi, r.Estimate, m, func(x float64) float64 { return x })
}

// seqFinish turns influence values into the bounds and p-values of r,
// for an estimate theta on the scale where the influence values apply;
// back maps that scale to the reported one (identity, or exp).
func seqFinish(r SeqResult, phi []float64, theta, null float64, back func(float64) float64) SeqResult {
	G := len(phi)
	if G < 2 {
		r.SD, r.Radius = math.Inf(1), math.Inf(1)
		r.Lo, r.Hi = back(math.Inf(-1)), back(math.Inf(1))
		r.Warnings = append(r.Warnings, fmt.Errorf("%w: G = %d", ErrFewClusters, G))
		return r
	}
	var ss float64
	for _, x := range phi {
		ss += x * x
	}
	r.SD = math.Sqrt(ss / float64(G-1))
	r.Radius = SeqRadius(float64(G), r.Rho2, r.Alpha)
	if r.SD <= zeroSDTolerance*seqScale(phi, theta) {
		r.SD = 0
		r.Lo, r.Hi = back(math.Inf(-1)), back(math.Inf(1))
		r.Warnings = append(r.Warnings, ErrZeroSE)
		return r
	}
	r.Lo, r.Hi = back(theta-r.SD*r.Radius), back(theta+r.SD*r.Radius)
	r.PUpper = seqP(theta-null, r.SD, float64(G), r.Rho2)
	r.PLower = seqP(null-theta, r.SD, float64(G), r.Rho2)
	return r
}

// zeroSDTolerance treats a standard deviation below this share of the
// data's scale as zero: influence values that are exactly zero in exact
// arithmetic come out of floating point at about 1e-17 of the scale.
const zeroSDTolerance = 1e-12

func seqScale(phi []float64, theta float64) float64 {
	s := math.Abs(theta)
	for _, x := range phi {
		s = math.Max(s, math.Abs(x))
	}
	return math.Max(s, 1e-300)
}

// SeqRatio is the asymptotic confidence sequence for the cost ratio
// ρ = (ΣcC/ΣaC)/(ΣcB/ΣaB) of methods.md §3 by the delta method on
// θ = log ρ, clusters as units: with the per-cluster totals and their
// means over clusters (c̄B, āB, c̄C, āC), the influence value of cluster g is
//
//	φ_g = cC_g/c̄C − aC_g/āC − cB_g/c̄B + aB_g/āB,
//
// σ̂² = Σφ_g²/(G − 1) and the bounds are exp(θ̂ ∓ σ̂·SeqRadius(G, ρ², α)).
// PLower is the level at which Hi meets r (H1: ρ < r, the candidate is
// cheaper), PUpper the level at which Lo meets it. An arm with no
// accepted outcome or no cost makes θ̂ infinite: no evidence (p-values 1,
// ErrNoAccepted or ErrZeroCost). It panics on malformed data.
func SeqRatio(d RatioData, r, alpha, rho2 float64) SeqResult {
	checkSeqParams("SeqRatio", rho2, alpha)
	if !(r > 0) || math.IsInf(r, 1) {
		panic(fmt.Sprintf("stats: SeqRatio null ratio %v not a positive number", r))
	}
	n := d.check("SeqRatio")
	per, tot := d.clusterSums()
	G := len(per)
	res := SeqResult{N: n, G: G, Rho2: rho2, Alpha: alpha, PUpper: 1, PLower: 1}
	theta := logRatio(tot)
	res.Estimate = math.Exp(theta)
	if n == 0 {
		res.Warnings = append(res.Warnings, ErrEmpty)
	}
	res.Warnings = append(res.Warnings, sumsWarnings(tot)...)
	if math.IsInf(theta, 0) || math.IsNaN(theta) || tot.cB <= 0 || tot.cC <= 0 {
		res.Lo, res.Hi = 0, math.Inf(1)
		return res
	}
	g := float64(G)
	mcB, maB, mcC, maC := tot.cB/g, tot.aB/g, tot.cC/g, tot.aC/g
	phi := make([]float64, G)
	for i, p := range per {
		phi[i] = p.cC/mcC - p.aC/maC - p.cB/mcB + p.aB/maB
	}
	return seqFinish(res, phi, theta, math.Log(r), math.Exp)
}

// betCap bounds a bet: λ·(1 + m) ≤ betCap, so that one observation can
// cost at most half the wealth (Waudby-Smith and Ramdas use ½ or ¾).
const betCap = 0.5

// betPriorVar is the variance the bets assume before any observation, a
// pseudo-observation that the running estimate soon outweighs.
const betPriorVar = 0.25

// A BetResult is the betting confidence sequence of BetMean after every
// observation of the stream.
type BetResult struct {
	// N is the number of observations.
	N int
	// Mean is their mean.
	Mean float64
	// Lo and Hi are the bounds of the running intersection of the
	// one-sided sequences at level α each: Lo is the largest m rejected
	// by the upward bets at some prefix, Hi the smallest rejected by the
	// downward bets (−1 and 1 when none is).
	Lo, Hi float64
	// PUpper is 1/max_t W⁺_t(m), the anytime-valid p-value of H0 mean ≤ m
	// (capped at 1); PLower that of H0 mean ≥ m.
	PUpper, PLower float64
	// MaxLogWealthUp and MaxLogWealthDown are log max_t W_t(m) of the two
	// bets at the margin.
	MaxLogWealthUp, MaxLogWealthDown float64
	// CrossUp and CrossDown are the numbers of observations after which
	// the upward and downward wealth at m first reached 1/α (0: never).
	CrossUp, CrossDown int
	Alpha, NPlan       float64
}

// betLambdas returns the predictable bet sizes λ_i (before truncation) of
// the stream x: λ_i = sqrt(2·log(1/α)/(σ̂²_{i−1}·T_i)), with σ̂²_{i−1} the
// running variance of the first i − 1 observations around their running
// means (one prior pseudo-observation of variance 1/4 and mean 0) and
// T_i = max(i, n*)·(1 + log(max(i, n*)/n*)): a bet tuned to be ready at the
// planned n* (the fixed-λ optimum sqrt(2·log(1/α)/(σ²·n*)) up to n*), and
// after it shrinking like 1/sqrt(t·log t), so that any true mean above m is
// eventually detected.
func betLambdas(x []float64, alpha, nPlan float64) []float64 {
	lam := make([]float64, len(x))
	l := 2 * math.Log(1/alpha)
	sum, ss := 0.0, betPriorVar
	for i, v := range x {
		t := float64(i + 1)
		lam[i] = betLambda(t, ss, l, nPlan)
		sum += v
		mu := sum / (t + 1)
		ss += (v - mu) * (v - mu)
	}
	return lam
}

// betLambda is the bet before observation t given the running sum of
// squares ss (prior included) and l = 2·log(1/α).
func betLambda(t, ss, l, nPlan float64) float64 {
	tt := math.Max(t, nPlan)
	return math.Sqrt(l / (ss / t * tt * (1 + math.Log(tt/nPlan))))
}

// maxLogWealth returns max over prefixes t ≥ 0 of Σ_{i≤t} log(1 + s·λ_i(m)·(x_i − m)),
// s = +1 for the upward bet (H0 mean ≤ m) and −1 for the downward one, with
// λ_i(m) = min(λ_i, betCap/(1 + s·m)) (0 at the empty prefix).
func maxLogWealth(x, lam []float64, m, s float64) float64 {
	best, _ := wealthPath(x, lam, m, s, math.Inf(1))
	return best
}

// wealthPath is maxLogWealth that also returns the first prefix length at
// which the log-wealth reaches crit (0 if none).
func wealthPath(x, lam []float64, m, s, crit float64) (best float64, cross int) {
	limit := betCap / (1 + s*m)
	w := 0.0
	for i, v := range x {
		b := math.Min(lam[i], limit)
		w += math.Log1p(s * b * (v - m))
		best = math.Max(best, w)
		if cross == 0 && w >= crit {
			cross = i + 1
		}
	}
	return best, cross
}

// BetMean is the betting confidence sequence for the mean of a stream of
// observations x in [−1, 1] (per-case acceptance differences), in stream
// order, with bets tuned to the planned number of observations nPlan ≥ 1
// (Waudby-Smith and Ramdas, JRSS-B 2024, the predictable plug-in bets with
// the tuning of betLambdas). For a null value m in (−1, 1) the upward
// wealth W⁺_t(m) = Π_{i≤t}(1 + λ_i(m)(x_i − m)), λ_i(m) = min(λ_i, ½/(1 + m)),
// is a non-negative supermartingale whenever the observations' conditional
// mean is at most m, so P(∃t: W⁺_t(m) ≥ 1/α) ≤ α, whatever the sample size
// and however often one looks; the downward wealth mirrors it. Each
// factor falls as m rises, so the rejected null values form intervals and
// the bounds are found by bisection. The order of x matters: it must be
// fixed without looking at the values (arrival order).
//
// It panics when a value is outside [−1, 1], m is outside (−1, 1), or the
// parameters are out of range.
func BetMean(x []float64, m, alpha, nPlan float64) BetResult {
	if !(alpha > 0 && alpha < 1) || !(nPlan >= 1) || math.IsInf(nPlan, 1) {
		panic(fmt.Sprintf("stats: BetMean alpha %v or planned n %v out of range", alpha, nPlan))
	}
	if !(m > -1 && m < 1) {
		panic(fmt.Sprintf("stats: BetMean null value %v outside (−1, 1)", m))
	}
	for _, v := range x {
		if !(v >= -1 && v <= 1) {
			panic(fmt.Sprintf("stats: BetMean value %v outside [−1, 1]", v))
		}
	}
	r := BetResult{N: len(x), Alpha: alpha, NPlan: nPlan, Lo: -1, Hi: 1, Mean: math.NaN()}
	if len(x) > 0 {
		r.Mean = kahanMean(x)
	}
	lam := betLambdas(x, alpha, nPlan)
	crit := math.Log(1 / alpha)
	r.MaxLogWealthUp, r.CrossUp = wealthPath(x, lam, m, 1, crit)
	r.MaxLogWealthDown, r.CrossDown = wealthPath(x, lam, m, -1, crit)
	r.PUpper = math.Min(1, math.Exp(-r.MaxLogWealthUp))
	r.PLower = math.Min(1, math.Exp(-r.MaxLogWealthDown))
	// Lo: the largest null value the upward bets reject. Rejection holds
	// on (−1, Lo]; it never holds at 1 (no observation exceeds it).
	if maxLogWealth(x, lam, -1+1e-12, 1) >= crit {
		lo, hi := -1+1e-12, 1.0
		for i := 0; i < 45; i++ {
			mid := (lo + hi) / 2
			if maxLogWealth(x, lam, mid, 1) >= crit {
				lo = mid
			} else {
				hi = mid
			}
		}
		r.Lo = lo
	}
	if maxLogWealth(x, lam, 1-1e-12, -1) >= crit {
		lo, hi := -1.0, 1-1e-12
		for i := 0; i < 45; i++ {
			mid := (lo + hi) / 2
			if maxLogWealth(x, lam, mid, -1) >= crit {
				hi = mid
			} else {
				lo = mid
			}
		}
		r.Hi = hi
	}
	return r
}

// SeqPlanOptions configure the simulated course of a sequential test.
type SeqPlanOptions struct {
	// Alpha is the level of each one-sided sequence.
	Alpha float64
	// NPlan is the planned number of units the sequence is tuned to.
	NPlan float64
	// Batch is the number of units between looks (≥ 1) and Max the
	// number after which a path is abandoned undecided.
	Batch, Max int
	// Target is the power wanted: UnitsForPower is where it is reached.
	Target float64
	// Paths is the number of simulated paths (default 4000) and Seed
	// seeds their streams.
	Paths int
	Seed  uint64
}

// A SeqPlan is what a sequential test can be expected to do at an assumed
// truth, estimated from simulated paths (deterministic for a seed).
type SeqPlan struct {
	// ExpectedUnits is the mean number of units observed when the first
	// look that decides (met or missed) is taken, an undecided path
	// counting Max; ExpectedUnitsSE is its Monte Carlo standard error.
	ExpectedUnits, ExpectedUnitsSE float64
	// Met and Missed are the shares of paths decided each way by Max;
	// Undecided the rest.
	Met, Missed, Undecided float64
	// UnitsForPower is the first look by which a share Target of the
	// paths has met (+Inf if not by Max): run this many units and the
	// sequential test passes with the target power.
	UnitsForPower float64
	Paths         int
}

func (o SeqPlanOptions) withDefaults(fn string) SeqPlanOptions {
	if o.Paths == 0 {
		o.Paths = 4000
	}
	if !(o.Alpha > 0 && o.Alpha < 1) || !(o.NPlan >= 1) || o.Batch < 1 || o.Max < o.Batch || !(o.Target > 0 && o.Target < 1) || o.Paths < 1 {
		panic(fmt.Sprintf("stats: %s options out of range: %+v", fn, o))
	}
	return o
}

// seqPlanFrom summarises per-path stopping looks (1-based look index,
// 0 for undecided) and outcomes (+1 met, −1 missed).
func seqPlanFrom(stop []int, met []int8, o SeqPlanOptions) SeqPlan {
	looks := o.Max / o.Batch
	p := SeqPlan{Paths: o.Paths, UnitsForPower: math.Inf(1)}
	metAt := make([]int, looks+1)
	var sum, ss float64
	for i, k := range stop {
		units := float64(looks * o.Batch)
		if k > 0 {
			units = float64(k * o.Batch)
			if met[i] > 0 {
				p.Met++
				metAt[k]++
			} else {
				p.Missed++
			}
		}
		sum += units
		ss += units * units
	}
	n := float64(o.Paths)
	p.ExpectedUnits = sum / n
	if o.Paths > 1 {
		v := (ss - sum*sum/n) / (n - 1)
		p.ExpectedUnitsSE = math.Sqrt(math.Max(v, 0) / n)
	}
	p.Met /= n
	p.Missed /= n
	p.Undecided = 1 - p.Met - p.Missed
	cum := 0
	for k := 1; k <= looks; k++ {
		cum += metAt[k]
		if float64(cum) >= o.Target*n {
			p.UnitsForPower = float64(k * o.Batch)
			break
		}
	}
	return p
}

// SeqPlanNormal simulates the asymptotic confidence sequence (SeqMean's
// rule with a known standard deviation) on units whose values have mean
// delta and standard deviation sd, against the margin m, looking every
// o.Batch units: a path meets when mean − sd·SeqRadius > m and misses when
// mean + sd·SeqRadius < m, with ρ² = SeqRho2(o.NPlan, α). A batch's sum is
// drawn at once, as N(batch·delta, batch·sd²): the Brownian approximation
// the asymptotic sequence itself rests on.
func SeqPlanNormal(delta, sd, m float64, o SeqPlanOptions) SeqPlan {
	o = o.withDefaults("SeqPlanNormal")
	if !(sd > 0) || math.IsInf(sd, 1) || math.IsNaN(delta) || math.IsNaN(m) {
		panic(fmt.Sprintf("stats: SeqPlanNormal sd %v, delta %v or margin %v out of range", sd, delta, m))
	}
	rho2 := SeqRho2(o.NPlan, o.Alpha)
	looks := o.Max / o.Batch
	radius := make([]float64, looks+1)
	for k := 1; k <= looks; k++ {
		radius[k] = sd * SeqRadius(float64(k*o.Batch), rho2, o.Alpha)
	}
	stop := make([]int, o.Paths)
	met := make([]int8, o.Paths)
	b := float64(o.Batch)
	bm, bs := b*delta, math.Sqrt(b)*sd
	forBlocks(o.Paths, o.Seed, func(src *randSource, lo, hi int) {
		rng := rand.New(src)
		for p := lo; p < hi; p++ {
			s := 0.0
			for k := 1; k <= looks; k++ {
				s += bm + bs*rng.NormFloat64()
				mean := s / float64(k*o.Batch)
				if mean-radius[k] > m {
					stop[p], met[p] = k, 1
					break
				}
				if mean+radius[k] < m {
					stop[p], met[p] = k, -1
					break
				}
			}
		}
	})
	return seqPlanFrom(stop, met, o)
}

// SeqPlanBet simulates BetMean's rule on single-sample pairs, each
// accepted by the candidate only with probability p10 and by the baseline
// only with probability p01 (so the mean difference is p10 − p01), against
// the margin m, looking every o.Batch pairs: a path meets when the upward
// wealth at m has reached 1/α at some pair so far, and misses when the
// downward one has.
func SeqPlanBet(p10, p01, m float64, o SeqPlanOptions) SeqPlan {
	o = o.withDefaults("SeqPlanBet")
	if !(p10 >= 0 && p01 >= 0 && p10+p01 <= 1) || !(m > -1 && m < 1) {
		panic(fmt.Sprintf("stats: SeqPlanBet cells %v, %v or margin %v out of range", p10, p01, m))
	}
	looks := o.Max / o.Batch
	crit := math.Log(1 / o.Alpha)
	l := 2 * crit
	stop := make([]int, o.Paths)
	met := make([]int8, o.Paths)
	upCap, downCap := betCap/(1+m), betCap/(1-m)
	forBlocks(o.Paths, o.Seed, func(src *randSource, lo, hi int) {
		rng := rand.New(src)
		for p := lo; p < hi; p++ {
			sum, ss := 0.0, betPriorVar
			up, down := 0.0, 0.0
			upHit, downHit := false, false
		path:
			for k := 1; k <= looks; k++ {
				for j := 0; j < o.Batch; j++ {
					t := float64((k-1)*o.Batch + j + 1)
					lam := betLambda(t, ss, l, o.NPlan)
					u := rng.Float64()
					v := 0.0
					switch {
					case u < p10:
						v = 1
					case u < p10+p01:
						v = -1
					}
					up += math.Log1p(math.Min(lam, upCap) * (v - m))
					down += math.Log1p(-math.Min(lam, downCap) * (v - m))
					upHit = upHit || up >= crit
					downHit = downHit || down >= crit
					sum += v
					mu := sum / (t + 1)
					ss += (v - mu) * (v - mu)
				}
				switch {
				case upHit:
					stop[p], met[p] = k, 1
					break path
				case downHit:
					stop[p], met[p] = k, -1
					break path
				}
			}
		}
	})
	return seqPlanFrom(stop, met, o)
}
