package gate

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// Condition names and statuses of the threshold rule (economics.md).
const (
	CondVolume       = "volume"
	CondStrictFormat = "strict_format"
	CondLatency      = "latency"
	CondPlateau      = "plateau"

	StatusMet         = "met"
	StatusNotMet      = "not_met"
	StatusNotMeasured = "not_measured"
)

// Volume bases of the break-even analysis.
const (
	BasisAcceptedOutcomes = "accepted_outcomes"
	BasisRequests         = "requests"
)

// Checklist answers.
const (
	AnswerYes     = "yes"
	AnswerNo      = "no"
	AnswerUnknown = "unknown"
)

// economicsConfigured reports whether the policy asks for the economics:
// any key of its economics block differs from the default.
func economicsConfigured(pol Policy) bool {
	return pol.Economics != DefaultPolicy().Economics
}

// OneTimeUSD is F of economics.md: data curation, annotation QC, training
// runs times cycles, and deployment setup.
func (c HiddenCosts) OneTimeUSD() float64 {
	return c.DataCuration + c.AnnotationQC + c.TrainingRun*c.TrainingCycles + c.DeploymentSetup
}

// RetrainMonthlyUSD is the retrain cost amortised per month: the effective
// retrain cost over retrain_every_months (0 without a retrain cadence).
func (c HiddenCosts) RetrainMonthlyUSD() float64 {
	if c.RetrainEveryMonths <= 0 {
		return 0
	}
	return c.EffectiveRetrainCost() / c.RetrainEveryMonths
}

// MonthlyUSD is M of economics.md: hosting, monitoring and maintenance per
// month plus the amortised retrain.
func (c HiddenCosts) MonthlyUSD() float64 {
	return c.HostingMonthly + c.MonitoringMonthly + c.MaintenanceMonthly + c.RetrainMonthlyUSD()
}

// breakEvenMonths is F/S, +Inf ("never") when S ≤ 0, NaN when S is.
func breakEvenMonths(f, s float64) float64 {
	switch {
	case math.IsNaN(s):
		return math.NaN()
	case s <= 0:
		return math.Inf(1)
	}
	return f / s
}

// breakEvenVolume is (F/H + M)/u, the monthly volume at which the net
// value over the horizon is zero; +Inf when u ≤ 0, NaN when u is.
func breakEvenVolume(f, m, h, u float64) float64 {
	switch {
	case math.IsNaN(u):
		return math.NaN()
	case u <= 0:
		return math.Inf(1)
	}
	return (f/h + m) / u
}

// monthlySaving is S = V·u − M, with 0·u = 0 whatever u.
func monthlySaving(v, u, m float64) float64 {
	if v == 0 {
		return -m
	}
	return v*u - m
}

