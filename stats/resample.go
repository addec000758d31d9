package stats

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// The clustered bootstrap engine.
//
// A Resampler draws the bootstrap resamples of a run once, for every
// statistic registered with it: the cost ratio, each tier's cost per
// accepted outcome, the latency quantiles. A draw takes G clusters with
// replacement and is kept as how often it took each cluster (one byte per
// cluster). Every ratio statistic is a function of column totals (the
// arms' costs and acceptances summed per cluster beforehand), so a draw
// costs one pass over the clusters for all of them; the totals of every
// draw are kept (a few floats each), and each statistic's bootstrap
// distribution is read from them afterwards. Quantiles scan their arm's
// sorted samples from the nearer end with the draw's counts.
//
// Draws come in blocks of blockSize, block b from its own generator seeded
// from (seed, b): draw k is the same whatever the number of goroutines, the
// order blocks finish in, or how many draws are made in all, so a run that
// stops early (adaptive resampling) has exactly the first draws of one
// that does not.

// blockSize is the number of draws that share one generator.
const blockSize = 250

// lookEvery is the number of draws between two looks of adaptive
// resampling.
const lookEvery = 2000

// DefaultMonteCarloRisk bounds the probability that adaptive resampling
// stops with a decision that more draws would have reversed.
const DefaultMonteCarloRisk = 0.001

// randSource is the generator of one block of draws: xoshiro256++
// (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
// ACM Transactions on Mathematical Software 47(4), 2021), seeded by
// SplitMix64 as its authors recommend. It passes the BigCrush and PractRand
// batteries and costs a fraction of a 128-bit PCG step.
type randSource struct{ s0, s1, s2, s3 uint64 }

// Uint64 returns the next 64 random bits.
func (x *randSource) Uint64() uint64 {
	r := bits.RotateLeft64(x.s0+x.s3, 23) + x.s0
	t := x.s1 << 17
	x.s2 ^= x.s0
	x.s3 ^= x.s1
	x.s1 ^= x.s2
	x.s0 ^= x.s3
	x.s2 ^= t
	x.s3 = bits.RotateLeft64(x.s3, 45)
	return r
}

// mix64 is the SplitMix64 finalizer (Steele, Lea & Flood 2014).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// blockSource returns the generator of block b for seed: its state is four
// consecutive outputs of the SplitMix64 sequence started at a mix of seed
// and b (never all zero: mix64 is a bijection and the four inputs differ).
func blockSource(seed uint64, b int) *randSource {
	z := mix64(seed^0x6a09e667f3bcc909) + mix64(uint64(b)+0x9e3779b97f4a7c15)
	next := func() uint64 {
		z += 0x9e3779b97f4a7c15
		return mix64(z)
	}
	return &randSource{next(), next(), next(), next()}
}

// intN returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method on 64 random bits.
func intN(src *randSource, n uint64) int {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return int(hi)
}

// drawCounts sets counts[g] to how often a draw of len(counts) clusters
// with replacement takes cluster g. Each index is uniform by Lemire's
// multiply-and-reject method on 32 random bits ("Fast random integer
// generation in an interval", ACM TOMACS 29(1), 2019), two per 64-bit
// output. A count wraps at 256: each wrap appends the cluster to over,
// which drawCounts returns (a draw of G < 256 clusters never wraps; a
// larger one essentially never does).
func drawCounts(src *randSource, counts []uint8, over []int32) []int32 {
	G := len(counts)
	if G == 0 {
		return over
	}
	g := uint64(G)
	thresh := uint32(-uint32(G)) % uint32(G)
	clear(counts)
	n := 0
	for n < G {
		u := src.Uint64()
		if m := (u & 0xffffffff) * g; uint32(m) >= thresh {
			h := m >> 32
			c := counts[h] + 1
			counts[h] = c
			if c == 0 {
				over = append(over, int32(h))
			}
			if n++; n == G {
				break
			}
		}
		if m := (u >> 32) * g; uint32(m) >= thresh {
			h := m >> 32
			c := counts[h] + 1
			counts[h] = c
			if c == 0 {
				over = append(over, int32(h))
			}
			n++
		}
	}
	return over
}

// weight is a draw's per-cluster count: one byte normally, four when a
// count passed 255.
type weight interface{ ~uint8 | ~uint32 }

