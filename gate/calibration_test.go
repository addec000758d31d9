package gate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// Gate-level calibration by simulation. The stats package checks each test
// function on its own (stats/calibration_test.go); this test checks the
// rules the gate applies, through qualityTest, costTest, scorecard.Pair and
// the power plans: the method the gate picks, the margin, the intersection
// rules, the zero-variance and unmatched-case rules.
//
// Every row is checked, in the default run too, and every check can fail
// both ways:
//
//   - Null rows generate data exactly at the margin boundary (Δ = m, ρ = r)
//     and check the pass rate against its bound + 3 Monte Carlo SE. The
//     bound is α for the rules the gate relies on; rows marked "warned"
//     (a setting the report warns about) or "stress" (heavily skewed costs)
//     have a bound above α, stated in the row, which they have to keep.
//   - Power rows check the pass rate under a real effect against the power
//     the gate's own planning formula predicts, within a stated tolerance
//   - 3 SE: a test that lost its power fails them.
//   - Coverage rows check the share of intervals that miss the truth.
//
// The table's last column is the drift the row detects: a rate that far
// beyond its bound (or its tolerance) fails the check with probability at
// least 0.8 ((3 + 0.84) SE). The default run takes about 20 s on 2 cores;
// FTGATE_CALIBRATION=long runs about ten times as many data sets and
// writes testdata/oracle/calibration_gate.md:
//
//	FTGATE_CALIBRATION=long go test ./gate -run GateCalibration -timeout 120m -v
const calAlpha = 0.05

// calibrationLong reports whether the long simulations were asked for.
func calibrationLong() bool { return os.Getenv("FTGATE_CALIBRATION") == "long" }

// A gateCal is one row of the calibration table.
type gateCal struct {
	test, setting string
	// short and long are the repetitions of the default and the long run.
	short, long int
	kind        string // "null", "power" or "coverage"
	// bound is the largest pass rate a null row (or miss rate a coverage
	// row) may have; note says why it is above α ("warned", "stress").
	bound float64
	note  string
	// predicted and tol are a power row's prediction and tolerance, and
	// formula names the prediction.
	predicted, tol float64
	formula        string
	// run simulates one data set and reports whether the gate's test is
	// met (the interval misses, for coverage rows); extra is a per-data-set
	// number summarised by its median (NaN: none).
	run       func(rng *rand.Rand) (hit bool, extra float64)
	extraName string
}

func (c gateCal) se(reps int) float64 {
	p := c.bound
	if c.kind == "power" {
		p = c.predicted
	}
	return math.Sqrt(p * (1 - p) / float64(reps))
}

// detectable is the drift beyond the bound (or the tolerance) that fails
// the check with probability 0.8.
func (c gateCal) detectable(reps int) float64 {
	d := (3 + 0.8416) * c.se(reps)
	if c.kind == "power" {
		d += c.tol
	}
	return d
}

// calPolicy is the default policy with a modest bootstrap and a fresh seed.
func calPolicy(rng *rand.Rand) Policy {
	pol := DefaultPolicy()
	pol.Statistics.Resamples = 499
	pol.Statistics.Seed = rng.Uint64()
	return pol
}

// shape is the minimal paired structure qualityTest looks at: n cases, G
// clusters, up to K samples per case.
func shape(n, G, K int) *scorecard.Paired {
	return &scorecard.Paired{Cases: make([]scorecard.Case, n), Clusters: make([]string, G), MaxSamples: K}
}

// costDesign draws data for the cost test: G clusters of 1..maxSize cases
// (or exactly sizes[g] when sizes is set), K samples per case and arm. A
// sample is accepted with probability 0.6 (baseline) or 0.7 (candidate),
// the two arms sharing their uniform half the time; its cost is lognormal
// with log-sd sigma times a cluster factor with log-sd csig, independent of
// acceptance, and the candidate's costs are scaled by rho·0.7/0.6. The
// population cost per accepted outcome of the candidate is then rho times
// the baseline's.
type costDesign struct {
	G, maxSize, K int
	sizes         []int
	sigma, csig   float64
	rho           float64
}

