package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// seqRow is one sample of both arms in a test scorecard.
type seqRow struct {
	id, cluster, batch string
	sample             int
	accB, accC         bool
	costB, costC       float64
}

func seqInput(t *testing.T, rows []seqRow) Input {
	t.Helper()
	var b, c []scorecard.Sample
	for _, r := range rows {
		cb, cc := r.costB, r.costC
		b = append(b, scorecard.Sample{ID: r.id, Cluster: r.cluster, Batch: r.batch, Sample: r.sample, Accepted: r.accB, CostUSD: &cb})
		c = append(c, scorecard.Sample{ID: r.id, Cluster: r.cluster, Batch: r.batch, Sample: r.sample, Accepted: r.accC, CostUSD: &cc})
	}
	arms := []*scorecard.Scorecard{
		{Source: "baseline.jsonl", System: scorecard.System{Name: "base"}, Samples: b},
		{Source: "candidate.jsonl", System: scorecard.System{Name: "cand"}, Samples: c},
	}
	p, err := scorecard.Pair(arms, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Input{Paired: p, Baselines: []int{0}, Candidate: 1}
}

func seqTestPolicy() Policy {
	pol := DefaultPolicy()
	pol.Statistics.Sequential = true
	pol.Statistics.Resamples = 1000
	return pol
}

// singleRows: per batch, n new single-sample cases, a share gain of them
// accepted by the candidate only and a share loss by the baseline only.
func singleRows(rng *rand.Rand, batches, n int, gain, loss float64) []seqRow {
	var rows []seqRow
	for k := 1; k <= batches; k++ {
		for j := 0; j < n; j++ {
			u := rng.Float64()
			accB := rng.Float64() < 0.7
			accC := accB
			switch {
			case u < gain:
				accB, accC = false, true
			case u < gain+loss:
				accB, accC = true, false
			}
			rows = append(rows, seqRow{id: fmt.Sprintf("b%d-%03d", k, j), batch: fmt.Sprintf("run-%d", k),
				accB: accB, accC: accC, costB: 0.002 * (1 + rng.Float64()), costC: 0.001 * (1 + rng.Float64())})
		}
	}
	return rows
}

func TestParsePolicySequential(t *testing.T) {
	pol, err := ParsePolicy("gate.yaml", []byte("statistics: {sequential: true}\n"))
	if err != nil || !pol.Statistics.Sequential {
		t.Fatalf("sequential: %v, %v", pol.Statistics.Sequential, err)
	}
	_, err = ParsePolicy("gate.yaml", []byte("statistics:\n  sequencial: true\n"))
	if err == nil || !strings.Contains(err.Error(), `gate.yaml:2:3: unknown key "statistics.sequencial"; did you mean "statistics.sequential"?`) {
		t.Errorf("typo: %v", err)
	}
}

// Single-sample, unclustered evidence in three batches: the betting
// sequence decides on the cases in arrival order (batch, then id), and the
// report counts three looks.
func TestSequentialBetting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := singleRows(rng, 3, 150, 0.14, 0.04)
	// Batch labels in the baseline may come in another order: each arm's
	// own first appearance orders its batches.
	in := seqInput(t, rows)
	pol := seqTestPolicy()
	d, err := Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	sq := d.Sequential
	if sq == nil || sq.Looks != 3 || !sq.Labelled || sq.Quality.Method != SeqBetting || sq.CandidateSamples != 450 {
		t.Fatalf("sequential block %+v", sq)
	}
	// The stream: batch, then case id.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].batch != rows[j].batch {
			return rows[i].batch < rows[j].batch
		}
		return rows[i].id < rows[j].id
	})
	x := make([]float64, len(rows))
	for i, r := range rows {
		x[i] = b2f(r.accC) - b2f(r.accB)
	}
	br := stats.BetMean(x, 0, pol.Alpha, sq.PlannedCases)
	if d.Quality.PValue != br.PUpper || d.Quality.CILow != br.Lo || d.Quality.CIHigh != br.Hi {
		t.Errorf("quality p %v [%v, %v], want the betting sequence's %v [%v, %v]", d.Quality.PValue, d.Quality.CILow, d.Quality.CIHigh, br.PUpper, br.Lo, br.Hi)
	}
	if !d.Quality.Met || d.Quality.Method != SeqBetting {
		t.Errorf("quality met %v (%s), want met by the betting sequence", d.Quality.Met, d.Quality.Method)
	}
	// The first batch's plan tunes the sequences: Nam/Connor on its
	// discordant share.
	var accB, accC, costB, costC []float64
	var cl []int
	for i, r := range rows[:150] {
		accB, accC = append(accB, b2f(r.accB)), append(accC, b2f(r.accC))
		costB, costC = append(costB, r.costB), append(costC, r.costC)
		cl = append(cl, i)
	}
	if want := firstPlan("mcnemar-exact", accB, accC, costB, costC, cl, true, pol); sq.PlannedCases != want {
		t.Errorf("planned cases %v, want %v", sq.PlannedCases, want)
	}
	if d.Verdict != Pass {
		t.Errorf("verdict %s, reasons %q", d.Verdict, d.Reasons)
	}
	joined := strings.Join(d.Reasons, "\n")
	if !strings.Contains(joined, "Sequential: the gate is sequential") || !strings.Contains(joined, "rests on 3 looks over 450 paired cases") {
		t.Errorf("reasons do not state the sequential evidence:\n%s", joined)
	}
}

