package stats

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A panic inside a bootstrap worker reaches the caller's goroutine, where
// the command line turns it into an internal error instead of the process
// dying with the runtime's exit status.
func TestForBlocksCarriesPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
	}()
	forBlocks(5*blockSize, 1, func(_ *randSource, lo, _ int) {
		if lo == 2*blockSize {
			panic("boom")
		}
	})
	t.Error("forBlocks returned normally")
}

// TestDrawCounts checks that a draw takes G clusters, that the counts
// follow the multinomial law (mean 1, variance 1 − 1/G per cluster), and
// that counts past 255 are carried in over.
func TestDrawCounts(t *testing.T) {
	t.Parallel()
	for _, G := range []int{1, 2, 7, 300, 5000} {
		counts := make([]uint8, G)
		src := blockSource(3, G)
		var sum, sq float64
		const draws = 400
		for k := 0; k < draws; k++ {
			over := drawCounts(src, counts, nil)
			total := 256 * len(over)
			for _, c := range counts {
				total += int(c)
				sum += float64(c)
				sq += float64(c) * float64(c)
			}
			if total != G {
				t.Fatalf("G = %d: a draw took %d clusters", G, total)
			}
		}
		n := float64(G * draws)
		mean, variance := sum/n, sq/n-(sum/n)*(sum/n)
		if G > 1 && (math.Abs(mean-1) > 1e-12 || math.Abs(variance-(1-1/float64(G))) > 6*math.Sqrt(2/n)) {
			t.Errorf("G = %d: count mean %v, variance %v; want 1 and %v", G, mean, variance, 1-1/float64(G))
		}
	}
}

// TestEvaluateOverflow checks a draw whose count passed 255 (kept as the
// low byte plus one entry in over per wrap): its totals and quantiles are
// those of the full counts.
func TestEvaluateOverflow(t *testing.T) {
	t.Parallel()
	const G = 400
	rs := NewResampler(G)
	x, cl := make([]float64, G), make([]int, G)
	for g := range x {
		x[g], cl[g] = float64(g%17)+0.5, g
	}
	rs.Ratio(RatioData{CostB: x, AccB: x, CostC: x, AccC: x, Cluster: cl})
	q := rs.Quantile(Samples{X: x, Cluster: cl}, 0.95)
	rs.totals = make([]float64, len(rs.cols))
	rs.qs = [][]float64{{0}}
	// Cluster 3 drawn 300 times (44 + 256), cluster 5 100 times.
	s := &drawScratch{counts: make([]uint8, G), over: []int32{3}}
	s.counts[3], s.counts[5] = 44, 100
	rs.evaluate(0, s)
	wantSum := 300*x[3] + 100*x[5]
	for k, v := range rs.totals {
		if k != rs.arms[q.arm].count && v != wantSum {
			t.Errorf("column %d total %v, want %v", k, v, wantSum)
		}
	}
	if got := rs.totals[rs.arms[q.arm].count]; got != 400 {
		t.Errorf("sample count %v, want 400", got)
	}
	// 300 copies of 3.5 and 100 of 5.5: the p95 is 5.5.
	if rs.qs[0][0] != 5.5 {
		t.Errorf("p95 %v, want 5.5", rs.qs[0][0])
	}
}

