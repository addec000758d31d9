package stats

import (
	"fmt"
	"math"
)

// A ClusterTResult is the outcome of the clustered paired t test of ClusterT.
type ClusterTResult struct {
	Delta float64 // mean difference Δ̂ = mean of d
	SE    float64 // cluster-robust standard error of Δ̂ (+Inf when G < 2)
	N     int     // number of cases n
	G     int     // number of clusters
	DF    int     // degrees of freedom G − 1 (0 when G < 2)
	// Var is the per-case sample variance of d (denominator n − 1; 0 when n < 2)
	// and DEff the design effect SE²·n/Var (1 without clustering; 1 when
	// Var = 0), the σ_d² and deff of ClusterN.
	// Var is 0 when the differences are equal up to ZeroTolerance.
	Var, DEff float64
	T         float64 // (Δ̂ − m)/SE
	PUpper    float64 // one-sided p for H1 Δ > m: 1 − F_{t,G−1}(T)
	PLower    float64 // one-sided p for H1 Δ < m: F_{t,G−1}(T)
	Lo, Hi    float64 // two-sided interval Δ̂ ± t_{(1+level)/2, G−1}·SE
	Level     float64
	Warnings  []error
}

// ClusterT is the clustered paired t test of methods.md §2 (Miller 2024,
// "Adding Error Bars to Evals: A Statistical Approach to Language Model
// Evaluations", arXiv:2411.00640, clustered standard errors with the
// small-sample factor G/(G−1) and a t reference with G − 1 degrees of
// freedom). d holds per-case differences d_i = a_Ci − a_Bi and cluster[i] the
// cluster of case i (non-negative integers, conventionally 0..G−1; G is the
// number of distinct values). With D_g = Σ_{i∈g}(d_i − d̄):
//
//	SE = (1/n)·sqrt(G/(G−1)·Σ_g D_g²),  T = (Δ̂ − m)/SE,
//	PUpper = 1 − F_{t,G−1}(T),  PLower = F_{t,G−1}(T),
//	interval Δ̂ ± t_{(1+level)/2, G−1}·SE.
//
// Degenerate cases are defined, never NaN, and flagged in Warnings:
//   - G < 2 (ErrFewClusters), including n = 0 (ErrEmpty): SE = +Inf, T = 0,
//     PUpper = PLower = 1 and the interval is (−Inf, +Inf): no evidence.
//   - SE = 0 (ErrZeroSE): every cluster has the same mean difference (for
//     example all differences are equal), decided up to rounding by
//     ZeroTolerance, so that cluster means of 1/3 give SE = 0 exactly and
//     not 1e-17. The limits as SE → 0 are used:
//     T = ±Inf by the sign of Δ̂ − m with p-values 0 and 1, T = 0 and both
//     p-values ½ when Δ̂ = m; the interval is the point Δ̂. Callers that do
//     not want a decision from a zero-variance sample should check for
//     ErrZeroSE.
//
// It panics when len(cluster) != len(d), a cluster index is negative, or
// level is outside (0, 1).
func ClusterT(d []float64, cluster []int, m, level float64) ClusterTResult {
	checkLevel("ClusterT", level)
	if len(d) != len(cluster) {
		panic(fmt.Sprintf("stats: ClusterT len(d)=%d != len(cluster)=%d", len(d), len(cluster)))
	}
	n := len(d)
	r := ClusterTResult{N: n, Level: level}
	inf := math.Inf(1)
	noEvidence := func(w error) ClusterTResult {
		r.SE, r.T, r.PUpper, r.PLower, r.Lo, r.Hi = inf, 0, 1, 1, -inf, inf
		r.DEff = 1
		r.Warnings = append(r.Warnings, w)
		return r
	}
	if n == 0 {
		return noEvidence(ErrEmpty)
	}
	r.Delta = kahanMean(d)
	if allEqual(d) {
		r.Delta = d[0] // exact, so that the centred values are exactly 0
	}
	absMean := math.Abs(r.Delta)
	var ss, sa float64
	for _, x := range d {
		ss += (x - r.Delta) * (x - r.Delta)
		sa += (math.Abs(x) + absMean) * (math.Abs(x) + absMean)
	}
	if n > 1 && !negligible(ss, sa) {
		r.Var = ss / float64(n-1)
	}
	tot, G := clusterTotals(n, cluster, func(i int) float64 { return d[i] - r.Delta })
	r.G = G
	if G < 2 {
		return noEvidence(fmt.Errorf("%w: G = %d", ErrFewClusters, G))
	}
	r.DF = G - 1
	scale, _ := clusterTotals(n, cluster, func(i int) float64 { return math.Abs(d[i]) + absMean })
	s2, a2 := sumSquares(tot), sumSquares(scale)
	g := float64(G)
	if !negligible(s2, a2) {
		r.SE = math.Sqrt(g/(g-1)*s2) / float64(n)
	}
	r.DEff = 1
	if r.Var > 0 {
		r.DEff = r.SE * r.SE * float64(n) / r.Var
	}
	diff := r.Delta - m
	if r.SE == 0 {
		r.Warnings = append(r.Warnings, ErrZeroSE)
		r.Lo, r.Hi = r.Delta, r.Delta
		switch {
		case diff > 0:
			r.T, r.PUpper, r.PLower = inf, 0, 1
		case diff < 0:
			r.T, r.PUpper, r.PLower = -inf, 1, 0
		default:
			r.T, r.PUpper, r.PLower = 0, 0.5, 0.5
		}
		return r
	}
	r.T = diff / r.SE
	r.PLower, r.PUpper = studentTCDF(r.T, float64(r.DF))
	q := studentTQuantile((1+level)/2, float64(r.DF))
	r.Lo, r.Hi = r.Delta-q*r.SE, r.Delta+q*r.SE
	return r
}

