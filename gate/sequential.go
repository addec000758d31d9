package gate

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// Sequential mode (statistics.sequential: true, docs/methods.md §12): the
// quality and cost decisions are read off confidence sequences, which hold
// at every number of cases at once, so the gate may be evaluated after
// every batch of evidence without its false-pass rate growing with the
// number of looks.

// Method names of the sequential decisions, as Quality.Method and
// Cost.Method carry them in sequential mode.
const (
	SeqBetting    = "sequential-betting"
	SeqAsymptotic = "sequential-asymptotic"
	SeqDelta      = "sequential-delta"
)

// Sequential is the evidence behind a sequential decision.
type Sequential struct {
	// Looks is the number of batches of evidence the scorecards record
	// (batch labels written by 'ftgate merge', in order of first
	// appearance; 1 when there are none). The confidence sequences do not
	// depend on it: it says how often the gate can have been evaluated
	// on this evidence, one look per batch.
	Looks int
	// Labelled is false when no sample carries a batch label: the
	// evidence is then one batch, whatever its history.
	Labelled bool
	// BaselineSamples and CandidateSamples count the samples of the
	// paired cases the decision rests on (every run pooled).
	BaselineSamples, CandidateSamples int
	// History is the state of the evidence after each look.
	History []SeqLook
	// PlannedCases is the number of cases the sequences are tuned to: the
	// fixed-sample power plan computed on the first batch.
	PlannedCases float64
	// Rho2 is the mixing parameter of the asymptotic sequences, tuned to
	// PlannedCases (in clusters).
	Rho2 float64
	// Quality and Cost are the sequential decisions (their bounds and
	// p-values are also in Decision.Quality and Decision.Cost).
	Quality SeqBound
	Cost    SeqBound
	// Futile is true when a pass is out of reach of the evidence the
	// eval was planned for (see Futility for why).
	Futile   bool
	Futility string
	// Plan: at the policy's effect, the expected number of paired cases
	// when the sequential test decides (ExpectedCases), the number by
	// which it passes with the target power (CasesForPower), both when
	// looking every LookEvery cases, and the fixed-sample plan's number
	// (FixedCases) for comparison.
	ExpectedCases, CasesForPower, FixedCases float64
	LookEvery                                int
	// CostCasesForPower is the cost test's number like CasesForPower, at
	// the policy's assumed cost ratio (NaN without a cost plan).
	CostCasesForPower float64

	nbar     float64 // cases per cluster in the first batch
	warnings []string
}

// A SeqLook is the evidence after one batch.
type SeqLook struct {
	Look             int
	Cases            int
	CandidateSamples int
	// QualityLo/Hi and CostLo/Hi are the running bounds after this look
	// (NaN when not computed).
	QualityLo, QualityHi, CostLo, CostHi float64
}

// A SeqBound is one sequential decision.
type SeqBound struct {
	Method   string
	Measured bool
	Estimate float64
	// Lo and Hi are the bounds of the running intersection of the
	// one-sided confidence sequences at level α each; PValue is the
	// anytime-valid p-value (the smallest over the looks), for H1 gain
	// above the margin (quality) or ratio below the limit (cost).
	Lo, Hi, PValue float64
	Met, Missed    bool
	// DecidedAt is the look at which Met or Missed first held (0: not
	// decided).
	DecidedAt int
}

// seqPlanPaths is the number of simulated paths behind the sequential plan.
const seqPlanPaths = 2000

// seqEvidence is the paired evidence with, for every sample of every
// case, the batch (look) it arrived in.
type seqEvidence struct {
	lookB, lookC [][]int
	looks        int
	labels       bool
}

