package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// RatioData holds the per-case inputs of the cost test of methods.md §3:
// for each paired case i, the mean cost and mean acceptance over its samples
// in the baseline (CostB, AccB) and candidate (CostC, AccC) arms, and its
// cluster (non-negative integers, conventionally 0..G−1). All slices have the
// same length n; values must be finite and non-negative.
type RatioData struct {
	CostB, AccB, CostC, AccC []float64
	Cluster                  []int
}

func (d RatioData) check(fn string) int {
	n := len(d.Cluster)
	for _, col := range [][]float64{d.CostB, d.AccB, d.CostC, d.AccC} {
		if len(col) != n {
			panic(fmt.Sprintf("stats: %s RatioData columns have different lengths", fn))
		}
		for _, v := range col {
			if !(v >= 0) || math.IsInf(v, 1) {
				panic(fmt.Sprintf("stats: %s RatioData value %v not finite and non-negative", fn, v))
			}
		}
	}
	return n
}

// ratioSums are the four column totals of a set of cases.
type ratioSums struct{ cB, aB, cC, aC float64 }

func (s *ratioSums) add(t ratioSums) {
	s.cB += t.cB
	s.aB += t.aB
	s.cC += t.cC
	s.aC += t.aC
}

func (s ratioSums) sub(t ratioSums) ratioSums {
	return ratioSums{s.cB - t.cB, s.aB - t.aB, s.cC - t.cC, s.aC - t.aC}
}

// logRatio returns θ = log ρ with ρ = (cC/aC)/(cB/aB), defined on every
// input: +Inf when the candidate has no accepted outcome (whatever the
// baseline; "never better"), else −Inf when the baseline has none; with
// both arms accepted, 0 when both costs are 0, +Inf when only the baseline
// cost is 0, −Inf when only the candidate cost is 0.
func logRatio(s ratioSums) float64 {
	switch {
	case s.aC <= 0:
		return math.Inf(1)
	case s.aB <= 0:
		return math.Inf(-1)
	case s.cB <= 0 && s.cC <= 0:
		return 0
	case s.cB <= 0:
		return math.Inf(1)
	case s.cC <= 0:
		return math.Inf(-1)
	}
	return math.Log((s.cC / s.aC) / (s.cB / s.aB))
}

// clusterSums returns the per-cluster column totals (clusters compacted to
// 0..G−1 in ascending index order, each summed in case order) and the grand
// totals, summed over clusters in cluster order exactly as the bootstrap
// sums a draw that takes every cluster once (columnTotals), so that such a
// draw reproduces θ̂ bit for bit.
func (d RatioData) clusterSums() (per []ratioSums, tot ratioSums) {
	m, G := compactClusters(d.Cluster)
	per = make([]ratioSums, G)
	for i, g := range m[0] {
		per[g].add(ratioSums{d.CostB[i], d.AccB[i], d.CostC[i], d.AccC[i]})
	}
	for _, p := range per {
		tot.add(p)
	}
	return per, tot
}

func sumsWarnings(tot ratioSums) []error {
	var w []error
	if tot.aC <= 0 {
		w = append(w, fmt.Errorf("%w: candidate", ErrNoAccepted))
	}
	if tot.aB <= 0 {
		w = append(w, fmt.Errorf("%w: baseline", ErrNoAccepted))
	}
	if tot.cC <= 0 {
		w = append(w, fmt.Errorf("%w: candidate", ErrZeroCost))
	}
	if tot.cB <= 0 {
		w = append(w, fmt.Errorf("%w: baseline", ErrZeroCost))
	}
	return w
}

// A DeltaResult is the outcome of the delta-method cost-ratio test.
type DeltaResult struct {
	L     float64 // log ρ̂
	SE    float64 // cluster-robust standard error of L
	Ratio float64 // ρ̂ = exp(L)
	// Lo and Hi are exp(L ± t_{(1+level)/2, G−1}·SE).
	Lo, Hi float64
	T      float64 // (L − log r)/SE
	DF     int     // degrees of freedom G − 1 of the t reference (0 when G < 2)
	P      float64 // one-sided p for H1 ρ < r: F_{t,G−1}(T)
	N, G   int
	Level  float64
	// NullRatio is r.
	NullRatio float64
	Warnings  []error
}