// economics computes the break-even analysis and the threshold rule of
// economics.md for the candidate against base (the routed baseline when
// there are several tiers). See docs/economics.md for the model.
func economics(d *Decision, p *scorecard.Paired, in Input, base, cand arm, pol Policy) *Economics {
	ep := pol.Economics
	c := ep.Costs
	h := ep.HorizonMonths
	e := &Economics{
		OneTimeUSD:        c.OneTimeUSD(),
		MonthlyUSD:        c.MonthlyUSD(),
		RetrainMonthlyUSD: c.RetrainMonthlyUSD(),
		HorizonMonths:     h,
		Required:          ep.Require,
		Enforced:          ep.Enforce,
	}
	if c.RetrainEveryMonths == 0 && c.RetrainCost != nil && *c.RetrainCost > 0 {
		d.Warnings = append(d.Warnings, "economics: costs.retrain_cost is ignored without costs.retrain_every_months")
	}
	nanAll := []*float64{&e.AcceptedOutcomesPerMonth, &e.RequestsPerMonth, &e.SavingPerAcceptedUSD, &e.SavingPerAcceptedConservativeUSD,
		&e.SavingPerRequestUSD, &e.SavingPerRequestConservativeUSD, &e.MonthlySavingUSD, &e.MonthlySavingConservativeUSD,
		&e.BreakEvenMonths, &e.BreakEvenMonthsConservative, &e.BreakEvenMonthlyVolume, &e.BreakEvenMonthlyVolumeConservative,
		&e.NetValueHorizonUSD, &e.NetValueHorizonConservativeUSD}
	for _, x := range nanAll {
		*x = math.NaN()
	}

	k := d.Cost
	costOK := k.Measured && k.BaselineCPA > 0 && !math.IsInf(k.BaselineCPA, 0)
	if costOK {
		e.SavingPerAcceptedUSD = k.BaselineCPA - k.CandidateCPA
		switch {
		case math.IsInf(k.CandidateCPA, 1):
			e.SavingPerAcceptedConservativeUSD = math.Inf(-1)
		case !math.IsNaN(k.CIHigh):
			e.SavingPerAcceptedConservativeUSD = k.BaselineCPA * (1 - k.CIHigh)
		}
	}

	// The unit of volume and the saving per unit.
	var vol, u, uCons float64 = math.NaN(), e.SavingPerAcceptedUSD, e.SavingPerAcceptedConservativeUSD
	switch {
	case ep.AcceptedOutcomesPerMonth != nil:
		e.VolumeBasis = BasisAcceptedOutcomes
		vol = *ep.AcceptedOutcomesPerMonth
		e.AcceptedOutcomesPerMonth = vol
	case ep.RequestsPerMonth != nil:
		e.VolumeBasis = BasisRequests
		vol = *ep.RequestsPerMonth
		e.RequestsPerMonth = vol
		e.AcceptedOutcomesPerMonth = vol * mean(base.acc)
		e.SavingPerRequestUSD, e.SavingPerRequestConservativeUSD = perRequestSaving(d, p, base, cand, pol)
		u, uCons = e.SavingPerRequestUSD, e.SavingPerRequestConservativeUSD
	}
	e.BreakEvenMonthlyVolume = breakEvenVolume(e.OneTimeUSD, e.MonthlyUSD, h, u)
	e.BreakEvenMonthlyVolumeConservative = breakEvenVolume(e.OneTimeUSD, e.MonthlyUSD, h, uCons)
	if !math.IsNaN(vol) {
		e.MonthlySavingUSD = monthlySaving(vol, u, e.MonthlyUSD)
		e.MonthlySavingConservativeUSD = monthlySaving(vol, uCons, e.MonthlyUSD)
		e.BreakEvenMonths = breakEvenMonths(e.OneTimeUSD, e.MonthlySavingUSD)
		e.BreakEvenMonthsConservative = breakEvenMonths(e.OneTimeUSD, e.MonthlySavingConservativeUSD)
		e.NetValueHorizonUSD = h*e.MonthlySavingUSD - e.OneTimeUSD
		e.NetValueHorizonConservativeUSD = h*e.MonthlySavingConservativeUSD - e.OneTimeUSD
	}

	e.Conditions = []Condition{
		volumeCondition(e, vol, costOK),
		formatCondition(d, pol),
		latencyCondition(d, pol),
		plateauCondition(d, p, in, base, pol),
	}
	for _, cd := range e.Conditions {
		if cd.Status == StatusMet {
			e.Met++
		}
	}
	e.Blocks = e.Enforced && e.Met < e.Required
	if !e.Enforced && e.Met < e.Required && economicsConfigured(pol) {
		d.Warnings = append(d.Warnings, fmt.Sprintf("economics: fine-tuning does not clear the threshold rule (%d of 4 conditions); %d are required, but economics.enforce is false, so this is advice only", e.Met, e.Required))
	}
	return e
}

