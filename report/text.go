package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/internal/visible"
)

// Names are the display names of the two sides of a comparison.
type Names struct {
	Baseline, Candidate string
}

// Text writes the terminal report: the comparison table (baseline →
// candidate, delta with interval, p-value), segments, power, economics and
// a one-line verdict with its reasons.
func Text(w io.Writer, d *gate.Decision, names Names) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }

	against := clean(names.Baseline) + " (baseline)"
	if names.Baseline == RoutedName {
		against = RoutedName
	}
	p("ftgate: %s — %s (candidate) against %s\n", verdictHeadline(d), clean(names.Candidate), against)
	c := d.Cases
	p("cases: %d paired in %d clusters, up to %d sample(s) per case", c.Paired, c.Clusters, c.MaxSamplesPerCase)
	if c.BaselineOnly+c.CandidateOnly > 0 {
		p("; %d baseline-only and %d candidate-only cases dropped", c.BaselineOnly, c.CandidateOnly)
	}
	p("\n\n")

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	q, k := d.Quality, d.Cost
	fmt.Fprintf(tw, "metric\tbaseline\tcandidate\tchange\t%s interval\tp\ttest\tresult\n", numfmt.Pct(q.CILevel))
	fmt.Fprintf(tw, "acceptance\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", numfmt.Pct(q.Baseline), numfmt.Pct(q.Candidate),
		numfmt.Points(q.Delta), numfmt.PointsInterval(q.CILow, q.CIHigh), numfmt.P(q.PValue), q.Method, outcome(q.Met, q.Missed, true))
	if k.Measured {
		fmt.Fprintf(tw, "cost/accepted\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", numfmt.USD(k.BaselineCPA), numfmt.USD(k.CandidateCPA),
			numfmt.Ratio(k.Ratio), numfmt.RatioInterval(k.CILow, k.CIHigh), numfmt.P(k.PValue), k.Method, outcome(k.Met, k.Missed, true))
		if k.Method == "bootstrap" {
			fmt.Fprintf(tw, "  (delta method)\t\t\t\t%s\t%s\t\t\n", numfmt.RatioInterval(k.DeltaCILow, k.DeltaCIHigh), numfmt.P(k.DeltaPValue))
		}
		fmt.Fprintf(tw, "total spend\t%s\t%s\t\t\t\t\t\n", numfmt.USD(k.BaselineTotalUSD), numfmt.USD(k.CandidateTotalUSD))
	} else {
		fmt.Fprintf(tw, "cost/accepted\tnot measured\tnot measured\t\t\t\t\t\n")
	}
	l := d.Latency
	if !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95) {
		fmt.Fprintf(tw, "latency p50\t%s\t%s\t\t\t\t\t\n", numfmt.Ms(l.BaselineP50, "-"), numfmt.Ms(l.CandidateP50, "-"))
		fmt.Fprintf(tw, "latency p95\t%s\t%s\t%s\t\t\t\t\n", numfmt.Ms(l.BaselineP95, "-"), numfmt.Ms(l.CandidateP95, "-"), numfmt.RatioOf(l.CandidateP95, l.BaselineP95, "-"))
		if !math.IsNaN(l.BaselineP95Low) || !math.IsNaN(l.CandidateP95Low) {
			fmt.Fprintf(tw, "  p95 %s interval\t%s\t%s\t\t\t\t\t\n", numfmt.Pct(q.CILevel), numfmt.MsInterval(l.BaselineP95Low, l.BaselineP95High, "-"), numfmt.MsInterval(l.CandidateP95Low, l.CandidateP95High, "-"))
		}
	}
	f := d.Format
	if !math.IsNaN(f.BaselineValidRate) || !math.IsNaN(f.CandidateValidRate) {
		fmt.Fprintf(tw, "schema valid\t%s\t%s\t%s\t\t\t\t\n", numfmt.Pct(f.BaselineValidRate), numfmt.Pct(f.CandidateValidRate),
			numfmt.Points(f.CandidateValidRate-f.BaselineValidRate))
	}
	tw.Flush()

	var ks []gate.Constraint
	ks = append(ks, l.Constraints...)
	ks = append(ks, f.Constraints...)
	if len(ks) > 0 {
		p("\nconstraints\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, k := range ks {
			status := "held"
			switch {
			case !k.Measured:
				status = "not measured"
			case !k.Held:
				status = "BROKEN"
			}
			fmt.Fprintf(tw, "  %s\tlimit %s\tvalue %s\t%s\n", k.Name, constraintValue(k.Name, k.Limit), constraintValue(k.Name, k.Value), status)
		}
		tw.Flush()
	}

	if len(d.Segments) > 0 {
		p("\nsegments (one-sided regression tests, Holm-adjusted across tested segments)\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  workflow\tcases\tbaseline\tcandidate\tchange\tp (adj.)\tresult\n")
		for _, s := range d.Segments {
			res, padj := "ok", numfmt.P(s.PAdjusted)
			switch {
			case !s.Tested:
				res, padj = "not tested ("+notTested(s)+")", "-"
			case s.Regression:
				res = "REGRESSION"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\n", clean(s.Name), s.Cases, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate), numfmt.Points(s.Delta), padj, res)
		}
		tw.Flush()
	}

	pw := d.Power
	p("\npower: detecting a quality gain of %s with %s power takes %s paired cases (%d now); with %d cases the smallest detectable gain is %s%s\n",
		numfmt.Points(pw.Effect), numfmt.Pct(pw.Target), numfmt.Cases(pw.CasesNeeded), c.Paired, c.Paired, numfmt.Points(pw.MDE), costPowerClause(d))

	textEconomics(ew, d)

	p("\nverdict: %s\n", strings.ToUpper(string(d.Verdict)))
	for _, r := range d.Reasons {
		p("  - %s\n", clean(r))
	}
	if len(d.Warnings) > 0 {
		p("\nwarnings:\n")
		for _, w := range d.Warnings {
			p("  - %s\n", clean(w))
		}
	}
	return ew.err
}

