package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// Calibration of sequential mode by simulation: a candidate is gated after
// every batch of new evidence, and a false pass at any look counts.
//
//   - Null rows (checked): the evidence is generated at the margin (Δ = m,
//     or ρ = r), 100 new cases a batch, looked at after every batch up to
//     5 000 cases (50 looks), or 500 cases re-run 10 times (10 looks). The
//     share of data sets on which the sequential decision is met at some
//     look must not exceed α + 3 Monte Carlo SE. Every row runs the gate's
//     own sequentialBounds on scorecards with batch labels, as
//     'ftgate merge' writes them.
//   - Contrast rows (reported, not checked): the same loop deciding by the
//     fixed-sample test at every look (McNemar, the clustered t, the delta
//     method), which is what repeated looks do without sequential mode.
//   - Price rows (reported): under a real gain, the mean number of cases
//     when the sequential decision is reached, looking every 100 cases
//     (a data set not decided by 5 000 counts 5 000), against the
//     fixed-sample plan's n at the policy's power target.
//
// The default run (go test ./gate) runs the checked rows only, smaller: 20
// looks (2 000 cases; the re-run row 300 cases re-run 10 times) and 200
// data sets per row. Its MC SE is 0.0154 at α = 0.05, so a row fails when
// the false-pass rate it measures exceeds 0.096, which a true rate of 0.15
// or more does with probability above 0.95 (repeated fixed-sample tests
// over 20 looks pass 0.15–0.3 of null candidates). With
// FTGATE_CALIBRATION=long every row runs at full size, 5 000 data sets
// per checked row (MC SE 0.0031) and 1 000 per reported row, and the table
// is written to testdata/oracle/calibration_sequential.md:
//
//	FTGATE_CALIBRATION=long go test ./gate -run SequentialCalibration -timeout 60m -v

type seqCal struct {
	test, setting string
	// kind: "null" (checked), "contrast" (reported), "price" (reported).
	kind        string
	short, long int
	// run simulates one data set: met reports a pass at some look, cases
	// the number of cases when the decision was reached (price rows).
	run func(rng *rand.Rand) (met bool, cases float64)
	// fixedN is the fixed-sample plan's n for price rows.
	fixedN float64
}

// seqSim is a simulated evidence stream: cases in arrival order with their
// samples in both arms and the look each sample arrived in.
type seqSim struct {
	index            map[string]int
	base, cand       arm
	lookB, lookC     [][]int
	cluster          []int
	clusters         map[string]int
	single, unclustd bool
}

func newSeqSim() *seqSim {
	return &seqSim{index: map[string]int{}, clusters: map[string]int{}, single: true, unclustd: true}
}

// add records one sample of case id in both arms (cost NaN: none).
func (s *seqSim) add(id, cluster string, look int, accB, accC bool, costB, costC float64) {
	i, ok := s.index[id]
	if !ok {
		i = len(s.cand.samples)
		s.index[id] = i
		s.base.samples, s.cand.samples = append(s.base.samples, nil), append(s.cand.samples, nil)
		s.lookB, s.lookC = append(s.lookB, nil), append(s.lookC, nil)
		key := "case:" + id
		if cluster != "" {
			key = cluster
		}
		g, ok := s.clusters[key]
		if !ok {
			g = len(s.clusters)
			s.clusters[key] = g
		} else {
			s.unclustd = false
		}
		s.cluster = append(s.cluster, g)
	} else {
		s.single = false
	}
	mk := func(acc bool, cost float64) *scorecard.Sample {
		x := &scorecard.Sample{ID: id, Accepted: acc}
		if !math.IsNaN(cost) {
			c := cost
			x.CostUSD = &c
		}
		return x
	}
	s.base.samples[i] = append(s.base.samples[i], mk(accB, costB))
	s.cand.samples[i] = append(s.cand.samples[i], mk(accC, costC))
	s.lookB[i] = append(s.lookB[i], look)
	s.lookC[i] = append(s.lookC[i], look)
}

// method is the quality method the gate's auto picks for this evidence.
func (s *seqSim) method() string {
	if s.single && s.unclustd {
		return "mcnemar-exact"
	}
	return "cluster-t"
}