// perRequestSaving returns c̄_B − c̄_C, the mean cost per request saved, and
// its conservative value c̄_B·(1 − κ_upper), where κ = c̄_C/c̄_B is the
// per-request cost ratio and κ_upper the upper end of its interval from the
// cost test's machinery (the same paired cluster bootstrap or delta method,
// with every case counted as one "accepted" request).
func perRequestSaving(d *Decision, p *scorecard.Paired, base, cand arm, pol Policy) (s, sCons float64) {
	if !base.hasCost || !cand.hasCost {
		return math.NaN(), math.NaN()
	}
	cb, cc := mean(base.cost), mean(cand.cost)
	if !(cb > 0) {
		return math.NaN(), math.NaN()
	}
	s = cb - cc
	ones := make([]float64, len(base.cost))
	for i := range ones {
		ones[i] = 1
	}
	data := stats.RatioData{CostB: base.cost, AccB: ones, CostC: cand.cost, AccC: ones, Cluster: p.ClusterIndex()}
	level := 1 - 2*pol.Alpha
	var hi float64
	if costMethod(len(p.Clusters), pol) == "delta" {
		hi = stats.DeltaRatio(data, pol.Cost.MaxRatio, level).Hi
	} else {
		hi = d.bootstrap(pol, len(p.Clusters)).ratio(data).result(level, pol.Cost.MaxRatio).Hi
	}
	return s, cb * (1 - hi)
}

// volumeUnit names the unit of a volume on the economics' basis.
func volumeUnit(basis string) string {
	if basis == BasisRequests {
		return "requests"
	}
	return "accepted outcomes"
}

// volumeCondition is condition 1: the monthly volume reaches the break-even
// volume computed with the conservative saving.
func volumeCondition(e *Economics, vol float64, costOK bool) Condition {
	cd := Condition{Name: CondVolume, Status: StatusNotMeasured}
	unit := volumeUnit(e.VolumeBasis)
	switch {
	case !costOK:
		cd.Detail = "cost per accepted outcome is not measured for both arms, so there is no saving to weigh against the hidden costs"
		return cd
	case e.VolumeBasis == "":
		cd.Detail = "the policy gives no volume (economics.accepted_outcomes_per_month or economics.requests_per_month)"
		if math.IsInf(e.BreakEvenMonthlyVolumeConservative, 1) {
			cd.Detail += "; at the cost interval's upper end there is no saving per accepted outcome, so no volume would break even"
		} else {
			cd.Detail += fmt.Sprintf("; break-even needs %s accepted outcomes/month at the cost interval's upper end", numfmt.Count(e.BreakEvenMonthlyVolumeConservative))
		}
		return cd
	case math.IsNaN(e.BreakEvenMonthlyVolumeConservative):
		cd.Detail = "the cost interval is undefined, so the conservative break-even volume is unknown"
		return cd
	}
	need := e.BreakEvenMonthlyVolumeConservative
	if vol >= need {
		cd.Status = StatusMet
		cd.Detail = fmt.Sprintf("%s %s/month ≥ %s, the break-even volume over %s months even at the cost interval's upper end",
			numfmt.Count(vol), unit, numfmt.Count(need), numfmt.Num(e.HorizonMonths))
		return cd
	}
	cd.Status = StatusNotMet
	if math.IsInf(need, 1) {
		cd.Detail = fmt.Sprintf("at the cost interval's upper end there is no saving per %s (%s), so no volume pays back the hidden costs",
			strings.TrimSuffix(unit, "s"), numfmt.USD(conservativeSaving(e)))
		return cd
	}
	cd.Detail = fmt.Sprintf("%s %s/month < %s, the break-even volume over %s months at the cost interval's upper end",
		numfmt.Count(vol), unit, numfmt.Count(need), numfmt.Num(e.HorizonMonths))
	return cd
}

func conservativeSaving(e *Economics) float64 {
	if e.VolumeBasis == BasisRequests {
		return e.SavingPerRequestConservativeUSD
	}
	return e.SavingPerAcceptedConservativeUSD
}

