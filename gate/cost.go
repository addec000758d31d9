package gate

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/stats"
)

// bootstrapMaxClusters is the cluster count above which auto switches the
// cost test from the bootstrap to the delta method (methods.md §3).
const bootstrapMaxClusters = 200_000

// costMinClusters is the effective number of clusters (Carter, Schnepel
// and Steigerwald 2017; stats.EffectiveClusters) below which the gate
// warns that the cost test is a large-sample approximation. Simulation
// (gate and stats calibration tests, docs/methods.md) found its
// false-pass rate within Monte Carlo error of α down to 30 clusters (10 in
// an exploration) when per-case costs are moderately skewed and clusters
// similar in size, but above α below about 100 clusters when costs are
// heavily skewed (per-sample log-sd 1), and far above it when one cluster
// holds much of the data, which the effective number measures.
const costMinClusters = 100

// costTest runs methods.md §3: cost per accepted outcome, candidate over
// baseline, by the paired cluster bootstrap (BCa) and the delta method.
//
// The delta method refers its statistic to Student's t with G − 1 degrees
// of freedom (stats.DeltaRatio). With the bootstrap method, the cost test
// is met only when both the BCa bootstrap test and the delta-method test
// reject at α: an intersection of two level-α tests is a level-α test, and
// it removes the BCa bootstrap's excess false-pass rate at small and
// moderate cluster counts (the BCa alone passed 6% of null data sets at
// α = 0.05 with 100 clusters of skewed costs). PValue is then the larger of
// the two p-values, CILow/CIHigh the BCa interval and DeltaCILow/DeltaCIHigh
// the delta-method interval; the test is missed when the BCa interval lies
// wholly above the limit. With the delta method alone, PValue and the
// interval are the delta method's and both pairs of interval fields hold it.
func costTest(d *Decision, base, cand arm, cluster []int, pol Policy) Cost {
	level := 1 - 2*pol.Alpha
	c := Cost{
		MaxRatio: pol.Cost.MaxRatio,
		CILevel:  level,
		Seed:     pol.Statistics.Seed,
	}
	nan := math.NaN()
	c.BaselineCPA, c.CandidateCPA, c.Ratio = nan, nan, nan
	c.CILow, c.CIHigh, c.PValue, c.DeltaCILow, c.DeltaCIHigh, c.DeltaPValue = nan, nan, nan, nan, nan, nan
	c.BaselineTotalUSD, c.CandidateTotalUSD, c.MCError = nan, nan, nan
	c.Method = pol.Cost.Method
	if c.Method == "auto" {
		c.Method = "bootstrap"
		if d.Cases.Clusters > bootstrapMaxClusters {
			c.Method = "delta"
		}
	}
	if !base.hasCost || !cand.hasCost {
		c.Method = "not-measured"
		c.NotMeasured = "no cost or priced usage in at least one scorecard"
		return c
	}
	if !pol.Cost.ZeroIsReal {
		// A harness that writes cost_usd: 0 everywhere has usually not
		// measured cost; a free arm would make the ratio 0 or undefined
		// and the test certain at any n.
		var zero []string
		for _, a := range []struct {
			role string
			arm  arm
		}{{"baseline", base}, {"candidate", cand}} {
			if allZero(a.arm.cost) {
				zero = append(zero, a.role)
			}
		}
		if len(zero) > 0 {
			c.Method = "not-measured"
			c.NotMeasured = fmt.Sprintf("every cost of the %s is 0, which is taken as not measured (set cost.zero_is_real: true if it really costs nothing)", strings.Join(zero, " and the "))
			d.Warnings = append(d.Warnings, "cost: "+c.NotMeasured)
			return c
		}
	}
	c.Measured = true
	sum := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	}
	// Totals are over samples: per-case means times the sample counts.
	c.BaselineTotalUSD = totalCost(base)
	c.CandidateTotalUSD = totalCost(cand)
	accB, accC := sum(base.acc), sum(cand.acc)
	c.BaselineCPA = cpa(sum(base.cost), accB)
	c.CandidateCPA = cpa(sum(cand.cost), accC)
	c.Ratio = c.CandidateCPA / c.BaselineCPA
	if accB == 0 {
		d.Warnings = append(d.Warnings, "cost: the baseline has no accepted outcome, so its cost per accepted outcome is undefined")
	}
	if accC == 0 {
		d.Warnings = append(d.Warnings, "cost: the candidate has no accepted outcome, so its cost per accepted outcome is undefined")
	}
	if accB == 0 || accC == 0 || c.BaselineCPA == 0 || math.IsNaN(c.Ratio) || math.IsInf(c.Ratio, 0) {
		// Without a finite ratio there is no test. The candidate is never
		// shown cheaper; it is shown dearer when it produces no accepted
		// outcome while the baseline does, or when it costs something
		// where the baseline costs nothing.
		c.Ratio, c.PValue = nan, 1
		switch {
		case accC == 0 && accB > 0:
			c.Undefined, c.Missed = "the candidate has no accepted outcome while the baseline has", true
		case accC == 0:
			c.Undefined = "neither arm has an accepted outcome"
		case accB == 0:
			c.Undefined = "the baseline has no accepted outcome, so its cost per accepted outcome is unbounded, and with no accepted baseline outcome there is nothing to estimate it from"
		case c.BaselineCPA == 0 && c.CandidateCPA > 0:
			c.Undefined, c.Missed = "the baseline costs nothing while the candidate costs something", true
		case c.BaselineCPA == 0:
			c.Undefined = "neither arm costs anything"
		default:
			c.Undefined = "the cost totals are not finite numbers"
		}
		d.Warnings = append(d.Warnings, "cost: the cost ratio is undefined: "+c.Undefined)
		return c
	}
	// The ratio and its tests do not depend on the unit of cost: scale by
	// a power of two (exactly) so that sums neither overflow nor lose
	// precision in subnormals, whatever the magnitudes.
	costB, costC := scaleCosts(base.cost, cand.cost)
	data := stats.RatioData{CostB: costB, AccB: base.acc, CostC: costC, AccC: cand.acc, Cluster: cluster}
	dr := stats.DeltaRatio(data, pol.Cost.MaxRatio, level)
	c.DeltaCILow, c.DeltaCIHigh, c.DeltaPValue = dr.Lo, dr.Hi, dr.P
	deltaZeroSE := false
	for _, w := range dr.Warnings {
		d.Warnings = append(d.Warnings, "cost (delta): "+w.Error())
		deltaZeroSE = deltaZeroSE || errors.Is(w, stats.ErrZeroSE)
	}
	if deltaZeroSE {
		// Identical clusters would make either test claim certainty from
		// no variation at all: that is no evidence.
		dr.P = 1
		c.DeltaPValue = 1
		d.Warnings = append(d.Warnings, "cost: every cluster has the same cost and acceptance, so the data carry no evidence about the cost ratio either way (p = 1)")
	}
	if g := stats.EffectiveClusters(cluster); dr.G >= 2 && g < costMinClusters {
		d.Warnings = append(d.Warnings, fmt.Sprintf("cost: %s; below %d the cost test is a large-sample approximation whose false-pass rate can exceed α when per-case costs are heavily skewed or a few clusters hold much of the data (%smethods.md#11-calibration)", effectiveClause(dr.G, g), costMinClusters, DocsURL))
	}
	if c.Method == "bootstrap" {
		// The decision turns on the bootstrap p-value at α (when the delta
		// method rejects: both must) and at 1 − α (where the BCa interval
		// starts above the limit): adaptive resampling draws until its
		// Monte Carlo error cannot carry it across either. The result is
		// filled in after the draws, which every bootstrap of the
		// decision shares.
		res := d.bootstrap(pol, clusterCount(cluster))
		h := res.ratio(data)
		var thresholds []float64
		if dr.P <= pol.Alpha {
			thresholds = append(thresholds, pol.Alpha)
		}
		if !deltaZeroSE {
			thresholds = append(thresholds, 1-pol.Alpha)
		}
		res.decides(h, pol.Cost.MaxRatio, thresholds...)
		d.Cost = c
		res.afterDraws(func() {
			br := h.result(level, pol.Cost.MaxRatio)
			c := &d.Cost
			// Both tests must reject: report the larger p-value.
			c.CILow, c.CIHigh, c.PValue = br.Lo, br.Hi, math.Max(br.P, dr.P)
			c.Resamples, c.Resampling, c.MCError = br.Resamples, res.mode(), br.MCError
			for _, w := range br.Warnings {
				d.Warnings = append(d.Warnings, "cost (bootstrap): "+w.Error())
			}
			if c.CILow == 0 && c.Ratio > 0 {
				d.Warnings = append(d.Warnings, fmt.Sprintf("cost (bootstrap): the BCa interval has no lower end: with %s, some resamples hold no case the baseline accepts, where its cost per accepted outcome is infinite and the ratio 0; the delta method's interval is %s",
					numfmt.Counted(dr.G, "cluster", "clusters"), numfmt.RatioInterval(c.DeltaCILow, c.DeltaCIHigh)))
			}
			c.Met = c.PValue <= pol.Alpha
			// With no variation across clusters there is no evidence
			// either way.
			c.Missed = !c.Met && !deltaZeroSE && c.CILow > pol.Cost.MaxRatio
		})
		return d.Cost
	}
	c.CILow, c.CIHigh, c.PValue = dr.Lo, dr.Hi, dr.P
	c.Met = c.PValue <= pol.Alpha
	c.Missed = !c.Met && !deltaZeroSE && c.CILow > pol.Cost.MaxRatio
	return c
}