// decide runs the gate's sequential decision on the stream (all looks).
func (s *seqSim) decide(pol Policy, costMeasured bool) *Sequential {
	ev := seqEvidence{lookB: s.lookB, lookC: s.lookC, looks: 0, labels: true}
	for _, l := range s.lookC {
		for _, k := range l {
			ev.looks = max(ev.looks, k)
		}
	}
	s.base.acc = make([]float64, len(s.base.samples))
	s.cand.acc = make([]float64, len(s.cand.samples))
	for i := range s.cand.samples {
		s.base.acc[i], _, _ = upTo(s.base, s.lookB, i, ev.looks)
		s.cand.acc[i], _, _ = upTo(s.cand, s.lookC, i, ev.looks)
	}
	q := qualityResult{Quality: Quality{Method: s.method(), Delta: mean(s.cand.acc) - mean(s.base.acc)}}
	d := &Decision{Quality: q.Quality, Cost: Cost{Measured: costMeasured, Ratio: 1}}
	return sequentialBounds(d, ev, s.base, s.cand, s.cluster, q, pol)
}

// fixedLooks decides by the fixed-sample test after every look: the exact
// McNemar test or the clustered t for quality, the delta method for cost.
func (s *seqSim) fixedLooks(pol Policy, looks int, cost bool) bool {
	for k := 1; k <= looks; k++ {
		var accB, accC, cb, cc, d []float64
		var cl []int
		for i := range s.cand.samples {
			ab, xb, nb := upTo(s.base, s.lookB, i, k)
			ac, xc, nc := upTo(s.cand, s.lookC, i, k)
			if nb == 0 || nc == 0 {
				continue
			}
			accB, accC, cb, cc = append(accB, ab), append(accC, ac), append(cb, xb), append(cc, xc)
			d = append(d, ac-ab)
			cl = append(cl, s.cluster[i])
		}
		var p float64
		switch {
		case cost:
			p = stats.DeltaRatio(stats.RatioData{CostB: cb, AccB: accB, CostC: cc, AccC: accC, Cluster: cl}, pol.Cost.MaxRatio, 1-2*pol.Alpha).P
		case s.method() == "mcnemar-exact":
			b, c := 0, 0
			for _, x := range d {
				if x > 0 {
					b++
				} else if x < 0 {
					c++
				}
			}
			p = stats.McNemarUpper(b, c)
		default:
			p = stats.ClusterT(d, cl, pol.Quality.MinGain, 1-2*pol.Alpha).PUpper
		}
		if p <= pol.Alpha {
			return true
		}
	}
	return false
}

func seqPolicy() Policy {
	pol := DefaultPolicy()
	pol.Statistics.Sequential = true
	pol.Cost.Required = false
	return pol
}

// singleStream: n cases a batch over looks batches, one sample each, no
// clusters; each case is discordant with probability psi, toward the
// candidate with probability (psi + delta)/(2 psi).
func singleStream(rng *rand.Rand, looks, perBatch int, psi, delta float64) *seqSim {
	s := newSeqSim()
	for k := 1; k <= looks; k++ {
		for j := 0; j < perBatch; j++ {
			id := strconv.Itoa(k*perBatch + j)
			u := rng.Float64()
			accB := rng.Float64() < 0.7
			accC := accB
			switch {
			case u < (psi+delta)/2:
				accB, accC = false, true
			case u < psi:
				accB, accC = true, false
			}
			s.add(id, "", k, accB, accC, math.NaN(), math.NaN())
		}
	}
	return s
}

// clusterStream: whole clusters of 1–5 cases (about perBatch cases a
// batch), two samples per case; a case's acceptance probability is 0.7
// plus a cluster effect (±0.1) for the baseline, and the candidate's is
// the baseline's plus delta plus a cluster gain of ±0.1 (mean 0).
func clusterStream(rng *rand.Rand, looks, perBatch int, delta float64) *seqSim {
	s := newSeqSim()
	g := 0
	for k := 1; k <= looks; k++ {
		for n := 0; n < perBatch; {
			g++
			size := 1 + rng.IntN(5)
			eff := 0.1 * (2*float64(rng.IntN(2)) - 1)
			gain := 0.1 * (2*float64(rng.IntN(2)) - 1)
			for j := 0; j < size; j++ {
				id := strconv.Itoa(g) + "-" + strconv.Itoa(j)
				pb := 0.7 + eff
				pc := pb + delta + gain
				for range 2 {
					s.add(id, strconv.Itoa(g), k, rng.Float64() < pb, rng.Float64() < pc, math.NaN(), math.NaN())
				}
			}
			n += size
		}
	}
	return s
}

// rerunStream: n cases (own clusters) re-run looks times, one sample of
// every case a run; each case has its own acceptance probability, the
// same for both arms (the null), so the spread is within-case noise.
func rerunStream(rng *rand.Rand, looks, n int) *seqSim {
	s := newSeqSim()
	p := make([]float64, n)
	for i := range p {
		p[i] = 0.3 + 0.6*rng.Float64()
	}
	for k := 1; k <= looks; k++ {
		for i := 0; i < n; i++ {
			s.add(strconv.Itoa(i), "", k, rng.Float64() < p[i], rng.Float64() < p[i], math.NaN(), math.NaN())
		}
	}
	return s
}

