package stats

import (
	"fmt"
	"math"
	"sort"
)

// Holm returns Holm's (1979) step-down adjusted p-values in the order of p:
// with p_(1) <= … <= p_(k) the sorted values, the adjusted p_(j) is
// min(1, max_{i<=j} (k − i + 1)·p_(i)). It equals R's p.adjust(p, "holm"),
// including its handling of NaN entries, which stay NaN and do not count in
// k. (Holm S., "A simple sequentially rejective multiple test procedure",
// Scandinavian Journal of Statistics 6:65–70, 1979.)
func Holm(p []float64) []float64 {
	out, idx := holmOrder(p)
	k := len(idx)
	run := math.Inf(-1)
	for j, i := range idx {
		v := float64(k-j) * p[i]
		if v > run {
			run = v
		}
		out[i] = math.Min(1, run)
	}
	return out
}

// holmOrder returns a slice for results, NaN where p is NaN, and the
// indexes of the other values sorted by p ascending, ties in input order.
func holmOrder(p []float64) (out []float64, idx []int) {
	out = make([]float64, len(p))
	idx = make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	return out, idx
}

// HolmLevels returns, for each p-value, the level at which Holm's
// step-down procedure at level alpha tested it: with the k values sorted
// as Holm sorts them and j0 the first step that does not reject
// (p_(j) > α/(k − j + 1), 1-based), the value at step j gets
// α/(k − min(j, j0) + 1). A rejected value was rejected at exactly its
// level; the values from j0 on share the level at which the procedure
// stopped, and none of them is at or below it. So p ≤ level exactly when
// Holm's adjusted p-value is at most alpha, and an interval at that level
// from a test that it inverts excludes the null exactly then. NaN values
// get NaN and do not count in k.
func HolmLevels(p []float64, alpha float64) []float64 {
	out, idx := holmOrder(p)
	k := len(idx)
	stop := k // 0-based step of the first non-rejection
	for j, i := range idx {
		if p[i] > alpha/float64(k-j) {
			stop = j
			break
		}
	}
	for j, i := range idx {
		out[i] = alpha / float64(k-min(j, stop))
	}
	return out
}

// Wilson returns the Wilson (1927) score interval at the given two-sided
// level for a binomial proportion with x successes in n trials:
//
//	(x + z²/2)/(n + z²) ± z/(n + z²)·sqrt(x(n − x)/n + z²/4),  z = z_{(1+level)/2}
//
// (Wilson E.B., "Probable inference, the law of succession, and statistical
// inference", JASA 22:209–212, 1927; the interval of R's prop.test without
// continuity correction). economics.md uses it for the schema-valid rate.
// With n = 0 it returns [0, 1]. It panics unless 0 <= x <= n and level is
// in (0, 1).
func Wilson(x, n int, level float64) (lo, hi float64) {
	checkLevel("Wilson", level)
	if x < 0 || x > n {
		panic(fmt.Sprintf("stats: Wilson x=%d outside [0, n=%d]", x, n))
	}
	if n == 0 {
		return 0, 1
	}
	return wilsonReal(float64(x), float64(n), level)
}

// Quantile7 returns the prob quantile of sorted (ascending, not checked) by
// Hyndman and Fan's (1996) definition 7, R's default quantile(type = 7):
// with h = (n − 1)·prob, j = ⌊h⌋, the value (1 − (h−j))·x_j + (h−j)·x_{j+1}
// (0-based), or x_j when x_{j+1} = x_j or h = j. Infinite values follow R's
// arithmetic, except that a quantile falling strictly between −Inf and +Inf
// returns the nearer of the two instead of NaN.
// It panics when sorted is empty or prob is outside [0, 1].
func Quantile7(sorted []float64, prob float64) float64 {
	if len(sorted) == 0 {
		panic("stats: Quantile7 of empty data")
	}
	if !(prob >= 0 && prob <= 1) {
		panic(fmt.Sprintf("stats: Quantile7 probability %v outside [0, 1]", prob))
	}
	h := float64(len(sorted)-1) * prob
	j := int(math.Floor(h))
	if j >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := h - float64(j)
	a, b := sorted[j], sorted[j+1]
	if f == 0 || a == b {
		return a
	}
	if math.IsInf(a, -1) && math.IsInf(b, 1) {
		if f < 0.5 {
			return a
		}
		return b
	}
	return (1-f)*a + f*b
}