// textEconomics writes the tiers and routing, the economics (break-even
// and threshold rule), the decision checklist and the failure-class
// tables. Sections without data are left out.
func textEconomics(ew *errWriter, d *gate.Decision) {
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	textTiers(ew, d)
	if e := d.Economics; e != nil {
		unit := "accepted outcomes"
		if e.VolumeBasis == gate.BasisRequests {
			unit = "requests"
		}
		p("\neconomics (hidden costs of fine-tuning over %s months)\n", numfmt.Num(e.HorizonMonths))
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		row := func(label, value string) { fmt.Fprintf(tw, "  %s\t%s\n", label, value) }
		f := money(e.OneTimeUSD)
		if e.OneTimeUSD == 0 && e.MonthlyUSD == 0 {
			f += " (the policy prices no hidden costs: economics.costs)"
		}
		row("one-time costs F", f)
		m := money(e.MonthlyUSD) + "/month"
		if e.RetrainMonthlyUSD > 0 {
			m += fmt.Sprintf(" (retraining %s/month of it)", money(e.RetrainMonthlyUSD))
		}
		row("recurring costs M", m)
		switch e.VolumeBasis {
		case gate.BasisRequests:
			row("volume", fmt.Sprintf("%s requests/month (%s accepted outcomes at the baseline's acceptance)", gate.Count(e.RequestsPerMonth), gate.Count(e.AcceptedOutcomesPerMonth)))
		case gate.BasisAcceptedOutcomes:
			row("volume", gate.Count(e.AcceptedOutcomesPerMonth)+" accepted outcomes/month")
		default:
			row("volume", "not given (economics.accepted_outcomes_per_month or requests_per_month)")
		}
		row("saving per accepted outcome", pair(money(e.SavingPerAcceptedUSD), money(e.SavingPerAcceptedConservativeUSD)))
		if e.VolumeBasis == gate.BasisRequests {
			row("saving per request", pair(money(e.SavingPerRequestUSD), money(e.SavingPerRequestConservativeUSD)))
		}
		if e.VolumeBasis != "" {
			row("monthly net saving S", pair(money(e.MonthlySavingUSD), money(e.MonthlySavingConservativeUSD)))
			row("break-even after", pair(numfmt.Months(e.BreakEvenMonths), numfmt.Months(e.BreakEvenMonthsConservative)))
		}
		be := gate.Count(e.BreakEvenMonthlyVolume) + " " + unit + "/month"
		if math.IsInf(e.BreakEvenMonthlyVolume, 1) {
			be = "never (no saving per unit of volume)"
		}
		row("break-even volume", pair(be, gate.Count(e.BreakEvenMonthlyVolumeConservative)))
		if e.VolumeBasis != "" {
			row("net value over "+numfmt.Num(e.HorizonMonths)+" months", pair(money(e.NetValueHorizonUSD), money(e.NetValueHorizonConservativeUSD)))
		}
		tw.Flush()
		mode := "advice only"
		if e.Enforced {
			mode = "enforced"
		}
		p("\nthreshold rule: %d of 4 conditions met, %d required (%s)\n", e.Met, e.Required, mode)
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, c := range e.Conditions {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, strings.ReplaceAll(c.Status, "_", " "), clean(c.Detail))
		}
		tw.Flush()
	}
	if len(d.Checklist) > 0 {
		p("\ndecision checklist\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, c := range d.Checklist {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Answer, clean(c.Question), clean(c.Detail))
		}
		tw.Flush()
	}
	textFailures(ew, d)
}

