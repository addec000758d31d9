package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
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

	p("ftgate: %s (candidate) against %s (baseline)\n", clean(names.Candidate), clean(names.Baseline))
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
		fmt.Fprintf(tw, "latency p50\t%s\t%s\t\t\t\t\t\n", ms(l.BaselineP50), ms(l.CandidateP50))
		fmt.Fprintf(tw, "latency p95\t%s\t%s\t%s\t%s → %s\t\t\t\n", ms(l.BaselineP95), ms(l.CandidateP95), ratioOf(l.CandidateP95, l.BaselineP95),
			msInterval(l.BaselineP95Low, l.BaselineP95High), msInterval(l.CandidateP95Low, l.CandidateP95High))
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
			fmt.Fprintf(tw, "  %s\tlimit %s\tvalue %s\t%s\n", k.Name, numfmt.Num(k.Limit), numfmt.Num(k.Value), status)
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
				res, padj = "not tested (too few cases)", "-"
			case s.Regression:
				res = "REGRESSION"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\n", clean(s.Name), s.Cases, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate), numfmt.Points(s.Delta), padj, res)
		}
		tw.Flush()
	}

	pw := d.Power
	p("\npower: %s cases give %s power for a gain of %s", casesNeeded(pw.CasesNeeded), numfmt.Pct(pw.Target), numfmt.Points(pw.Effect))
	if pw.MoreCasesNeeded > 0 {
		p(" (%d more than now)", pw.MoreCasesNeeded)
	}
	p("; the smallest gain detectable now is %s\n", numfmt.Points(pw.MDE))

	if e := d.Economics; e != nil {
		textEconomics(ew, d)
	}

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

func textEconomics(ew *errWriter, d *gate.Decision) {
	e := d.Economics
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("\neconomics (hidden costs of fine-tuning)\n")
	p("  one-time %s, recurring %s/month; %s accepted outcomes/month\n", numfmt.USD(e.OneTimeUSD), numfmt.USD(e.MonthlyUSD), numfmt.Num(e.AcceptedOutcomesPerMonth))
	p("  saving per accepted outcome %s (conservative %s)\n", numfmt.USD(e.SavingPerAcceptedUSD), numfmt.USD(e.SavingPerAcceptedConservativeUSD))
	p("  break-even after %s; break-even volume %s accepted/month (conservative %s); net value over the horizon %s (conservative %s)\n",
		months(e.BreakEvenMonths), volume(e.BreakEvenMonthlyVolume), volume(e.BreakEvenMonthlyVolumeConservative),
		numfmt.USD(e.NetValueHorizonUSD), numfmt.USD(e.NetValueHorizonConservativeUSD))
	p("  threshold rule: %d of 4 conditions met (%d required%s)\n", e.Met, e.Required, map[bool]string{true: ", enforced", false: ", advice only"}[e.Enforced])
	for _, c := range e.Conditions {
		p("    %-14s %-12s %s\n", c.Name, c.Status, clean(c.Detail))
	}
	if len(d.Checklist) > 0 {
		p("  checklist\n")
		for _, c := range d.Checklist {
			p("    [%s] %s %s\n", c.Answer, clean(c.Question), clean(c.Detail))
		}
	}
}

func outcome(met, missed, _ bool) string {
	switch {
	case met:
		return "met"
	case missed:
		return "MISSED"
	}
	return "not shown"
}

func ms(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.0f ms", x)
}

func msInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "-"
	}
	return fmt.Sprintf("[%.0f, %.0f]", lo, hi)
}

func ratioOf(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "-"
	}
	return numfmt.Ratio(a / b)
}

func casesNeeded(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "no number of"
	}
	return fmt.Sprintf("%.0f", math.Ceil(x))
}

func months(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "never"
	}
	return fmt.Sprintf("%.1f months", x)
}

func volume(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "never"
	}
	return fmt.Sprintf("%.0f", math.Ceil(x))
}

// clean makes text from scorecards safe for a terminal: control
// characters (escape sequences, carriage returns) become visible escapes.
func clean(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

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