// columnTotals sets out[k] = Σ_g w[g]·cols[k][g] for every column, each
// summed in cluster order. The totals of the draw that takes every cluster
// once are therefore the plain column sums, bit for bit (a weight 1 adds
// exactly the value), so such a draw reproduces the estimate exactly. The
// explicit conversions keep the compiler from fusing multiply and add,
// which would make the totals differ between machines.
func columnTotals[W weight](w []W, cols [][]float64, out []float64) {
	// One pass sums up to six columns: the additions of different
	// columns do not wait for each other, so a pass costs about the same
	// for one column as for six.
	for k := 0; k < len(cols); {
		n := min(6, len(cols)-k)
		if n == 6 && len(cols)-k == 7 {
			n = 4 // 4 + 3 rather than 6 + 1
		}
		c, o := cols[k:k+n], out[k:k+n]
		switch n {
		case 6:
			o[0], o[1], o[2], o[3], o[4], o[5] = sum6(w, c[0], c[1], c[2], c[3], c[4], c[5])
		case 5:
			o[0], o[1], o[2], o[3], o[4] = sum5(w, c[0], c[1], c[2], c[3], c[4])
		case 4:
			o[0], o[1], o[2], o[3] = sum4(w, c[0], c[1], c[2], c[3])
		case 3:
			o[0], o[1], o[2] = sum3(w, c[0], c[1], c[2])
		case 2:
			o[0], o[1] = sum2(w, c[0], c[1])
		default:
			o[0] = sum1(w, c[0])
		}
		k += n
	}
}

// sum1 … sum6 return Σ_g w[g]·col[g] for one to six columns. They are
// written out one by one on purpose: a loop over the columns inside the
// loop over the clusters keeps the sums in memory rather than in
// registers, and costs twice as much.
func sum1[W weight](w []W, a []float64) (sa float64) {
	a = a[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
	}
	return sa
}

func sum2[W weight](w []W, a, b []float64) (sa, sb float64) {
	a, b = a[:len(w)], b[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
		sb += float64(v * b[g])
	}
	return sa, sb
}

func sum3[W weight](w []W, a, b, c []float64) (sa, sb, sc float64) {
	a, b, c = a[:len(w)], b[:len(w)], c[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
		sb += float64(v * b[g])
		sc += float64(v * c[g])
	}
	return sa, sb, sc
}

func sum4[W weight](w []W, a, b, c, d []float64) (sa, sb, sc, sd float64) {
	a, b, c, d = a[:len(w)], b[:len(w)], c[:len(w)], d[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
		sb += float64(v * b[g])
		sc += float64(v * c[g])
		sd += float64(v * d[g])
	}
	return sa, sb, sc, sd
}

func sum5[W weight](w []W, a, b, c, d, e []float64) (sa, sb, sc, sd, se float64) {
	a, b, c, d, e = a[:len(w)], b[:len(w)], c[:len(w)], d[:len(w)], e[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
		sb += float64(v * b[g])
		sc += float64(v * c[g])
		sd += float64(v * d[g])
		se += float64(v * e[g])
	}
	return sa, sb, sc, sd, se
}

func sum6[W weight](w []W, a, b, c, d, e, f []float64) (sa, sb, sc, sd, se, sf float64) {
	a, b, c, d, e, f = a[:len(w)], b[:len(w)], c[:len(w)], d[:len(w)], e[:len(w)], f[:len(w)]
	for g, x := range w {
		v := float64(x)
		sa += float64(v * a[g])
		sb += float64(v * b[g])
		sc += float64(v * c[g])
		sd += float64(v * d[g])
		se += float64(v * e[g])
		sf += float64(v * f[g])
	}
	return sa, sb, sc, sd, se, sf
}

// A Resampler draws the clustered bootstrap resamples of one run once and
// evaluates on them every statistic registered with it (methods.md §3 and
// §7): register the statistics, Run, then read each result. The clusters
// are 0..G−1; a statistic need not have data in every cluster. A Resampler
// is not safe for concurrent registration.
type Resampler struct {
	g     int
	cols  [][]float64
	arms  []quantArm
	tests []decidingTest
	ran   bool
	// After Run: the number of draws, each draw's column totals
	// (draw-major) and each quantile arm's value per draw.
	b       int
	totals  []float64
	qs      [][]float64
	seed    uint64
	settled bool
	z       float64 // the per-look z of adaptive resampling
	// progress and drawn report the draws made (ResampleOptions.Progress).
	progress func(int)
	drawn    atomic.Int64
}

