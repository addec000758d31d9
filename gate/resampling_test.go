package gate

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

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
// statistic bootstrapped alone with that many draws and the same seed. The
// decision also names the draws of the quality and workflow tests' wild
// bootstrap and how they were chosen.
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
		// The wild bootstrap of the clustered tests draws on its own, by
		// the same rules: every p-value of the example is clear.
		dq, wantDraws := d.Quality, map[int]int{0: adaptiveFirst, 3000: 3000}[fixed]
		if dq.Method != "cluster-t" || dq.Resamples != wantDraws || dq.Resampling != wantMode {
			t.Errorf("quality (%s): %d draws, %q; want %d, %q", dq.Method, dq.Resamples, dq.Resampling, wantDraws, wantMode)
		}
		for _, s := range d.Segments {
			if s.Tested && s.Resamples != wantDraws {
				t.Errorf("segment %s: %d draws, want %d", s.Name, s.Resamples, wantDraws)
			}
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

// TestWildSettled: the wild bootstrap's p-value is settled when its
// Monte Carlo interval leaves every threshold on one side.
func TestWildSettled(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p    float64
		B    int
		ths  []float64
		want bool
	}{
		{0.0005, 2000, []float64{0.05}, true},
		{0.3, 2000, []float64{0.05}, true},
		{0.049, 2000, []float64{0.05}, false},
		{0.052, 2000, []float64{0.05}, false},
		{0.03, 2000, []float64{0.05, 0.025, 0.0167}, false}, // Holm's levels over 3 tests
		{0.2, 2000, nil, true},
		// k = 39 of 2 000: Wilson's upper end at z = 3.48 is 0.0335, so p
		// stays below 0.0341.
		{0.02, 2000, []float64{0.05}, true},
	} {
		if got := wildSettled(tc.p, tc.B, tc.ths); got != tc.want {
			t.Errorf("p = %v, B = %d, thresholds %v: settled %v, want %v", tc.p, tc.B, tc.ths, got, tc.want)
		}
	}
}

// TestClusteredTestRules: how many draws the clustered test's wild
// bootstrap makes. A fixed statistics.resamples makes exactly that many;
// adaptive, a clear result keeps its first 2 000, one whose Monte Carlo
// interval straddles an open threshold draws max_resamples, a threshold
// CR2's p-value already exceeds is not open, and weight vectors that fit
// within max_resamples are all enumerated; above bootstrapMaxClusters CR2
// decides alone. The p-value is always the larger of CR2's and that of a
// wild bootstrap run alone with the expected number of draws.
func TestClusteredTestRules(t *testing.T) {
	t.Parallel()
	// data returns G clusters of 3 cases whose differences shift by s.
	data := func(G int, s float64) ([]float64, []int) {
		d, cl := make([]float64, 3*G), make([]int, 3*G)
		for i := range d {
			d[i], cl[i] = float64((i*7)%11)/10-0.5+s, i/3
		}
		return d, cl
	}
	for _, tc := range []struct {
		name       string
		G          int
		shift      float64
		resamples  int // statistics.resamples (0: adaptive)
		max        int // statistics.max_resamples (0: the default)
		thresholds []float64
		wantDraws  int
		// wantCR2Below: whether CR2's p-value is at most the first
		// threshold (the test's precondition).
		wantCR2Below bool
	}{
		{name: "clear", G: 40, shift: 0.2, thresholds: []float64{0.05}, wantDraws: 2000, wantCR2Below: true},
		{name: "near α", G: 40, shift: 0.028, thresholds: []float64{0.05}, wantDraws: 10000, wantCR2Below: true},
		{name: "near α, max 20 000", G: 40, shift: 0.028, max: 20000, thresholds: []float64{0.05}, wantDraws: 20000, wantCR2Below: true},
		{name: "near α, CR2 above it", G: 40, shift: 0.026, thresholds: []float64{0.05}, wantDraws: 2000},
		{name: "near a Holm level", G: 40, shift: 0.028, thresholds: []float64{0.1, 0.05}, wantDraws: 10000, wantCR2Below: true},
		{name: "fixed", G: 40, shift: 0.028, resamples: 3000, thresholds: []float64{0.05}, wantDraws: 3000, wantCR2Below: true},
		{name: "4 clusters: 6^4 vectors", G: 4, shift: 0.1, thresholds: []float64{0.05}, wantDraws: 1296},
		{name: "5 clusters: 6^5 vectors within max", G: 5, shift: 0.1, thresholds: []float64{0.05}, wantDraws: 7776},
		{name: "5 clusters, fixed below 6^5", G: 5, shift: 0.1, resamples: 3000, thresholds: []float64{0.05}, wantDraws: 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, cl := data(tc.G, tc.shift)
			pol := DefaultPolicy()
			pol.Statistics.Resamples = tc.resamples
			if tc.max > 0 {
				pol.Statistics.MaxResamples = tc.max
			}
			cr := stats.ClusterCR2(d, cl, 0, 0.9)
			if below := cr.PUpper <= tc.thresholds[0]; below != tc.wantCR2Below {
				t.Fatalf("CR2's p-value %v: at most %v is %v, the case needs %v", cr.PUpper, tc.thresholds[0], below, tc.wantCR2Below)
			}
			got, _, draws := clusteredTest(context.Background(), d, cl, 0, pol, true, tc.thresholds...)
			if draws != tc.wantDraws {
				t.Errorf("%d draws, want %d", draws, tc.wantDraws)
			}
			w := stats.WildClusterT(d, cl, 0, stats.BootstrapOptions{Resamples: tc.wantDraws, Seed: pol.Statistics.Seed, Level: 0.9})
			if want := math.Max(cr.PUpper, w.PUpper); got != want {
				t.Errorf("p %v, want %v (CR2 %v, wild bootstrap alone with %d draws %v)", got, want, cr.PUpper, tc.wantDraws, w.PUpper)
			}
		})
	}
}