// TestResamplerShared checks that statistics registered together see the
// same draws as each on its own: one Resampler for a ratio and both arms'
// quantiles gives the results of BootstrapRatio and BootstrapQuantiles.
func TestResamplerShared(t *testing.T) {
	t.Parallel()
	d := randomRatioData(rand.New(rand.NewPCG(11, 12)), 150, 0.9)
	lat := Samples{X: d.CostB, Cluster: d.Cluster}
	lat2 := Samples{X: d.CostC, Cluster: d.Cluster}
	o := BootstrapOptions{Resamples: 3000, Seed: 5, Level: 0.9, NullRatio: 1.1}
	rs := NewResampler(150)
	ratio := rs.Ratio(d)
	qb, qc := rs.Quantile(lat, 0.95), rs.Quantile(lat2, 0.95)
	if err := rs.Run(ResampleOptions{Seed: 5, Resamples: 3000}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(BootstrapRatio(d, o), ratio.Result(0.9, 1.1), cmp.Comparer(errorText)); diff != "" {
		t.Errorf("ratio differs from BootstrapRatio (-alone +shared):\n%s", diff)
	}
	if diff := cmp.Diff(BootstrapQuantiles(lat, lat2, 0.95, o), rs.Quantiles(qb, qc, 0.9), cmp.Comparer(errorText)); diff != "" {
		t.Errorf("quantiles differ from BootstrapQuantiles (-alone +shared):\n%s", diff)
	}
}

func errorText(a, b error) bool { return a.Error() == b.Error() }

// adaptive runs adaptive resampling on d with a deciding test at α.
func adaptive(d RatioData, G int, null, alpha float64, maxB int) (*Resampler, BootstrapResult) {
	rs := NewResampler(G)
	s := rs.Ratio(d)
	rs.Decides(s, null, alpha, 1-alpha)
	if err := rs.Run(ResampleOptions{Seed: 9, MaxResamples: maxB}); err != nil {
		panic(err)
	}
	return rs, s.Result(0.9, null)
}

// TestAdaptiveResampling checks adaptive resampling: a clear decision
// stops after the first batch, a p-value at the threshold draws to the
// cap, the draws are the first ones of a fixed run (so the result is that
// of a fixed run of the same size), and the count does not depend on
// GOMAXPROCS.
func TestAdaptiveResampling(t *testing.T) {
	// Not parallel: changes GOMAXPROCS.
	d := randomRatioData(rand.New(rand.NewPCG(21, 22)), 200, 0.7)
	rs, clear := adaptive(d, 200, 1, 0.05, 10000)
	if rs.Resamples() != lookEvery || !rs.Settled() || clear.P > 0.01 {
		t.Errorf("clear pass: %d draws, settled %v, p %v; want %d draws", rs.Resamples(), rs.Settled(), clear.P, lookEvery)
	}
	// A null ratio at the upper end of the 90% BCa interval puts p at 0.05.
	near := BootstrapRatio(d, BootstrapOptions{Resamples: 20000, Seed: 9, Level: 0.9, NullRatio: 1})
	rs, atAlpha := adaptive(d, 200, near.Hi, 0.05, 10000)
	if rs.Resamples() != 10000 || rs.Settled() {
		t.Errorf("p = %v at α: %d draws, settled %v; want the cap of 10000, unsettled", atAlpha.P, rs.Resamples(), rs.Settled())
	}
	if atAlpha.MCError <= 0 || atAlpha.MCError > 0.01 {
		t.Errorf("Monte Carlo error %v of p = %v at B = 10000", atAlpha.MCError, atAlpha.P)
	}
	fixed := BootstrapRatio(d, BootstrapOptions{Resamples: lookEvery, Seed: 9, Level: 0.9, NullRatio: 1})
	fixed.MCError, clear.MCError = 0, 0
	if diff := cmp.Diff(fixed, clear, cmp.Comparer(errorText)); diff != "" {
		t.Errorf("adaptive run that stopped at %d draws differs from a fixed run of %d:\n%s", lookEvery, lookEvery, diff)
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	_, one := adaptive(d, 200, near.Hi, 0.05, 10000)
	for _, procs := range []int{2, 5} {
		runtime.GOMAXPROCS(procs)
		if _, got := adaptive(d, 200, near.Hi, 0.05, 10000); !cmp.Equal(one, got, cmp.Comparer(errorText)) {
			t.Errorf("GOMAXPROCS=%d: adaptive result differs", procs)
		}
	}
}

// TestAdaptiveRisk checks the promise of adaptive resampling on data sets
// whose p-values lie near α: the decision it stops with is the decision
// of 50 000 draws, but for at most a few data sets (the bound is a
// probability of 0.001 per data set; near-ties with the reference, where
// 50 000 draws do not settle the decision either, are not counted).
func TestAdaptiveRisk(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(31, 32))
	const sets = 100
	differ, early := 0, 0
	for i := 0; i < sets; i++ {
		G := 30 + rng.IntN(40)
		d := randomRatioData(rng, G, 0.75+0.2*rng.Float64())
		m, _ := compactClusters(d.Cluster)
		d.Cluster = m[0]
		ref := BootstrapRatio(d, BootstrapOptions{Resamples: 50000, Seed: uint64(i), Level: 0.9, NullRatio: 1})
		rs, got := adaptive(d, G, 1, 0.05, 10000)
		if rs.Resamples() < 10000 {
			early++
		}
		if (got.P <= 0.05) != (ref.P <= 0.05) && math.Abs(ref.P-0.05) > 3*ref.MCError {
			differ++
			t.Logf("set %d: adaptive p %v after %d draws, reference p %v ± %v", i, got.P, rs.Resamples(), ref.P, ref.MCError)
		}
	}
	t.Logf("%d of %d data sets stopped early", early, sets)
	if differ > 1 {
		t.Errorf("%d of %d adaptive decisions differ from 50 000 draws", differ, sets)
	}
	if early < sets/2 {
		t.Errorf("only %d of %d data sets stopped early", early, sets)
	}
}

// TestResamplerStops checks that a done context stops the draws and Run
// returns its error.
func TestResamplerStops(t *testing.T) {
	t.Parallel()
	d := randomRatioData(rand.New(rand.NewPCG(1, 1)), 500, 0.9)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rs := NewResampler(500)
	rs.Ratio(d)
	if err := rs.Run(ResampleOptions{Seed: 1, Resamples: 100 * blockSize, Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v", err)
	}
}
