package gate_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// Every test below has clusters whose means are equal but not binary
// fractions (1/3), so that rounding leaves a cluster-robust standard error
// of about 1e-17 instead of 0. Each path that tests a standard error must
// see it as zero and fall back to the sign test over clusters (or to "no
// evidence" for the cost), never to a t statistic of 1e16.

// clusterCards writes a baseline and a candidate scorecard with the given
// acceptance patterns, cluster by cluster (case j of cluster k is
// "k<k>-<j>"), with workflow wf and per-case costs.
func clusterCards(wf string, base, cand [][]bool, costB, costC func(k, j int) float64) (b, c string) {
	var sb, sc strings.Builder
	for k := range base {
		for j := range base[k] {
			fmt.Fprintf(&sb, `{"id":"%s-k%d-%d","workflow":%q,"cluster":"%s-k%d","accepted":%v,"cost_usd":%v}`+"\n", wf, k, j, wf, wf, k, base[k][j], costB(k, j))
			fmt.Fprintf(&sc, `{"id":"%s-k%d-%d","workflow":%q,"cluster":"%s-k%d","accepted":%v,"cost_usd":%v}`+"\n", wf, k, j, wf, wf, k, cand[k][j], costC(k, j))
		}
	}
	return sb.String(), sc.String()
}

// Nine cases in three clusters, each cluster gaining exactly 1/3: the exact
// sign test over clusters gives p = P(X ≥ 3 | 3, ½) = 0.125, and the gate
// must not pass.
func TestZeroVarianceQualityRounding(t *testing.T) {
	t.Parallel()
	base := [][]bool{{false, true, false}, {false, true, false}, {false, true, false}}
	cand := [][]bool{{true, true, false}, {true, true, false}, {true, true, false}}
	b, c := clusterCards("w", base, cand, func(k, j int) float64 { return 1 }, func(k, j int) float64 { return 0.2 + 0.1*float64(k) })
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	d := decidePair(t, b, c, pol)
	q := d.Quality
	if q.Met || math.Abs(q.PValue-0.125) > 1e-12 || !math.IsNaN(q.CILow) {
		t.Errorf("quality met %v p %v interval [%v, %v]; want not met, p = 0.125 (sign test), no interval", q.Met, q.PValue, q.CILow, q.CIHigh)
	}
	if d.Verdict == gate.Pass {
		t.Errorf("nine cases in three identical clusters passed:\n%s", strings.Join(d.Reasons, "\n"))
	}
}

// Three clusters with the same cases in a different order: every
// cluster's total of delta-method influence values is zero up to rounding.
// That is no evidence about the cost ratio either way.
func TestZeroVarianceCostRounding(t *testing.T) {
	t.Parallel()
	base := [][]bool{{true, false, true}, {false, true, true}, {true, true, false}}
	cand := base
	costs := []float64{0.1, 0.7, 0.3}
	costB := func(k, j int) float64 { return costs[(j+k)%3] }
	costC := func(k, j int) float64 { return costs[(j+k)%3] / 3 }
	b, c := clusterCards("w", base, cand, costB, costC)
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	d := decidePair(t, b, c, pol)
	if d.Cost.Met || d.Cost.DeltaPValue != 1 {
		t.Errorf("cost met %v, delta p %v; want not met with delta p = 1 (no evidence)", d.Cost.Met, d.Cost.DeltaPValue)
	}
}

// A workflow of three clusters that each lose exactly 1/3 is not a
// regression on three independent units: the lower sign test gives 0.125.
func TestZeroVarianceSegmentRounding(t *testing.T) {
	t.Parallel()
	base := [][]bool{{true, true, false}, {true, true, false}, {true, true, false}}
	cand := [][]bool{{false, true, false}, {false, true, false}, {false, true, false}}
	b1, c1 := clusterCards("small", base, cand, func(k, j int) float64 { return 1 }, func(k, j int) float64 { return 0.5 })
	// A second, unremarkable workflow so that segments are tested.
	var big, bigC [][]bool
	for k := 0; k < 20; k++ {
		big = append(big, []bool{k%2 == 0, true})
		bigC = append(bigC, []bool{k%3 != 0, true})
	}
	b2, c2 := clusterCards("big", big, bigC, func(k, j int) float64 { return 1 }, func(k, j int) float64 { return 0.5 })
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Segments.MinCases = 9
	d := decidePair(t, b1+b2, c1+c2, pol)
	for _, s := range d.Segments {
		if s.Name != "small" {
			continue
		}
		if !s.Tested || math.Abs(s.PValue-0.125) > 1e-12 || s.Regression {
			t.Errorf("segment %+v; want tested, p = 0.125 (sign test), no regression", s)
		}
		return
	}
	t.Errorf("no segment \"small\" in %+v", d.Segments)
}