func (cd costDesign) draw(rng *rand.Rand) (base, cand arm, cluster []int) {
	const pB, pC = 0.6, 0.7
	k := float64(cd.K)
	for g := 0; g < cd.G; g++ {
		ce := math.Exp(cd.csig * rng.NormFloat64())
		var size int
		if cd.sizes != nil {
			size = cd.sizes[g]
		} else {
			size = 1 + rng.IntN(cd.maxSize)
		}
		for j := size; j > 0; j-- {
			var aB, aC, cB, cC float64
			for s := 0; s < cd.K; s++ {
				u := rng.Float64()
				aB += b2f(u < pB)
				if rng.Float64() < 0.5 {
					u = rng.Float64()
				}
				aC += b2f(u < pC)
				cB += ce * math.Exp(cd.sigma*rng.NormFloat64())
				cC += cd.rho * pC / pB * ce * math.Exp(cd.sigma*rng.NormFloat64())
			}
			base.acc = append(base.acc, aB/k)
			cand.acc = append(cand.acc, aC/k)
			base.cost = append(base.cost, cB/k)
			cand.cost = append(cand.cost, cC/k)
			cluster = append(cluster, g)
		}
	}
	base.hasCost, cand.hasCost = true, true
	return base, cand, cluster
}

func (cd costDesign) String() string {
	s := fmt.Sprintf("ρ = %g = r, ", cd.rho)
	switch {
	case cd.sizes != nil:
		s += fmt.Sprintf("G = %d clusters, one holding %d of %d cases", cd.G, cd.sizes[0], sum(cd.sizes))
	case cd.maxSize == 1 && cd.csig == 0:
		s += fmt.Sprintf("n = %d unclustered cases", cd.G)
	default:
		s += fmt.Sprintf("G = %d clusters of 1–%d cases", cd.G, cd.maxSize)
	}
	if cd.K > 1 {
		s += fmt.Sprintf(", K = %d", cd.K)
	}
	return s + fmt.Sprintf(", cost log-sd %g", cd.sigma)
}

func sum(x []int) int {
	s := 0
	for _, v := range x {
		s += v
	}
	return s
}

// costRow is a null row of the cost rule.
func costRow(method string, cd costDesign, short, long int, bound float64, note string) gateCal {
	name := "cost delta (t, G − 1 df)"
	if method == "bootstrap" {
		name = "cost bootstrap ∧ delta (B = 499)"
	}
	return gateCal{
		test: name, setting: cd.String(), short: short, long: long, kind: "null", bound: bound, note: note,
		run: func(rng *rand.Rand) (bool, float64) {
			pol := calPolicy(rng)
			pol.Cost.Method = method
			base, cand, cl := cd.draw(rng)
			return costTest(&Decision{}, base, cand, cl, pol).Met, math.NaN()
		},
	}
}

// pairedSingle draws n single-sample unclustered pairs with
// P(C=1, B=0) = q12 and P(C=0, B=1) = q21.
func pairedSingle(rng *rand.Rand, n int, q12, q21 float64) (base, cand arm, cluster []int) {
	base.acc, cand.acc, cluster = make([]float64, n), make([]float64, n), make([]int, n)
	for i := 0; i < n; i++ {
		cluster[i] = i
		u := rng.Float64()
		switch {
		case u < q12:
			cand.acc[i] = 1
		case u < q12+q21:
			base.acc[i] = 1
		case u < 0.5+q12+q21:
			base.acc[i], cand.acc[i] = 1, 1
		}
	}
	return base, cand, cluster
}

// twoState is a clustered design for the quality test: clusters of the
// given sizes (G of k when sizes is nil), K samples per case and arm. A
// cluster is easy or hard with probability ½; the baseline accepts a
// sample with probability pB (0.75 easy, 0.35 hard) and the candidate with
// pB + gain ∓ spread (easy: the smaller gain), the arms independent given
// the cluster. The mean gain is gain on every case; the gain varying by
// cluster is what makes clusters matter. With independent set, the
// candidate's cluster is easy or hard independently of the baseline's (the
// planning assumption of PlanPowerFromBaseline), with the same gain.
type twoState struct {
	G, k, K      int
	sizes        []int
	gain, spread float64
	independent  bool
}

func (ts twoState) probs(hard bool) (pB, pC float64) {
	if hard {
		return 0.35, 0.35 + ts.gain + ts.spread
	}
	return 0.75, 0.75 + ts.gain - ts.spread
}

// sigma2Deff returns, for equal clusters of k, the population variance σ²
// of a case's difference d = a_C − a_B and the design effect
// 1 + (k − 1)·c/σ², c = spread² being the covariance of two cases of a
// cluster.
func (ts twoState) sigma2Deff() (sigma2, deff float64) {
	K := float64(ts.K)
	for _, hard := range []bool{false, true} {
		pB, pC := ts.probs(hard)
		sigma2 += 0.5 * (pB*(1-pB) + pC*(1-pC)) / K
	}
	c := ts.spread * ts.spread
	sigma2 += c
	return sigma2, 1 + float64(ts.k-1)*c/sigma2
}

func (ts twoState) sizeOf(g int) int {
	if ts.sizes != nil {
		return ts.sizes[g]
	}
	return ts.k
}