// scaleCosts returns the two arms' costs divided by the power of two
// nearest their largest value, when that value is far from 1; otherwise
// the slices themselves.
func scaleCosts(b, c []float64) ([]float64, []float64) {
	top := 0.0
	for _, x := range b {
		top = math.Max(top, x)
	}
	for _, x := range c {
		top = math.Max(top, x)
	}
	if top == 0 || (top > 1e-100 && top < 1e100) {
		return b, c
	}
	_, exp := math.Frexp(top)
	scale := func(x []float64) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = math.Ldexp(v, -exp)
		}
		return out
	}
	return scale(b), scale(c)
}

// effectiveClause describes G clusters whose effective number is g.
func effectiveClause(G int, g float64) string {
	if float64(G)-g < 0.05 {
		return fmt.Sprintf("only %s of about equal size", numfmt.Counted(G, "cluster", "clusters"))
	}
	return fmt.Sprintf("the %s clusters are as informative as about %s of equal size (their effective number: a few clusters hold much of the data)", numfmt.Int(G), numfmt.Num(math.Round(g*10)/10))
}

func allZero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}

func cpa(cost, accepted float64) float64 {
	if accepted == 0 {
		return math.Inf(1)
	}
	return cost / accepted
}

// totalCost is the arm's spend over every sample.
func totalCost(a arm) float64 {
	t := 0.0
	for _, ss := range a.samples {
		for _, s := range ss {
			if s.CostUSD != nil {
				t += *s.CostUSD
			}
		}
	}
	return t
}