// formatCondition is condition 2: the baseline clearly misses the format
// target, the upper end of its schema-valid rate's Wilson interval (level
// 1 − 2α) being below format.min_valid_rate.
func formatCondition(d *Decision, pol Policy) Condition {
	cd := Condition{Name: CondStrictFormat, Status: StatusNotMeasured}
	f := d.Format
	lim := pol.Format.MinValidRate
	switch {
	case lim == nil:
		cd.Detail = "the policy sets no format.min_valid_rate"
		return cd
	case f.BaselineValidN == 0:
		cd.Detail = "the baseline records no schema_valid"
		return cd
	}
	desc := fmt.Sprintf("the baseline's schema-valid rate is %s (%s interval [%s, %s], %s samples)",
		numfmt.Pct(f.BaselineValidRate), numfmt.Pct(1-2*pol.Alpha), numfmt.Pct(f.BaselineValidLow), numfmt.Pct(f.BaselineValidHigh), numfmt.Int(f.BaselineValidN))
	if f.BaselineValidHigh < *lim {
		cd.Status = StatusMet
		cd.Detail = desc + fmt.Sprintf(": even the upper end is below format.min_valid_rate %s", numfmt.Pct(*lim))
	} else {
		cd.Status = StatusNotMet
		cd.Detail = desc + fmt.Sprintf(": not clearly below format.min_valid_rate %s", numfmt.Pct(*lim))
	}
	return cd
}

// latencyCondition is condition 3: the baseline clearly misses the latency
// target, its p95 and the lower end of the p95's interval being above
// latency.max_p95_ms.
func latencyCondition(d *Decision, pol Policy) Condition {
	cd := Condition{Name: CondLatency, Status: StatusNotMeasured}
	l := d.Latency
	lim := pol.Latency.MaxP95Ms
	switch {
	case lim == nil:
		cd.Detail = "the policy sets no latency.max_p95_ms"
		return cd
	case math.IsNaN(l.BaselineP95):
		cd.Detail = "the baseline records no latency_ms"
		return cd
	}
	desc := fmt.Sprintf("the baseline's p95 latency is %s (%s interval %s)", numfmt.Ms(l.BaselineP95, "unknown"), numfmt.Pct(1-2*pol.Alpha), numfmt.MsInterval(l.BaselineP95Low, l.BaselineP95High, "none"))
	if l.BaselineP95 > *lim && l.BaselineP95Low > *lim {
		cd.Status = StatusMet
		cd.Detail = desc + fmt.Sprintf(": even the lower end is above latency.max_p95_ms %s", numfmt.Ms(*lim, ""))
	} else {
		cd.Status = StatusNotMet
		cd.Detail = desc + fmt.Sprintf(": not clearly above latency.max_p95_ms %s", numfmt.Ms(*lim, ""))
	}
	return cd
}