// Clustered evidence: every look is replayed and the bounds are the
// running intersection of the looks' sequences; the first look's alone is
// SeqMean on the first batch.
func TestSequentialReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var rows []seqRow
	for k := 1; k <= 3; k++ {
		for g := 0; g < 60; g++ {
			for j := 0; j < 3; j++ {
				for s := 0; s < 2; s++ {
					rows = append(rows, seqRow{id: fmt.Sprintf("k%d-g%02d-%d", k, g, j), cluster: fmt.Sprintf("k%d-g%02d", k, g), batch: fmt.Sprint("run-", k), sample: s,
						accB: rng.Float64() < 0.7, accC: rng.Float64() < 0.78, costB: 0.002 * (1 + rng.Float64()), costC: 0.0015 * (1 + rng.Float64())})
				}
			}
		}
	}
	in := seqInput(t, rows)
	pol := seqTestPolicy()
	d, err := Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	sq := d.Sequential
	if sq.Quality.Method != SeqAsymptotic || len(sq.History) != 3 || d.Cost.Method != SeqDelta {
		t.Fatalf("method %s/%s, history %d", sq.Quality.Method, d.Cost.Method, len(sq.History))
	}
	// Look 1 alone.
	var d1 []float64
	var cl1 []int
	clusters := map[string]int{}
	byCase := map[string][2]float64{}
	var ids []string
	cluOf := map[string]string{}
	for _, r := range rows {
		if r.batch != "run-1" {
			continue
		}
		v, ok := byCase[r.id]
		if !ok {
			ids = append(ids, r.id)
			cluOf[r.id] = r.cluster
		}
		v[0] += (b2f(r.accC) - b2f(r.accB)) / 2
		byCase[r.id] = v
	}
	sort.Strings(ids)
	for _, id := range ids {
		d1 = append(d1, byCase[id][0])
		if _, ok := clusters[cluOf[id]]; !ok {
			clusters[cluOf[id]] = len(clusters)
		}
		cl1 = append(cl1, clusters[cluOf[id]])
	}
	r1 := stats.SeqMean(d1, cl1, 0, pol.Alpha, sq.Rho2)
	if h := sq.History[0]; math.Abs(h.QualityLo-r1.Lo) > 1e-12 || math.Abs(h.QualityHi-r1.Hi) > 1e-12 || h.Cases != 180 {
		t.Errorf("look 1: [%v, %v] over %d cases, want [%v, %v] over 180", h.QualityLo, h.QualityHi, h.Cases, r1.Lo, r1.Hi)
	}
	for k := 1; k < 3; k++ {
		if sq.History[k].QualityLo < sq.History[k-1].QualityLo || sq.History[k].QualityHi > sq.History[k-1].QualityHi {
			t.Errorf("look %d widens the running bounds: %+v after %+v", k+1, sq.History[k], sq.History[k-1])
		}
	}
	if d.Quality.CILow != sq.History[2].QualityLo || d.Cost.CIHigh != sq.History[2].CostHi {
		t.Errorf("decision bounds differ from the last look's running bounds")
	}
}