func (ts twoState) clusters() int {
	if ts.sizes != nil {
		return len(ts.sizes)
	}
	return ts.G
}

func (ts twoState) draw(rng *rand.Rand) (base, cand arm, cluster []int) {
	K := float64(ts.K)
	for g := 0; g < ts.clusters(); g++ {
		hard := rng.IntN(2) == 1
		pB, pC := ts.probs(hard)
		if ts.independent {
			_, pC = ts.probs(rng.IntN(2) == 1)
		}
		for j := 0; j < ts.sizeOf(g); j++ {
			var aB, aC float64
			for s := 0; s < ts.K; s++ {
				aB += b2f(rng.Float64() < pB)
				aC += b2f(rng.Float64() < pC)
			}
			base.acc = append(base.acc, aB/K)
			cand.acc = append(cand.acc, aC/K)
			cluster = append(cluster, g)
		}
	}
	return base, cand, cluster
}

// oneBig returns G cluster sizes, the first big and the others small.
func oneBig(G, big, small int) []int {
	s := []int{big}
	for i := 1; i < G; i++ {
		s = append(s, small)
	}
	return s
}

// qualityRow is a row of the quality test on data from draw with G
// clusters of up to K samples a case; the gate must pick method.
func qualityRow(kind, method, setting string, m float64, K, G, short, long int, draw func(*rand.Rand) (arm, arm, []int)) gateCal {
	return gateCal{
		test: method, setting: setting, short: short, long: long, kind: kind, bound: calAlpha,
		run: func(rng *rand.Rand) (bool, float64) {
			pol := calPolicy(rng)
			pol.Quality.MinGain = m
			base, cand, cl := draw(rng)
			q, err := qualityTest(context.Background(), shape(len(cl), G, K), base, cand, cl, pol)
			if err != nil {
				panic(err)
			}
			if q.Method != method && !(method == "tango-exact" && q.Method == "tango") {
				panic("quality method " + q.Method + ", want " + method)
			}
			return q.Met, math.NaN()
		},
	}
}