// DeltaRatio is the delta-method test of methods.md §3 for the ratio of
// costs per accepted outcome ρ = (ΣcC/ΣaC)/(ΣcB/ΣaB), H0 ρ >= nullRatio
// against H1 ρ < nullRatio (Deng, Knoblich & Lu, "Applying the Delta Method
// in Metric Analytics: A Practical Guide with Novel Ideas", KDD 2018). With
// L = log ρ̂ and bars meaning means over the n cases, the influence value of
// case i is IF_i = (cC_i/c̄C − aC_i/āC) − (cB_i/c̄B − aB_i/āB) and
//
//	SE = (1/n)·sqrt(G/(G−1)·Σ_g (Σ_{i∈g} IF_i)²),  T = (L − log r)/SE,
//	P = F_{t,G−1}(T),
//
// with interval exp(L ± t_{(1+level)/2, G−1}·SE).
//
// Deviation from methods.md, which refers T to the standard normal: like the
// clustered t test of the quality gain (ClusterT), T is referred to
// Student's t with G − 1 degrees of freedom, the reference of a
// cluster-robust standard error with the G/(G−1) factor (Cameron & Miller,
// "A Practitioner's Guide to Cluster-Robust Inference", Journal of Human
// Resources 50:317–372, 2015). The normal reference was measurably liberal
// with about 100 clusters and skewed costs (false-pass rate 0.0526 at
// α = 0.05, against 0.0508 with the t reference; docs/methods.md §11); for
// large G the two agree.
//
// Degenerate cases are flagged in Warnings and defined without NaN:
//   - an arm with no accepted outcome or zero total cost (ErrNoAccepted,
//     ErrZeroCost): L is ±Inf or 0 as in BootstrapRatio, SE = 0, T = ±Inf by
//     the sign of L − log r (P = 0 or 1; P = ½ when equal) and the interval
//     is the point ρ̂;
//   - fewer than 2 clusters (ErrFewClusters, ErrEmpty): SE = +Inf, T = 0,
//     P = 1, interval (0, +Inf);
//   - SE = 0 otherwise (ErrZeroSE), when every cluster's total of influence
//     values is zero up to ZeroTolerance (relative to the total of their
//     terms' magnitudes), as when every cluster has the same costs and
//     acceptance: limits as in ClusterT.
//
// It panics on malformed data, nullRatio <= 0 or a level outside (0, 1).
func DeltaRatio(d RatioData, nullRatio, level float64) DeltaResult {
	checkLevel("DeltaRatio", level)
	checkNullRatio("DeltaRatio", nullRatio)
	n := d.check("DeltaRatio")
	r := DeltaResult{N: n, Level: level, NullRatio: nullRatio}
	m, G := compactClusters(d.Cluster)
	// One case per cluster, in cluster order (cases without clusters): the
	// clusters' sums are the cases' values, and need no arrays.
	single := G == n
	for i, g := range m[0] {
		if g != i {
			single = false
			break
		}
	}
	var tot ratioSums
	if single {
		for i := 0; i < n; i++ {
			tot.add(ratioSums{d.CostB[i], d.AccB[i], d.CostC[i], d.AccC[i]})
		}
	} else {
		_, tot = d.clusterSums()
	}
	r.G = G
	r.L = logRatio(tot)
	r.Ratio = math.Exp(r.L)
	theta0 := math.Log(nullRatio)
	if n == 0 || r.G < 2 {
		if n == 0 {
			r.Warnings = append(r.Warnings, ErrEmpty)
		} else {
			r.Warnings = append(r.Warnings, fmt.Errorf("%w: G = %d", ErrFewClusters, r.G))
		}
		r.SE, r.T, r.P, r.Lo, r.Hi = math.Inf(1), 0, 1, 0, math.Inf(1)
		return r
	}
	r.DF = r.G - 1
	limit := func() DeltaResult {
		r.SE, r.Lo, r.Hi = 0, r.Ratio, r.Ratio
		switch diff := r.L - theta0; {
		case diff > 0:
			r.T, r.P = math.Inf(1), 1
		case diff < 0:
			r.T, r.P = math.Inf(-1), 0
		default:
			r.T, r.P = 0, 0.5
		}
		return r
	}
	if w := sumsWarnings(tot); len(w) > 0 {
		r.Warnings = append(r.Warnings, w...)
		return limit()
	}
	N := float64(n)
	mcB, maB, mcC, maC := tot.cB/N, tot.aB/N, tot.cC/N, tot.aC/N
	// Influence values summed by cluster, and the same without
	// cancellation (the scale against which a zero sum is judged).
	var s2, a2 float64
	if single {
		for i := 0; i < n; i++ {
			cC, aC, cB, aB := d.CostC[i]/mcC, d.AccC[i]/maC, d.CostB[i]/mcB, d.AccB[i]/maB
			v, a := (cC-aC)-(cB-aB), cC+aC+cB+aB
			s2 += v * v
			a2 += a * a
		}
	} else {
		sum := make([]float64, r.G)
		scale := make([]float64, r.G)
		for i, g := range m[0] {
			cC, aC, cB, aB := d.CostC[i]/mcC, d.AccC[i]/maC, d.CostB[i]/mcB, d.AccB[i]/maB
			sum[g] += (cC - aC) - (cB - aB)
			scale[g] += cC + aC + cB + aB
		}
		s2, a2 = sumSquares(sum), sumSquares(scale)
	}
	g := float64(r.G)
	if !negligible(s2, a2) {
		r.SE = math.Sqrt(g/(g-1)*s2) / N
	}
	if r.SE == 0 {
		r.Warnings = append(r.Warnings, ErrZeroSE)
		return limit()
	}
	r.T = (r.L - theta0) / r.SE
	r.P, _ = studentTCDF(r.T, float64(r.DF))
	q := studentTQuantile((1+level)/2, float64(r.DF))
	r.Lo, r.Hi = math.Exp(r.L-q*r.SE), math.Exp(r.L+q*r.SE)
	return r
}

