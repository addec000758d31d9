package gate

import (
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/internal/oracle"
	"github.com/ftgate/ftgate/stats"
)

// TestExamplesAgainstScipy decides every bundled example as the command
// line does and compares the deciding numbers with what
// examples/check_examples.py computed with numpy and scipy from the
// scorecard files alone (testdata/oracle/examples_scipy.csv; rerun it with
// --record to refresh):
//
//   - closed forms to 1e-9: the CR2 interval, the delta method's p-value
//     and interval (Student t, G − 1 df), the cost ratio, latency p95,
//     schema-valid rates and the baseline's clustered Wilson interval;
//   - Monte Carlo quantities within 4.5 SE of each side's 10 000 draws:
//     the quality and segment p-values (the larger of CR2's and the wild
//     cluster bootstrap's), the cost rule's p-value (the larger of the
//     BCa's and the delta method's); the BCa interval in level space, as
//     the scipy checks of stats do (δ = 0.01 per tail).
func TestExamplesAgainstScipy(t *testing.T) {
	t.Parallel()
	o := oracle.Read(t, filepath.Join("..", "testdata", "oracle", "examples_scipy.csv"))
	for _, ex := range []struct {
		dir       string
		baselines []string
	}{
		{"pass", []string{"baseline.jsonl"}},
		{"cost-loss", []string{"baseline.jsonl"}},
		{"inconclusive", []string{"baseline.jsonl"}},
		{"segment-regression", []string{"baseline.jsonl"}},
		{"routed", []string{"baseline-small.jsonl", "baseline-medium.jsonl", "baseline-large.jsonl"}},
		{"volume", []string{"baseline.jsonl"}},
	} {
		t.Run(ex.dir, func(t *testing.T) {
			t.Parallel()
			val := func(q, param string) float64 {
				t.Helper()
				s, ok := o[oracle.Key(ex.dir, q, param)]
				if !ok {
					t.Fatalf("no recorded %s %s", q, param)
				}
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			near := func(what string, got, want, tol float64) {
				t.Helper()
				if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
					t.Errorf("%s = %.12g, scipy %.12g", what, got, want)
				}
			}
			const B = 10000
			// (a floor of 1/B on p(1 − p) for p-values at 0 or 1)
			mc := func(p float64) float64 { return 2 * 4.5 * math.Sqrt(math.Max(p*(1-p), 1.0/B)/B) }

			in, pol := exampleInput(t, ex.dir, ex.baselines)
			d, err := Decide(in, pol)
			if err != nil {
				t.Fatal(err)
			}
			if pol.Statistics.Resamples != B {
				t.Fatalf("the example's policy has %d resamples; the recorded values have %d", pol.Statistics.Resamples, B)
			}
			q := d.Quality
			want := math.Max(val("q_p_cr2", ""), val("q_p_wild", ""))
			near("quality p", q.PValue, want, mc(want))
			near("quality ci_low (CR2)", q.CILow, val("q_lo", ""), 1e-9)
			near("quality ci_high (CR2)", q.CIHigh, val("q_hi", ""), 1e-9)

			c := d.Cost
			near("cost ratio", c.Ratio, val("cost_ratio", ""), 1e-9)
			near("cost delta p", c.DeltaPValue, val("cost_delta_p", ""), 1e-9)
			near("cost delta ci_low", c.DeltaCILow, val("cost_delta_lo", ""), 1e-9)
			near("cost delta ci_high", c.DeltaCIHigh, val("cost_delta_hi", ""), 1e-9)
			want = math.Max(val("cost_bca_p", ""), val("cost_delta_p", ""))
			near("cost p (the larger)", c.PValue, want, mc(want)+1e-9)
			// The BCa interval in level space: scipy's ends and the gate's
			// lie between the gate's bootstrap ends at 0.88 and 0.92.
			base := armOf(in.Paired, in.Baselines[0])
			if len(in.Baselines) > 1 {
				base, err = routeBaseline(&Decision{}, in.Paired, in, pol)
				if err != nil {
					t.Fatal(err)
				}
			}
			cand := armOf(in.Paired, in.Candidate)
			data := stats.RatioData{CostB: base.cost, AccB: base.acc, CostC: cand.cost, AccC: cand.acc, Cluster: in.Paired.ClusterIndex()}
			at := func(level float64) stats.BootstrapResult {
				return stats.BootstrapRatio(data, stats.BootstrapOptions{Resamples: B, Seed: pol.Statistics.Seed, Level: level, NullRatio: 1})
			}
			narrow, wide := at(0.88), at(0.92)
			for _, x := range []struct {
				what         string
				got, want    float64
				inner, outer float64
			}{
				{"BCa lower end", c.CILow, val("cost_lo", ""), narrow.Lo, wide.Lo},
				{"BCa upper end", c.CIHigh, val("cost_hi", ""), narrow.Hi, wide.Hi},
			} {
				lo, hi := math.Min(x.inner, x.outer), math.Max(x.inner, x.outer)
				if !(lo <= x.want && x.want <= hi) || !(lo <= x.got && x.got <= hi) {
					t.Errorf("%s: gate %.6g, scipy %.6g, window [%.6g, %.6g]", x.what, x.got, x.want, lo, hi)
				}
			}

			for _, s := range d.Segments {
				if !s.Tested {
					continue
				}
				want := val("seg_p", s.Name)
				near("segment "+s.Name+" p", s.PValue, want, mc(want))
				want = val("seg_adj", s.Name)
				near("segment "+s.Name+" Holm", s.PAdjusted, want, 3*mc(math.Min(0.5, want))+1e-9)
			}
			near("baseline p95", d.Latency.BaselineP95, val("lat_p95_b", ""), 1e-9)
			near("candidate p95", d.Latency.CandidateP95, val("lat_p95_c", ""), 1e-9)
			near("baseline valid rate", d.Format.BaselineValidRate, val("valid_b", ""), 1e-12)
			near("candidate valid rate", d.Format.CandidateValidRate, val("valid_c", ""), 1e-12)
			near("baseline valid low", d.Format.BaselineValidLow, val("valid_b_lo", ""), 1e-9)
			near("baseline valid high", d.Format.BaselineValidHigh, val("valid_b_hi", ""), 1e-9)
		})
	}
}
