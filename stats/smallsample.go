package stats

import "math"

// A CR2Result is the clustered paired t test with the CR2 (Bell–McCaffrey)
// standard error and Satterthwaite degrees of freedom.
type CR2Result struct {
	Delta  float64 // mean difference Δ̂
	SE     float64 // CR2 standard error (+Inf when G < 2, 0 by ZeroTolerance)
	DF     float64 // Satterthwaite degrees of freedom (0 when G < 2)
	T      float64 // (Δ̂ − m)/SE
	PUpper float64 // 1 − F_{t,DF}(T)
	PLower float64 // F_{t,DF}(T)
	Lo, Hi float64 // Δ̂ ± t_{(1+level)/2, DF}·SE
	N, G   int
	Level  float64
	// Warnings as in ClusterT (ErrEmpty, ErrFewClusters, ErrZeroSE).
	Warnings []error
}

// ClusterCR2 is the clustered paired t test of a mean difference with the
// bias-reduced CR2 variance of Bell and McCaffrey and the Satterthwaite
// degrees of freedom of the same working model (Bell R.M., McCaffrey D.F.,
// Survey Methodology 28:169–181, 2002; Imbens G.W., Kolesár M., "Robust
// standard errors in small samples: some practical advice", Review of
// Economics and Statistics 98:701–712, 2016; Pustejovsky J.E., Tipton E.,
// Journal of Business & Economic Statistics 36:672–683, 2018). For the
// mean of d (a regression on a constant), with D_g the cluster totals of
// d − d̄, n_g the cluster sizes and c_g² = 1/(1 − n_g/n), both have closed
// forms:
//
//	SE² = (1/n²)·Σ_g c_g²·D_g²,
//	DF = n² / (Σ_g c_g⁴·n_g²·(1 − 2n_g/n) + (Σ_g c_g²·n_g²/n)²),
//
// equal to clubSandwich's coef_test(lm(d ~ 1), vcov = "CR2",
// test = "Satterthwaite"). With equal cluster sizes the SE is ClusterT's
// and DF = G − 1; a large cluster gets its residual total inflated and
// DF falls towards the number of clusters that carry the variance.
// Degenerate cases are those of ClusterT. It panics as ClusterT does.
func ClusterCR2(d []float64, cluster []int, m, level float64) CR2Result {
	ct := ClusterT(d, cluster, m, level)
	r := CR2Result{Delta: ct.Delta, N: ct.N, G: ct.G, Level: level, Warnings: ct.Warnings}
	if ct.G < 2 || ct.SE == 0 {
		r.SE, r.T, r.PUpper, r.PLower, r.Lo, r.Hi = ct.SE, ct.T, ct.PUpper, ct.PLower, ct.Lo, ct.Hi
		if ct.G >= 2 {
			r.DF = float64(ct.DF)
		}
		return r
	}
	n := float64(ct.N)
	tot, _ := clusterTotals(ct.N, cluster, func(i int) float64 { return d[i] - ct.Delta })
	size, _ := clusterTotals(ct.N, cluster, func(int) float64 { return 1 })
	var v, s1, s2 float64
	for g, D := range tot {
		ng := size[g]
		c2 := n / (n - ng)
		v += c2 * D * D
		s1 += c2 * c2 * ng * ng * (1 - 2*ng/n)
		s2 += c2 * ng * ng
	}
	r.SE = math.Sqrt(v) / n
	r.DF = n * n / (s1 + (s2/n)*(s2/n))
	r.T = (r.Delta - m) / r.SE
	r.PLower, r.PUpper = studentTCDF(r.T, r.DF)
	q := studentTQuantile((1+level)/2, r.DF)
	r.Lo, r.Hi = r.Delta-q*r.SE, r.Delta+q*r.SE
	return r
}

// EffectiveClusters returns the effective number of clusters G* of Carter,
// Schnepel and Steigerwald for a mean over clusters of the given sizes,
// at within-cluster correlation 1, their conservative choice:
//
//	G* = G / (1 + Γ),  Γ = (1/G)·Σ_g (γ_g − γ̄)²/γ̄²,  γ_g = n_g²,
//
// the number of equal clusters whose cluster-robust t statistic behaves
// like this design's (Carter A.V., Schnepel K.T., Steigerwald D.G.,
// "Asymptotic behavior of a t-test robust to cluster heterogeneity",
// Review of Economics and Statistics 99:698–709, 2017). Equal sizes give
// G* = G; one cluster holding half of 30 gives about 1.1. It returns 0 for
// no clusters.
func EffectiveClusters(cluster []int) float64 {
	size, G := clusterTotals(len(cluster), cluster, func(int) float64 { return 1 })
	if G == 0 {
		return 0
	}
	g := float64(G)
	var mean float64
	for _, s := range size {
		mean += s * s
	}
	mean /= g
	var v float64
	for _, s := range size {
		v += (s*s - mean) * (s*s - mean)
	}
	gamma := v / g / (mean * mean)
	return g / (1 + gamma)
}

// webbWeights are the six equally likely weights of Webb's wild bootstrap:
// ±sqrt(1/2), ±1, ±sqrt(3/2), with mean 0 and variance 1 (Webb M.D.,
// "Reworking wild bootstrap-based inference for clustered errors",
// Canadian Journal of Economics 56:839–858, 2023).
var webbWeights = [6]float64{-math.Sqrt(1.5), -1, -math.Sqrt(0.5), math.Sqrt(0.5), 1, math.Sqrt(1.5)}