// A gain established at an earlier look stays established: the running
// intersection keeps the best lower bound.
func TestSequentialMetPersists(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	rows := singleRows(rng, 1, 400, 0.25, 0.02)
	for _, r := range singleRows(rng, 2, 400, 0.05, 0.05) {
		r.id = "late-" + r.id
		r.batch = "late-" + r.batch
		rows = append(rows, r)
	}
	pol := seqTestPolicy()
	pol.Quality.Method = "cluster-t" // the asymptotic path, replayed look by look
	d, err := Decide(seqInput(t, rows), pol)
	if err != nil {
		t.Fatal(err)
	}
	sq := d.Sequential
	if sq.Quality.DecidedAt != 1 || !d.Quality.Met {
		t.Fatalf("decided at look %d, met %v; want met at look 1", sq.Quality.DecidedAt, d.Quality.Met)
	}
	// The last look on its own would not establish the gain.
	var x []float64
	var cl []int
	for i, r := range rows {
		x = append(x, b2f(r.accC)-b2f(r.accB))
		cl = append(cl, i)
	}
	if last := stats.SeqMean(x, cl, 0, pol.Alpha, sq.Rho2); last.Lo > sq.Quality.Lo {
		t.Errorf("the last look alone [%v, …] is tighter than the running bound %v", last.Lo, sq.Quality.Lo)
	}
}

// Evidence that rules out the gain worth detecting is futile.
func TestSequentialFutility(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	rows := singleRows(rng, 4, 500, 0.05, 0.05)
	pol := seqTestPolicy()
	e := 0.08
	pol.Power.Effect = &e
	d, err := Decide(seqInput(t, rows), pol)
	if err != nil {
		t.Fatal(err)
	}
	sq := d.Sequential
	if !sq.Futile || d.Quality.Met || d.Quality.Missed || !(sq.Quality.Hi < e) {
		t.Fatalf("futile %v (upper bound %v, effect %v, met %v, missed %v)", sq.Futile, sq.Quality.Hi, e, d.Quality.Met, d.Quality.Missed)
	}
	if !strings.Contains(strings.Join(d.Reasons, "\n"), "Futility: the upper bound of the gain") {
		t.Errorf("no futility sentence in %q", d.Reasons)
	}
	if d.Verdict != Inconclusive {
		t.Errorf("verdict %s, want inconclusive", d.Verdict)
	}
}

// Without batch labels the evidence is one look, and a warning says how to
// record them.
func TestSequentialUnlabelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rows := singleRows(rng, 1, 200, 0.15, 0.05)
	for i := range rows {
		rows[i].batch = ""
	}
	d, err := Decide(seqInput(t, rows), seqTestPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if d.Sequential.Looks != 1 || d.Sequential.Labelled {
		t.Errorf("looks %d, labelled %v", d.Sequential.Looks, d.Sequential.Labelled)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "ftgate merge") {
		t.Errorf("no warning about batch labels: %q", d.Warnings)
	}
}

// The same input gives the same decision (the plan's simulation is
// seeded).
func TestSequentialDeterministic(t *testing.T) {
	rows := singleRows(rand.New(rand.NewPCG(11, 12)), 2, 100, 0.1, 0.05)
	a, err := Decide(seqInput(t, rows), seqTestPolicy())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Decide(seqInput(t, rows), seqTestPolicy())
	if a.Sequential.ExpectedCases != b.Sequential.ExpectedCases || a.Quality.PValue != b.Quality.PValue {
		t.Errorf("two runs differ")
	}
}

// 'ftgate power' in sequential mode adds the sequential test's plan,
// looking after batches the size of the eval at hand.
func TestPlanPowerSequential(t *testing.T) {
	rows := singleRows(rand.New(rand.NewPCG(13, 14)), 1, 300, 0.12, 0.06)
	in := seqInput(t, rows)
	pol := seqTestPolicy()
	e := 0.06
	pol.Power.Effect = &e
	plan, err := PlanPower(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	s := plan.Sequential
	if s == nil || s.LookEvery != 300 {
		t.Fatalf("sequential plan %+v", s)
	}
	q := qualityResult{Quality: Quality{Method: plan.Method}, psi: plan.Psi}
	if exp, pw := seqQualityPlan(q, 1, plan.CasesNeeded, 300, pol); exp != s.ExpectedCases || pw != s.CasesForPower {
		t.Errorf("plan %v/%v, want %v/%v", s.ExpectedCases, s.CasesForPower, exp, pw)
	}
	if !(s.CasesForPower >= plan.CasesNeeded) || math.Mod(s.CasesForPower, 300) != 0 {
		t.Errorf("cases for power %v: want a whole number of 300-case looks, at least the fixed-sample %v", s.CasesForPower, plan.CasesNeeded)
	}
	pol.Statistics.Sequential = false
	if plan, _ := PlanPower(in, pol); plan.Sequential != nil {
		t.Error("a fixed-sample policy got a sequential plan")
	}
}