// batchOrder numbers each arm's batch labels by first appearance and
// records the look of every sample of the two arms.
func batchOrder(arms []*scorecard.Scorecard, base, cand arm) seqEvidence {
	ev := seqEvidence{looks: 1}
	look := map[*scorecard.Sample]int{}
	for _, sc := range arms {
		ord := map[string]int{}
		for i := range sc.Samples {
			s := &sc.Samples[i]
			if s.Batch != "" {
				ev.labels = true
			}
			k, ok := ord[s.Batch]
			if !ok {
				k = len(ord) + 1
				ord[s.Batch] = k
			}
			look[s] = k
			ev.looks = max(ev.looks, k)
		}
	}
	of := func(a arm) [][]int {
		out := make([][]int, len(a.samples))
		for i, ss := range a.samples {
			out[i] = make([]int, len(ss))
			for j, s := range ss {
				out[i][j] = max(1, look[s])
			}
		}
		return out
	}
	ev.lookB, ev.lookC = of(base), of(cand)
	return ev
}

// upTo reduces an arm's samples of case i (their looks in looks) to those
// of looks ≤ k: the mean acceptance and cost, and how many remain.
func upTo(a arm, looks [][]int, i, k int) (acc, cost float64, n int) {
	for j, s := range a.samples[i] {
		if looks[i][j] > k {
			continue
		}
		n++
		if s.Accepted {
			acc++
		}
		if s.CostUSD != nil {
			cost += *s.CostUSD
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	return acc / float64(n), cost / float64(n), n
}

// arrival is the look at which case i is first paired: the later of the
// two arms' first samples.
func (ev seqEvidence) arrival(i int) int {
	first := func(l []int) int {
		f := math.MaxInt
		for _, k := range l {
			f = min(f, k)
		}
		return f
	}
	return max(first(ev.lookB[i]), first(ev.lookC[i]))
}

// sequentialDecision replaces the fixed-sample quality and cost decisions
// by sequential ones (methods.md §12). q is the fixed-sample quality
// result, used for the planning numbers.
func sequentialDecision(d *Decision, p *scorecard.Paired, base, cand arm, cluster []int, q qualityResult, pol Policy) {
	sq := sequentialBounds(d, batchOrder(p.Arms, base, cand), base, cand, cluster, q, pol)
	d.Warnings = append(d.Warnings, sq.warnings...)
	sequentialPlan(d, sq, q, len(cand.acc), pol)
	d.Sequential = sq

	// The decisions the verdict reads.
	qb, cb := sq.Quality, sq.Cost
	dq := &d.Quality
	dq.Method, dq.CILow, dq.CIHigh, dq.PValue, dq.Met, dq.Missed = qb.Method, qb.Lo, qb.Hi, qb.PValue, qb.Met, qb.Missed
	if cb.Method == SeqDelta {
		c := &d.Cost
		c.Method, c.CILow, c.CIHigh, c.PValue, c.Met, c.Missed = SeqDelta, cb.Lo, cb.Hi, cb.PValue, cb.Met, cb.Missed
		c.DeltaCILow, c.DeltaCIHigh, c.DeltaPValue = cb.Lo, cb.Hi, cb.PValue
		c.Resamples = 0
	}
	// In sequential mode the power block's numbers are the sequential
	// test's (the MDE stays the fixed-sample one).
	if !math.IsInf(sq.CasesForPower, 0) {
		d.Power.CasesNeeded, d.Power.MoreCasesNeeded = wholeCases(sq.CasesForPower, len(cand.acc))
	}
	if c := sq.CostCasesForPower; !math.IsNaN(c) && !math.IsInf(c, 0) {
		d.Power.CostCasesNeeded, d.Power.CostMoreCasesNeeded = wholeCases(c, len(cand.acc))
	}
}

// sequentialBounds computes the sequential decisions of quality and cost
// from the evidence, replaying every recorded look: the bounds are the
// running intersection of the confidence sequences over the looks, and the
// p-values the smallest over them. d supplies the fixed-sample estimates
// and whether cost was measured; it is not changed.
func sequentialBounds(d *Decision, ev seqEvidence, base, cand arm, cluster []int, q qualityResult, pol Policy) *Sequential {
	n := len(cand.acc)
	sq := &Sequential{Looks: ev.looks, Labelled: ev.labels}
	for i := 0; i < n; i++ {
		sq.BaselineSamples += len(base.samples[i])
		sq.CandidateSamples += len(cand.samples[i])
	}
	alpha := pol.Alpha
	costOK := d.Cost.Measured && !math.IsNaN(d.Cost.Ratio)
	m := pol.Quality.MinGain
	simple := q.Method == "mcnemar-exact" || q.Method == "tango" || q.Method == "tango-exact"

	// Each case's state at each look, for the replayed looks.
	type state struct {
		accB, accC, costB, costC []float64
		cluster                  []int
	}
	at := func(k int) state {
		var s state
		for i := 0; i < n; i++ {
			ab, cb, nb := upTo(base, ev.lookB, i, k)
			ac, cc, nc := upTo(cand, ev.lookC, i, k)
			if nb == 0 || nc == 0 {
				continue
			}
			s.accB, s.accC = append(s.accB, ab), append(s.accC, ac)
			s.costB, s.costC = append(s.costB, cb), append(s.costC, cc)
			s.cluster = append(s.cluster, cluster[i])
		}
		return s
	}
	diffs := func(s state) []float64 {
		x := make([]float64, len(s.accC))
		for i := range x {
			x[i] = s.accC[i] - s.accB[i]
		}
		return x
	}

	// The planned number of cases: the fixed-sample plan on the first
	// batch, so that the tuning is fixed once the first look is taken.
	first := at(1)
	n1 := len(first.accC)
	sq.PlannedCases = float64(max(n1, 1))
	if n1 == 0 {
		// No case is paired at the first look: plan on the whole evidence.
		sq.PlannedCases = float64(max(n, 1))
	}
	if n1 > 0 {
		if c := firstPlan(q.Method, first.accB, first.accC, first.costB, first.costC, first.cluster, costOK, pol); c >= 1 && !math.IsInf(c, 0) {
			sq.PlannedCases = c
		}
	}
	sq.nbar = 1
	if g := distinct(first.cluster); g > 0 {
		sq.nbar = float64(n1) / float64(g)
	}
	sq.Rho2 = stats.SeqRho2(math.Max(1, sq.PlannedCases/sq.nbar), alpha)

	// Quality.
	qb := SeqBound{Measured: true, Estimate: d.Quality.Delta, Lo: math.Inf(-1), Hi: math.Inf(1), PValue: 1}
	cb := SeqBound{Method: SeqDelta, Measured: costOK, Estimate: d.Cost.Ratio, Lo: 0, Hi: math.Inf(1), PValue: 1}
	if !costOK {
		cb.Method = d.Cost.Method
		cb.Lo, cb.Hi = math.NaN(), math.NaN()
	}
	arrivals := make([]int, n)
	for i := range arrivals {
		arrivals[i] = ev.arrival(i)
	}
	if simple {
		qb.Method = SeqBetting
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		// Cases in arrival order, by id within a look (Paired.Cases are
		// sorted by id): an order fixed before the outcomes are seen.
		sort.SliceStable(order, func(a, b int) bool { return arrivals[order[a]] < arrivals[order[b]] })
		x := make([]float64, n)
		for j, i := range order {
			x[j] = cand.acc[i] - base.acc[i]
		}
		if m > -1 && m < 1 {
			br := stats.BetMean(x, m, alpha, sq.PlannedCases)
			qb.Lo, qb.Hi = br.Lo, br.Hi
			qb.PValue = br.PUpper
			qb.Missed = br.PLower <= alpha
			if cross := min(pos(br.CrossUp), pos(br.CrossDown)); cross < math.MaxInt {
				qb.DecidedAt = arrivals[order[cross-1]]
			}
		}
	} else {
		qb.Method = SeqAsymptotic
	}
	zeroSE := false
	for k := 1; k <= ev.looks; k++ {
		var s state
		switch {
		case k == 1:
			s = first
		case !simple || costOK:
			s = at(k)
		default:
			// The betting sequence was computed on the whole stream: a look
			// only needs its number of cases.
			for i := range arrivals {
				if arrivals[i] <= k {
					s.accC = append(s.accC, 0)
				}
			}
		}
		look := SeqLook{Look: k, Cases: len(s.accC), QualityLo: math.NaN(), QualityHi: math.NaN(), CostLo: math.NaN(), CostHi: math.NaN()}
		for i := 0; i < n; i++ {
			for _, l := range ev.lookC[i] {
				if l <= k {
					look.CandidateSamples++
				}
			}
		}
		if len(s.accC) > 0 && !simple {
			r := stats.SeqMean(diffs(s), s.cluster, m, alpha, sq.Rho2)
			zeroSE = zeroSE || hasWarning(r.Warnings, stats.ErrZeroSE)
			qb.Lo, qb.Hi = math.Max(qb.Lo, r.Lo), math.Min(qb.Hi, r.Hi)
			qb.PValue = math.Min(qb.PValue, r.PUpper)
			qb.Missed = qb.Missed || r.PLower <= alpha
			if qb.DecidedAt == 0 && (qb.PValue <= alpha || qb.Missed) {
				qb.DecidedAt = k
			}
		}
		look.QualityLo, look.QualityHi = qb.Lo, qb.Hi
		if costOK && len(s.accC) > 0 {
			costB, costC := scaleCosts(s.costB, s.costC)
			r := stats.SeqRatio(stats.RatioData{CostB: costB, AccB: s.accB, CostC: costC, AccC: s.accC, Cluster: s.cluster},
				pol.Cost.MaxRatio, alpha, sq.Rho2)
			if !math.IsNaN(r.Lo) {
				cb.Lo, cb.Hi = math.Max(cb.Lo, r.Lo), math.Min(cb.Hi, r.Hi)
				cb.PValue = math.Min(cb.PValue, r.PLower)
				cb.Missed = cb.Missed || r.PUpper <= alpha
				if cb.DecidedAt == 0 && (cb.PValue <= alpha || cb.Missed) {
					cb.DecidedAt = k
				}
			}
			look.CostLo, look.CostHi = cb.Lo, cb.Hi
		}
		sq.History = append(sq.History, look)
	}
	qb.Met = qb.PValue <= alpha
	qb.Missed = qb.Missed && !qb.Met
	cb.Met = costOK && cb.PValue <= alpha
	cb.Missed = costOK && cb.Missed && !cb.Met
	if zeroSE {
		sq.warnings = append(sq.warnings, "sequential: at some look every cluster showed the same mean difference; such a look is no evidence either way")
	}
	if !ev.labels {
		sq.warnings = append(sq.warnings, "sequential: no sample carries a batch label, so the evidence counts as one look; pool each run's samples with 'ftgate merge' so that the report can say how many looks it rests on")
	}
	sq.Quality, sq.Cost = qb, cb

	return sq
}

// sequentialPlan adds futility and the plan at the policy's effect: the
// expected number of cases to a decision and the number that gives the
// target power, looking at the pace the evidence has arrived.
func sequentialPlan(d *Decision, sq *Sequential, q qualityResult, n int, pol Policy) {
	qb, alpha := sq.Quality, pol.Alpha
	simple := qb.Method == SeqBetting
	// Futility: the gain the eval was planned to detect is ruled out.
	effect := pol.EffectivePowerEffect()
	if !qb.Met && !qb.Missed && qb.Hi < effect {
		sq.Futile = true
		sq.Futility = fmt.Sprintf("the upper bound of the gain, %s, is below the gain worth detecting (power.effect %s): more cases could at most establish a gain smaller than the one the eval was planned for",
			numfmt.Points(qb.Hi), numfmt.Points(effect))
	}

	// The plan at the policy's effect.
	sq.FixedCases = d.Power.CasesNeeded
	sq.LookEvery = max(1, int(math.Round(float64(n)/float64(sq.Looks))))
	sq.ExpectedCases, sq.CasesForPower = math.Inf(1), math.Inf(1)
	if simple {
		q.Method = "mcnemar-exact"
	}
	sq.ExpectedCases, sq.CasesForPower = seqQualityPlan(q, sq.nbar, sq.PlannedCases, sq.LookEvery, pol)
	// The cost test's plan: the delta-method sequence on the log ratio, at
	// the policy's assumed ratio (on the negated scale, where the
	// sequence's lower bound must clear −log max_ratio).
	sq.CostCasesForPower = math.NaN()
	if v := d.Power.CostVariance; sq.Cost.Method == SeqDelta && v > 0 && !math.IsInf(v, 0) && d.Power.CostRatio < pol.Cost.MaxRatio {
		opt := stats.SeqPlanOptions{Alpha: alpha, Target: pol.Power.Target, Paths: seqPlanPaths, Seed: pol.Statistics.Seed ^ 0x5e9}
		opt.NPlan = math.Max(1, sq.PlannedCases/sq.nbar)
		opt.Batch = max(1, int(math.Round(float64(sq.LookEvery)/sq.nbar)))
		maxCases := math.Min(200_000, math.Max(20*sq.PlannedCases, 10*float64(sq.LookEvery)))
		opt.Max = max(opt.Batch, int(maxCases/sq.nbar)/opt.Batch*opt.Batch)
		pl := stats.SeqPlanNormal(-math.Log(d.Power.CostRatio), math.Sqrt(v/sq.nbar), -math.Log(pol.Cost.MaxRatio), opt)
		sq.CostCasesForPower = pl.UnitsForPower * sq.nbar
	}
}

// firstPlan is the fixed-sample power plan (powerAnalysis) on the first
// batch, with the quality method of the whole evidence: the larger of the
// quality and the cost plans' cases (quality alone when cost is not
// measured or has no variance to plan from). The sequences are tuned to it.
func firstPlan(method string, accB, accC, costB, costC []float64, cluster []int, costOK bool, pol Policy) float64 {
	d := make([]float64, len(accC))
	for i := range d {
		d[i] = accC[i] - accB[i]
	}
	costV := math.NaN()
	if costOK {
		costV = costPlanVariance(arm{acc: accB, cost: costB, hasCost: true}, arm{acc: accC, cost: costC, hasCost: true}, cluster, pol)
	}
	q := qualityResult{Quality: Quality{Method: method}}
	switch method {
	case "mcnemar-exact", "tango", "tango-exact":
		disc := 0
		for _, x := range d {
			if x != 0 {
				disc++
			}
		}
		q.psi = float64(disc) / float64(len(d))
	default:
		ct := stats.ClusterT(d, cluster, pol.Quality.MinGain, 1-2*pol.Alpha)
		q.sigma2, q.deff = ct.Var, ct.DEff
	}
	pw := powerAnalysis(&Decision{}, q, costV, len(d), pol)
	n := pw.CasesNeeded
	if c := pw.CostCasesNeeded; c > n && !math.IsInf(c, 0) {
		n = c
	}
	return n
}

// seqQualityPlan simulates the sequential quality test at the policy's
// effect (methods.md §12.5): the betting sequence on single-sample pairs
// with the discordant share q.psi (raised to the effect and the margin),
// or the asymptotic sequence on clusters of nbar cases with the per-case
// variance q.sigma2 and design effect q.deff, tuned to planned cases and
// looking every lookEvery cases. It returns the expected paired cases at
// a decision and the cases by which it passes with the target power
// (+Inf when not computable or not reached).
func seqQualityPlan(q qualityResult, nbar, planned float64, lookEvery int, pol Policy) (expected, forPower float64) {
	effect, m, alpha := pol.EffectivePowerEffect(), pol.Quality.MinGain, pol.Alpha
	expected, forPower = math.Inf(1), math.Inf(1)
	if !(effect > m) || !(planned >= 1) || math.IsInf(planned, 0) || lookEvery < 1 || !(nbar >= 1) {
		return expected, forPower
	}
	opt := stats.SeqPlanOptions{Alpha: alpha, Target: pol.Power.Target, Paths: seqPlanPaths, Seed: pol.Statistics.Seed}
	maxCases := int(math.Min(200_000, math.Max(20*planned, 10*float64(lookEvery))))
	switch q.Method {
	case "mcnemar-exact", "tango", "tango-exact":
		psi := math.Max(q.psi, math.Max(math.Abs(effect), math.Abs(m)))
		opt.NPlan, opt.Batch = planned, lookEvery
		opt.Max = max(opt.Batch, maxCases/opt.Batch*opt.Batch)
		pl := stats.SeqPlanBet((psi+effect)/2, (psi-effect)/2, m, opt)
		return pl.ExpectedUnits, pl.UnitsForPower
	}
	sd := math.Sqrt(q.sigma2 * q.deff / nbar)
	if !(sd > 0) || math.IsInf(sd, 0) {
		return expected, forPower
	}
	opt.NPlan = math.Max(1, planned/nbar)
	opt.Batch = max(1, int(math.Round(float64(lookEvery)/nbar)))
	opt.Max = max(opt.Batch, int(float64(maxCases)/nbar)/opt.Batch*opt.Batch)
	pl := stats.SeqPlanNormal(effect, sd, m, opt)
	return pl.ExpectedUnits * nbar, pl.UnitsForPower * nbar
}

// A SeqPowerPlan is the sequential test's plan in 'ftgate power' when the
// policy sets statistics.sequential: at the policy's effect, looking every
// LookEvery cases (an eval run the size of the one at hand), the expected
// paired cases at a decision and the cases by which it passes with the
// target power.
type SeqPowerPlan struct {
	LookEvery                    int
	ExpectedCases, CasesForPower float64
}

// seqPowerPlan fills plan.Sequential in sequential mode; nbar is the mean
// number of cases per cluster.
func seqPowerPlan(plan *PowerPlan, nbar float64, pol Policy) {
	if !pol.Statistics.Sequential || plan.Cases < 1 {
		return
	}
	q := qualityResult{Quality: Quality{Method: plan.Method}, psi: plan.Psi, sigma2: plan.Sigma2, deff: plan.DEff}
	sp := &SeqPowerPlan{LookEvery: plan.Cases}
	sp.ExpectedCases, sp.CasesForPower = seqQualityPlan(q, nbar, plan.CasesNeeded, plan.Cases, pol)
	plan.Sequential = sp
}

// pos maps a 1-based position with 0 for none to an int that sorts none last.
func pos(i int) int {
	if i == 0 {
		return math.MaxInt
	}
	return i
}

func hasWarning(ws []error, target error) bool {
	for _, w := range ws {
		if errors.Is(w, target) {
			return true
		}
	}
	return false
}

// distinct counts the distinct values of x.
func distinct(x []int) int {
	seen := map[int]bool{}
	for _, v := range x {
		seen[v] = true
	}
	return len(seen)
}

// sequentialReasons adds the sentences of sequential mode to the verdict.
func sequentialReasons(d *Decision, pol Policy, add func(string)) {
	sq := d.Sequential
	if sq == nil {
		return
	}
	looks := fmt.Sprintf("%d looks", sq.Looks)
	if sq.Looks == 1 {
		looks = "1 look"
	}
	add(fmt.Sprintf("Sequential: the gate is sequential (confidence sequences, %s for quality); the decision rests on %s over %s paired cases with %s candidate and %s baseline samples, and its false-pass rate stays at α = %s however many times the gate is evaluated as cases accumulate.",
		seqMethodName(sq.Quality.Method), looks, numfmt.Int(d.Cases.Paired), numfmt.Int(sq.CandidateSamples), numfmt.Int(sq.BaselineSamples), numfmt.Num(pol.Alpha)))
	if sq.Futile {
		add("Futility: " + sq.Futility + "; stop adding cases unless a smaller gain is worth the evals.")
	}
	if !math.IsInf(sq.ExpectedCases, 0) && !sq.Quality.Met && !sq.Quality.Missed && !sq.Futile && !d.Cost.Missed {
		add(fmt.Sprintf("Plan: at a true gain of %s, looking every %s, the sequential test decides after about %s paired cases on average and passes with %s power by %s cases (the fixed-sample plan needs %s, looking once).",
			numfmt.Points(d.Power.Effect), numfmt.Counted(sq.LookEvery, "case", "cases"), numfmt.Cases(sq.ExpectedCases), numfmt.Pct(d.Power.Target), casesText(sq.CasesForPower), casesText(sq.FixedCases)))
	}
}

func seqMethodName(m string) string {
	if m == SeqBetting {
		return "the betting sequence, exact at any sample size,"
	}
	return "the asymptotic sequence over clusters"
}

func casesText(x float64) string {
	return numfmt.Cases(x)
}
