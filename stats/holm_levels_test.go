package stats

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestHolmLevels checks the step-down levels by hand: with α = 0.05 and
// p = (0.01, 0.04, 0.03, 0.005), Holm tests 0.005 at 0.05/4 = 0.0125
// (rejected), 0.01 at 0.05/3 (rejected), 0.03 at 0.05/2 = 0.025 (not
// rejected: the procedure stops), and 0.04 shares the level 0.025.
func TestHolmLevels(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		p     []float64
		alpha float64
		want  []float64
	}{
		{"stops at the third step", []float64{0.01, 0.04, 0.03, 0.005}, 0.05, []float64{0.05 / 3, 0.025, 0.025, 0.0125}},
		{"all rejected", []float64{0.001, 0.02, 0.004}, 0.05, []float64{0.05 / 3, 0.05, 0.025}},
		{"none rejected", []float64{0.5, 0.2, 0.9}, 0.05, []float64{0.05 / 3, 0.05 / 3, 0.05 / 3}},
		{"untested segments do not count", []float64{nan, 0.01, nan, 0.04}, 0.05, []float64{nan, 0.025, nan, 0.05}},
		// Ties keep their input order, as in Holm.
		{"ties, all rejected", []float64{0.02, 0.02, 0.001}, 0.05, []float64{0.025, 0.05, 0.05 / 3}},
		{"ties, stopped", []float64{0.03, 0.03, 0.001}, 0.05, []float64{0.025, 0.025, 0.05 / 3}},
		{"one", []float64{0.3}, 0.1, []float64{0.1}},
		// p equal to its step's level, 0.05/2, is rejected: the next
		// value is tested at 0.05.
		{"at the step's level", []float64{0.3, 0.025}, 0.05, []float64{0.05, 0.025}},
		{"empty", nil, 0.05, []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := HolmLevels(c.p, c.alpha)
			if diff := cmp.Diff(c.want, got, cmpopts.EquateNaNs(), cmpopts.EquateApprox(0, 1e-15)); diff != "" {
				t.Errorf("HolmLevels(%v) (-want +got):\n%s", c.p, diff)
			}
		})
	}
}

// TestHolmLevelsAgreeWithHolm checks the property the intervals rest on:
// a p-value is at most its level exactly when its Holm-adjusted p-value
// is at most α.
func TestHolmLevelsAgreeWithHolm(t *testing.T) {
	t.Parallel()
	sets := [][]float64{
		{0.01, 0.04, 0.03, 0.005}, {0.001, 0.02, 0.004}, {0.2, 0.2, 0.01, 0.5, 0.04, 0.04, 0.9},
		{1e-8, 0.3, 0.02, 0.011}, {0.0125, 0.0125, 0.0125, 0.0125}, {0.016, 0.02, 0.026},
	}
	for _, p := range sets {
		lv := HolmLevels(p, 0.05)
		adj := Holm(p)
		for i := range p {
			if (p[i] <= lv[i]) != (adj[i] <= 0.05) {
				t.Errorf("p = %v: value %d at level %v, Holm-adjusted %v", p, i, lv[i], adj[i])
			}
		}
	}
}