// costStream: clusters of 1–3 cases (about perBatch cases a batch), one
// sample each; acceptance 0.6 (baseline) and 0.7 (candidate) sharing their
// uniform half the time; lognormal costs (log-sd 0.6) times a cluster
// factor (log-sd 0.5), the candidate's scaled so that the population ratio
// of costs per accepted outcome is exactly 1 (the gate calibration's
// moderate design).
func costStream(rng *rand.Rand, looks, perBatch int) *seqSim {
	s := newSeqSim()
	scale := 0.7 / 0.6 // E[cost_C]/0.7 = E[cost_B]/0.6 with equal cost laws
	g := 0
	for k := 1; k <= looks; k++ {
		for n := 0; n < perBatch; {
			g++
			size := 1 + rng.IntN(3)
			f := math.Exp(0.5 * rng.NormFloat64())
			for j := 0; j < size; j++ {
				u := rng.Float64()
				v := u
				if rng.IntN(2) == 0 {
					v = rng.Float64()
				}
				cb := f * math.Exp(0.6*rng.NormFloat64())
				cc := scale * f * math.Exp(0.6*rng.NormFloat64())
				s.add(strconv.Itoa(g)+"-"+strconv.Itoa(j), strconv.Itoa(g), k, u < 0.6, v < 0.7, cb, cc)
			}
			n += size
		}
	}
	return s
}

func seqCalRows(long bool) []seqCal {
	const per = 100
	looks, reruns, rerunCases := 20, 10, 300
	if long {
		looks, rerunCases = 50, 500
	}
	pol := seqPolicy()
	fixedPol := DefaultPolicy()
	fixedPol.Cost.Required = false
	costPol := seqPolicy()
	costPol.Cost.Required = true
	decided := func(sq *Sequential, q bool) (bool, float64) {
		b := sq.Cost
		if q {
			b = sq.Quality
		}
		cases := float64(looks * per)
		if b.DecidedAt > 0 {
			cases = float64(sq.History[b.DecidedAt-1].Cases)
		}
		return b.Met, cases
	}
	// Fixed-sample plans at 90% power (the policy's target) for the
	// price rows: Connor at ψ = 0.2, δ = 0.05; the clustered formula with
	// the design's variance and design effect estimated from one large
	// simulated data set.
	connor := stats.ConnorN(0.2, 0.05, calAlpha, 0.9)
	big := clusterStream(rand.New(rand.NewPCG(11, 12)), 200, 100, 0.05)
	bigD := make([]float64, len(big.cand.samples))
	for i := range bigD {
		ab, _, _ := upTo(big.base, big.lookB, i, 200)
		ac, _, _ := upTo(big.cand, big.lookC, i, 200)
		bigD[i] = ac - ab
	}
	ct := stats.ClusterT(bigD, big.cluster, 0, 0.9)
	clusterN := stats.ClusterN(ct.Var, ct.DEff, 0.05, calAlpha, 0.9)
	return []seqCal{
		{test: "sequential (betting)", setting: fmt.Sprintf("null Δ = 0 = m, ψ = 0.2, single samples, 100 cases a look, %d looks", looks), kind: "null", short: 200, long: 5000,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(singleStream(rng, looks, per, 0.2, 0).decide(pol, false), true)
			}},
		{test: "fixed McNemar at every look", setting: "the same", kind: "contrast", long: 1000,
			run: func(rng *rand.Rand) (bool, float64) {
				return singleStream(rng, looks, per, 0.2, 0).fixedLooks(fixedPol, looks, false), math.NaN()
			}},
		{test: "sequential (asymptotic)", setting: fmt.Sprintf("null Δ = 0 = m, clusters of 1–5 cases, 2 samples, gain ±0.1 by cluster, ~100 cases a look, %d looks", looks), kind: "null", short: 200, long: 5000,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(clusterStream(rng, looks, per, 0).decide(pol, false), true)
			}},
		{test: "fixed cluster-t at every look", setting: "the same", kind: "contrast", long: 1000,
			run: func(rng *rand.Rand) (bool, float64) {
				return clusterStream(rng, looks, per, 0).fixedLooks(fixedPol, looks, false), math.NaN()
			}},
		{test: "sequential (asymptotic)", setting: fmt.Sprintf("null, %d cases re-run %d times (one sample each a run), %d looks", rerunCases, reruns, reruns), kind: "null", short: 200, long: 5000,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(rerunStream(rng, reruns, rerunCases).decide(pol, false), true)
			}},
		{test: "fixed cluster-t at every look", setting: "the same", kind: "contrast", long: 1000,
			run: func(rng *rand.Rand) (bool, float64) {
				return rerunStream(rng, reruns, rerunCases).fixedLooks(fixedPol, reruns, false), math.NaN()
			}},
		{test: "sequential cost (delta CS)", setting: fmt.Sprintf("null ρ = 1 = r, clusters of 1–3 cases, cost log-sd 0.6, ~100 cases a look, %d looks", looks), kind: "null", short: 200, long: 5000,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(costStream(rng, looks, per).decide(costPol, true), false)
			}},
		{test: "fixed delta method at every look", setting: "the same", kind: "contrast", long: 1000,
			run: func(rng *rand.Rand) (bool, float64) {
				return costStream(rng, looks, per).fixedLooks(fixedPol, looks, true), math.NaN()
			}},
		{test: "price: sequential (betting)", setting: "Δ = 0.05, ψ = 0.2, m = 0, single samples, 100 cases a look", kind: "price", long: 1000, fixedN: connor,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(singleStream(rng, looks, per, 0.2, 0.05).decide(pol, false), true)
			}},
		{test: "price: sequential (asymptotic)", setting: "Δ = 0.05, m = 0, clusters of 1–5 cases, 2 samples, ~100 cases a look", kind: "price", long: 1000, fixedN: clusterN,
			run: func(rng *rand.Rand) (bool, float64) {
				return decided(clusterStream(rng, looks, per, 0.05).decide(pol, false), true)
			}},
	}
}