// quantArm is a quantile statistic's arm: its sorted samples, the column
// holding its sample count per cluster, and the probability.
type quantArm struct {
	sorted armSorter
	count  int
	prob   float64
}

// decidingTest is a ratio test whose decision adaptive resampling waits
// for: the BCa p-value against each threshold.
type decidingTest struct {
	stat       *RatioStat
	nullRatio  float64
	thresholds []float64
}

// NewResampler returns a Resampler over G clusters. It panics when G < 0
// or G >= 2³².
func NewResampler(G int) *Resampler {
	if G < 0 || uint64(G) >= 1<<32 {
		panic(fmt.Sprintf("stats: NewResampler G = %d out of range", G))
	}
	return &Resampler{g: G}
}

// G returns the number of clusters.
func (r *Resampler) G() int { return r.g }

func (r *Resampler) checkOpen(fn string) {
	if r.ran {
		panic("stats: " + fn + " after Run")
	}
}

// column adds the per-cluster sums of x (summed in case order) as a
// column, or returns an existing column with the same sums.
func (r *Resampler) column(x []float64, cluster []int) int {
	s := r.sums(x, cluster)
	if s == nil {
		panic(fmt.Sprintf("stats: a cluster index outside [0, %d)", r.g))
	}
	return r.addColumn(s)
}

// sums returns the per-cluster sums of x, or nil when a cluster index is
// outside 0..G−1.
func (r *Resampler) sums(x []float64, cluster []int) []float64 {
	s := make([]float64, r.g)
	for i, c := range cluster {
		if c < 0 || c >= r.g {
			return nil
		}
		s[c] += x[i]
	}
	return s
}

// findColumn returns the registered column equal to s, or −1.
func (r *Resampler) findColumn(s []float64) int {
	if s == nil {
		return -1
	}
	for k, c := range r.cols {
		if slices.Equal(c, s) {
			return k
		}
	}
	return -1
}

