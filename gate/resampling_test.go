package gate

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// passInput reads examples/pass as the command line does.
func passInput(t *testing.T) Input {
	t.Helper()
	read := func(name string) *scorecard.Scorecard {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("..", "examples", "pass", name))
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scorecard.Read(name, data, scorecard.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	p, err := scorecard.Pair([]*scorecard.Scorecard{read("baseline.jsonl"), read("candidate.jsonl")}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Input{Paired: p, Baselines: []int{0}, Candidate: 1}
}

// TestSharedDraws checks that the cost test, both tiers and the latency
// intervals of one decision come from the same draws: each equals the
// statistic bootstrapped alone with that many draws and the same seed.
func TestSharedDraws(t *testing.T) {
	t.Parallel()
	in := passInput(t)
	for _, fixed := range []int{0, 3000} {
		pol := DefaultPolicy()
		pol.Statistics.Resamples = fixed
		d, err := Decide(in, pol)
		if err != nil {
			t.Fatal(err)
		}
		c := d.Cost
		wantMode := map[int]string{0: ResamplingAdaptive, 3000: ResamplingFixed}[fixed]
		if c.Resampling != wantMode || (fixed > 0 && c.Resamples != fixed) || c.Resamples < 2000 || !(c.MCError >= 0) {
			t.Fatalf("resamples %d, mode %q, Monte Carlo error %v; want %q", c.Resamples, c.Resampling, c.MCError, wantMode)
		}
		o := stats.BootstrapOptions{Resamples: c.Resamples, Seed: pol.Statistics.Seed, Level: 1 - 2*pol.Alpha}
		base, cand := armOf(in.Paired, 0), armOf(in.Paired, 1)
		cluster := in.Paired.ClusterIndex()
		o.NullRatio = pol.Cost.MaxRatio
		br := stats.BootstrapRatio(stats.RatioData{CostB: base.cost, AccB: base.acc, CostC: cand.cost, AccC: cand.acc, Cluster: cluster}, o)
		if br.Lo != c.CILow || br.Hi != c.CIHigh {
			t.Errorf("cost interval [%v, %v], alone [%v, %v]", c.CILow, c.CIHigh, br.Lo, br.Hi)
		}
		ones := make([]float64, len(base.acc))
		for i := range ones {
			ones[i] = 1
		}
		o.NullRatio = 1
		for k, a := range []arm{base, cand} {
			tr := stats.BootstrapRatio(stats.RatioData{CostB: ones, AccB: ones, CostC: a.cost, AccC: a.acc, Cluster: cluster}, o)
			if tr.Lo != d.Tiers[k].CPALow || tr.Hi != d.Tiers[k].CPAHigh {
				t.Errorf("tier %d interval [%v, %v], alone [%v, %v]", k, d.Tiers[k].CPALow, d.Tiers[k].CPAHigh, tr.Lo, tr.Hi)
			}
		}
		q := stats.BootstrapQuantiles(latencySamples(base, cluster), latencySamples(cand, cluster), 0.95, o)
		l := d.Latency
		if q.B.Lo != l.BaselineP95Low || q.C.Hi != l.CandidateP95High || l.IntervalMethod != IntervalBootstrap {
			t.Errorf("latency [%v, …] … %v by %s, alone [%v, …] … %v", l.BaselineP95Low, l.CandidateP95High, l.IntervalMethod, q.B.Lo, q.C.Hi)
		}
	}
}

// TestAdaptiveStopsWhenDecided: the example's cost ratio is far below its
// limit, so adaptive resampling stops after the first batch; with the
// limit at the lower end of the ratio's BCa interval (where the test
// turns from not established to missed) it draws to the cap.
func TestAdaptiveStopsWhenDecided(t *testing.T) {
	t.Parallel()
	in := passInput(t)
	pol := DefaultPolicy()
	d, err := Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cost.Resamples != 2000 || !d.Cost.Met {
		t.Errorf("clear pass: %d draws, met %v; want 2000, met", d.Cost.Resamples, d.Cost.Met)
	}
	pol.Statistics.MaxResamples = 6000
	pol.Cost.MaxRatio = d.Cost.CILow
	d, err = Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cost.Resamples != 6000 || d.Cost.MCError <= 0 {
		t.Errorf("p-value %v at the threshold: %d draws, Monte Carlo error %v; want the cap of 6000", d.Cost.PValue, d.Cost.Resamples, d.Cost.MCError)
	}
}

// TestLargeGRule: without the bootstrap (cost.method delta, as above
// 200 000 clusters), nothing is resampled: the tiers use the delta method
// and the latency intervals Woodruff's.
func TestLargeGRule(t *testing.T) {
	t.Parallel()
	in := passInput(t)
	pol := DefaultPolicy()
	pol.Cost.Method = "delta"
	d, err := Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cost.Resamples != 0 || d.Cost.Resampling != "" || !math.IsNaN(d.Cost.MCError) {
		t.Errorf("delta method: %d resamples, mode %q, error %v", d.Cost.Resamples, d.Cost.Resampling, d.Cost.MCError)
	}
	base, cand := armOf(in.Paired, 0), armOf(in.Paired, 1)
	cluster := in.Paired.ClusterIndex()
	w := stats.WoodruffQuantiles(latencySamples(base, cluster), latencySamples(cand, cluster), 0.95, 1-2*pol.Alpha)
	l := d.Latency
	if l.IntervalMethod != IntervalWoodruff || l.BaselineP95Low != w.B.Lo || l.CandidateP95High != w.C.Hi {
		t.Errorf("latency by %s [%v, …] … %v; Woodruff [%v, …] … %v", l.IntervalMethod, l.BaselineP95Low, l.CandidateP95High, w.B.Lo, w.C.Hi)
	}
	ones := make([]float64, len(base.acc))
	for i := range ones {
		ones[i] = 1
	}
	dr := stats.DeltaRatio(stats.RatioData{CostB: ones, AccB: ones, CostC: base.cost, AccC: base.acc, Cluster: cluster}, 1, 1-2*pol.Alpha)
	if d.Tiers[0].CPALow != dr.Lo || d.Tiers[0].CPAHigh != dr.Hi {
		t.Errorf("tier interval [%v, %v], delta method [%v, %v]", d.Tiers[0].CPALow, d.Tiers[0].CPAHigh, dr.Lo, dr.Hi)
	}
}