func checkNullRatio(fn string, r float64) {
	if !(r > 0) || math.IsInf(r, 1) {
		panic(fmt.Sprintf("stats: %s null ratio %v must be positive and finite", fn, r))
	}
}

// BootstrapOptions configures the clustered bootstrap.
type BootstrapOptions struct {
	// Resamples is the number B of bootstrap draws (0: DefaultResamples).
	Resamples int
	// Seed seeds the PCG streams; draw k uses the stream of block k/1000.
	Seed uint64
	// Level is the two-sided interval level (0: 0.90, i.e. 1 − 2α at α = 0.05).
	Level float64
	// NullRatio is r in H0 ρ >= r (0: 1). Used by BootstrapRatio only.
	NullRatio float64
	// Context, when not nil, stops the draws once it is done: the result
	// is then meaningless, and the caller checks Context.Err().
	Context context.Context
}

// done is the channel that stops the draws (nil: never).
func (o BootstrapOptions) done() <-chan struct{} {
	if o.Context == nil {
		return nil
	}
	return o.Context.Done()
}

// Defaults of BootstrapOptions (methods.md §3, policy statistics.*).
const (
	DefaultResamples = 10000
	DefaultSeed      = 20240611
	DefaultLevel     = 0.90
)

// DefaultBootstrapOptions returns the options ftgate uses without a policy:
// 10 000 resamples, the fixed DefaultSeed, level 0.90 and null ratio 1.
func DefaultBootstrapOptions() BootstrapOptions {
	return BootstrapOptions{Resamples: DefaultResamples, Seed: DefaultSeed, Level: DefaultLevel, NullRatio: 1}
}

// withDefaults fills zero fields and panics on out-of-range ones.
func (o BootstrapOptions) withDefaults(fn string) BootstrapOptions {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	if o.NullRatio == 0 {
		o.NullRatio = 1
	}
	if o.Resamples < 1 {
		panic(fmt.Sprintf("stats: %s Resamples %d must be positive", fn, o.Resamples))
	}
	checkLevel(fn, o.Level)
	checkNullRatio(fn, o.NullRatio)
	return o
}

// A BootstrapResult is the outcome of the clustered BCa bootstrap test of the
// cost ratio.
type BootstrapResult struct {
	Theta  float64 // θ̂ = log ρ̂ (±Inf when an arm has no accepted outcome)
	Ratio  float64 // ρ̂
	Lo, Hi float64 // BCa interval for ρ at Level
	// P is the one-sided p-value for H1 ρ < r, consistent with the BCa
	// interval: P <= α exactly when the upper end of the BCa interval at
	// level 1 − 2α is below r, up to the discreteness of the B draws.
	P float64
	// MCError is the Monte Carlo standard error of P (approximately: half
	// the range of P over one-standard-error intervals of the two
	// bootstrap proportions it is computed from).
	MCError   float64
	Z0, Accel float64 // BCa bias correction and acceleration
	// Resamples is the number of draws made (0 with fewer than 2 clusters).
	Resamples int
	Seed      uint64
	Level     float64
	NullRatio float64
	N, G      int
	Warnings  []error
}