// plateauCondition is condition 4. The series of baseline runs is the
// --baseline-history files, oldest first, followed by the current baseline
// (the routed baseline with several tiers); min_runs counts the runs of
// that series, the current one included. The history must cover the same
// case ids as the baseline scorecards (paired with scorecard.Pair, so
// workflows and clusters must agree too). The paired gain of the current
// baseline over the run window places back is tested with the quality
// machinery: Tango's score interval for single-sample unclustered cases,
// the cluster-robust t interval otherwise, two-sided at level 1 − 2α. The
// condition is met when the interval's upper end is below min_gain.
func plateauCondition(d *Decision, p *scorecard.Paired, in Input, base arm, pol Policy) Condition {
	pp := pol.Economics.Plateau
	cd := Condition{Name: CondPlateau, Status: StatusNotMeasured}
	runs := len(in.History) + 1
	if len(in.History) == 0 {
		cd.Detail = "no --baseline-history scorecards were given"
		return cd
	}
	if runs < pp.MinRuns || runs <= pp.Window {
		cd.Detail = fmt.Sprintf("%s (%d from --baseline-history and the current one), fewer than economics.plateau.min_runs %d", numfmt.Counted(runs, "baseline run", "baseline runs"), len(in.History), max(pp.MinRuns, pp.Window+1))
		return cd
	}
	arms := append([]*scorecard.Scorecard{}, in.History...)
	for _, b := range in.Baselines {
		arms = append(arms, p.Arms[b])
	}
	hp, err := scorecard.Pair(arms, scorecard.PairOptions{AllowUnmatched: pol.Pairing.AllowUnmatched})
	if err != nil {
		cd.Detail = "the baseline history does not pair with the baseline: " + firstLine(err.Error())
		return cd
	}
	old := runs - 1 - pp.Window // index into in.History
	byID := make(map[string]int, len(hp.Cases))
	for j := range hp.Cases {
		byID[hp.Cases[j].ID] = j
	}
	n := len(p.Cases)
	diff := make([]float64, n)
	// The method follows the baseline runs alone: the candidate's samples
	// have nothing to do with the plateau.
	single := hp.Single() && !hp.Clustered()
	var b, c int
	for i := range p.Cases {
		j, ok := byID[p.Cases[i].ID]
		if !ok {
			cd.Detail = fmt.Sprintf("case %q is not in the baseline history", p.Cases[i].ID)
			return cd
		}
		prev := hp.Cases[j].Arms[old].Accepted
		diff[i] = base.acc[i] - prev
		switch {
		case diff[i] > 0:
			b++
		case diff[i] < 0:
			c++
		}
	}
	level := 1 - 2*pol.Alpha
	gain := mean(diff)
	var lo, hi float64
	method := "cluster-t"
	below := false // evidence that the gain is below min_gain
	if single {
		method = "tango"
		lo, hi = stats.TangoInterval(b, c, n, level)
		below = hi < pp.MinGain
	} else {
		ct := stats.ClusterT(diff, p.ClusterIndex(), pp.MinGain, level)
		lo, hi = ct.Lo, ct.Hi
		below = ct.G >= 2 && hi < pp.MinGain
		if zeroSE(ct) {
			// Identical differences in every cluster: the t interval is a
			// point; the exact sign test over clusters decides.
			_, pBelow := clusterSignTest(diff, p.ClusterIndex(), pp.MinGain)
			lo, hi = math.NaN(), math.NaN()
			method = "sign test over clusters"
			below = pBelow <= pol.Alpha
		}
	}
	oldName := in.History[old].System.Name
	if oldName == "" {
		oldName = in.History[old].Source
	}
	desc := fmt.Sprintf("the current baseline gains %s over %s, %s back (%s interval %s, %s, %s)",
		numfmt.Points(gain), oldName, numfmt.Counted(pp.Window, "run", "runs"), numfmt.Pct(level), numfmt.PointsInterval(lo, hi), method, numfmt.Counted(n, "case", "cases"))
	met := fmt.Sprintf(": even the upper end is below economics.plateau.min_gain %s", numfmt.Points(pp.MinGain))
	if math.IsNaN(hi) {
		desc = fmt.Sprintf("the current baseline gains %s over %s, %s back (the same in every cluster, so the %s decides; %s)",
			numfmt.Points(gain), oldName, numfmt.Counted(pp.Window, "run", "runs"), method, numfmt.Counted(n, "case", "cases"))
		met = fmt.Sprintf(": the clusters show the gain below economics.plateau.min_gain %s", numfmt.Points(pp.MinGain))
	}
	if below {
		cd.Status = StatusMet
		cd.Detail = desc + met
	} else {
		cd.Status = StatusNotMet
		cd.Detail = desc + fmt.Sprintf(": a gain of economics.plateau.min_gain %s is not ruled out", numfmt.Points(pp.MinGain))
	}
	return cd
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// checklist answers the decision checklist of economics.md on every run,
// and fills the failure-class and transition tables.
func checklist(d *Decision, p *scorecard.Paired, base, cand arm, pol Policy) []ChecklistItem {
	d.FailureClasses, d.FailureTransitions, d.TransitionTotals = failureTables(base, cand)
	items := []ChecklistItem{
		labelledItem(base, pol),
		mixItem(p, pol),
		regressionItem(d, pol),
		volumeItem(d),
	}
	var no []string
	for k, it := range items {
		if it.Answer == AnswerNo {
			no = append(no, strconv.Itoa(k+1))
		}
	}
	if len(no) >= 2 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("decision checklist: %d of 4 points are answered no (%s), so baseline work (labelling failures, a representative eval set, automatic regression checks, volume) still has the better return than fine-tuning",
			len(no), strings.Join(no, ", ")))
	}
	return items
}

