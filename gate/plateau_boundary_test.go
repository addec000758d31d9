package gate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// The plateau condition decided by the sign test over clusters is met when
// its p-value is <= α: three clusters whose baseline lost 1/3 each against
// the run two back give p = (1/2)³ = 1/8 (exactly, as McNemarLower sums
// small tails); met at α = p and not at the float below it.
func TestPlateauSignTestAtPEqualsAlpha(t *testing.T) {
	t.Parallel()
	old := [][]bool{{true, true, false}, {true, true, false}, {true, true, false}}
	now := [][]bool{{false, true, false}, {false, true, false}, {false, true, false}}
	one := func(k, j int) float64 { return 1 }
	hOld, _ := clusterCards("w", old, old, one, one)
	b, c := clusterCards("w", now, now, one, one)
	p, err := scorecard.Pair([]*scorecard.Scorecard{readJSONL(t, "b.jsonl", b), readJSONL(t, "c.jsonl", c)}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hist := []*scorecard.Scorecard{readJSONL(t, "h1.jsonl", hOld), readJSONL(t, "h2.jsonl", hOld)}
	sign := stats.McNemarLower(0, 3)
	if math.Abs(sign-0.125) > 1e-15 {
		t.Fatalf("sign test p = %v, want 1/8", sign)
	}
	for _, tc := range []struct {
		alpha float64
		want  string
	}{
		{sign, gate.StatusMet},
		{math.Nextafter(sign, 0), gate.StatusNotMet},
	} {
		pol := gate.DefaultPolicy()
		pol.Alpha = tc.alpha
		pol.Statistics.Resamples = 1000
		pol.Economics.Plateau = gate.PlateauPolicy{MinRuns: 3, Window: 2, MinGain: 0.01}
		d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1, History: hist}, pol)
		if err != nil {
			t.Fatal(err)
		}
		cd := d.Economics.Conditions[3]
		if cd.Name != gate.CondPlateau || cd.Status != tc.want || !strings.Contains(cd.Detail, "sign test over clusters") {
			t.Errorf("α = %v: plateau %s: %s; want %s by the sign test over clusters", tc.alpha, cd.Status, cd.Detail, tc.want)
		}
	}
}
