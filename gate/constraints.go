package gate

import (
	"math"
	"slices"

	"github.com/ftgate/ftgate/stats"
)

// latencySummary runs methods.md §7 for latency: p50 and p95 of every
// sample of each arm (type-7 quantiles), p95 intervals from the clustered
// percentile bootstrap (Woodruff's under the large-G rule), and the
// candidate's latency constraints. It sets d.Latency; the intervals are
// filled in after the decision's shared draws.
func latencySummary(d *Decision, base, cand arm, cluster []int, pol Policy) Latency {
	nan := math.NaN()
	l := Latency{BaselineP50: nan, BaselineP95: nan, CandidateP50: nan, CandidateP95: nan,
		BaselineP95Low: nan, BaselineP95High: nan, CandidateP95Low: nan, CandidateP95High: nan}
	sb, sc := latencySamples(base, cluster), latencySamples(cand, cluster)
	haveB, haveC := len(sb.X) > 0, len(sc.X) > 0
	if haveB {
		x := sortedCopy(sb.X)
		l.BaselineP50, l.BaselineP95 = stats.Quantile7(x, 0.5), stats.Quantile7(x, 0.95)
	}
	if haveC {
		x := sortedCopy(sc.X)
		l.CandidateP50, l.CandidateP95 = stats.Quantile7(x, 0.5), stats.Quantile7(x, 0.95)
	}
	l.Measured = haveB && haveC
	if lim := pol.Latency.MaxP95Ms; lim != nil {
		k := Constraint{Name: "latency.max_p95_ms", Limit: *lim, Value: l.CandidateP95, Measured: haveC, Required: pol.Latency.Required}
		k.Held = haveC && l.CandidateP95 <= *lim
		l.Constraints = append(l.Constraints, k)
	}
	if lim := pol.Latency.MaxP95Ratio; lim != nil {
		ratio := l.CandidateP95 / l.BaselineP95
		ok := haveB && haveC && l.BaselineP95 > 0
		k := Constraint{Name: "latency.max_p95_ratio", Limit: *lim, Value: ratio, Measured: ok, Required: pol.Latency.Required}
		if !ok {
			k.Value = nan
		}
		k.Held = ok && ratio <= *lim
		l.Constraints = append(l.Constraints, k)
	}
	d.Latency = l
	if haveB || haveC {
		// The p95 intervals come from the decision's shared draws.
		res := d.bootstrap(pol, clusterCount(cluster))
		h := res.p95(sb, sc)
		d.Latency.IntervalMethod = IntervalWoodruff
		if res.on {
			d.Latency.IntervalMethod = IntervalBootstrap
		}
		res.afterDraws(func() {
			r95 := h.result(1 - 2*pol.Alpha)
			l := &d.Latency
			if haveB {
				l.BaselineP95Low, l.BaselineP95High = r95.B.Lo, r95.B.Hi
			}
			if haveC {
				l.CandidateP95Low, l.CandidateP95High = r95.C.Lo, r95.C.Hi
			}
		})
	}
	return d.Latency
}

func latencySamples(a arm, cluster []int) stats.Samples {
	n := 0
	for _, ss := range a.samples {
		for _, x := range ss {
			if x.LatencyMS != nil {
				n++
			}
		}
	}
	s := stats.Samples{X: make([]float64, 0, n), Cluster: make([]int, 0, n)}
	for i, ss := range a.samples {
		for _, x := range ss {
			if x.LatencyMS != nil {
				s.X = append(s.X, *x.LatencyMS)
				s.Cluster = append(s.Cluster, cluster[i])
			}
		}
	}
	return s
}

// sortedCopy returns x sorted, leaving x as it is.
func sortedCopy(x []float64) []float64 {
	s := append([]float64(nil), x...)
	slices.Sort(s)
	return s
}

// formatSummary runs methods.md §7 for format: the schema-valid rate of
// each arm over the samples that record it, the baseline's with a Wilson
// interval that accounts for clusters (stats.WilsonClustered: a case's
// samples, and a cluster's cases, are not independent), and the
// candidate's minimum.
func formatSummary(base, cand arm, cluster []int, pol Policy) Format {
	nan := math.NaN()
	f := Format{BaselineValidRate: nan, CandidateValidRate: nan, BaselineValidLow: nan, BaselineValidHigh: nan}
	xb, cb := validSamples(base, cluster)
	xc, _ := validSamples(cand, cluster)
	if nb := len(xb); nb > 0 {
		r := stats.WilsonClustered(xb, cb, 1-2*pol.Alpha)
		f.BaselineValidRate, f.BaselineValidLow, f.BaselineValidHigh = r.Rate, r.Lo, r.Hi
		f.BaselineValidN = nb
	}
	nc := len(xc)
	if nc > 0 {
		f.CandidateValidRate = mean(xc)
	}
	f.Measured = len(xb) > 0 && nc > 0
	if lim := pol.Format.MinValidRate; lim != nil {
		k := Constraint{Name: "format.min_valid_rate", Limit: *lim, Value: f.CandidateValidRate, Measured: nc > 0, Required: pol.Format.Required}
		k.Held = nc > 0 && f.CandidateValidRate >= *lim
		f.Constraints = append(f.Constraints, k)
	}
	return f
}

// validSamples returns 1 or 0 for every sample of the arm that records
// schema_valid, with the sample's cluster.
func validSamples(a arm, cluster []int) (x []float64, cl []int) {
	for i, ss := range a.samples {
		for _, s := range ss {
			if s.SchemaValid != nil {
				x = append(x, b2f(*s.SchemaValid))
				cl = append(cl, cluster[i])
			}
		}
	}
	return x, cl
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