// Checklist questions (economics.md, "Decision checklist").
const (
	QuestionLabelled   = "Validated baseline and measured failure classes"
	QuestionMix        = "Representative, maintainable dataset"
	QuestionRegression = "Regressions detected automatically before release"
	QuestionVolume     = "Volume high enough for break-even"
)

// outcomeOf labels one sample: Accepted, its failure class, or Unlabelled.
func outcomeOf(s *scorecard.Sample) string {
	switch {
	case s.Accepted:
		return Accepted
	case s.FailureClass != "":
		return s.FailureClass
	}
	return Unlabelled
}

func labelledItem(base arm, pol Policy) ChecklistItem {
	it := ChecklistItem{Question: QuestionLabelled, Answer: AnswerUnknown}
	var failed, labelled int
	for _, ss := range base.samples {
		for _, s := range ss {
			if !s.Accepted {
				failed++
				if s.FailureClass != "" {
					labelled++
				}
			}
		}
	}
	if failed == 0 {
		it.Detail = "the baseline has no rejected sample, so there is no failure to label"
		return it
	}
	share := float64(labelled) / float64(failed)
	it.Detail = fmt.Sprintf("%s of the baseline's %s (%s) carry a failure_class; checklist.min_labelled is %s",
		numfmt.Int(labelled), numfmt.Counted(failed, "rejected sample", "rejected samples"), numfmt.Pct(share), numfmt.Pct(pol.Checklist.MinLabelled))
	it.Answer = AnswerNo
	if share >= pol.Checklist.MinLabelled {
		it.Answer = AnswerYes
	}
	return it
}

// MixDistance is the total variation distance ½·Σ_w |e_w − q_w| between
// the eval set's workflow shares e and the production shares q, over the
// union of their workflows (cases without a workflow count as NoWorkflow).
func MixDistance(eval, prod map[string]float64) float64 {
	keys := map[string]bool{}
	for k := range eval {
		keys[k] = true
	}
	for k := range prod {
		keys[k] = true
	}
	tv := 0.0
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		tv += math.Abs(eval[k] - prod[k])
	}
	return tv / 2
}

func mixItem(p *scorecard.Paired, pol Policy) ChecklistItem {
	it := ChecklistItem{Question: QuestionMix, Answer: AnswerUnknown}
	if len(pol.Checklist.ProductionMix) == 0 {
		it.Detail = "not measured: the policy gives no checklist.production_mix to compare the eval set's workflow mix with"
		return it
	}
	groups, _ := workflowGroups(p)
	eval := map[string]float64{}
	for w, idx := range groups {
		eval[w] = float64(len(idx)) / float64(len(p.Cases))
	}
	tv := MixDistance(eval, pol.Checklist.ProductionMix)
	it.Answer = AnswerNo
	if tv <= pol.Checklist.MaxMixDistance+1e-12 {
		it.Answer = AnswerYes
	}
	it.Detail = fmt.Sprintf("total variation distance between the eval set's workflow mix and checklist.production_mix is %s (limit %s)",
		strconv.FormatFloat(tv, 'f', 3, 64), numfmt.Num(pol.Checklist.MaxMixDistance))
	return it
}