// TestClusteredTestAboveCap: above bootstrapMaxClusters clusters the wild
// bootstrap draws nothing and CR2 decides alone.
func TestClusteredTestAboveCap(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: 200 001 clusters")
	}
	big := bootstrapMaxClusters + 1
	d, cl := make([]float64, big), make([]int, big)
	for i := range d {
		d[i], cl[i] = float64(i%7)/10-0.25, i
	}
	cr := stats.ClusterCR2(d, cl, 0, 0.9)
	if got, _, draws := clusteredTest(context.Background(), d, cl, 0, DefaultPolicy(), true, 0.05); got != cr.PUpper || draws != 0 {
		t.Errorf("above the cap: p %v with %d draws, want CR2's %v with none", got, draws, cr.PUpper)
	}
}

// TestSegmentHolmLevels: the thresholds the workflows' wild bootstrap is
// settled against.
func TestSegmentHolmLevels(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]float64{0.05, 0.025, 0.05 / 3}, holmLevels(0.05, 3)); diff != "" {
		t.Errorf("Holm's levels (-want +got)\n%s", diff)
	}
}

// TestWildAdaptiveRisk checks the promise of the wild bootstrap's adaptive
// draws on data sets whose p-values lie near α: the decision it stops with
// is the decision of 50 000 draws, but for at most a few data sets (the
// bound is a probability of 0.001 per data set; near-ties with the
// reference, which 50 000 draws do not settle either, are not counted).
func TestWildAdaptiveRisk(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(41, 42))
	const sets = 100
	pol := DefaultPolicy()
	differ, early := 0, 0
	for i := range sets {
		G := 30 + rng.IntN(40)
		d, cl := make([]float64, 3*G), make([]int, 3*G)
		for j := range d {
			// A cluster effect and skewed case noise.
			d[j], cl[j] = float64(j/3%5)/5+rng.ExpFloat64(), j/3
		}
		ct := stats.ClusterT(d, cl, 0, 0.9)
		// The margin puts the clustered t statistic near its 5% point.
		m := mean(d) - (1.45+0.5*rng.Float64())*ct.SE
		pol.Statistics.Seed = uint64(i)
		got, cr, draws := clusteredTest(context.Background(), d, cl, m, pol, true, pol.Alpha)
		if draws < pol.Statistics.MaxResamples {
			early++
		}
		ref := stats.WildClusterT(d, cl, m, stats.BootstrapOptions{Resamples: 50000, Seed: uint64(i), Level: 0.9}).PUpper
		refP := math.Max(cr.PUpper, ref)
		se := math.Sqrt(ref * (1 - ref) / 50000)
		if (got <= pol.Alpha) != (refP <= pol.Alpha) && math.Abs(ref-pol.Alpha) > 3*se {
			differ++
			t.Logf("set %d: adaptive p %v after %d draws, reference p %v (wild %v ± %v)", i, got, draws, refP, ref, se)
		}
	}
	t.Logf("%d of %d data sets stopped early", early, sets)
	if differ > 1 {
		t.Errorf("%d of %d adaptive decisions differ from 50 000 draws", differ, sets)
	}
	if early < sets/4 || early == sets {
		t.Errorf("%d of %d data sets stopped early: the data sets are not near α", early, sets)
	}
}