// textTiers writes every placed tier (baseline tiers, the routed baseline,
// the candidate) with intervals and frontier marks, and the routing table.
func textTiers(ew *errWriter, d *gate.Decision) {
	if len(d.Tiers) == 0 {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("\ntiers (%s intervals; * = on the Pareto frontier of cost against quality)\n", numfmt.Pct(1-2*d.Policy.Alpha))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \ttier\trole\tacceptance\tinterval\tcost/accepted\tinterval\n")
	for _, t := range d.Tiers {
		mark := ""
		if t.OnFrontier {
			mark = "*"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, clean(t.Name), t.Role, numfmt.Pct(t.Quality),
			"["+numfmt.Pct(t.QualityLow)+", "+numfmt.Pct(t.QualityHigh)+"]", usdOrDash(t.CPA), usdInterval(t.CPALow, t.CPAHigh))
	}
	tw.Flush()
	if len(d.Routes) > 0 {
		p("\nrouted baseline (each workflow to the cheapest tier within %s of its best tier)\n", strings.TrimPrefix(numfmt.Points(d.Policy.Routing.MaxQualityLoss), "+"))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  workflow\tcases\trouted to\tacceptance\tcost/accepted\tbest tier\n")
		for _, r := range d.Routes {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s (%s)\n", clean(r.Workflow), r.Cases, clean(r.Tier), numfmt.Pct(r.Acceptance), usdOrDash(r.CPA),
				clean(r.BestTier), numfmt.Pct(r.BestAcceptance))
		}
		tw.Flush()
	}
}