// The plateau condition: the current baseline loses exactly 1/3 in each of
// three clusters against the run two back. Three clusters cannot show a
// plateau at α = 0.05 (the lower sign test gives 0.125).
func TestZeroVariancePlateauRounding(t *testing.T) {
	t.Parallel()
	old := [][]bool{{true, true, false}, {true, true, false}, {true, true, false}}
	now := [][]bool{{false, true, false}, {false, true, false}, {false, true, false}}
	one := func(k, j int) float64 { return 1 }
	hOld, _ := clusterCards("w", old, old, one, one)
	b, c := clusterCards("w", now, now, one, one)
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Economics.Plateau = gate.PlateauPolicy{MinRuns: 3, Window: 2, MinGain: 0.01}
	p, err := scorecard.Pair([]*scorecard.Scorecard{readJSONL(t, "b.jsonl", b), readJSONL(t, "c.jsonl", c)}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hist := []*scorecard.Scorecard{readJSONL(t, "h1.jsonl", hOld), readJSONL(t, "h2.jsonl", hOld)}
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1, History: hist}, pol)
	if err != nil {
		t.Fatal(err)
	}
	cd := d.Economics.Conditions[3]
	if cd.Name != gate.CondPlateau || cd.Status != gate.StatusNotMet {
		t.Errorf("plateau %s: %s; want not met (sign test over 3 clusters)", cd.Status, cd.Detail)
	}
}

// One cluster holding half of 30: the candidate gains 25 of its 58 cases
// and nothing elsewhere (four other clusters gain a case, three lose
// one). The t test with G − 1 df gave p = 0.047 and the gate passed; the
// mean is the big cluster's, whose deviation the data cannot estimate. CR2
// with Satterthwaite df (3.7) gives 0.138 and the wild cluster bootstrap
// about 0.31, so the gate's clustered test is not met, and a warning names
// the effective number of clusters (1.1).
func TestOneClusterHoldingHalf(t *testing.T) {
	t.Parallel()
	var b, c strings.Builder
	line := func(w *strings.Builder, id string, k int, acc bool, cost float64) {
		fmt.Fprintf(w, `{"id":%q,"cluster":"k%02d","accepted":%v,"cost_usd":%v}`+"\n", id, k, acc, cost)
	}
	for i := 0; i < 58; i++ {
		id := fmt.Sprintf("big%02d", i)
		line(&b, id, 0, false, 1)
		line(&c, id, 0, i < 25, 0.2+0.01*float64(i%7))
	}
	for k := 1; k < 30; k++ {
		for j := 0; j < 2; j++ {
			id := fmt.Sprintf("s%02d-%d", k, j)
			bAcc, cAcc := true, true
			switch {
			case k%5 == 0 && j == 0:
				bAcc = false
			case k%5 == 1 && j == 1:
				cAcc = false
			}
			line(&b, id, k, bAcc, 1)
			line(&c, id, k, cAcc, 0.2+0.01*float64((k+j)%7))
		}
	}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 2000
	d := decidePair(t, b.String(), c.String(), pol)
	q := d.Quality
	if q.Method != "cluster-t" || q.Met || q.PValue < 0.13 {
		t.Errorf("quality %s p %v met %v; want cluster-t, p ≥ 0.138 (CR2), not met", q.Method, q.PValue, q.Met)
	}
	if d.Verdict == gate.Pass {
		t.Errorf("passed on one cluster:\n%s", strings.Join(d.Reasons, "\n"))
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "quality: the 30 clusters are as informative as about 1.1 of equal size") {
		t.Errorf("warnings:\n%s", strings.Join(d.Warnings, "\n"))
	}
}

// Every cluster's mean is the margin 2/7, reached six ways with seven
// samples per case (cases accepting 0, 1 and 5 of 7, and so on), each of
// which sums to a float a little above 2/7 (by 5.6e-17). They are at the
// margin: no evidence either way. (A sign test that counted rounding as
// "above" gave 1/64 and passed.)
func TestClusterMeansAtTheMarginByRounding(t *testing.T) {
	t.Parallel()
	var b, c strings.Builder
	patterns := [][]int{{0, 1, 5}, {1, 0, 5}, {1, 5, 0}, {5, 0, 1}, {5, 1, 0}, {0, 5, 1}}
	for k, pat := range patterns {
		for j, acc := range pat {
			for s := 0; s < 7; s++ {
				fmt.Fprintf(&b, `{"id":"k%d-%d","sample":%d,"cluster":"k%d","accepted":false,"cost_usd":1}`+"\n", k, j, s, k)
				fmt.Fprintf(&c, `{"id":"k%d-%d","sample":%d,"cluster":"k%d","accepted":%v,"cost_usd":1}`+"\n", k, j, s, k, s < acc)
			}
		}
	}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 1000
	pol.Quality.MinGain = 2.0 / 7
	d := decidePair(t, b.String(), c.String(), pol)
	if q := d.Quality; q.Met || q.PValue != 1 {
		t.Errorf("quality at the margin: p %v met %v; want p = 1 (every cluster at the margin), not met", q.PValue, q.Met)
	}
}
