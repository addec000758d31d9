package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Samples are per-sample values of one arm (for example latencies in ms)
// with the cluster of each sample, in the cluster numbering of the paired
// cases (non-negative integers, conventionally 0..G−1).
type Samples struct {
	X       []float64
	Cluster []int
}

// An Interval is a point estimate with a two-sided interval.
type Interval struct {
	Est, Lo, Hi float64
}

// A QuantileResult holds type-7 quantiles of both arms and of their ratio
// C/B, each with a clustered percentile-bootstrap interval.
type QuantileResult struct {
	Prob      float64
	B, C      Interval // quantile of each arm from all its samples
	Ratio     Interval // C quantile / B quantile
	Resamples int
	Seed      uint64
	Level     float64
	G         int
	Warnings  []error
}

// armSorter is one arm's samples sorted by value, with compacted clusters,
// and the per-cluster sample counts.
type armSorter struct {
	x     []float64
	g     []int32
	count []int // samples per cluster
}

func newArm(x []float64, cl []int, G int) armSorter {
	type sample struct {
		x float64
		i int
	}
	s := make([]sample, len(x))
	for i, v := range x {
		s[i] = sample{v, i}
	}
	// By value, ties in input order.
	slices.SortFunc(s, func(a, b sample) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	a := armSorter{x: make([]float64, len(x)), g: make([]int32, len(x)), count: make([]int, G)}
	for k, v := range s {
		a.x[k] = v.x
		a.g[k] = int32(cl[v.i])
		a.count[cl[v.i]]++
	}
	return a
}

// armQuantile returns the type-7 prob quantile of the multiset in which
// cluster g's samples appear w[g] times, N samples in all, or NaN when it
// is empty. It scans the sorted samples from the nearer end, so a p95
// costs about 5% of a pass.
func armQuantile[W weight](a *armSorter, w []W, N int, prob float64) float64 {
	if N == 0 {
		return math.NaN()
	}
	h := float64(N-1) * prob
	j := int(math.Floor(h))
	if j >= N-1 {
		j = N - 1
	}
	f := h - float64(j)
	var lo, hi float64 // order statistics j and j+1 (0-based from the bottom)
	if prob <= 0.5 {
		cum := 0
		k := 0
		for ; k < len(a.x); k++ {
			cum += int(w[a.g[k]])
			if cum > j {
				break
			}
		}
		lo = a.x[k]
		if cum > j+1 || j+1 >= N {
			hi = lo
		} else {
			for k++; k < len(a.x); k++ {
				if w[a.g[k]] > 0 {
					break
				}
			}
			hi = a.x[k]
		}
	} else {
		// Rank from the top: order statistic j+1 is rank N−2−j from the top.
		top := N - 2 - j
		if top < 0 {
			top = 0
		}
		cum := 0
		k := len(a.x) - 1
		for ; k >= 0; k-- {
			cum += int(w[a.g[k]])
			if cum > top {
				break
			}
		}
		hi = a.x[k]
		if j+1 >= N {
			// h = N−1: only the maximum.
			return hi
		}
		if cum > top+1 {
			lo = hi
		} else {
			for k--; k >= 0; k-- {
				if w[a.g[k]] > 0 {
					break
				}
			}
			lo = a.x[k]
		}
	}
	return interp7(lo, hi, f)
}

// quantile is armQuantile with the sample count worked out from w.
func (a armSorter) quantile(w []int32, prob float64) float64 {
	N := 0
	for g, c := range a.count {
		N += int(w[g]) * c
	}
	u := make([]uint32, len(w))
	for g, c := range w {
		u[g] = uint32(c)
	}
	return armQuantile(&a, u, N, prob)
}

// interp7 is Quantile7's interpolation between neighbours a <= b.
func interp7(a, b, f float64) float64 {
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

func checkSamples(fn string, s Samples) {
	if len(s.X) != len(s.Cluster) {
		panic(fmt.Sprintf("stats: %s len(X)=%d != len(Cluster)=%d", fn, len(s.X), len(s.Cluster)))
	}
	for _, v := range s.X {
		if math.IsNaN(v) {
			panic(fmt.Sprintf("stats: %s NaN sample", fn))
		}
	}
}

// BootstrapQuantiles returns the type-7 prob quantiles (R's default,
// Hyndman & Fan 1996) of all samples of each arm and their ratio C/B, with
// percentile-bootstrap intervals at o.Level (Efron & Tibshirani 1993,
// ch. 13) from clustered draws (methods.md §7): each of o.Resamples draws
// takes G clusters with replacement, the same clusters for both arms, and
// recomputes the quantiles from all samples of the drawn clusters. The draws
// are those of BootstrapRatio for the same seed and the same G clusters (a
// cluster present in either arm counts), so the latency and cost intervals
// come from one set of resamples. Draws in which an arm has no sample are
// left out of the percentiles (warned). An arm with no samples at all has NaN
// estimates and a warning (ErrEmpty). o.NullRatio is not used.
// It panics on mismatched lengths, NaN samples, negative clusters or
// out-of-range options.
func BootstrapQuantiles(b, c Samples, prob float64, o BootstrapOptions) QuantileResult {
	o = o.withDefaults("BootstrapQuantiles")
	if !(prob >= 0 && prob <= 1) {
		panic(fmt.Sprintf("stats: BootstrapQuantiles probability %v outside [0, 1]", prob))
	}
	checkSamples("BootstrapQuantiles", b)
	checkSamples("BootstrapQuantiles", c)
	m, G := compactClusters(b.Cluster, c.Cluster)
	rs := NewResampler(G)
	qb := rs.Quantile(Samples{X: b.X, Cluster: m[0]}, prob)
	qc := rs.Quantile(Samples{X: c.X, Cluster: m[1]}, prob)
	if err := rs.Run(ResampleOptions{Seed: o.Seed, Resamples: o.Resamples, Context: o.Context}); err != nil {
		nan := math.NaN()
		return QuantileResult{Prob: prob, Seed: o.Seed, Level: o.Level, G: G, B: Interval{nan, nan, nan}, C: Interval{nan, nan, nan}, Ratio: Interval{nan, nan, nan}}
	}
	res := rs.Quantiles(qb, qc, o.Level)
	res.Prob, res.Resamples = prob, o.Resamples
	return res
}

// BootstrapQuantile returns the type-7 prob quantile of x and its clustered
// percentile-bootstrap interval at o.Level: BootstrapQuantiles for one arm.
func BootstrapQuantile(x []float64, cluster []int, prob float64, o BootstrapOptions) (est, lo, hi float64) {
	r := BootstrapQuantiles(Samples{X: x, Cluster: cluster}, Samples{}, prob, o)
	return r.B.Est, r.B.Lo, r.B.Hi
}

// WoodruffQuantiles returns the type-7 prob quantiles of all samples of
// each arm and their ratio C/B, with Woodruff intervals at level for the
// arms' quantiles: the large-cluster-count counterpart of
// BootstrapQuantiles, with the same estimates (methods.md §7).
//
// For one arm with N samples in G clusters and estimate q̂, let
// F = #{x ≤ q̂}/N and, per cluster, e_g = Σ_{i∈g} (1[x_i ≤ q̂] − F). The
// cluster-robust standard error of the estimated distribution function at
// q̂ is s = sqrt(G/(G−1)·Σ_g e_g²)/N, and the interval is the type-7
// quantiles at prob ∓ z·s (clamped to [0, 1]), z = Φ⁻¹((1+level)/2): a
// confidence interval for the distribution function carried over to the
// quantile through its inverse (Woodruff, "Confidence intervals for
// medians and other position measures", JASA 47:635–646, 1952; shown
// valid for cluster samples by Francisco and Fuller, Annals of Statistics
// 19:454–469, 1991). It needs one pass over the samples instead of a pass
// over the clusters per bootstrap draw. With fewer than 2 clusters in an
// arm its interval is the arm's range. The ratio's interval is not
// computed (NaN); its estimate is. An arm with no samples has NaN
// estimates and a warning (ErrEmpty). It panics on mismatched lengths,
// NaN samples, negative clusters or prob or level out of range.
func WoodruffQuantiles(b, c Samples, prob, level float64) QuantileResult {
	if !(prob >= 0 && prob <= 1) {
		panic(fmt.Sprintf("stats: WoodruffQuantiles probability %v outside [0, 1]", prob))
	}
	checkLevel("WoodruffQuantiles", level)
	checkSamples("WoodruffQuantiles", b)
	checkSamples("WoodruffQuantiles", c)
	_, G := compactClusters(b.Cluster, c.Cluster)
	res := QuantileResult{Prob: prob, Level: level, G: G}
	z := NormalQuantile((1 + level) / 2)
	arm := func(s Samples, role string) Interval {
		nan := math.NaN()
		if len(s.X) == 0 {
			res.Warnings = append(res.Warnings, fmt.Errorf("%w: %s samples", ErrEmpty, role))
			return Interval{nan, nan, nan}
		}
		sorted := slices.Clone(s.X)
		slices.Sort(sorted)
		est := Quantile7(sorted, prob)
		m, g := compactClusters(s.Cluster)
		e := make([]float64, g)
		below := 0
		for _, x := range s.X {
			if x <= est {
				below++
			}
		}
		N := float64(len(s.X))
		F := float64(below) / N
		for i, x := range s.X {
			in := 0.0
			if x <= est {
				in = 1
			}
			e[m[0][i]] += in - F
		}
		se := math.Inf(1)
		if g >= 2 {
			se = math.Sqrt(float64(g)/float64(g-1)*sumSquares(e)) / N
		}
		clamp := func(p float64) float64 { return math.Min(1, math.Max(0, p)) }
		return Interval{est, Quantile7(sorted, clamp(prob-z*se)), Quantile7(sorted, clamp(prob+z*se))}
	}
	res.B = arm(b, "baseline")
	res.C = arm(c, "candidate")
	res.Ratio = Interval{res.C.Est / res.B.Est, math.NaN(), math.NaN()}
	return res
}