// textFailures writes the failure-class table and the transitions from
// the baseline's outcome to the candidate's, as a matrix.
func textFailures(ew *errWriter, d *gate.Decision) {
	if len(d.FailureClasses) == 0 {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("\nfailure classes (rejected samples)\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  class\tbaseline\tcandidate\n")
	for _, c := range d.FailureClasses {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", clean(c.Class), c.Baseline, c.Candidate)
	}
	tw.Flush()
	if len(d.FailureTransitions) == 0 {
		return
	}
	// Outcomes in table order: accepted first, then the classes.
	outcomes := []string{gate.Accepted}
	for _, c := range d.FailureClasses {
		outcomes = append(outcomes, c.Class)
	}
	cell := map[[2]string]float64{}
	var fixed, broke, changed, kept float64
	for _, t := range d.FailureTransitions {
		cell[[2]string{t.From, t.To}] = t.Cases
		switch {
		case t.To == gate.Accepted:
			fixed += t.Cases
		case t.From == gate.Accepted:
			broke += t.Cases
		case t.From == t.To:
			kept += t.Cases
		default:
			changed += t.Cases
		}
	}
	p("\ntransitions, cases (rows: baseline outcome, columns: candidate outcome)\n")
	p("  fixed %s, broke %s, changed class %s, same class %s\n", count(fixed), count(broke), count(changed), count(kept))
	// Numbers align right; the row labels are padded so that they read
	// left-aligned.
	width := 0
	for _, o := range outcomes {
		width = max(width, utf8.RuneCountInString(clean(o)))
	}
	label := func(s string) string { return s + strings.Repeat(" ", width-utf8.RuneCountInString(s)) }
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  %s\t", label(""))
	for _, o := range outcomes {
		fmt.Fprintf(tw, "%s\t", clean(o))
	}
	fmt.Fprintf(tw, "\n")
	for _, from := range outcomes {
		fmt.Fprintf(tw, "  %s\t", label(clean(from)))
		for _, to := range outcomes {
			v, ok := cell[[2]string{from, to}]
			switch {
			case from == gate.Accepted && to == gate.Accepted:
				fmt.Fprintf(tw, "·\t")
			case !ok:
				fmt.Fprintf(tw, "0\t")
			default:
				fmt.Fprintf(tw, "%s\t", count(v))
			}
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
}

// count formats a (possibly fractional) number of cases.
func count(x float64) string {
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return trimZeros(strconv.FormatFloat(x, 'f', 2, 64))
}

// money formats dollars with the sign before the dollar sign.
func money(x float64) string {
	switch {
	case math.IsNaN(x):
		return "unknown"
	case math.IsInf(x, -1):
		return "−∞"
	case x < 0:
		return "−" + numfmt.USD(-x)
	}
	return numfmt.USD(x)
}

// pair writes a value with its conservative counterpart.
func pair(v, cons string) string { return v + " (conservative " + cons + ")" }

func usdOrDash(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return numfmt.USD(x)
}

func usdInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "-"
	}
	return "[" + numfmt.USD(lo) + ", " + numfmt.USD(hi) + "]"
}

func outcome(met, missed, _ bool) string {
	switch {
	case met:
		return "met"
	case missed:
		return "MISSED"
	}
	return "not established"
}

// clean makes text from scorecards safe for a terminal: control
// characters (escape sequences, carriage returns) and direction marks
// become visible escapes.
func clean(s string) string { return visible.Escape(s, nil) }

// RoutedName names the routed baseline built from several tiers.
const RoutedName = "routed baseline"

// verdictHeadline is the verdict in capitals with what it means for the
// release.
func verdictHeadline(d *gate.Decision) string {
	v := strings.ToUpper(string(d.Verdict))
	switch {
	case d.Verdict == gate.Pass:
		return v
	case d.ExitCode == gate.ExitPass:
		return v + " (not blocking)"
	}
	return v + " (blocks the release)"
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, nil
}

// constraintValue formats a constraint's limit or value in its unit.
func constraintValue(name string, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	switch {
	case strings.HasSuffix(name, "_ms"):
		return numfmt.Ms(x, "-")
	case strings.HasSuffix(name, "_ratio"):
		return numfmt.Ratio(x)
	case strings.HasSuffix(name, "_rate"):
		return numfmt.Pct(x)
	}
	return numfmt.Num(x)
}

// notTested says why a segment was not tested.
func notTested(s gate.Segment) string {
	if s.NotTested != "" {
		return s.NotTested
	}
	return "too few cases"
}

// costPowerClause is the cost plan's part of the power line ("" when cost
// has no variance to plan from).
func costPowerClause(d *gate.Decision) string {
	pw := d.Power
	if !(pw.CostCasesNeeded > 0) {
		return ""
	}
	return fmt.Sprintf("; showing a cost ratio of %s below the limit %s takes %s paired cases", numfmt.Ratio(pw.CostRatio), numfmt.Ratio(d.Cost.MaxRatio), numfmt.Cases(pw.CostCasesNeeded))
}