// present counts the clusters that hold at least one case.
func (r *Resampler) present(cluster []int) int {
	seen := make([]bool, r.g)
	n := 0
	for _, c := range cluster {
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	return n
}

func (r *Resampler) addColumn(s []float64) int {
	if k := r.findColumn(s); k >= 0 {
		return k
	}
	r.cols = append(r.cols, s)
	return len(r.cols) - 1
}

// A RatioStat is the ratio of costs per accepted outcome of RatioData,
// registered with a Resampler.
type RatioStat struct {
	r              *Resampler
	cB, aB, cC, aC int // columns
	n              int // cases
	present        int // clusters holding at least one case
}

// Ratio registers the cost ratio of d (BootstrapRatio's statistic, with
// d.Cluster in 0..G−1). It panics on malformed data.
func (r *Resampler) Ratio(d RatioData) *RatioStat {
	r.checkOpen("Ratio")
	n := d.check("Resampler.Ratio")
	s := &RatioStat{r: r, n: n}
	s.cB = r.column(d.CostB, d.Cluster)
	s.aB = r.column(d.AccB, d.Cluster)
	s.cC = r.column(d.CostC, d.Cluster)
	s.aC = r.column(d.AccC, d.Cluster)
	s.present = r.present(d.Cluster)
	return s
}

// Existing returns the cost ratio of d over the Resampler's draws when
// each of its per-cluster columns is already one of the registered
// statistics' (a ratio of arms already resampled), even after Run; else
// nil.
func (r *Resampler) Existing(d RatioData) *RatioStat {
	n := d.check("Resampler.Existing")
	find := func(x []float64) int { return r.findColumn(r.sums(x, d.Cluster)) }
	st := &RatioStat{r: r, n: n, cB: find(d.CostB), aB: find(d.AccB), cC: find(d.CostC), aC: find(d.AccC)}
	if st.cB < 0 || st.aB < 0 || st.cC < 0 || st.aC < 0 {
		return nil
	}
	st.present = r.present(d.Cluster)
	return st
}

// ratioFromSums registers a ratio from per-cluster sums directly.
func (r *Resampler) ratioFromSums(per []ratioSums) *RatioStat {
	col := func(f func(ratioSums) float64) int {
		c := make([]float64, len(per))
		for g, p := range per {
			c[g] = f(p)
		}
		return r.addColumn(c)
	}
	return &RatioStat{r: r, present: len(per),
		cB: col(func(p ratioSums) float64 { return p.cB }), aB: col(func(p ratioSums) float64 { return p.aB }),
		cC: col(func(p ratioSums) float64 { return p.cC }), aC: col(func(p ratioSums) float64 { return p.aC })}
}

// Decides makes adaptive resampling wait until the Monte Carlo error of
// the statistic's BCa p-value (for H1 ρ < nullRatio) cannot move it
// across any of the thresholds: see Run.
func (r *Resampler) Decides(s *RatioStat, nullRatio float64, thresholds ...float64) {
	r.checkOpen("Decides")
	checkNullRatio("Resampler.Decides", nullRatio)
	r.tests = append(r.tests, decidingTest{s, nullRatio, slices.Clone(thresholds)})
}

// A QuantileStat is the prob quantile of one arm's samples, registered
// with a Resampler.
type QuantileStat struct {
	r   *Resampler
	arm int
	n   int
}

// Quantile registers the type-7 prob quantile of s (clusters in 0..G−1).
// It panics on mismatched lengths, NaN samples or prob outside [0, 1].
func (r *Resampler) Quantile(s Samples, prob float64) *QuantileStat {
	r.checkOpen("Quantile")
	if !(prob >= 0 && prob <= 1) {
		panic(fmt.Sprintf("stats: Resampler.Quantile probability %v outside [0, 1]", prob))
	}
	checkSamples("Resampler.Quantile", s)
	ones := make([]float64, len(s.X))
	for i := range ones {
		ones[i] = 1
	}
	count := r.column(ones, s.Cluster)
	r.arms = append(r.arms, quantArm{sorted: newArm(s.X, s.Cluster, r.g), count: count, prob: prob})
	return &QuantileStat{r: r, arm: len(r.arms) - 1, n: len(s.X)}
}

// ResampleOptions configure Run.
type ResampleOptions struct {
	// Seed seeds the draws.
	Seed uint64
	// Resamples, when positive, is the fixed number B of draws.
	// Otherwise resampling is adaptive, up to MaxResamples draws.
	Resamples int
	// MaxResamples caps adaptive resampling (0: DefaultResamples).
	MaxResamples int
	// Risk bounds the probability that adaptive resampling stops with a
	// decision more draws would reverse (0: DefaultMonteCarloRisk).
	Risk float64
	// Context, when not nil, stops the draws once it is done; Run then
	// returns its error.
	Context context.Context
	// Progress, when not nil, is called with the number of draws made so
	// far as blocks finish, from the goroutines that draw them. It only
	// reports: the draws do not depend on it.
	Progress func(draws int)
}

// Run draws the resamples and evaluates every registered statistic on
// them.
//
// With a fixed B it makes B draws. Adaptive resampling draws lookEvery
// (2 000) at a time, up to MaxResamples, and after each batch looks at
// every statistic registered with Decides: the batch settles the test
// when the test's BCa p-value stays on one side of each of its thresholds
// over the Monte Carlo uncertainty of the two bootstrap proportions it is
// computed from, F̂(θ0) and F̂(θ̂) — their Wilson intervals at z, with z
// the normal quantile at 1 − Risk/(4L) for L looks (Bonferroni over the
// looks, the two proportions and both sides). Drawing stops at the first
// look that settles every test, so the probability that the decision
// differs from the one an unlimited number of draws would give is at most
// Risk. Without a deciding test, one batch is drawn. Whether to stop
// depends only on the data, the seed and the options, never on timing or
// the number of cores.
//
// Run may be called once. It returns the context's error when the
// context is done before the draws are.
func (r *Resampler) Run(o ResampleOptions) error {
	r.checkOpen("Run")
	r.ran = true
	r.seed = o.Seed
	maxB := o.MaxResamples
	if maxB == 0 {
		maxB = DefaultResamples
	}
	risk := o.Risk
	if risk == 0 {
		risk = DefaultMonteCarloRisk
	}
	if o.Resamples < 0 || maxB < 1 || !(risk > 0 && risk < 1) {
		panic(fmt.Sprintf("stats: Resampler.Run options %+v out of range", o))
	}
	looks := (maxB + lookEvery - 1) / lookEvery
	r.z = NormalQuantile(1 - risk/float64(4*looks))
	r.qs = make([][]float64, len(r.arms))
	r.progress = o.Progress
	var done <-chan struct{}
	if o.Context != nil {
		done = o.Context.Done()
	}
	if o.Resamples > 0 {
		if err := r.draw(done, o.Resamples); err != nil {
			return contextErr(o.Context, err)
		}
		r.settled = r.allSettled()
		return nil
	}
	for {
		if err := r.draw(done, min(r.b+lookEvery, maxB)); err != nil {
			return contextErr(o.Context, err)
		}
		if r.settled = r.allSettled(); r.settled || r.b >= maxB {
			return nil
		}
	}
}

func contextErr(ctx context.Context, err error) error {
	if ctx != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

var errStopped = fmt.Errorf("stats: resampling stopped")

// Resamples returns the number of draws Run made.
func (r *Resampler) Resamples() int { return r.b }

// Settled reports whether, at the last look, the Monte Carlo error could
// not move any deciding test's p-value across its thresholds.
func (r *Resampler) Settled() bool { return r.settled }

// draw extends the draws to B.
func (r *Resampler) draw(done <-chan struct{}, B int) error {
	K := len(r.cols)
	from := r.b
	if B <= from {
		return nil
	}
	r.totals = slices.Grow(r.totals, (B-from)*K)[:B*K]
	for a := range r.arms {
		r.qs[a] = slices.Grow(r.qs[a], B-from)[:B]
	}
	if r.g == 0 {
		for k := from; k < B; k++ {
			for a := range r.arms {
				r.qs[a][k] = math.NaN()
			}
		}
		r.b = B
		return nil
	}
	first, last := from/blockSize, (B+blockSize-1)/blockSize
	err := forBlockRange(done, first, last, func(b int, scratch *drawScratch) {
		src := blockSource(r.seed, b)
		hi := min((b+1)*blockSize, B)
		for k := b * blockSize; k < hi; k++ {
			// Draws before from were made in an earlier batch: the
			// generator still steps through them.
			scratch.over = drawCounts(src, scratch.counts, scratch.over[:0])
			if k < from {
				continue
			}
			r.evaluate(k, scratch)
		}
		if r.progress != nil {
			r.progress(int(r.drawn.Add(int64(hi - max(b*blockSize, from)))))
		}
	}, r.g)
	if err != nil {
		return err
	}
	r.b = B
	return nil
}

// drawScratch is one worker's memory for a draw.
type drawScratch struct {
	counts []uint8
	over   []int32
	wide   []uint32
}

// evaluate computes draw k's column totals and quantiles from its counts.
func (r *Resampler) evaluate(k int, s *drawScratch) {
	K := len(r.cols)
	out := r.totals[k*K : (k+1)*K]
	if len(s.over) == 0 {
		columnTotals(s.counts, r.cols, out)
		for a := range r.arms {
			r.qs[a][k] = armQuantile(&r.arms[a].sorted, s.counts, int(out[r.arms[a].count]), r.arms[a].prob)
		}
		return
	}
	if s.wide == nil {
		s.wide = make([]uint32, r.g)
	}
	for g, c := range s.counts {
		s.wide[g] = uint32(c)
	}
	for _, g := range s.over {
		s.wide[g] += 256
	}
	columnTotals(s.wide, r.cols, out)
	for a := range r.arms {
		r.qs[a][k] = armQuantile(&r.arms[a].sorted, s.wide, int(out[r.arms[a].count]), r.arms[a].prob)
	}
}

// forBlockRange runs fn for blocks [first, last) on up to GOMAXPROCS
// goroutines, each with its own scratch memory for G clusters. It stops
// taking blocks once done is closed and returns errStopped then; a panic
// in fn reaches the caller.
func forBlockRange(done <-chan struct{}, first, last int, fn func(b int, s *drawScratch), G int) error {
	nb := last - first
	if nb <= 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), nb)
	var next atomic.Int64
	var stopped atomic.Bool
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A panic in a worker would end the process before the
				// caller could report it; carry it back instead.
				if p := recover(); p != nil {
					once.Do(func() { crash = p })
					next.Store(int64(nb))
				}
			}()
			s := &drawScratch{counts: make([]uint8, G)}
			for {
				i := int(next.Add(1) - 1)
				if i >= nb {
					return
				}
				select {
				case <-done:
					stopped.Store(true)
					next.Store(int64(nb))
					return
				default:
				}
				fn(first+i, s)
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
	if stopped.Load() {
		return errStopped
	}
	return nil
}

