package gate

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// An Input is what the gate decides on.
type Input struct {
	// Paired holds every scorecard's cases matched by id.
	Paired *scorecard.Paired
	// Baselines are the arm indexes (into Paired.Arms) of the baseline
	// tiers; with more than one, the candidate is gated against the
	// routed baseline built from them.
	Baselines []int
	// Candidate is the arm index of the fine-tuned candidate.
	Candidate int
	// History holds earlier baseline scorecards, oldest first, for the
	// plateau condition of the economics.
	History []*scorecard.Scorecard
	// Provenance names the policy file and the ftgate version; the gate
	// copies it into the Decision for the reports.
	Provenance Provenance
	// Progress, when not nil, is told how many bootstrap draws have been
	// made, as they are made (from other goroutines). It only reports.
	Progress func(draws int)
}

// arm is one side of the comparison, case by case (in Paired.Cases order).
type arm struct {
	name    string
	acc     []float64
	cost    []float64 // NaN per case when not measured
	hasCost bool
	samples [][]*scorecard.Sample
}

func armOf(p *scorecard.Paired, a int) arm {
	n := len(p.Cases)
	out := arm{name: p.Arms[a].System.Name, acc: make([]float64, n), cost: make([]float64, n), samples: make([][]*scorecard.Sample, n), hasCost: true}
	for i := range p.Cases {
		ac := p.Cases[i].Arms[a]
		out.acc[i] = ac.Accepted
		out.cost[i] = ac.Cost
		out.samples[i] = ac.Samples
		if math.IsNaN(ac.Cost) {
			out.hasCost = false
		}
	}
	return out
}

// Decide runs every check of the policy on the input and returns the
// verdict with its evidence. It returns an error only when the input and
// the policy cannot be decided together (a forced method that does not fit
// the data); such errors are the user's to fix, not a verdict.
func Decide(in Input, pol Policy) (*Decision, error) {
	return DecideContext(context.Background(), in, pol)
}

// DecideContext is Decide that stops when ctx is done (an interrupt): the
// bootstraps stop drawing, and it returns ctx.Err() instead of a
// decision. Nothing else in the decision depends on ctx.
func DecideContext(ctx context.Context, in Input, pol Policy) (*Decision, error) {
	d, err := decide(ctx, in, pol)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return d, err
}

func decide(ctx context.Context, in Input, pol Policy) (*Decision, error) {
	p := in.Paired
	if p == nil || len(p.Cases) == 0 {
		return nil, fmt.Errorf("no paired cases to decide on")
	}
	if len(in.Baselines) == 0 || in.Candidate < 0 || in.Candidate >= len(p.Arms) {
		return nil, fmt.Errorf("the input names no baseline or no candidate")
	}
	d := &Decision{Policy: pol, Provenance: in.Provenance, ctx: ctx}
	d.res = newResampling(ctx, len(p.Clusters), pol) // before any check uses it
	d.res.progress = in.Progress
	d.Warnings = append(d.Warnings, pol.Warnings...)
	d.Warnings = append(d.Warnings, p.Warnings...)
	d.Cases = CaseCounts{Paired: len(p.Cases), Clusters: len(p.Clusters), MaxSamplesPerCase: p.MaxSamples}
	for _, b := range in.Baselines {
		d.Cases.BaselineOnly = max(d.Cases.BaselineOnly, p.Unmatched[b])
	}
	d.Cases.CountedAsFailures = p.CountedMissing
	d.Cases.BaselineOnly += p.CountedMissing
	d.Cases.CandidateOnly = p.Unmatched[in.Candidate]
	if pol.Pairing.AllowUnmatched && pol.Pairing.Unmatched == "drop" && d.Cases.BaselineOnly > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("pairing.unmatched: drop dropped %s missing from the candidate: a harness that writes no row for a case it failed on makes the candidate look better than it is; the default (candidate-fails) counts them as candidate failures", numfmt.Counted(d.Cases.BaselineOnly, "case", "cases")))
	}

	cand := armOf(p, in.Candidate)
	base := armOf(p, in.Baselines[0])
	if len(in.Baselines) > 1 {
		var err error
		base, err = routeBaseline(d, p, in, pol)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, err
		}
	}
	if len(in.Baselines) == 1 {
		// The baseline and the candidate on the cost/quality plane, so
		// that the chart and the tiers table exist on every run.
		d.Tiers = singleTiers(d, p, base, cand, pol)
	}
	cluster := p.ClusterIndex()

	q, err := qualityTest(ctx, p, base, cand, cluster, pol)
	if err != nil {
		return nil, err
	}
	d.Quality = q.Quality
	d.Warnings = append(d.Warnings, q.warnings...)

	d.Cost = costTest(d, base, cand, cluster, pol)
	d.Latency = latencySummary(d, base, cand, cluster, pol)
	// One set of bootstrap draws for the cost test, the tiers and the
	// latency intervals; their results are filled in here.
	if err := d.res.run(); err != nil {
		return nil, err
	}
	notePricing(d, p, in, pol)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	d.Segments = segmentTests(d, p, base, cand, pol)
	d.Power = powerAnalysis(d, q, costPlanVariance(base, cand, cluster, pol), len(p.Cases), pol)
	if pol.Statistics.Sequential {
		sequentialDecision(d, p, base, cand, cluster, q, pol)
	}
	d.Format = formatSummary(base, cand, cluster, pol)
	if len(in.Baselines) > 1 || len(in.History) > 0 || economicsConfigured(pol) {
		d.Economics = economics(d, p, in, base, cand, pol)
	}
	d.Checklist = checklist(d, p, base, cand, pol)
	d.CaseChanges = caseChanges(p, base, cand)

	verdict(d, pol)
	d.res = nil // the draws are no longer needed
	return d, nil
}