func TestSequentialCalibration(t *testing.T) {
	long := os.Getenv("FTGATE_CALIBRATION") == "long"
	if testing.Short() && !long {
		t.Skip("calibration simulation (short mode)")
	}
	var table strings.Builder
	table.WriteString("| test | setting | reps | pass rate | MC SE | mean cases to a decision | fixed-sample n | check | | time |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |\n")
	for ri, row := range seqCalRows(long) {
		reps := row.short
		if long {
			reps = row.long
		}
		if reps == 0 {
			continue
		}
		start := time.Now()
		met := make([]bool, reps)
		cases := make([]float64, reps)
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < reps; i += workers {
					rng := rand.New(rand.NewPCG(uint64(ri+1)*1_000_003, uint64(i)))
					met[i], cases[i] = row.run(rng)
				}
			}(w)
		}
		wg.Wait()
		k, sum := 0, 0.0
		for i := range met {
			if met[i] {
				k++
			}
			sum += cases[i]
		}
		rate := float64(k) / float64(reps)
		se := math.Sqrt(calAlpha * (1 - calAlpha) / float64(reps))
		meanCases, fixed, check, verdict := "", "", "", ""
		switch row.kind {
		case "null":
			limit := calAlpha + 3*se
			check = fmt.Sprintf("≤ %.4f", limit)
			verdict = "ok"
			if rate > limit {
				verdict = "OVER"
				t.Errorf("%s, %s: false-pass rate %.4f over %d data sets exceeds α + 3 SE = %.4f", row.test, row.setting, rate, reps, limit)
			}
		case "contrast":
			se = math.Sqrt(rate * (1 - rate) / float64(reps))
			verdict = "contrast"
		case "price":
			se = math.Sqrt(rate * (1 - rate) / float64(reps))
			meanCases = fmt.Sprintf("%.0f", sum/float64(reps))
			fixed = fmt.Sprintf("%.0f", math.Ceil(row.fixedN))
			verdict = "price"
		}
		fmt.Fprintf(&table, "| %s | %s | %d | %.4f | %.4f | %s | %s | %s | %s | %.1f s |\n",
			row.test, row.setting, reps, rate, se, meanCases, fixed, check, verdict, time.Since(start).Seconds())
	}
	t.Log("\n" + table.String())
	if long {
		out := "# Sequential-mode calibration (gate/sequential_calibration_test.go)\n\n" +
			"Written by `FTGATE_CALIBRATION=long go test ./gate -run SequentialCalibration -timeout 60m -v`" +
			fmt.Sprintf(" on %s, GOMAXPROCS %d. α = %v.\n\n", time.Now().UTC().Format("2006-01-02"), runtime.GOMAXPROCS(0), calAlpha) +
			table.String()
		if err := os.WriteFile("../testdata/oracle/calibration_sequential.md", []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