// forBlocks runs fn over the draws [0, B) in blocks of blockSize, each
// with its own generator derived from (seed, block), on up to GOMAXPROCS
// goroutines; fn must write only to per-draw slots of its range.
func forBlocks(B int, seed uint64, fn func(src *randSource, lo, hi int)) {
	forBlocksUntil(nil, B, seed, fn)
}

// forBlocksUntil is forBlocks that starts no block once done is closed,
// leaving the remaining draws unset (the caller then discards them).
func forBlocksUntil(done <-chan struct{}, B int, seed uint64, fn func(src *randSource, lo, hi int)) {
	forBlockRange(done, 0, (B+blockSize-1)/blockSize, func(b int, _ *drawScratch) {
		lo := b * blockSize
		fn(blockSource(seed, b), lo, min(lo+blockSize, B))
	}, 0)
}

// allSettled reports whether every deciding test is settled at this look.
func (r *Resampler) allSettled() bool {
	for _, t := range r.tests {
		bt := t.stat.boot()
		if bt == nil {
			continue
		}
		lo, hi := bt.pRange(t.nullRatio, r.z)
		for _, th := range t.thresholds {
			if lo <= th && th < hi {
				return false
			}
		}
	}
	return true
}

// totalsOf returns the stat's four column totals of draw k.
func (s *RatioStat) totalsOf(k int) ratioSums {
	K := len(s.r.cols)
	t := s.r.totals[k*K : (k+1)*K]
	return ratioSums{t[s.cB], t[s.aB], t[s.cC], t[s.aC]}
}