// A WildResult is the outcome of the wild cluster bootstrap test of
// WildClusterT.
type WildResult struct {
	T      float64 // the clustered t statistic (Δ̂ − m)/SE with ClusterT's SE
	PUpper float64 // bootstrap p for H1 Δ > m
	PLower float64 // bootstrap p for H1 Δ < m
	// Draws is the number of weight vectors used; Enumerated is true when
	// they were all 6^G of them (an exact randomisation p-value).
	Draws      int
	Enumerated bool
	G          int
	Seed       uint64
	Warnings   []error
}

// WildClusterT is the restricted wild cluster bootstrap test of a mean
// difference (Cameron A.C., Gelbach J.B., Miller D.L., "Bootstrap-based
// improvements for inference with clustered errors", Review of Economics
// and Statistics 90:414–427, 2008; the null imposed as MacKinnon & Webb
// recommend): with the restricted residuals u_i = d_i − m, each draw
// takes one weight w_g per cluster from Webb's six-point distribution,
// forms d*_i = m + w_g·u_i and recomputes the clustered t statistic
// t* = (d̄* − m)/SE*(d*) with ClusterT's standard error. With the observed
// t,
//
//	PUpper = (1 + #{t* >= t})/(1 + B),  PLower = (1 + #{t* <= t})/(1 + B),
//
// or, when 6^G <= B, the shares of all 6^G weight vectors (the exact
// randomisation distribution; the constant positive vectors reproduce t,
// so with two clusters p >= 1/12). Ties within 1e-12 relative count as
// reaching t.
//
// With one cluster holding half of 30 clusters and a gain that varies by
// cluster, where the t test with G − 1 degrees of freedom passed 15% of
// null data sets at α = 0.05 and CR2 with Satterthwaite degrees of
// freedom 7%, this test passed 4.9% (docs/methods.md §2, §11). A draw
// costs O(G); draws come from blocks of PCG streams as BootstrapRatio's
// (with the seed mixed, so that the two tests do not share random numbers)
// and are identical whatever GOMAXPROCS is.
//
// With o.Context done it stops drawing (the result is then meaningless,
// and the caller checks Context.Err()).
//
// With fewer than two clusters both p-values are 1 (ErrFewClusters); with
// a zero standard error (ClusterT's ErrZeroSE) the test is not run and
// both are 1 with the warning: the caller decides by a sign test. It
// panics as ClusterT does and on out-of-range options.
func WildClusterT(d []float64, cluster []int, m float64, o BootstrapOptions) WildResult {
	o = o.withDefaults("WildClusterT")
	ct := ClusterT(d, cluster, m, o.Level)
	r := WildResult{T: ct.T, PUpper: 1, PLower: 1, G: ct.G, Seed: o.Seed, Warnings: ct.Warnings}
	if ct.G < 2 || ct.SE == 0 {
		return r
	}
	n := float64(ct.N)
	U, G := clusterTotals(ct.N, cluster, func(i int) float64 { return d[i] - m })
	size, _ := clusterTotals(ct.N, cluster, func(int) float64 { return 1 })
	g := float64(G)
	// Scale for ties and for a zero standard error in a draw.
	scale, _ := clusterTotals(ct.N, cluster, func(i int) float64 { return math.Abs(d[i] - m) })
	a2 := sumSquares(scale)
	tstat := func(w []float64) float64 {
		var s float64
		for k, u := range U {
			s += w[k] * u
		}
		mean := s / n // d̄* − m
		var ss float64
		for k, u := range U {
			D := w[k]*u - size[k]*mean
			ss += D * D
		}
		if negligible(ss, a2) {
			switch {
			case mean > 0:
				return math.Inf(1)
			case mean < 0:
				return math.Inf(-1)
			}
			return 0
		}
		return mean / (math.Sqrt(g/(g-1)*ss) / n)
	}
	tol := 1e-12 * math.Max(1, math.Abs(ct.T))
	var up, down int
	count := func(ts float64) {
		if ts >= ct.T-tol {
			up++
		}
		if ts <= ct.T+tol {
			down++
		}
	}
	if total, ok := powInt(6, G); ok && total <= o.Resamples {
		idx := make([]int, G)
		w := make([]float64, G)
		for k := 0; k < total; k++ {
			for j, v := range idx {
				w[j] = webbWeights[v]
			}
			count(tstat(w))
			for j := range idx { // next vector, base 6
				idx[j]++
				if idx[j] < 6 {
					break
				}
				idx[j] = 0
			}
		}
		r.Draws, r.Enumerated = total, true
		r.PUpper, r.PLower = float64(up)/float64(total), float64(down)/float64(total)
		return r
	}
	B := o.Resamples
	ts := make([]float64, B)
	// Streams of their own: the cost bootstrap's with the seed mixed.
	forBlocksUntil(o.done(), B, mix64(o.Seed^wildSeedMix), func(src *randSource, lo, hi int) {
		w := make([]float64, G)
		for k := lo; k < hi; k++ {
			for j := range w {
				w[j] = webbWeights[intN(src, 6)]
			}
			ts[k] = tstat(w)
		}
	})
	for _, t := range ts {
		count(t)
	}
	r.Draws = B
	r.PUpper, r.PLower = float64(1+up)/float64(1+B), float64(1+down)/float64(1+B)
	return r
}

// wildSeedMix separates the wild bootstrap's streams from the cost
// bootstrap's for the same seed.
const wildSeedMix = 0x77696c6420626f6f

// powInt returns b^e and whether it fits in an int below 1<<40.
func powInt(b, e int) (int, bool) {
	v := 1
	for i := 0; i < e; i++ {
		v *= b
		if v >= 1<<40 {
			return 0, false
		}
	}
	return v, true
}