// verdict combines the checks into the verdict, its reasons and the exit
// code (methods.md §4).
func verdict(d *Decision, pol Policy) {
	var fail, open bool
	// check names the current check for add.
	check := CheckQuality
	add := func(status, s string) {
		d.Reasons = append(d.Reasons, s)
		d.Findings = append(d.Findings, Finding{Check: check, Status: status, Text: s})
	}

	q := d.Quality
	evidence := fmt.Sprintf("%s, %s interval %s", numfmt.Points(q.Delta), numfmt.Pct(q.CILevel), numfmt.PointsInterval(q.CILow, q.CIHigh))
	method := q.Method
	if math.IsNaN(q.CILow) {
		evidence = numfmt.Points(q.Delta) + "; every cluster shows the same difference, so there is no t interval"
		method = q.Method + ", decided by the exact sign test over clusters"
	}
	switch {
	case q.Met:
		add(FindingPass, fmt.Sprintf("Quality: the candidate accepts %s of cases against the baseline's %s (%s); %s ≤ α = %s, so the gain over the margin %s is established (%s).",
			numfmt.Pct(q.Candidate), numfmt.Pct(q.Baseline), evidence, numfmt.PEquals(q.PValue), numfmt.Num(pol.Alpha), numfmt.Points(q.Margin), method))
	case q.Missed && math.IsNaN(q.CIHigh):
		fail = true
		add(FindingFail, fmt.Sprintf("Quality: the candidate accepts %s of cases against the baseline's %s (%s); the clusters show it below the margin %s, so the candidate does not clear it (%s).",
			numfmt.Pct(q.Candidate), numfmt.Pct(q.Baseline), evidence, numfmt.Points(q.Margin), method))
	case q.Missed:
		fail = true
		add(FindingFail, fmt.Sprintf("Quality: the candidate accepts %s of cases against the baseline's %s (%s); the whole interval lies below the margin %s, so the candidate does not clear it (%s).",
			numfmt.Pct(q.Candidate), numfmt.Pct(q.Baseline), evidence, numfmt.Points(q.Margin), method))
	default:
		open = true
		note := ""
		if (q.Method == "mcnemar-exact" || q.Method == "tango-exact") && q.CILow > q.Margin {
			note = "; the interval is Tango's score interval, an approximation, and the exact test decides"
		}
		add(FindingOpen, fmt.Sprintf("Quality: the candidate accepts %s of cases against the baseline's %s (%s); %s > α = %s, so a gain over the margin %s is not established (%s%s).",
			numfmt.Pct(q.Candidate), numfmt.Pct(q.Baseline), evidence, numfmt.PEquals(q.PValue), numfmt.Num(pol.Alpha), numfmt.Points(q.Margin), method, note))
	}

	c := d.Cost
	check = CheckCost
	switch {
	case !c.Measured && !pol.Cost.Required:
		add(FindingInfo, "Cost: not measured ("+c.NotMeasured+"); the policy sets cost.required: false, so the gate decides on quality alone.")
	case !c.Measured:
		open = true
		remedy := c.Remedy
		if remedy == "" {
			remedy = "add cost_usd or token usage with a pricing table"
		}
		add(FindingOpen, "Cost: not measured ("+c.NotMeasured+"), so the candidate cannot be shown to be cheaper per accepted outcome; "+remedy+", or set cost.required: false.")
	case c.Met:
		add(FindingPass, fmt.Sprintf("Cost: the candidate's cost per accepted outcome is %s of the baseline's (%s → %s, %s %s %s); %s, so it is below the limit %s (%s).",
			numfmt.Ratio(c.Ratio), numfmt.USD(c.BaselineCPA), numfmt.USD(c.CandidateCPA), numfmt.Pct(c.CILevel), costIntervalName(c), numfmt.RatioInterval(c.CILow, c.CIHigh), costPClause(c, pol.Alpha), numfmt.Ratio(c.MaxRatio), costMethodName(c, false)))
	case c.Missed && math.IsNaN(c.Ratio):
		fail = true
		add(FindingFail, fmt.Sprintf("Cost: %s, so the candidate costs more per accepted outcome (baseline %s, candidate %s).", c.Undefined, numfmt.USD(c.BaselineCPA), numfmt.USD(c.CandidateCPA)))
	case math.IsNaN(c.Ratio):
		open = true
		add(FindingOpen, fmt.Sprintf("Cost: the cost ratio is undefined (%s), so the candidate is not shown to be cheaper per accepted outcome.", c.Undefined))
	case c.Missed:
		fail = true
		add(FindingFail, fmt.Sprintf("Cost: the candidate's cost per accepted outcome is %s of the baseline's (%s → %s); the whole %s %s %s lies above the limit %s, so the candidate costs more per accepted outcome (%s).",
			numfmt.Ratio(c.Ratio), numfmt.USD(c.BaselineCPA), numfmt.USD(c.CandidateCPA), numfmt.Pct(c.CILevel), costIntervalName(c), numfmt.RatioInterval(c.CILow, c.CIHigh), numfmt.Ratio(c.MaxRatio), costMethodName(c, true)))
	default:
		open = true
		add(FindingOpen, fmt.Sprintf("Cost: the candidate's cost per accepted outcome is %s of the baseline's (%s → %s, %s %s %s); %s, so being below the limit %s is not established (%s).",
			numfmt.Ratio(c.Ratio), numfmt.USD(c.BaselineCPA), numfmt.USD(c.CandidateCPA), numfmt.Pct(c.CILevel), costIntervalName(c), numfmt.RatioInterval(c.CILow, c.CIHigh), costPClause(c, pol.Alpha), numfmt.Ratio(c.MaxRatio), costMethodName(c, false)))
	}

	check = CheckVerdict
	sequentialReasons(d, pol, func(s string) { add(FindingInfo, s) })

	check = CheckSegment
	for _, s := range d.Segments {
		if !s.Regression {
			continue
		}
		verb, status := "blocks the release", FindingFail
		if pol.Segments.BlockOnRegression {
			fail = true
		} else {
			verb, status = "does not block (segments.block_on_regression: false)", FindingInfo
		}
		add(status, fmt.Sprintf("Segment %q regresses: %s → %s (%s) over %s, Holm-adjusted %s ≤ α = %s; this %s.",
			s.Name, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate), numfmt.Points(s.Delta), numfmt.Counted(s.Cases, "case", "cases"), numfmt.PEquals(s.PAdjusted), numfmt.Num(pol.Alpha), verb))
	}

	check = CheckConstraint
	for _, group := range [][]Constraint{d.Latency.Constraints, d.Format.Constraints} {
		for _, k := range group {
			switch {
			case !k.Measured && k.Required:
				open = true
				add(FindingOpen, fmt.Sprintf("Constraint %s: not measured, and the policy marks it required.", k.Name))
			case !k.Measured:
				add(FindingInfo, fmt.Sprintf("Constraint %s: not measured (no data), not required.", k.Name))
			case !k.Held:
				fail = true
				add(FindingFail, fmt.Sprintf("Constraint %s: broken, %s against the limit %s.", k.Name, constraintText(k.Name, k.Value), constraintText(k.Name, k.Limit)))
			}
		}
	}

	check = CheckEconomics
	if e := d.Economics; e != nil && e.Enforced {
		if e.Blocks {
			fail = true
			add(FindingFail, fmt.Sprintf("Economics: fine-tuning does not clear the threshold rule (%d of 4 conditions); the policy requires %d and enforces the rule.", e.Met, e.Required))
		} else {
			add(FindingPass, fmt.Sprintf("Economics: the threshold rule holds (%d of 4 conditions met, %d required).", e.Met, e.Required))
		}
	}

	check = CheckVerdict
	switch {
	case fail:
		d.Verdict, d.ExitCode = Fail, ExitNotPass
	case open:
		d.Verdict, d.ExitCode = Inconclusive, ExitNotPass
		if s := moreCasesSentence(d, pol); s != "" {
			add(FindingInfo, s)
		}
		if pol.Inconclusive == "warn" {
			d.ExitCode = ExitPass
			add(FindingInfo, "The policy sets inconclusive: warn, so the release is not blocked.")
		} else {
			add(FindingInfo, "Without evidence either way the release is blocked (inconclusive: fail).")
		}
	default:
		d.Verdict, d.ExitCode = Pass, ExitPass
	}
}