// sums returns the per-cluster sums and their totals, as a draw that
// takes every cluster once sums them.
func (s *RatioStat) sums() (per []ratioSums, tot ratioSums) {
	c := s.r.cols
	per = make([]ratioSums, s.r.g)
	for g := range per {
		per[g] = ratioSums{c[s.cB][g], c[s.aB][g], c[s.cC][g], c[s.aC][g]}
	}
	ones := make([]uint8, s.r.g)
	for g := range ones {
		ones[g] = 1
	}
	out := make([]float64, len(c))
	columnTotals(ones, c, out)
	return per, ratioSums{out[s.cB], out[s.aB], out[s.cC], out[s.aC]}
}

// boot returns the finished bootstrap of the statistic over the draws so
// far, or nil with fewer than two clusters.
func (s *RatioStat) boot() *ratioBoot {
	if s.present < 2 {
		return nil
	}
	per, tot := s.sums()
	theta := make([]float64, s.r.b)
	for k := range theta {
		theta[k] = logRatio(s.totalsOf(k))
	}
	bt := finishRatioBoot(theta, per, tot)
	return &bt
}

// Result returns the BCa bootstrap test of the ratio against nullRatio,
// with the interval at level, over the Resampler's draws (BootstrapRatio
// describes it). It panics before Run.
func (s *RatioStat) Result(level, nullRatio float64) BootstrapResult {
	if !s.r.ran {
		panic("stats: RatioStat.Result before Run")
	}
	checkLevel("RatioStat.Result", level)
	checkNullRatio("RatioStat.Result", nullRatio)
	_, tot := s.sums()
	r := BootstrapResult{Resamples: s.r.b, Seed: s.r.seed, Level: level, NullRatio: nullRatio, N: s.n, G: s.present}
	r.Theta = logRatio(tot)
	r.Ratio = math.Exp(r.Theta)
	if s.n == 0 {
		r.Warnings = append(r.Warnings, ErrEmpty)
	}
	r.Warnings = append(r.Warnings, sumsWarnings(tot)...)
	if s.present < 2 {
		if s.n > 0 {
			r.Warnings = append(r.Warnings, fmt.Errorf("%w: G = %d", ErrFewClusters, s.present))
		}
		r.P, r.Lo, r.Hi = 1, 0, math.Inf(1)
		r.Resamples = 0
		return r
	}
	bt := s.boot()
	r.Z0, r.Accel = bt.z0, bt.accel
	if !bt.jackFinite {
		r.Warnings = append(r.Warnings, ErrDegenerateJackknife)
	}
	if bt.theta[0] == bt.theta[len(bt.theta)-1] {
		r.Warnings = append(r.Warnings, fmt.Errorf("%w: every bootstrap estimate equals %v", ErrZeroSE, bt.theta[0]))
	}
	r.Lo, r.Hi = bt.interval(level)
	r.P = bt.p(nullRatio)
	lo, hi := bt.pRange(nullRatio, 1)
	r.MCError = (hi - lo) / 2
	return r
}

