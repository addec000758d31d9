package gate

import (
	"math"

	"github.com/ftgate/ftgate/stats"
)

// bootstrapMaxClusters is the cluster count above which auto switches the
// cost test from the bootstrap to the delta method (methods.md §3).
const bootstrapMaxClusters = 200_000

// costTest runs methods.md §3: cost per accepted outcome, candidate over
// baseline, by the paired cluster bootstrap (BCa) and the delta method.
func costTest(d *Decision, base, cand arm, cluster []int, pol Policy) Cost {
	level := 1 - 2*pol.Alpha
	c := Cost{
		MaxRatio:  pol.Cost.MaxRatio,
		CILevel:   level,
		Resamples: pol.Statistics.Resamples,
		Seed:      pol.Statistics.Seed,
	}
	nan := math.NaN()
	c.BaselineCPA, c.CandidateCPA, c.Ratio = nan, nan, nan
	c.CILow, c.CIHigh, c.PValue, c.DeltaCILow, c.DeltaCIHigh, c.DeltaPValue = nan, nan, nan, nan, nan, nan
	c.BaselineTotalUSD, c.CandidateTotalUSD = nan, nan
	c.Method = pol.Cost.Method
	if c.Method == "auto" {
		c.Method = "bootstrap"
		if d.Cases.Clusters > bootstrapMaxClusters {
			c.Method = "delta"
		}
	}
	if !base.hasCost || !cand.hasCost {
		c.Method = "not-measured"
		return c
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
		if accB > 0 && c.BaselineCPA == 0 {
			d.Warnings = append(d.Warnings, "cost: the baseline's cost is zero, so the cost ratio is undefined")
		}
		// Without a finite ratio there is no test; the candidate is never
		// shown cheaper, and it is shown dearer only when it produces no
		// accepted outcome at all while the baseline does.
		c.Ratio = nan
		c.Missed = accC == 0 && accB > 0
		c.PValue = 1
		return c
	}
	data := stats.RatioData{CostB: base.cost, AccB: base.acc, CostC: cand.cost, AccC: cand.acc, Cluster: cluster}
	dr := stats.DeltaRatio(data, pol.Cost.MaxRatio, level)
	c.DeltaCILow, c.DeltaCIHigh, c.DeltaPValue = dr.Lo, dr.Hi, dr.P
	for _, w := range dr.Warnings {
		d.Warnings = append(d.Warnings, "cost (delta): "+w.Error())
	}
	if c.Method == "bootstrap" {
		br := stats.BootstrapRatio(data, stats.BootstrapOptions{
			Resamples: pol.Statistics.Resamples, Seed: pol.Statistics.Seed, Level: level, NullRatio: pol.Cost.MaxRatio,
		})
		c.CILow, c.CIHigh, c.PValue = br.Lo, br.Hi, br.P
		for _, w := range br.Warnings {
			d.Warnings = append(d.Warnings, "cost (bootstrap): "+w.Error())
		}
	} else {
		c.CILow, c.CIHigh, c.PValue = dr.Lo, dr.Hi, dr.P
		c.Resamples = 0
	}
	c.Met = c.PValue <= pol.Alpha
	c.Missed = !c.Met && c.CILow > pol.Cost.MaxRatio
	return c
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