// atTheMargin draws G clusters of three cases with seven samples each whose
// cluster means of the differences are all exactly 2/7, reached by
// accepting (a1, a2, a3) of seven with a1 + a2 + a3 = 6 in a random order:
// zero variance, but the float sums land a little above or below 2/7.
func atTheMargin(G int) func(*rand.Rand) (arm, arm, []int) {
	return func(rng *rand.Rand) (base, cand arm, cluster []int) {
		for g := 0; g < G; g++ {
			a := 6
			var parts []int
			for j := 0; j < 2; j++ {
				x := rng.IntN(min(a, 5) + 1)
				parts = append(parts, x)
				a -= x
			}
			parts = append(parts, a)
			rng.Shuffle(3, func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
			for _, x := range parts {
				base.acc = append(base.acc, 0)
				cand.acc = append(cand.acc, float64(x)/7)
				cluster = append(cluster, g)
			}
		}
		return base, cand, cluster
	}
}

// unmatchedRow: n single-sample pairs at Δ = 0 (ψ = 0.2), the candidate's
// harness losing the row of each failed case with probability lose. The
// scorecards go through scorecard.Pair with the policy's options, as the
// command line pairs them.
func unmatchedRow(n int, lose float64, mode string, short, long int, bound float64, note string) gateCal {
	return gateCal{
		test: "unmatched: " + mode, kind: "null", bound: bound, note: note, short: short, long: long,
		setting: fmt.Sprintf("Δ = 0 = m, ψ = 0.2, n = %d; %.0f%% of the candidate's failed cases have no row", n, 100*lose),
		run: func(rng *rand.Rand) (bool, float64) {
			pol := calPolicy(rng)
			pol.Pairing.AllowUnmatched, pol.Pairing.Unmatched = true, mode
			b, c := &scorecard.Scorecard{Source: "b"}, &scorecard.Scorecard{Source: "c"}
			cost := 1.0
			for i := 0; i < n; i++ {
				u := rng.Float64()
				accB, accC := u < 0.1 || u >= 0.2 && u < 0.6, u < 0.2 && u >= 0.1 || u >= 0.2 && u < 0.6
				id := fmt.Sprintf("c%04d", i)
				b.Samples = append(b.Samples, scorecard.Sample{ID: id, Accepted: accB, CostUSD: &cost})
				if accC || rng.Float64() >= lose {
					c.Samples = append(c.Samples, scorecard.Sample{ID: id, Accepted: accC, CostUSD: &cost})
				}
			}
			p, err := scorecard.Pair([]*scorecard.Scorecard{b, c}, PairOptions(pol, 1))
			if err != nil {
				panic(err)
			}
			q, err := qualityTest(context.Background(), p, armOf(p, 0), armOf(p, 1), p.ClusterIndex(), pol)
			if err != nil {
				panic(err)
			}
			return q.Met, math.NaN()
		},
	}
}

// costPlanVariance of the cost-plan row's design: n·SE² of the delta
// method's log ratio on one very large data set, the truth the plan is
// checked against.
func trueCostVariance(cd costDesign) float64 {
	big := cd
	big.G = 400000
	base, cand, cl := big.draw(rand.New(rand.NewPCG(1, 2)))
	dr := stats.DeltaRatio(stats.RatioData{CostB: base.cost, AccB: base.acc, CostC: cand.cost, AccC: cand.acc, Cluster: cl}, 1, 0.9)
	return float64(dr.N) * dr.SE * dr.SE
}

// tangoExactPower returns the power of the gate's exact Tango test at n
// pairs with cells p10, p01 by enumerating every outcome.
func tangoExactPower(n int, p10, p01, m float64) float64 {
	var total float64
	psi := p10 + p01
	for d := 0; d <= n; d++ {
		pd := math.Exp(lchoose(n, d) + float64(d)*math.Log(psi) + float64(n-d)*math.Log1p(-psi))
		if pd < 1e-13 {
			continue
		}
		// The exact p-value falls as b grows at fixed d: sum down from
		// b = d while the test rejects.
		for b := d; b >= 0 && tangoExactUpper(b, d-b, n, m) <= calAlpha; b-- {
			total += pd * math.Exp(lchoose(d, b)+float64(b)*math.Log(p10/psi)+float64(d-b)*math.Log(p01/psi))
		}
	}
	return total
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

func gateCalibrationRows() []gateCal {
	const n = 300
	rows := []gateCal{
		qualityRow("null", "mcnemar-exact", fmt.Sprintf("Δ = 0 = m, ψ = 0.2, n = %d", n), 0, 1, n, 8000, 100000,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, n, 0.1, 0.1) }),
		qualityRow("null", "tango", fmt.Sprintf("Δ = −0.05 = m, q12 = .075, q21 = .125, n = %d", n), -0.05, 1, n, 8000, 100000,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, n, 0.075, 0.125) }),
		// Non-inferiority with the margin of the issue that made the
		// policy exit 2 (its power row is below).
		qualityRow("null", "tango", fmt.Sprintf("non-inferiority: Δ = −0.03 = m, ψ = 0.2, n = %d", n), -0.03, 1, n, 8000, 100000,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, n, 0.085, 0.115) }),
		// A positive margin with few discordant pairs: the normal
		// reference passed 7–8% here.
		qualityRow("null", "tango-exact", fmt.Sprintf("Δ = 0.02 = m, ψ = 0.025, n = %d", n), 0.02, 1, n, 8000, 100000,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, n, 0.0225, 0.0025) }),
		qualityRow("null", "tango-exact", "Δ = 0.05 = m, ψ = 0.1, n = 100", 0.05, 1, 100, 8000, 100000,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, 100, 0.075, 0.025) }),
	}
	ct := func(setting string, m float64, ts twoState, short, long int) gateCal {
		return qualityRow("null", "cluster-t", setting, m, ts.K, ts.clusters(), short, long, ts.draw)
	}
	rows = append(rows,
		ct("Δ = 0.02 = m, G = 60 clusters of 3 cases, K = 2, gain ± 0.11 by cluster", 0.02, twoState{G: 60, k: 3, K: 2, gain: 0.02, spread: 0.11}, 8000, 100000),
		ct("Δ = 0.02 = m, 30 clusters, one holding 58 of 116 cases, K = 2, same gain", 0.02, twoState{sizes: oneBig(30, 58, 2), K: 2, gain: 0.02}, 8000, 100000),
		ct("Δ = 0.02 = m, 30 clusters, one holding 58 of 116 cases, K = 2, gain ± 0.11", 0.02, twoState{sizes: oneBig(30, 58, 2), K: 2, gain: 0.02, spread: 0.11}, 8000, 100000),
		ct("Δ = 0.02 = m, 100 clusters, one holding 86 of 284 cases, K = 2, gain ± 0.11", 0.02, twoState{sizes: oneBig(100, 86, 2), K: 2, gain: 0.02, spread: 0.11}, 4000, 50000),
		ct("Δ = 0.02 = m, 6 clusters of 4 cases, K = 2, gain ± 0.11", 0.02, twoState{G: 6, k: 4, K: 2, gain: 0.02, spread: 0.11}, 8000, 100000),
		qualityRow("null", "cluster-t", "Δ = 2/7 = m in every one of 6 clusters of 3 cases (K = 7), equal up to rounding", 2.0/7, 7, 6, 8000, 100000, atTheMargin(6)),
		unmatchedRow(200, 0.4, "candidate-fails", 5000, 100000, calAlpha, ""),
	)

	unclustered := func(n int) costDesign { return costDesign{G: n, maxSize: 1, K: 1, sigma: 0.6, rho: 1} }
	clustered := func(G int) costDesign { return costDesign{G: G, maxSize: 3, K: 2, sigma: 0.6, csig: 0.5, rho: 1} }
	heavy := func(G int) costDesign { return costDesign{G: G, maxSize: 3, K: 1, sigma: 1, csig: 0.5, rho: 1} }
	rows = append(rows,
		costRow("bootstrap", unclustered(100), 8000, 100000, calAlpha, ""),
		costRow("bootstrap", clustered(100), 8000, 100000, calAlpha, ""),
		costRow("bootstrap", clustered(400), 2000, 40000, calAlpha, ""),
		// The delta method alone decides only above 200 000 clusters (or
		// when forced); at a few hundred clusters with repeated samples it
		// runs about 0.2 points over α, consistently, so its rows there
		// are held to α + 0.005.
		costRow("delta", unclustered(100), 8000, 100000, calAlpha+0.005, "delta alone"),
		costRow("delta", clustered(100), 8000, 100000, calAlpha+0.005, "delta alone"),
		costRow("delta", clustered(400), 4000, 100000, calAlpha+0.005, "delta alone"),
		// Below 100 effective clusters the gate warns; the rule must
		// still stay within a point of α there. The BCa bootstrap alone
		// passes about 7.4% at 20 clusters.
		costRow("bootstrap", clustered(20), 8000, 100000, calAlpha+0.01, "warned"),
		costRow("bootstrap", unclustered(30), 8000, 100000, calAlpha+0.01, "warned"),
		costRow("bootstrap", clustered(30), 8000, 100000, calAlpha+0.01, "warned"),
		costRow("delta", unclustered(30), 8000, 100000, calAlpha+0.01, "warned"),
		costRow("delta", clustered(30), 8000, 100000, calAlpha+0.01, "warned"),
		costRow("bootstrap", costDesign{G: 30, sizes: oneBig(30, 58, 2), K: 2, sigma: 0.6, csig: 0.5, rho: 1}, 4000, 50000, calAlpha+0.01, "warned"),
		costRow("bootstrap", heavy(50), 4000, 100000, calAlpha+0.01, "stress"),
		costRow("bootstrap", heavy(100), 4000, 100000, calAlpha+0.01, "stress"),
		costRow("bootstrap", heavy(200), 2000, 40000, calAlpha+0.01, "stress"),
		costRow("delta", heavy(100), 4000, 100000, calAlpha+0.01, "stress"),
		costRow("delta", heavy(400), 2000, 100000, calAlpha+0.01, "stress"),
	)
	return append(rows, gatePowerRows()...)
}

