package gate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

type qualityResult struct {
	Quality
	// sigma2 and deff feed the cluster-t power analysis; psi (the
	// discordant share) the Connor one.
	sigma2, deff, psi float64
	warnings          []string
}

// qualityMethod resolves the policy's quality method against the data.
func qualityMethod(p *scorecard.Paired, pol Policy) (string, error) {
	simple := p.Single() && !p.Clustered()
	m := pol.Quality.Method
	switch m {
	case "auto":
		switch {
		case simple && pol.Quality.MinGain == 0:
			return "mcnemar-exact", nil
		case simple:
			return "tango", nil
		default:
			return "cluster-t", nil
		}
	case "mcnemar-exact", "tango":
		if !simple {
			return "", fmt.Errorf("quality.method %s needs one sample per case and no cluster holding several cases, but this data has %s; use auto or cluster-t, which account for them",
				m, describeStructure(p))
		}
	}
	return m, nil
}

func describeStructure(p *scorecard.Paired) string {
	switch {
	case !p.Single() && p.Clustered():
		return fmt.Sprintf("up to %s per case and %s over %s", numfmt.Counted(p.MaxSamples, "sample", "samples"), numfmt.Counted(len(p.Clusters), "cluster", "clusters"), numfmt.Counted(len(p.Cases), "case", "cases"))
	case !p.Single():
		return fmt.Sprintf("up to %s per case", numfmt.Counted(p.MaxSamples, "sample", "samples"))
	default:
		return fmt.Sprintf("%s over %s", numfmt.Counted(len(p.Clusters), "cluster", "clusters"), numfmt.Counted(len(p.Cases), "case", "cases"))
	}
}

