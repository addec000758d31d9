package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestOracleWoodruff checks WoodruffQuantiles against the intervals
// make_oracle_woodruff.py computes from the formulas with numpy, on the
// unclustered and the clustered data set, at two quantiles and two levels.
func TestOracleWoodruff(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_woodruff.csv")
	for _, name := range []string{"single", "clustered"} {
		d := readDataset(t, name)
		sb := Samples{X: d.latB, Cluster: d.sampleCluster}
		sc := Samples{X: d.latC, Cluster: d.sampleCluster}
		for _, prob := range []float64{0.5, 0.95} {
			for _, level := range []string{"0.9", "0.95"} {
				lv := map[string]float64{"0.9": 0.9, "0.95": 0.95}[level]
				r := WoodruffQuantiles(sb, sc, prob, lv)
				for arm, got := range map[string]Interval{"b": r.B, "c": r.C} {
					tag := fmt.Sprintf("%s_p%d", arm, int(math.Round(prob*100)))
					for _, x := range []struct {
						what string
						got  float64
					}{{"est", got.Est}, {"lo", got.Lo}, {"hi", got.Hi}} {
						want := o.must(t, name, tag+"_"+x.what, level)
						if math.Abs(x.got-want) > tolClosed*math.Max(1, math.Abs(want)) {
							t.Errorf("%s %s %s at %s: %v, want %v", name, tag, x.what, level, x.got, want)
						}
					}
				}
				if !math.IsNaN(r.Ratio.Lo) || r.Ratio.Est != r.C.Est/r.B.Est {
					t.Errorf("%s: ratio %+v", name, r.Ratio)
				}
			}
		}
	}
}

// TestWoodruffDegenerate: no samples, one cluster.
func TestWoodruffDegenerate(t *testing.T) {
	t.Parallel()
	r := WoodruffQuantiles(Samples{}, Samples{X: []float64{3, 1, 2}, Cluster: []int{4, 4, 4}}, 0.95, 0.9)
	if !math.IsNaN(r.B.Est) || !hasWarning(r.Warnings, ErrEmpty) {
		t.Errorf("empty baseline: %+v", r)
	}
	if r.C.Est != 2.9 || r.C.Lo != 1 || r.C.Hi != 3 {
		t.Errorf("one cluster: %+v, want 2.9 in [1, 3]", r.C)
	}
}