// ZeroTolerance is the relative size below which a cluster-robust sum of
// squares counts as zero: Σ_g D_g² <= ZeroTolerance²·Σ_g A_g², where D_g is
// a cluster's total of centred values (or influence values) and A_g the
// total of their magnitudes before cancellation (for the mean,
// Σ_{i∈g} |d_i| + |d̄|). Rounding leaves D_g of order 1e-16·A_g when every
// cluster has the same mean (1/3 is not a binary fraction), which the t
// statistic would otherwise turn into certainty; a true spread of cluster
// means that are multiples of 1/K, with fewer than about 10⁵ cases per
// cluster, stays far above it.
const ZeroTolerance = 1e-12

// negligible reports whether the sum of squares s2 is rounding noise
// relative to the sum of squares a2 of the same totals without
// cancellation (ZeroTolerance).
func negligible(s2, a2 float64) bool {
	return !(s2 > ZeroTolerance*ZeroTolerance*a2)
}

func sumSquares(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return s
}

// clusterTotals sums f(i) by cluster, in the order of first appearance of
// cluster indices sorted ascending, and returns the totals of the G distinct
// clusters. It panics on a negative cluster index.
func clusterTotals(n int, cluster []int, f func(i int) float64) (tot []float64, G int) {
	maxc := -1
	for _, c := range cluster {
		if c < 0 {
			panic(fmt.Sprintf("stats: negative cluster index %d", c))
		}
		if c > maxc {
			maxc = c
		}
	}
	sum := make([]float64, maxc+1)
	used := make([]bool, maxc+1)
	for i := 0; i < n; i++ {
		sum[cluster[i]] += f(i)
		used[cluster[i]] = true
	}
	tot = sum[:0]
	for c, u := range used {
		if u {
			tot = append(tot, sum[c])
		}
	}
	return tot, len(tot)
}

// kahanMean returns the mean of x with compensated summation, in index order.
func kahanMean(x []float64) float64 {
	var s, comp float64
	for _, v := range x {
		y := v - comp
		t := s + y
		comp = (t - s) - y
		s = t
	}
	return s / float64(len(x))
}

func allEqual(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}
