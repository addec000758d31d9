package gate

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/ftgate/ftgate/internal/numfmt"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// NoWorkflow names the segment of cases that carry no workflow.
const NoWorkflow = "(no workflow)"

// segmentTests runs methods.md §5: for every workflow with enough cases, a
// one-sided test that the candidate is worse by more than max_drop, with
// Holm's step-down adjustment across the tested workflows (Holm 1979).
func segmentTests(d *Decision, p *scorecard.Paired, base, cand arm, pol Policy) []Segment {
	groups := map[string][]int{}
	any := false
	for i := range p.Cases {
		w := p.Cases[i].Workflow
		if w != "" {
			any = true
		} else {
			w = NoWorkflow
		}
		groups[w] = append(groups[w], i)
	}
	if !any {
		return nil
	}
	level := 1 - 2*pol.Alpha
	drop := pol.Segments.MaxDrop
	var segs []Segment
	var tested []int
	var raw []float64
	// interval computes a tested segment's two-sided interval at a level
	// known only once every segment's p-value is (stats.HolmLevels).
	var interval []func(level float64) (lo, hi float64)
	// mde computes a tested segment's smallest detectable drop once the
	// number of tested segments (Holm's first divisor) is known.
	var mde []func(alpha float64) float64
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		idx := groups[name]
		s := Segment{Name: name, Cases: len(idx), PValue: math.NaN(), PAdjusted: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(), CILevel: math.NaN(), MDE: math.NaN()}
		sub := func(a arm) arm {
			out := arm{acc: make([]float64, len(idx))}
			for j, i := range idx {
				out.acc[j] = a.acc[i]
			}
			return out
		}
		sb, sc := sub(base), sub(cand)
		s.Baseline, s.Candidate = mean(sb.acc), mean(sc.acc)
		s.Delta = s.Candidate - s.Baseline
		if len(idx) < pol.Segments.MinCases {
			s.NotTested = "too few cases"
		} else {
			s.Tested = true
			var iv func(level float64) (lo, hi float64)
			var power func(alpha float64) float64
			switch d.Quality.Method {
			case "mcnemar-exact", "tango", "tango-exact":
				b, c := discordance(sb, sc)
				n := len(idx)
				iv = func(level float64) (lo, hi float64) { return stats.TangoInterval(b, c, n, level) }
				psi := float64(b+c) / float64(n)
				// The regression test mirrors the gain test: a drop δ is
				// an effect δ over the margin max_drop.
				power = func(alpha float64) float64 {
					return stats.ConnorMDEMargin(psi, n, drop, alpha, pol.Power.Target)
				}
				switch {
				case drop == 0:
					s.PValue = stats.McNemarLower(b, c)
				case useTangoExact(b, c, drop):
					// A drop is the mirror of a positive margin: with few
					// discordant pairs the normal reference is liberal.
					s.PValue = tangoExactUpper(c, b, n, drop)
				default:
					s.PValue = stats.NormalCDF(stats.TangoZ(b, c, len(idx), -drop))
				}
			default:
				diff := make([]float64, len(idx))
				for j := range idx {
					diff[j] = sc.acc[j] - sb.acc[j]
				}
				cl := reindex(p, idx)
				ct := stats.ClusterT(diff, cl, -drop, level)
				s.PValue, _, s.Resamples = clusteredTest(d.ctx, diff, cl, -drop, pol, false, holmLevels(pol.Alpha, len(groups))...)
				if ct.G < 2 {
					// One cluster is one independent unit: no test.
					s.Tested, s.PValue, s.NotTested = false, math.NaN(), "all cases in one cluster"
					d.Warnings = append(d.Warnings, fmt.Sprintf("segment %q: its %s cases are all in one cluster, so it cannot be tested for a regression (change %s)", name, numfmt.Int(len(idx)), numfmt.Points(s.Delta)))
					segs = append(segs, s)
					continue
				}
				if zeroSE(ct) {
					// No standard error: no interval either.
					_, s.PValue = clusterSignTest(diff, cl, -drop)
				} else {
					iv = func(level float64) (lo, hi float64) {
						r := stats.ClusterCR2(diff, cl, -drop, level)
						return r.Lo, r.Hi
					}
					if ct.Var > 0 && ct.DEff > 0 && !math.IsInf(ct.DEff, 0) {
						v, deff, n := ct.Var, ct.DEff, len(idx)
						power = func(alpha float64) float64 { return drop + stats.ClusterMDE(v, deff, n, alpha, pol.Power.Target) }
					}
				}
			}
			tested = append(tested, len(segs))
			raw = append(raw, s.PValue)
			interval = append(interval, iv)
			mde = append(mde, power)
		}
		segs = append(segs, s)
	}
	adj := stats.Holm(raw)
	levels := stats.HolmLevels(raw, pol.Alpha)
	for k, si := range tested {
		segs[si].PAdjusted = adj[k]
		segs[si].Regression = adj[k] <= pol.Alpha
		if interval[k] != nil && !math.IsNaN(levels[k]) {
			segs[si].CILevel = 1 - 2*levels[k]
			segs[si].CILow, segs[si].CIHigh = interval[k](segs[si].CILevel)
		}
		if mde[k] != nil {
			segs[si].MDE = mde[k](pol.Alpha / float64(len(tested)))
		}
	}
	var small []string
	for _, s := range segs {
		if s.NotTested == "too few cases" {
			small = append(small, s.Name)
		}
	}
	if len(small) > 0 {
		sort.Strings(small)
		d.Warnings = append(d.Warnings, "segments with fewer than "+strconv.Itoa(pol.Segments.MinCases)+" cases were not tested for regressions: "+quoteList(small))
	}
	return segs
}

// holmLevels are the levels α/k, …, α/1 at which Holm's procedure over
// up to k tests compares a p-value.
func holmLevels(alpha float64, k int) []float64 {
	ls := make([]float64, k)
	for j := range ls {
		ls[j] = alpha / float64(j+1)
	}
	return ls
}

// reindex maps the clusters of the cases idx onto 0..G'-1.
func reindex(p *scorecard.Paired, idx []int) []int {
	m := map[int]int{}
	out := make([]int, len(idx))
	for j, i := range idx {
		c := p.Cases[i].Cluster
		k, ok := m[c]
		if !ok {
			k = len(m)
			m[c] = k
		}
		out[j] = k
	}
	return out
}