// gatePowerRows are the rows that fail when a rule loses its power, and
// the plans' rows.
func gatePowerRows() []gateCal {
	var rows []gateCal
	single := func(name string, nn int, q12, q21, m, pred, tol float64, formula string, short, long int) gateCal {
		r := qualityRow("power", name, fmt.Sprintf("Δ = %.3f, ψ = %.3f, m = %+.2f, n = %d", q12-q21, q12+q21, m, nn), m, 1, nn, short, long,
			func(rng *rand.Rand) (arm, arm, []int) { return pairedSingle(rng, nn, q12, q21) })
		r.predicted, r.tol, r.formula = pred, tol, formula
		return r
	}
	// Exact McNemar at Connor's n for 80%; the exact test is below α and
	// its power correspondingly lower (tolerance 0.04).
	nC := int(math.Ceil(stats.ConnorN(0.2, 0.05, calAlpha, 0.8)))
	rows = append(rows, single("mcnemar-exact", nC, 0.125, 0.075, 0, stats.ConnorPower(0.2, 0.05, nC, calAlpha), 0.04, "Connor", 4000, 50000))
	// Tango with a margin at Nam's n for 80%.
	nN := int(math.Ceil(stats.ConnorNMargin(0.2, 0.05, -0.05, calAlpha, 0.8)))
	rows = append(rows, single("tango", nN, 0.125, 0.075, -0.05, stats.ConnorPowerMargin(0.2, 0.05, -0.05, nN, calAlpha), 0.02, "Nam", 4000, 50000))
	// Non-inferiority planned as the gate does by default: no true
	// difference (power.effect 0), margin −0.03.
	nI := int(math.Ceil(stats.ConnorNMargin(0.2, 0, -0.03, calAlpha, 0.8)))
	rows = append(rows, single("tango", nI, 0.1, 0.1, -0.03, stats.ConnorPowerMargin(0.2, 0, -0.03, nI, calAlpha), 0.02, "Nam, default effect 0", 4000, 50000))
	// The exact Tango test's power by enumeration of every outcome.
	rows = append(rows, single("tango-exact", 100, 0.09, 0.01, 0.02, tangoExactPower(100, 0.09, 0.01, 0.02), 0, "exact enumeration", 4000, 50000))

	// The clustered test at ClusterN's n for 80% with the design's true σ²
	// and design effect; the rule needs CR2 and the wild bootstrap to
	// reject (tolerance 0.03: the normal formula with z, both halves).
	pw := twoState{k: 3, K: 2, gain: 0.06, spread: 0.11}
	const margin = 0.02
	s2, deff := pw.sigma2Deff()
	need := stats.ClusterN(s2, deff, pw.gain-margin, calAlpha, 0.8)
	pw.G = int(math.Ceil(need / float64(pw.k)))
	nPow := pw.G * pw.k
	r := qualityRow("power", "cluster-t", fmt.Sprintf("Δ = %.2f, m = %.2f, G = %d clusters of %d cases (n = %d, ClusterN at 80%% with σ² = %.4f, deff = %.3f), K = %d",
		pw.gain, margin, pw.G, pw.k, nPow, s2, deff, pw.K), margin, pw.K, pw.G, 2000, 50000, pw.draw)
	r.predicted = stats.ClusterPower(s2, deff, pw.gain-margin, nPow, calAlpha)
	r.tol, r.formula, r.extraName = 0.03, "ClusterN", "gate's cases needed (median)"
	r.run = func(rng *rand.Rand) (bool, float64) {
		pol := calPolicy(rng)
		pol.Quality.MinGain = margin
		pol.Power.Target = 0.8
		pol.Power.Effect = &pw.gain
		base, cand, cl := pw.draw(rng)
		q, err := qualityTest(context.Background(), shape(len(cl), pw.G, pw.K), base, cand, cl, pol)
		if err != nil {
			panic(err)
		}
		return q.Met, powerAnalysis(&Decision{}, q, math.NaN(), len(cl), pol).CasesNeeded
	}
	rows = append(rows, r)

	// The plan before a candidate exists: plan from a large baseline of
	// the independent-arms design, then run the gate at the planned n.
	rows = append(rows, baselinePlanRow())
	// The cost plan: the rule's pass rate at the n stats.RatioN asks for
	// at 80% with the design's true variance.
	rows = append(rows, costPlanRow())
	// The schema-valid rate's interval over clusters.
	rows = append(rows, validCoverageRow())
	return rows
}