// The verdict's cost sentences (decide.go) say which rule decided:

// costIntervalName names the interval CILow/CIHigh.
func costIntervalName(c Cost) string {
	if c.Method == "bootstrap" {
		return "BCa interval"
	}
	return "interval"
}

// costPClause states the p-value against alpha: with the bootstrap, both
// tests must reject and the larger p is the one reported.
func costPClause(c Cost, alpha float64) string {
	cmp := "≤"
	if !(c.PValue <= alpha) {
		cmp = ">"
	}
	if c.Method == "bootstrap" {
		if c.PValue <= alpha {
			return fmt.Sprintf("both the BCa bootstrap and the delta method reject (larger p-value: %s ≤ α = %s)", numfmt.PEquals(c.PValue), numfmt.Num(alpha))
		}
		return fmt.Sprintf("the BCa bootstrap and the delta method must both reject, but the larger p-value is %s > α = %s", numfmt.PEquals(c.PValue), numfmt.Num(alpha))
	}
	return fmt.Sprintf("%s %s α = %s", numfmt.PEquals(c.PValue), cmp, numfmt.Num(alpha))
}

// costMethodName names the cost test's method; missed is decided by the
// interval alone.
func costMethodName(c Cost, missed bool) string {
	switch {
	case c.Method == "bootstrap" && missed:
		return "BCa bootstrap"
	case c.Method == "bootstrap":
		return "bootstrap and delta method"
	case c.Method == SeqDelta:
		return "confidence sequence, delta method over clusters"
	}
	return "delta method, Student t with G − 1 df"
}