// BootstrapRatio is the clustered paired BCa bootstrap test of methods.md §3
// for the cost ratio ρ = (ΣcC/ΣaC)/(ΣcB/ΣaB), H0 ρ >= r against H1 ρ < r
// (Efron B., "Better bootstrap confidence intervals", JASA 82:171–185, 1987;
// Efron & Tibshirani, An Introduction to the Bootstrap, 1993, ch. 14).
//
// Each of the B draws takes G clusters with replacement and recomputes
// θ* = log ρ* from the drawn clusters' totals of both arms (so the pairing is
// kept). θ* = +Inf when the drawn candidate has no accepted outcome (also when
// neither arm has one: never "better"), −Inf when only the baseline has none.
// With F̂(x) = (#{θ* < x} + ½#{θ* = x})/B clamped to [½/B, 1 − ½/B]:
//
//	z0 = Φ⁻¹(F̂(θ̂)),  a = Σ(θ̄ − θ_(g))³ / (6·(Σ(θ̄ − θ_(g))²)^{3/2})
//
// with θ_(g) the leave-one-cluster-out estimates (a = 0, with a warning, when
// one is not finite). The interval takes the type-7 quantiles of θ* at
// Φ(z0 + w/(1 − a·w)) for w = z0 ± z_{(1+level)/2}, mapped by exp. With
// θ0 = log r, q = F̂(θ0) and u = Φ⁻¹(q) − z0, the p-value is
// P = Φ(z0 − u/(1 + a·u)): the α at which the interval's upper end meets r.
// Where 1 + a·u <= 0 the BCa map never reaches q, and P is 1 (u < 0) or 0.
//
// Deviation from methods.md: z0 uses the mid-rank F̂(θ̂) rather than
// #{θ* < θ̂}/B. Without ties the two are equal; with ties (small G, discrete
// data) the mid-rank form is the one F̂ uses for the p-value, matches
// scipy.stats.bootstrap, and gives z0 = 0 rather than about −3.7 when every
// θ* equals θ̂. For the ties to be seen, a draw's totals are summed from how
// often it takes each cluster, in cluster order, exactly as θ̂'s are: a draw
// that takes every cluster once (a share G!/G^G of the draws, 22% at G = 3
// and 3.8% at G = 5) gives θ* == θ̂ bit for bit.
//
// Draws are split into blocks of 1000, each with its own PCG stream derived
// from (Seed, block), and run in parallel; the result is identical for the
// same data and options whatever GOMAXPROCS is. A draw costs O(G).
//
// With fewer than 2 clusters there is no resampling variability: P = 1 and
// the interval is (0, +Inf), with ErrFewClusters. A bootstrap distribution
// with a single value gives ErrZeroSE. It panics on malformed data or
// out-of-range options; zero options take the defaults.
func BootstrapRatio(d RatioData, o BootstrapOptions) BootstrapResult {
	o = o.withDefaults("BootstrapRatio")
	d.check("BootstrapRatio")
	m, G := compactClusters(d.Cluster)
	d.Cluster = m[0]
	rs := NewResampler(G)
	s := rs.Ratio(d)
	if G >= 2 {
		if err := rs.Run(ResampleOptions{Seed: o.Seed, Resamples: o.Resamples, Context: o.Context}); err != nil {
			return BootstrapResult{Resamples: 0, Seed: o.Seed, Level: o.Level, NullRatio: o.NullRatio, N: s.n, G: G, P: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		}
	} else {
		rs.ran = true
	}
	r := s.Result(o.Level, o.NullRatio)
	r.Resamples = o.Resamples
	return r
}

// ratioBoot is a finished bootstrap of the log cost ratio.
type ratioBoot struct {
	theta      []float64 // sorted θ*
	thetaHat   float64
	z0, accel  float64
	jackFinite bool
}

// bootRatio draws B bootstrap replicates of θ from per-cluster sums (G >= 2)
// and computes the BCa constants.
func bootRatio(per []ratioSums, tot ratioSums, B int, seed uint64) ratioBoot {
	rs := NewResampler(len(per))
	s := rs.ratioFromSums(per)
	if err := rs.Run(ResampleOptions{Seed: seed, Resamples: B}); err != nil {
		panic(err)
	}
	theta := make([]float64, B)
	for k := range theta {
		theta[k] = logRatio(s.totalsOf(k))
	}
	return finishRatioBoot(theta, per, tot)
}

// finishRatioBoot sorts the bootstrap replicates θ* and computes the BCa
// constants: z0 from the mid-rank F̂(θ̂), the acceleration from the
// leave-one-cluster-out estimates.
func finishRatioBoot(theta []float64, per []ratioSums, tot ratioSums) ratioBoot {
	G := len(per)
	bt := ratioBoot{theta: theta, thetaHat: logRatio(tot), jackFinite: true}
	slices.Sort(theta)

	// Jackknife acceleration, leave one cluster out: the grand totals θ̂
	// uses less the cluster's own (clusters with equal totals give equal
	// values). The mean is taken as jack[0] plus the mean deviation from
	// it, so that equal jackknife values give a = 0 exactly rather than a
	// rounding artefact of ±1/(6·sqrt(G)).
	jack := make([]float64, G)
	for g := range per {
		jack[g] = logRatio(tot.sub(per[g]))
		if math.IsInf(jack[g], 0) {
			bt.jackFinite = false
		}
	}
	if bt.jackFinite {
		var shift float64
		for _, t := range jack {
			shift += t - jack[0]
		}
		mean := jack[0] + shift/float64(G)
		var s2, s3 float64
		for _, t := range jack {
			dd := mean - t
			s2 += dd * dd
			s3 += dd * dd * dd
		}
		if s2 > 0 {
			bt.accel = s3 / (6 * math.Pow(s2, 1.5))
		}
	}
	bt.z0 = NormalQuantile(midRankCDF(theta, bt.thetaHat))
	return bt
}

// interval returns the BCa interval for ρ at the two-sided level.
func (bt ratioBoot) interval(level float64) (lo, hi float64) {
	z := NormalQuantile((1 + level) / 2)
	lo = math.Exp(Quantile7(bt.theta, bcaLevel(-z, bt.z0, bt.accel)))
	hi = math.Exp(Quantile7(bt.theta, bcaLevel(z, bt.z0, bt.accel)))
	return lo, hi
}

// p returns the one-sided BCa p-value for H1 ρ < nullRatio.
func (bt ratioBoot) p(nullRatio float64) float64 {
	return bcaP(midRankCDF(bt.theta, math.Log(nullRatio)), bt.z0, bt.accel)
}

// pRange returns the least and the greatest BCa p-value for H1 ρ <
// nullRatio as the two bootstrap proportions it is computed from,
// q = F̂(log nullRatio) and F̂(θ̂) (which gives z0), range over their Wilson
// intervals at z: the p-value's Monte Carlo uncertainty.
func (bt ratioBoot) pRange(nullRatio, z float64) (lo, hi float64) {
	qLo, qHi := wilsonCDF(bt.theta, math.Log(nullRatio), z)
	rLo, rHi := wilsonCDF(bt.theta, bt.thetaHat, z)
	lo, hi = 1, 0
	for _, q := range []float64{qLo, qHi} {
		for _, r := range []float64{rLo, rHi} {
			p := bcaP(q, NormalQuantile(r), bt.accel)
			lo, hi = math.Min(lo, p), math.Max(hi, p)
		}
	}
	return lo, hi
}

// wilsonCDF returns Wilson's interval at z for the mid-rank bootstrap CDF
// at v, clamped as midRankCDF clamps.
func wilsonCDF(sorted []float64, v, z float64) (lo, hi float64) {
	B := float64(len(sorted))
	x := midRankCDF(sorted, v) * B
	z2 := z * z
	center := (x + z2/2) / (B + z2)
	half := z / (B + z2) * math.Sqrt(math.Max(0, x*(B-x)/B)+z2/4)
	clamp := func(q float64) float64 { return math.Min(math.Max(q, 0.5/B), 1-0.5/B) }
	return clamp(center - half), clamp(center + half)
}

// midRankCDF returns (#{x < v} + ½#{x = v})/B for sorted x, clamped to
// [½/B, 1 − ½/B].
func midRankCDF(sorted []float64, v float64) float64 {
	B := float64(len(sorted))
	less, _ := slices.BinarySearch(sorted, v)
	upto := less
	for upto < len(sorted) && sorted[upto] == v {
		upto++
	}
	q := (float64(less) + 0.5*float64(upto-less)) / B
	return math.Min(math.Max(q, 0.5/B), 1-0.5/B)
}

// bcaLevel returns the BCa-adjusted quantile level Φ(z0 + w/(1 − a·w)) for
// w = z0 + zq, continued by its limits (1 or 0) past the pole 1 − a·w = 0.
func bcaLevel(zq, z0, a float64) float64 {
	w := z0 + zq
	den := 1 - a*w
	if den <= 0 {
		if w > 0 {
			return 1
		}
		return 0
	}
	return NormalCDF(z0 + w/den)
}

// bcaP inverts bcaLevel: the one-sided p at which the BCa upper end equals
// the point whose bootstrap CDF value is q. See BootstrapRatio.
func bcaP(q, z0, a float64) float64 {
	u := NormalQuantile(q) - z0
	den := 1 + a*u
	if den <= 0 {
		if u < 0 {
			return 1
		}
		return 0
	}
	return NormalCDF(z0 - u/den)
}