// A ClusteredRate is a share of successes among units (samples) grouped in
// clusters, with a Wilson interval at the effective sample size.
type ClusteredRate struct {
	Rate   float64 // successes over units
	Lo, Hi float64 // Wilson interval at N/DEff
	N, G   int     // units and clusters
	// DEff is the design effect of the rate (at least 1): its
	// cluster-robust variance over the binomial p(1 − p)/N (before the
	// degrees-of-freedom adjustment).
	DEff float64
}

// WilsonClustered returns the share of x (each 0 or 1) with a Wilson
// interval that accounts for clusters (Kish 1965; the effective-sample-size
// Wilson interval, as in Korn & Graubard 1998 for the Clopper–Pearson
// interval): with p̂ = Σx/N and the cluster-robust variance of the ratio
// V = G/(G−1)·Σ_g (Σ_{i∈g}(x_i − p̂))²/N², the design effect is
// DEff = max(1, V/(p̂(1 − p̂)/N)) and the interval is Wilson's with
// N* = (N/DEff)·(z/t_{G−1})² trials and p̂·N* successes, z and t the
// interval's normal and Student quantiles (Korn and Graubard's adjustment
// for a variance estimated from G clusters; it widens the interval by
// t_{G−1}/z, about 2% at 40 clusters). When no cluster holds two units it
// is Wilson(x, N) exactly. When the rate is 0 or 1 the variance cannot
// show how alike a cluster's units are, and the interval takes one unit
// per cluster (N/DEff = G), the least information the data can carry; with
// a single cluster holding several units it is [0, 1]. It panics on
// mismatched lengths, values other than 0 and 1, or a level outside
// (0, 1).
func WilsonClustered(x []float64, cluster []int, level float64) ClusteredRate {
	checkLevel("WilsonClustered", level)
	if len(x) != len(cluster) {
		panic(fmt.Sprintf("stats: WilsonClustered len(x)=%d != len(cluster)=%d", len(x), len(cluster)))
	}
	r := ClusteredRate{N: len(x), DEff: 1}
	succ := 0
	for _, v := range x {
		switch v {
		case 1:
			succ++
		case 0:
		default:
			panic(fmt.Sprintf("stats: WilsonClustered value %v is not 0 or 1", v))
		}
	}
	if r.N == 0 {
		r.Rate, r.Lo, r.Hi = math.NaN(), 0, 1
		return r
	}
	p := float64(succ) / float64(r.N)
	r.Rate = p
	tot, G := clusterTotals(r.N, cluster, func(i int) float64 { return x[i] - p })
	r.G = G
	if G == r.N {
		r.Lo, r.Hi = Wilson(succ, r.N, level)
		return r
	}
	N := float64(r.N)
	nEff := N
	switch {
	case G < 2:
		r.DEff, r.Lo, r.Hi = math.Inf(1), 0, 1
		return r
	case succ == 0 || succ == r.N:
		nEff = float64(G)
	default:
		g := float64(G)
		v := g / (g - 1) * sumSquares(tot) / (N * N)
		nEff = N / math.Max(1, v/(p*(1-p)/N))
	}
	r.DEff = N / nEff
	// Korn and Graubard's degrees-of-freedom adjustment: the variance is
	// estimated from G clusters, so the effective sample size shrinks by
	// (z/t_{G−1})² at the interval's quantile.
	z := NormalQuantile((1 + level) / 2)
	tq := studentTQuantile((1+level)/2, float64(G-1))
	nEff *= (z / tq) * (z / tq)
	r.Lo, r.Hi = wilsonReal(p*nEff, nEff, level)
	return r
}

// wilsonReal is the Wilson interval for x successes in n trials, both
// real (an effective sample size), with the exact ends at x = 0 and x = n.
func wilsonReal(x, n, level float64) (lo, hi float64) {
	z := NormalQuantile((1 + level) / 2)
	z2 := z * z
	center := (x + z2/2) / (n + z2)
	half := z / (n + z2) * math.Sqrt(x*(n-x)/n+z2/4)
	lo, hi = center-half, center+half
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return math.Max(0, lo), math.Min(1, hi)
}