func baselinePlanRow() gateCal {
	ts := twoState{k: 3, K: 2, gain: 0.05, independent: true}
	const effect = 0.05
	// A large baseline sets the plan (its estimates are then close to the
	// truth).
	big := ts
	big.G = 3000
	base, _, cl := big.draw(rand.New(rand.NewPCG(3, 4)))
	sc := &scorecard.Scorecard{Source: "b"}
	for i := range base.acc {
		for s := 0; s < ts.K; s++ {
			sc.Samples = append(sc.Samples, scorecard.Sample{ID: fmt.Sprintf("c%05d", i), Sample: s, Cluster: fmt.Sprintf("k%04d", cl[i]),
				Accepted: float64(s) < base.acc[i]*float64(ts.K)})
		}
	}
	pol := DefaultPolicy()
	pol.Power.Target = 0.8
	pol.Power.Effect = ptrFloat(effect)
	plan, err := PlanPowerFromBaseline(sc, pol)
	if err != nil {
		panic(err)
	}
	ts.G = int(math.Ceil(plan.CasesNeeded / float64(ts.k)))
	return gateCal{
		test: "plan without a candidate (cluster-t)", kind: "power", predicted: 0.8, tol: 0.03, formula: "the plan's target", short: 1500, long: 30000,
		setting: fmt.Sprintf("Δ = %.2f, m = 0, independent arms, clusters of %d cases, K = %d; planned from 9000 baseline cases: σ² = %.4f, deff = %.3f, n = %.0f (G = %d)",
			effect, ts.k, ts.K, plan.Sigma2, plan.DEff, plan.CasesNeeded, ts.G),
		run: func(rng *rand.Rand) (bool, float64) {
			pol := calPolicy(rng)
			b, c, cl := ts.draw(rng)
			q, err := qualityTest(context.Background(), shape(len(cl), ts.G, ts.K), b, c, cl, pol)
			if err != nil {
				panic(err)
			}
			return q.Met, math.NaN()
		},
	}
}