// discordance counts, over single-sample cases, those accepted by the
// candidate only (b) and by the baseline only (c).
func discordance(base, cand arm) (b, c int) {
	for i := range cand.acc {
		switch {
		case cand.acc[i] > base.acc[i]:
			b++
		case cand.acc[i] < base.acc[i]:
			c++
		}
	}
	return b, c
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// qualityTest runs methods.md §2 on the two arms.
func qualityTest(ctx context.Context, p *scorecard.Paired, base, cand arm, cluster []int, pol Policy) (qualityResult, error) {
	method, err := qualityMethod(p, pol)
	if err != nil {
		return qualityResult{}, err
	}
	n := len(cand.acc)
	level := 1 - 2*pol.Alpha
	m := pol.Quality.MinGain
	r := qualityResult{Quality: Quality{
		Method:    method,
		Baseline:  mean(base.acc),
		Candidate: mean(cand.acc),
		Margin:    m,
		CILevel:   level,
	}}
	d := make([]float64, n)
	for i := range d {
		d[i] = cand.acc[i] - base.acc[i]
	}
	r.Delta = mean(d)
	ct := stats.ClusterT(d, cluster, m, level)
	r.sigma2, r.deff = ct.Var, ct.DEff
	switch method {
	case "mcnemar-exact", "tango":
		b, c := discordance(base, cand)
		r.Discordant = &Discordant{CandidateOnly: b, BaselineOnly: c}
		r.psi = float64(b+c) / float64(n)
		// Both single-sample paths report Tango's score interval, whose
		// lower end is the one-sided bound at alpha.
		r.CILow, r.CIHigh = stats.TangoInterval(b, c, n, level)
		switch {
		case method == "mcnemar-exact":
			r.PValue = stats.McNemarUpper(b, c)
		case useTangoExact(b, c, m):
			r.Method = "tango-exact"
			r.PValue = tangoExactUpper(b, c, n, m)
		default:
			r.PValue = stats.NormalCDF(-stats.TangoZ(b, c, n, m))
		}
	default:
		var cr stats.CR2Result
		r.PValue, cr, r.Resamples = clusteredTest(ctx, d, cluster, m, pol, true, pol.Alpha)
		r.Resampling = wildMode(r.Resamples, pol)
		r.CILow, r.CIHigh = cr.Lo, cr.Hi
		if len(cluster) > 0 && ct.G < 2 {
			r.warnings = append(r.warnings, "quality: all cases are in one cluster, so there is no evidence about the gain")
		} else if g := stats.EffectiveClusters(cluster); ct.G >= 2 && g < qualityMinClusters && !zeroSE(ct) {
			r.warnings = append(r.warnings, fmt.Sprintf("quality: %s; the clustered test stays within α in simulation down to about one effective cluster, but it has little power there, and it relies on cluster totals that are roughly symmetric", effectiveClause(ct.G, g)))
		}
		if len(cluster) > 0 && ct.G >= 2 && zeroSE(ct) {
			// Every cluster shows the same difference: the t statistic
			// would claim certainty from a handful of identical clusters.
			// The exact sign test over clusters decides instead.
			upper, lower := clusterSignTest(d, cluster, m)
			r.PValue, r.CILow, r.CIHigh = upper, math.NaN(), math.NaN()
			r.Met = upper <= pol.Alpha
			r.Missed = lower <= pol.Alpha
			r.warnings = append(r.warnings, fmt.Sprintf("quality: every one of the %d clusters shows the same mean difference, so the clustered t test has no standard error and no interval; the exact sign test over clusters decides", ct.G))
			return r, nil
		}
	}
	r.Met = r.PValue <= pol.Alpha
	r.Missed = !r.Met && r.CIHigh < m
	if math.IsNaN(r.PValue) {
		r.Met, r.Missed = false, false
	}
	return r, nil
}

// qualityMinClusters is the effective number of clusters below which the
// quality test warns: its size holds in simulation (docs/methods.md §11),
// its power does not.
const qualityMinClusters = 10

// clusteredTest is the gate's clustered test of a mean difference d
// against m (methods.md §2): the CR2 t test with Satterthwaite degrees of
// freedom and the restricted wild cluster bootstrap of the clustered t
// statistic must both reject, so the p-value is the larger of the two
// (the upper tail for H1 Δ > m, else the lower). It also returns the CR2
// result, whose interval the report shows, and the wild bootstrap's draws
// (0 when it did not draw). With fewer than two clusters or a zero
// standard error both p-values are those limits of ClusterT; the callers
// then decide otherwise.
//
// The wild bootstrap follows the run's resampling rules (methods.md §3.5):
// with statistics.resamples it makes that many draws. Otherwise it is
// adaptive: it draws 2 000 and goes on to statistics.max_resamples only
// when the Monte Carlo error of its p-value could carry the test's
// p-value across one of the thresholds (α for the quality test, Holm's
// levels for the segments); a threshold below CR2's p-value is decided by
// CR2 whatever the draws. When all 6^G weight vectors fit within
// max_resamples they are enumerated (the exact p-value). Above
// bootstrapMaxClusters clusters it is not drawn and CR2 decides alone.
// Once ctx is done it stops drawing; the caller then discards the result.
func clusteredTest(ctx context.Context, d []float64, cluster []int, m float64, pol Policy, upper bool, thresholds ...float64) (float64, stats.CR2Result, int) {
	level := 1 - 2*pol.Alpha
	cr := stats.ClusterCR2(d, cluster, m, level)
	p := cr.PLower
	if upper {
		p = cr.PUpper
	}
	if cr.G > bootstrapMaxClusters {
		return p, cr, 0
	}
	wild := func(B int) (float64, stats.WildResult) {
		w := stats.WildClusterT(d, cluster, m, stats.BootstrapOptions{Resamples: B, Seed: pol.Statistics.Seed, Level: level, Context: ctx})
		if upper {
			return w.PUpper, w
		}
		return w.PLower, w
	}
	st := pol.Statistics
	if st.Resamples > 0 {
		pw, w := wild(st.Resamples)
		return math.Max(p, pw), cr, w.Draws
	}
	maxB := st.MaxResamples
	if maxB <= 0 {
		maxB = stats.DefaultResamples
	}
	// The draws come in seeded blocks: the first 2 000 of max_resamples
	// draws are these.
	pw, w := wild(min(adaptiveFirst, maxB))
	if w.Draws > 0 && !w.Enumerated && w.Draws < maxB {
		var open []float64 // the thresholds the draws can still decide
		for _, t := range thresholds {
			if p <= t {
				open = append(open, t)
			}
		}
		if enumerable(w.G, maxB) || !wildSettled(pw, w.Draws, open) {
			pw, w = wild(maxB)
		}
	}
	return math.Max(p, pw), cr, w.Draws
}

// wildMode names how the wild bootstrap's draws were chosen
// (Quality.Resampling): "" when it made none.
func wildMode(draws int, pol Policy) string {
	switch {
	case draws == 0:
		return ""
	case pol.Statistics.Resamples > 0:
		return ResamplingFixed
	}
	return ResamplingAdaptive
}

// adaptiveFirst is the first batch of draws of adaptive resampling.
const adaptiveFirst = 2000

// enumerable reports whether the 6^G weight vectors of G clusters number
// at most B.
func enumerable(G, B int) bool {
	n := 1
	for range G {
		if n *= 6; n > B {
			return false
		}
	}
	return true
}

// wildSettled reports whether the wild bootstrap's p-value (1 + k)/(1 + B)
// stays on one side of every threshold over a Wilson interval for k/B at
// 1 − DefaultMonteCarloRisk/2: the risk spent over both sides of the two
// looks (after the first 2 000 draws and at max_resamples).
func wildSettled(p float64, B int, thresholds []float64) bool {
	k := int(math.Round(p*float64(B+1))) - 1
	lo, hi := stats.Wilson(max(0, min(k, B)), B, 1-stats.DefaultMonteCarloRisk/2)
	pLo, pHi := (1+lo*float64(B))/float64(1+B), (1+hi*float64(B))/float64(1+B)
	for _, t := range thresholds {
		if pLo <= t && t < pHi {
			return false
		}
	}
	return true
}

// tangoExactMaxDiscordant is the number of discordant pairs below which
// Tango's test with a positive margin takes the exact unconditional
// p-value (methods.md §2).
const tangoExactMaxDiscordant = 200

// useTangoExact reports whether a test of H1 Δ > m (or its mirror, a drop
// of more than m) on b + c discordant pairs uses the exact unconditional
// p-value of Tango's statistic: for a positive margin with fewer than
// tangoExactMaxDiscordant discordant pairs, where the normal reference
// was found liberal (up to 0.087 at α = 0.05 by exact enumeration, with
// about 5 expected discordant pairs; methods.md §2).
func useTangoExact(b, c int, m float64) bool {
	return m > 0 && b+c < tangoExactMaxDiscordant
}

// tangoExactMemo remembers exact p-values by their arguments: a few tens
// of milliseconds each, and the same counts recur (segments, the power
// command, simulation). It holds at most tangoExactMemoMax entries.
var tangoExactMemo sync.Map

const tangoExactMemoMax = 1 << 14

var tangoExactMemoLen atomic.Int64

type tangoExactKey struct {
	b, c, n int
	m       float64
}

// tangoExactUpper is stats.TangoExactUpper, remembered.
func tangoExactUpper(b, c, n int, m float64) float64 {
	k := tangoExactKey{b, c, n, m}
	if p, ok := tangoExactMemo.Load(k); ok {
		return p.(float64)
	}
	p := stats.TangoExactUpper(b, c, n, m)
	if tangoExactMemoLen.Load() < tangoExactMemoMax {
		if _, loaded := tangoExactMemo.LoadOrStore(k, p); !loaded {
			tangoExactMemoLen.Add(1)
		}
	}
	return p
}

// zeroSE reports whether the clustered t test found a standard error of
// exactly zero.
func zeroSE(ct stats.ClusterTResult) bool {
	for _, w := range ct.Warnings {
		if errors.Is(w, stats.ErrZeroSE) {
			return true
		}
	}
	return false
}

// clusterSignTest is the exact sign test over clusters: the number of
// clusters whose mean difference exceeds m against those below it, under
// Binomial(·, ½). It returns the one-sided p-values for "above m" and
// "below m". Used where the clustered standard error is zero.
func clusterSignTest(d []float64, cluster []int, m float64) (upper, lower float64) {
	sum := map[int]float64{}
	abs := map[int]float64{}
	count := map[int]float64{}
	for i, x := range d {
		sum[cluster[i]] += x
		abs[cluster[i]] += math.Abs(x)
		count[cluster[i]]++
	}
	above, below := 0, 0
	for g, s := range sum {
		// A cluster mean within rounding of m (stats.ZeroTolerance,
		// relative to the magnitudes summed) is at m: 1/3 summed three
		// ways need not give the float 1/3.
		diff := s/count[g] - m
		tol := stats.ZeroTolerance * (abs[g]/count[g] + math.Abs(m))
		switch {
		case diff > tol:
			above++
		case diff < -tol:
			below++
		}
	}
	return stats.McNemarUpper(above, below), stats.McNemarLower(above, below)
}