// moreCasesSentence says how many more paired cases would settle the open
// tests: the larger of the quality and the cost plans, among the tests
// that are neither met nor missed ("" when none needs more).
func moreCasesSentence(d *Decision, pol Policy) string {
	pw, q, c := d.Power, d.Quality, d.Cost
	qualityOpen := !q.Met && !q.Missed
	costOpen := c.Measured && !c.Met && !c.Missed && !math.IsNaN(c.Ratio)
	more, what := 0, ""
	if qualityOpen && pw.MoreCasesNeeded > 0 {
		more, what = pw.MoreCasesNeeded, "detect a quality gain of "+numfmt.Points(pw.Effect)
	}
	if costOpen && pw.CostMoreCasesNeeded > more {
		more, what = pw.CostMoreCasesNeeded, fmt.Sprintf("show a cost ratio of %s below the limit %s", numfmt.Ratio(pw.CostRatio), numfmt.Ratio(c.MaxRatio))
		if qualityOpen && pw.MoreCasesNeeded > 0 {
			what += fmt.Sprintf(" (the quality test needs %s more to detect a gain of %s)", numfmt.Int(pw.MoreCasesNeeded), numfmt.Points(pw.Effect))
		}
	} else if costOpen && pw.CostMoreCasesNeeded > 0 && more > 0 {
		what += fmt.Sprintf(" (the cost test needs %s more to show a cost ratio of %s)", numfmt.Int(pw.CostMoreCasesNeeded), numfmt.Ratio(pw.CostRatio))
	}
	if more == 0 {
		return ""
	}
	return fmt.Sprintf("About %s more paired cases (%s in all) would give %s power to %s.", numfmt.Int(more), numfmt.Int(more+d.Cases.Paired), numfmt.Pct(pw.Target), what)
}

// constraintText formats a constraint's value or limit in its unit.
func constraintText(name string, x float64) string {
	switch {
	case strings.HasSuffix(name, "_ms"):
		return numfmt.Ms(x, numfmt.Num(x))
	case strings.HasSuffix(name, "_ratio"):
		return numfmt.Ratio(x)
	case strings.HasSuffix(name, "_rate"):
		return numfmt.Pct(x)
	}
	return numfmt.Num(x)
}