// Quantiles returns the quantiles of two registered arms and of their
// ratio C/B, each with its percentile-bootstrap interval at level, over
// the Resampler's draws (BootstrapQuantiles describes them). Either arm
// may be nil (no samples). Both arms must use the same probability. It
// panics before Run.
func (r *Resampler) Quantiles(b, c *QuantileStat, level float64) QuantileResult {
	if !r.ran {
		panic("stats: Resampler.Quantiles before Run")
	}
	checkLevel("Resampler.Quantiles", level)
	res := QuantileResult{Resamples: r.b, Seed: r.seed, Level: level, G: r.g}
	nan := math.NaN()
	est := func(q *QuantileStat) (float64, []float64) {
		if q == nil {
			v := make([]float64, r.b)
			for k := range v {
				v[k] = nan
			}
			return nan, v
		}
		a := &r.arms[q.arm]
		res.Prob = a.prob
		ones := make([]uint8, r.g)
		for g := range ones {
			ones[g] = 1
		}
		return armQuantile(&a.sorted, ones, q.n, a.prob), r.qs[q.arm]
	}
	estB, qb := est(b)
	estC, qc := est(c)
	if b != nil && c != nil && r.arms[b.arm].prob != r.arms[c.arm].prob {
		panic("stats: Resampler.Quantiles arms with different probabilities")
	}
	res.B.Est, res.C.Est, res.Ratio.Est = estB, estC, estC/estB
	if b == nil || b.n == 0 {
		res.Warnings = append(res.Warnings, fmt.Errorf("%w: baseline samples", ErrEmpty))
	}
	if c == nil || c.n == 0 {
		res.Warnings = append(res.Warnings, fmt.Errorf("%w: candidate samples", ErrEmpty))
	}
	if r.g == 0 {
		res.B = Interval{nan, nan, nan}
		res.C, res.Ratio = res.B, res.B
		res.Resamples = 0
		return res
	}
	ratio := make([]float64, r.b)
	for k := range ratio {
		ratio[k] = qc[k] / qb[k]
	}
	lo, hi := (1-level)/2, (1+level)/2
	var dropped bool
	pct := func(est float64, v []float64) Interval {
		v = slices.DeleteFunc(slices.Clone(v), math.IsNaN)
		if len(v) < r.b {
			dropped = true
		}
		if len(v) == 0 {
			return Interval{est, nan, nan}
		}
		slices.Sort(v)
		return Interval{est, Quantile7(v, lo), Quantile7(v, hi)}
	}
	res.B = pct(res.B.Est, qb)
	res.C = pct(res.C.Est, qc)
	res.Ratio = pct(res.Ratio.Est, ratio)
	if dropped {
		res.Warnings = append(res.Warnings, fmt.Errorf("%w: some bootstrap draws had no sample in an arm and were left out", ErrEmpty))
	}
	return res
}

// compactClusters maps the non-negative cluster indices used in the given
// index slices to 0..G−1 in ascending order of the original index, and
// returns the mapped slices (the given ones when they are compact
// already; callers only read them) and G. It panics on a negative index.
func compactClusters(lists ...[]int) (mapped [][]int, G int) {
	maxc := -1
	for _, l := range lists {
		for _, c := range l {
			if c < 0 {
				panic("stats: negative cluster index")
			}
			maxc = max(maxc, c)
		}
	}
	// Already compact (every index of 0..max used, as the paired cases'
	// cluster indices are): the lists themselves.
	used := make([]bool, maxc+1)
	for _, l := range lists {
		for _, c := range l {
			used[c] = true
		}
	}
	if !slices.Contains(used, false) {
		return lists, maxc + 1
	}
	id := make([]int, maxc+1)
	for i := range id {
		id[i] = -1
	}
	for _, l := range lists {
		for _, c := range l {
			id[c] = 0
		}
	}
	for c := range id {
		if id[c] == 0 {
			id[c] = G
			G++
		}
	}
	mapped = make([][]int, len(lists))
	for k, l := range lists {
		m := make([]int, len(l))
		for i, c := range l {
			m[i] = id[c]
		}
		mapped[k] = m
	}
	return mapped, G
}