// regressionItem answers whether regressions are caught automatically:
// yes when every workflow was tested, and the detail says what the tests
// can see (the range of the segments' smallest detectable drops).
func regressionItem(d *Decision, pol Policy) ChecklistItem {
	it := ChecklistItem{Question: QuestionRegression, Answer: AnswerNo}
	if len(d.Segments) == 0 {
		it.Detail = "no workflow was tested: the cases carry no workflow, so a regression in one part of the product cannot be located"
		return it
	}
	var tested int
	var untested, blind []string
	lo, hi := -1, -1
	for i, s := range d.Segments {
		if !s.Tested {
			untested = append(untested, fmt.Sprintf("%q (%s)", s.Name, s.NotTested))
			continue
		}
		tested++
		if math.IsInf(s.MDE, 1) {
			blind = append(blind, fmt.Sprintf("%q", s.Name))
		}
		if math.IsNaN(s.MDE) || math.IsInf(s.MDE, 0) {
			continue
		}
		if lo < 0 || s.MDE < d.Segments[lo].MDE {
			lo = i
		}
		if hi < 0 || s.MDE > d.Segments[hi].MDE {
			hi = i
		}
	}
	it.Detail = fmt.Sprintf("%d of %s tested for a drop in acceptance (Holm-adjusted)", tested, numfmt.Counted(len(d.Segments), "workflow", "workflows"))
	if tested == len(d.Segments) {
		it.Answer = AnswerYes
	} else {
		it.Detail += "; not tested: " + strings.Join(untested, ", ")
	}
	power := numfmt.Pct(pol.Power.Target)
	switch {
	case lo < 0:
	case lo == hi:
		it.Detail += fmt.Sprintf("; with %s power the test sees a drop of %s or more (%q)", power, dropText(d.Segments[lo].MDE), d.Segments[lo].Name)
	default:
		it.Detail += fmt.Sprintf("; with %s power the tests see a drop of %s (%q) to %s (%q) or more", power,
			dropText(d.Segments[lo].MDE), d.Segments[lo].Name, dropText(d.Segments[hi].MDE), d.Segments[hi].Name)
	}
	if len(blind) > 0 {
		it.Detail += "; too few cases to see any drop with that power in " + strings.Join(blind, ", ")
	}
	return it
}

// dropText formats a detectable drop in points, without a sign.
func dropText(x float64) string { return strings.TrimPrefix(numfmt.Points(x), "+") }

func volumeItem(d *Decision) ChecklistItem {
	it := ChecklistItem{Question: QuestionVolume, Answer: AnswerUnknown}
	if d.Economics == nil {
		it.Detail = "not measured: the policy has no economics block (hidden costs and a monthly volume)"
		return it
	}
	cd := d.Economics.Conditions[0]
	switch cd.Status {
	case StatusMet:
		it.Answer = AnswerYes
	case StatusNotMet:
		it.Answer = AnswerNo
	}
	it.Detail = "threshold condition 1: " + cd.Detail
	return it
}

// TransitionClasses is how many failure classes keep a row and a column
// of their own in the transition table: the most frequent ones (by
// baseline plus candidate samples, ties by name). Unlabelled failures keep
// theirs too; every other class is counted under OtherClasses, so the
// table has at most TransitionClasses+3 outcomes however many classes the
// scorecards name.
const TransitionClasses = 10

// OtherClasses is the outcome that stands, in the transition table, for
// the failure classes beyond the TransitionClasses most frequent.
const OtherClasses = "(other classes)"