func ptrFloat(x float64) *float64 { return &x }

func costPlanRow() gateCal {
	cd := costDesign{maxSize: 3, K: 2, sigma: 0.6, csig: 0.5, rho: 0.85}
	v := trueCostVariance(cd)
	nPlan := stats.RatioN(v, 0.85, 1, calAlpha, 0.8)
	cd.G = int(math.Ceil(nPlan / 2)) // clusters of 1–3 cases hold 2 on average
	return gateCal{
		test: "cost plan (bootstrap ∧ delta, B = 499)", kind: "power", tol: 0.03, formula: "RatioN",
		predicted: stats.RatioPower(v, 0.85, 1, 2*cd.G, calAlpha), short: 2000, long: 30000,
		setting: fmt.Sprintf("ρ = 0.85, r = 1, G = %d clusters of 1–3 cases (n ≈ %d, RatioN at 80%% with the true v = %.3f), K = 2, cost log-sd 0.6",
			cd.G, 2*cd.G, v),
		extraName: "gate's cost plan, cases (median)",
		run: func(rng *rand.Rand) (bool, float64) {
			pol := calPolicy(rng)
			pol.Power.Target = 0.8
			pol.Power.CostRatio = ptrFloat(0.85)
			base, cand, cl := cd.draw(rng)
			met := costTest(&Decision{}, base, cand, cl, pol).Met
			pw := Power{}
			pw.costPlan(costPlanVariance(base, cand, cl, pol), len(cl), pol)
			return met, pw.CostCasesNeeded
		},
	}
}

// validCoverageRow: G = 40 clusters of 1–5 cases, 2 samples each; a
// cluster's samples are schema-valid with probability 0.95 or 0.6 (½ each),
// so the rate is 0.775. A row counts the 90% intervals that miss it.
func validCoverageRow() gateCal {
	return gateCal{
		test: "schema-valid interval (Wilson at N*)", kind: "coverage", bound: 0.1, short: 8000, long: 100000,
		setting: "true rate 0.775; G = 40 clusters of 1–5 cases, K = 2; valid with probability 0.95 or 0.6 by cluster",
		run: func(rng *rand.Rand) (bool, float64) {
			var x []float64
			var cl []int
			for g := 0; g < 40; g++ {
				p := 0.95
				if rng.IntN(2) == 1 {
					p = 0.6
				}
				for j := 2 * (1 + rng.IntN(5)); j > 0; j-- {
					x = append(x, b2f(rng.Float64() < p))
					cl = append(cl, g)
				}
			}
			r := stats.WilsonClustered(x, cl, 0.9)
			return !(r.Lo <= 0.775 && 0.775 <= r.Hi), math.NaN()
		},
	}
}

type gateCalRow struct {
	c          gateCal
	reps, hits int
	extra      float64
	elapsed    time.Duration
}

func (r gateCalRow) rate() float64 { return float64(r.hits) / float64(r.reps) }

func (r gateCalRow) se() float64 { return r.c.se(r.reps) }

func (r gateCalRow) limit() float64 {
	if r.c.kind == "power" {
		return r.c.tol + 3*r.se()
	}
	return r.c.bound + 3*r.se()
}

func (r gateCalRow) ok() bool {
	if r.c.kind == "power" {
		return math.Abs(r.rate()-r.c.predicted) <= r.limit()
	}
	return r.rate() <= r.limit()
}

func TestGateCalibration(t *testing.T) {
	start := time.Now()
	long := calibrationLong()
	var rows []gateCalRow
	for _, c := range gateCalibrationRows() {
		reps := c.short
		if long {
			reps = c.long
		}
		rows = append(rows, gateCalRow{c: c, reps: reps})
	}
	// Rows run on GOMAXPROCS workers; each row has its own generator, so
	// the table does not depend on the schedule.
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &rows[i]
				t0 := time.Now()
				rng := rand.New(rand.NewPCG(uint64(i)+1, 0x9a7e))
				var extra []float64
				for k := 0; k < r.reps; k++ {
					hit, x := r.c.run(rng)
					if hit {
						r.hits++
					}
					if !math.IsNaN(x) {
						extra = append(extra, x)
					}
				}
				r.extra = math.NaN()
				if len(extra) > 0 {
					slices.Sort(extra)
					r.extra = extra[len(extra)/2]
				}
				r.elapsed = time.Since(t0)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()

	for _, r := range rows {
		if r.ok() {
			continue
		}
		switch r.c.kind {
		case "power":
			t.Errorf("%s: pass rate %.4f, %s predicts %.4f ± %.4f (%s)", r.c.test, r.rate(), r.c.formula, r.c.predicted, r.limit(), r.c.setting)
		case "coverage":
			t.Errorf("%s: miss rate %.4f > %.4f (%s)", r.c.test, r.rate(), r.limit(), r.c.setting)
		default:
			t.Errorf("%s: false-pass rate %.4f > bound %.4f + 3 SE = %.4f (%s)", r.c.test, r.rate(), r.c.bound, r.limit(), r.c.setting)
		}
	}
	table := gateCalibrationTable(rows)
	t.Logf("%v on %d CPUs\n%s", time.Since(start).Round(time.Millisecond), runtime.GOMAXPROCS(0), table)
	if long {
		doc := "# Calibration of ftgate's gate rules\n\n" +
			"Written by `FTGATE_CALIBRATION=long go test ./gate -run GateCalibration -timeout 120m -v`\n" +
			"(gate/calibration_test.go) on " + time.Now().UTC().Format("2006-01-02") + fmt.Sprintf(", %d CPUs, %v; ", runtime.GOMAXPROCS(0), time.Since(start).Round(time.Second)) +
			"α = 0.05, the\n" +
			"default policy with `statistics.resamples: 499`. Each row runs the gate's own\n" +
			"code (qualityTest, costTest, scorecard.Pair, the power plans) on simulated data sets.\n\n" +
			"- A null row generates data exactly at the margin boundary; its pass rate must not\n" +
			"  exceed the bound + 3 Monte Carlo SE. The bound is α, or a stated allowance for\n" +
			"  rows the report warns about (\"warned\") or with heavily skewed costs (\"stress\").\n" +
			"- A power row compares the pass rate under a real effect with the power the gate's\n" +
			"  planning formula predicts (tolerance + 3 SE); a coverage row counts intervals that\n" +
			"  miss the truth.\n" +
			"- \"detects\" is the drift beyond the bound (or tolerance) that the check catches with\n" +
			"  probability 0.8 at this number of data sets.\n\n" + table
		if err := os.WriteFile("../testdata/oracle/calibration_gate.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gateCalibrationTable(rows []gateCalRow) string {
	var b strings.Builder
	b.WriteString("| test | setting | reps | rate | MC SE | target | check | | detects | time |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |\n")
	for _, r := range rows {
		var target, check string
		switch r.c.kind {
		case "power":
			target = fmt.Sprintf("%s power %.4f", r.c.formula, r.c.predicted)
			check = fmt.Sprintf("± %.4f", r.limit())
		case "coverage":
			target = fmt.Sprintf("misses ≤ %.2f", r.c.bound)
			check = fmt.Sprintf("≤ %.4f", r.limit())
		default:
			target = fmt.Sprintf("≤ %.3g", r.c.bound)
			if r.c.bound == calAlpha {
				target = "≤ α = 0.05"
			}
			check = fmt.Sprintf("≤ %.4f", r.limit())
		}
		verdict := "ok"
		if !r.ok() {
			verdict = "FAILED"
		}
		if r.c.note != "" {
			verdict = r.c.note + ", " + verdict
		}
		setting := r.c.setting
		if !math.IsNaN(r.extra) {
			setting += fmt.Sprintf("; %s %.0f", r.c.extraName, r.extra)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.4f | %.4f | %s | %s | %s | %.4f | %.1f s |\n", r.c.test, setting, r.reps, r.rate(), r.se(), target, check, verdict, r.c.detectable(r.reps), r.elapsed.Seconds())
	}
	return b.String()
}

func TestCostWarnsFewClusters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cd   costDesign
		warn bool
	}{
		{costDesign{G: 30, maxSize: 1, K: 1, sigma: 0.6, rho: 1}, true},
		{costDesign{G: costMinClusters, maxSize: 1, K: 1, sigma: 0.6, rho: 1}, false},
		// 200 clusters, one holding half the cases: about one effective
		// cluster, so the warning although G is far above 100.
		{costDesign{G: 200, sizes: oneBig(200, 199, 1), K: 1, sigma: 0.6, rho: 1}, true},
	} {
		rng := rand.New(rand.NewPCG(uint64(tc.cd.G), 1))
		base, cand, cl := tc.cd.draw(rng)
		d := &Decision{}
		costTest(d, base, cand, cl, calPolicy(rng))
		warned := strings.Contains(strings.Join(d.Warnings, "\n"), "large-sample approximation")
		if warned != tc.warn {
			t.Errorf("%s: warned %v, warnings %q", tc.cd, warned, d.Warnings)
		}
	}
}