// failureTables counts the not-accepted samples of each arm by class and
// the case-by-case transitions from the baseline's outcome to the
// candidate's. A case with K_B baseline and K_C candidate samples adds
// 1/(K_B·K_C) to the transition of every pair of its samples' outcomes, so
// with one sample per case the counts are whole cases. Accepted → accepted
// is left out. The transitions run between the outcomes of
// transitionOutcomes (the most frequent classes, the rest under
// OtherClasses), so their number is bounded whatever the classes; the
// class counts are linear in the samples.
func failureTables(base, cand arm) ([]FailureClassCount, []Transition, TransitionTotals) {
	classes := map[string]*FailureClassCount{}
	row := func(k string) *FailureClassCount {
		r, ok := classes[k]
		if !ok {
			r = &FailureClassCount{Class: k}
			classes[k] = r
		}
		return r
	}
	for i := range base.samples {
		for _, s := range base.samples[i] {
			if o := outcomeOf(s); o != Accepted {
				row(o).Baseline++
			}
		}
		for _, s := range cand.samples[i] {
			if o := outcomeOf(s); o != Accepted {
				row(o).Candidate++
			}
		}
	}
	var fc []FailureClassCount
	for _, k := range slices.Sorted(maps.Keys(classes)) {
		fc = append(fc, *classes[k])
	}
	sort.SliceStable(fc, func(i, j int) bool {
		a, b := fc[i], fc[j]
		if (a.Class == Unlabelled) != (b.Class == Unlabelled) {
			return b.Class == Unlabelled
		}
		return a.Baseline+a.Candidate > b.Baseline+b.Candidate
	})
	kept := map[string]bool{}
	for _, o := range TransitionOutcomes(fc) {
		kept[o] = true
	}
	label := func(s *scorecard.Sample) string {
		if s.Accepted {
			return Accepted
		}
		if o := outcomeOf(s); kept[o] && o != Accepted {
			return o
		}
		return OtherClasses
	}
	// A case with samples bs and cs adds 1/(|bs||cs|) for every pair of
	// a baseline and a candidate sample, so outcome from → to gets
	// n_B(from)·n_C(to)/(|bs||cs|): counted per outcome, in time linear in
	// the samples (the pairs themselves are quadratic, and the outcomes
	// of one case at most TransitionClasses+3 a side).
	trans := map[[2]string]float64{}
	var totals TransitionTotals
	count := func(samples []*scorecard.Sample, outcome func(*scorecard.Sample) string) map[string]int {
		n := map[string]int{}
		for _, s := range samples {
			n[outcome(s)]++
		}
		return n
	}
	for i := range base.samples {
		bs, cs := base.samples[i], cand.samples[i]
		if len(bs) == 0 || len(cs) == 0 {
			continue
		}
		pairs := float64(len(bs)) * float64(len(cs))
		// The totals come from the classes themselves, so two classes
		// counted under OtherClasses are a change, not the same class.
		ob, oc := count(bs, outcomeOf), count(cs, outcomeOf)
		nf, nfc := len(bs)-ob[Accepted], len(cs)-oc[Accepted]
		totals.Fixed += float64(nf) * float64(oc[Accepted]) / pairs
		totals.Broke += float64(ob[Accepted]) * float64(nfc) / pairs
		same := 0.0
		for o, kb := range ob {
			if o != Accepted {
				same += float64(kb) * float64(oc[o])
			}
		}
		totals.Same += same / pairs
		totals.Changed += (float64(nf)*float64(nfc) - same) / pairs
		nb, nc := count(bs, label), count(cs, label)
		for from, kb := range nb {
			for to, kc := range nc {
				if from == Accepted && to == Accepted {
					continue
				}
				trans[[2]string{from, to}] += float64(kb) * float64(kc) / pairs
			}
		}
	}
	var tr []Transition
	for k, v := range trans {
		tr = append(tr, Transition{From: k[0], To: k[1], Cases: v})
	}
	sort.Slice(tr, func(i, j int) bool {
		a, b := tr[i], tr[j]
		if a.Cases != b.Cases {
			return a.Cases > b.Cases
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return fc, tr, totals
}

// TransitionTotals adds up the transitions by kind: the cases the
// candidate fixed (a failure became accepted), broke (accepted became a
// failure), failed in another class, and failed in the same class.
// Counted from the classes themselves, so a change between two classes
// that the table counts under OtherClasses is a change.
type TransitionTotals struct {
	Fixed, Broke, Changed, Same float64
}

// TransitionOutcomes returns the rows (and columns) of the transition
// table for the class counts fc, in the order failureTables sorts them
// (most frequent first, unlabelled last): Accepted, the TransitionClasses
// most frequent classes, Unlabelled when some failure carries no class,
// and OtherClasses when fc holds more classes than that (or a class
// spelled like Accepted or OtherClasses, which is counted there).
func TransitionOutcomes(fc []FailureClassCount) []string {
	out := []string{Accepted}
	labelled, other, unlabelled := 0, false, false
	for _, c := range fc {
		switch {
		case c.Class == Unlabelled:
			unlabelled = true
		case c.Class == Accepted || c.Class == OtherClasses:
			// A class that spells an outcome of the table's own is
			// counted with the other classes, never as that outcome.
			other = true
		case labelled < TransitionClasses:
			out = append(out, c.Class)
			labelled++
		default:
			other = true
		}
	}
	if unlabelled {
		out = append(out, Unlabelled)
	}
	if other {
		out = append(out, OtherClasses)
	}
	return out
}
