package report

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
)

// maxMarkdownWarnings caps the warnings listed in the summary; the JSON
// report keeps them all.
const maxMarkdownWarnings = 20

// Markdown writes the decision as GitHub-flavoured Markdown: the job
// summary of the GitHub Action and the --markdown report for any CI. It
// has a verdict banner with the reasons, a table of baseline against
// candidate (values, change, interval, p-value, test, result), the
// service-level constraints, the segment table, the power line, the
// economics, checklist and tiers when the decision has them, a Mermaid
// quadrant chart of cost per accepted outcome against acceptance, and the
// warnings.
//
// Every string that can come from a scorecard or a policy goes through
// MarkdownText (or MermaidLabel inside the chart), so no name can break a
// table, inject HTML or mention a user. The output uses no raw HTML.
func Markdown(w io.Writer, d *gate.Decision, names Names) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }

	icon, word := mdBanner(d)
	p("## %s ftgate: %s\n\n", icon, word)
	c := d.Cases
	p("**%s** (candidate) against **%s** (baseline): %d paired cases in %d clusters, up to %d sample(s) per case",
		MarkdownText(names.Candidate), MarkdownText(names.Baseline), c.Paired, c.Clusters, c.MaxSamplesPerCase)
	if c.BaselineOnly+c.CandidateOnly > 0 {
		p("; %d baseline-only and %d candidate-only cases dropped", c.BaselineOnly, c.CandidateOnly)
	}
	p(".\n\n")
	for _, r := range d.Reasons {
		p("- %s\n", MarkdownText(r))
	}

	markdownMetrics(p, d)
	markdownConstraints(p, d)
	markdownSegments(p, d)

	pw := d.Power
	p("\n**Power:** detecting a quality gain of %s with %s power takes %s paired cases (%d now); with %d cases the smallest detectable gain is %s%s.\n",
		numfmt.Points(pw.Effect), numfmt.Pct(pw.Target), numfmt.Cases(pw.CasesNeeded), d.Cases.Paired, d.Cases.Paired, numfmt.Points(pw.MDE), costPowerClause(d))

	markdownEconomics(p, d)
	markdownChecklist(p, d)
	markdownTiers(p, d)
	markdownChart(p, d, names)

	if len(d.Warnings) > 0 {
		p("\n### Warnings\n\n")
		for i, w := range d.Warnings {
			if i == maxMarkdownWarnings {
				p("- … and %d more (all of them are in the JSON report)\n", len(d.Warnings)-maxMarkdownWarnings)
				break
			}
			p("- %s\n", MarkdownText(w))
		}
	}
	p("\n_One-sided tests at α = %s; intervals are %s two-sided._\n", mdNum(numfmt.Num(d.Policy.Alpha)), mdNum(numfmt.Pct(d.Quality.CILevel)))
	return ew.err
}

// banner returns the verdict's icon and word, noting an inconclusive
// verdict that does not block.
func mdBanner(d *gate.Decision) (string, string) {
	switch d.Verdict {
	case gate.Pass:
		return "✅", "PASS"
	case gate.Fail:
		return "❌", "FAIL"
	case gate.Inconclusive:
		if d.ExitCode == gate.ExitPass {
			return "⚠️", "INCONCLUSIVE (not blocking)"
		}
		return "⚠️", "INCONCLUSIVE"
	}
	return "❔", MarkdownText(strings.ToUpper(string(d.Verdict)))
}

// safe escapes the few characters of ftgate's own number formats that
// mean something in Markdown ("< 0.0001", "$0.01").
func mdNum(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "$", `\$`, "|", `\|`).Replace(s)
}

func mdResult(met, missed bool) string {
	switch {
	case met:
		return "✅ met"
	case missed:
		return "❌ missed"
	}
	return "⚠️ not shown"
}

func markdownMetrics(p func(string, ...any), d *gate.Decision) {
	q, k := d.Quality, d.Cost
	p("\n### Quality and cost\n\n")
	p("| Metric | Baseline | Candidate | Change | %s interval | p | Test | Result |\n", mdNum(numfmt.Pct(q.CILevel)))
	p("| --- | ---: | ---: | ---: | --- | ---: | --- | --- |\n")
	p("| Acceptance | %s | %s | %s | %s | %s | %s | %s |\n", numfmt.Pct(q.Baseline), numfmt.Pct(q.Candidate), numfmt.Points(q.Delta),
		numfmt.PointsInterval(q.CILow, q.CIHigh), mdNum(numfmt.P(q.PValue)), MarkdownText(q.Method), mdResult(q.Met, q.Missed))
	if k.Measured {
		p("| Cost per accepted outcome | %s | %s | %s | %s | %s | %s | %s |\n", mdNum(numfmt.USD(k.BaselineCPA)), mdNum(numfmt.USD(k.CandidateCPA)),
			numfmt.Ratio(k.Ratio), numfmt.RatioInterval(k.CILow, k.CIHigh), mdNum(numfmt.P(k.PValue)), MarkdownText(k.Method), mdResult(k.Met, k.Missed))
		if k.Method == "bootstrap" {
			p("| ↳ delta method | | | | %s | %s | delta | |\n", numfmt.RatioInterval(k.DeltaCILow, k.DeltaCIHigh), mdNum(numfmt.P(k.DeltaPValue)))
		}
		p("| Total spend | %s | %s | | | | | |\n", mdNum(numfmt.USD(k.BaselineTotalUSD)), mdNum(numfmt.USD(k.CandidateTotalUSD)))
	} else {
		res := "➖ not measured"
		if d.Policy.Cost.Required {
			res = "⚠️ not measured (required)"
		}
		p("| Cost per accepted outcome | not measured | not measured | | | | | %s |\n", res)
	}
	l := d.Latency
	if !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95) {
		p("| Latency p50 | %s | %s | | | | | |\n", numfmt.Ms(l.BaselineP50, "–"), numfmt.Ms(l.CandidateP50, "–"))
		p("| Latency p95 | %s %s | %s %s | %s | | | | |\n", numfmt.Ms(l.BaselineP95, "–"), numfmt.MsInterval(l.BaselineP95Low, l.BaselineP95High, ""),
			numfmt.Ms(l.CandidateP95, "–"), numfmt.MsInterval(l.CandidateP95Low, l.CandidateP95High, ""), numfmt.RatioOf(l.CandidateP95, l.BaselineP95, ""))
	}
	f := d.Format
	if !math.IsNaN(f.BaselineValidRate) || !math.IsNaN(f.CandidateValidRate) {
		p("| Schema valid | %s | %s | %s | | | | |\n", numfmt.Pct(f.BaselineValidRate), numfmt.Pct(f.CandidateValidRate),
			numfmt.Points(f.CandidateValidRate-f.BaselineValidRate))
	}
}

func markdownConstraints(p func(string, ...any), d *gate.Decision) {
	var ks []gate.Constraint
	ks = append(ks, d.Latency.Constraints...)
	ks = append(ks, d.Format.Constraints...)
	if len(ks) == 0 {
		return
	}
	p("\n### Service-level constraints\n\n")
	p("| Constraint | Limit | Value | Status |\n")
	p("| --- | ---: | ---: | --- |\n")
	for _, k := range ks {
		p("| %s | %s | %s | %s |\n", MarkdownText(k.Name), constraintValue(k.Name, k.Limit), constraintValue(k.Name, k.Value), mdConstraintStatus(k))
	}
}

func mdConstraintStatus(k gate.Constraint) string {
	switch {
	case !k.Measured && k.Required:
		return "⚠️ not measured (required)"
	case !k.Measured:
		return "➖ not measured"
	case !k.Held:
		return "❌ broken"
	}
	return "✅ held"
}

func markdownSegments(p func(string, ...any), d *gate.Decision) {
	if len(d.Segments) == 0 {
		return
	}
	p("\n### Segments\n\n")
	p("One-sided regression test per workflow, Holm-adjusted across the tested ones.\n\n")
	p("| Workflow | Cases | Baseline | Candidate | Change | p (adj.) | Result |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, s := range d.Segments {
		res, padj := "✅ ok", mdNum(numfmt.P(s.PAdjusted))
		switch {
		case !s.Tested:
			res, padj = "➖ not tested ("+notTested(s)+")", "–"
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			res = "❌ regression"
		case s.Regression:
			res = "⚠️ regression (not blocking)"
		}
		p("| %s | %d | %s | %s | %s | %s | %s |\n", MarkdownText(s.Name), s.Cases, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate),
			numfmt.Points(s.Delta), padj, res)
	}
}

func markdownEconomics(p func(string, ...any), d *gate.Decision) {
	e := d.Economics
	if e == nil {
		return
	}
	p("\n### Economics\n\n")
	p("| Item | Value | Conservative |\n")
	p("| --- | ---: | ---: |\n")
	p("| One-time cost | %s | |\n", mdNum(numfmt.USD(e.OneTimeUSD)))
	p("| Monthly cost | %s | |\n", mdNum(numfmt.USD(e.MonthlyUSD)))
	p("| Accepted outcomes per month | %s | |\n", mdCount(e.AcceptedOutcomesPerMonth))
	p("| Saving per accepted outcome | %s | %s |\n", mdNum(numfmt.USD(e.SavingPerAcceptedUSD)), mdNum(numfmt.USD(e.SavingPerAcceptedConservativeUSD)))
	p("| Break-even | %s | |\n", numfmt.Months(e.BreakEvenMonths))
	p("| Break-even monthly volume | %s | %s |\n", numfmt.Volume(e.BreakEvenMonthlyVolume), numfmt.Volume(e.BreakEvenMonthlyVolumeConservative))
	p("| Net value over the horizon | %s | %s |\n", mdNum(numfmt.USD(e.NetValueHorizonUSD)), mdNum(numfmt.USD(e.NetValueHorizonConservativeUSD)))
	mode := "advice only"
	if e.Enforced {
		mode = "enforced"
	}
	p("\n**Threshold rule:** %d of %d conditions met, %d required (%s).\n", e.Met, max(4, len(e.Conditions)), e.Required, mode)
	if len(e.Conditions) > 0 {
		p("\n| Condition | Status | Detail |\n")
		p("| --- | --- | --- |\n")
		for _, c := range e.Conditions {
			p("| %s | %s | %s |\n", MarkdownText(c.Name), mdConditionStatus(c.Status), MarkdownText(c.Detail))
		}
	}
}

func mdConditionStatus(s string) string {
	switch s {
	case "met":
		return "✅ met"
	case "not_met":
		return "❌ not met"
	case "not_measured":
		return "➖ not measured"
	}
	return MarkdownText(s)
}

func markdownChecklist(p func(string, ...any), d *gate.Decision) {
	if len(d.Checklist) == 0 {
		return
	}
	p("\n### Decision checklist\n\n")
	p("| Question | Answer | Detail |\n")
	p("| --- | --- | --- |\n")
	for _, c := range d.Checklist {
		ans := MarkdownText(c.Answer)
		switch c.Answer {
		case "yes":
			ans = "✅ yes"
		case "no":
			ans = "❌ no"
		case "unknown":
			ans = "❔ unknown"
		}
		p("| %s | %s | %s |\n", MarkdownText(c.Question), ans, MarkdownText(c.Detail))
	}
}

func markdownTiers(p func(string, ...any), d *gate.Decision) {
	if len(d.Tiers) > 0 {
		p("\n### Tiers\n\n")
		p("| System | Role | Acceptance | Interval | Cost per accepted outcome | Interval | On the frontier |\n")
		p("| --- | --- | ---: | --- | ---: | --- | --- |\n")
		for _, t := range d.Tiers {
			front := ""
			if t.OnFrontier {
				front = "✅"
			}
			p("| %s | %s | %s | [%s, %s] | %s | [%s, %s] | %s |\n", MarkdownText(t.Name), MarkdownText(t.Role),
				numfmt.Pct(t.Quality), numfmt.Pct(t.QualityLow), numfmt.Pct(t.QualityHigh),
				mdNum(numfmt.USD(t.CPA)), mdNum(numfmt.USD(t.CPALow)), mdNum(numfmt.USD(t.CPAHigh)), front)
		}
	}
	if len(d.Routed) > 0 {
		p("\n**Routed baseline:** each workflow goes to the cheapest tier within the policy's quality tolerance.\n\n")
		p("| Workflow | Tier |\n")
		p("| --- | --- |\n")
		for _, wf := range slices.Sorted(maps.Keys(d.Routed)) {
			p("| %s | %s |\n", MarkdownText(wf), MarkdownText(d.Routed[wf]))
		}
	}
}

// A mdChartPoint is one system on the cost/quality plane.
type mdChartPoint struct {
	label        string
	quality, cpa float64
}

// chartPoints returns the systems to plot, or nil when cost per accepted
// outcome is not known for the baseline.
func mdChartPoints(d *gate.Decision, names Names) []mdChartPoint {
	ok := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !d.Cost.Measured || !ok(d.Cost.BaselineCPA) || d.Cost.BaselineCPA <= 0 || !ok(d.Quality.Baseline) {
		return nil
	}
	var pts []mdChartPoint
	if len(d.Tiers) > 0 {
		for _, t := range d.Tiers {
			if ok(t.Quality) && ok(t.CPA) && t.CPA > 0 {
				label := t.Name
				if t.Role != "" && !strings.Contains(strings.ToLower(t.Name), strings.ToLower(t.Role)) {
					label = t.Role + " " + t.Name
				}
				pts = append(pts, mdChartPoint{MermaidLabel(label, 48), t.Quality, t.CPA})
			}
		}
		return pts
	}
	pts = append(pts, mdChartPoint{MermaidLabel("baseline "+names.Baseline, 48), d.Quality.Baseline, d.Cost.BaselineCPA})
	if ok(d.Cost.CandidateCPA) && d.Cost.CandidateCPA > 0 && ok(d.Quality.Candidate) {
		pts = append(pts, mdChartPoint{MermaidLabel("candidate "+names.Candidate, 48), d.Quality.Candidate, d.Cost.CandidateCPA})
	}
	return pts
}

// markdownChart draws a Mermaid quadrant chart centred on the baseline:
// left of centre is cheaper per accepted outcome, above is more accepted,
// so the top-left quadrant is where a candidate worth releasing sits. The
// cost axis is logarithmic (half and double the baseline's cost are
// equally far from it); both axes are scaled to the spread of the points,
// and the tables hold the exact values.
func markdownChart(p func(string, ...any), d *gate.Decision, names Names) {
	pts := mdChartPoints(d, names)
	p("\n### Cost per accepted outcome against acceptance\n\n")
	if len(pts) == 0 {
		p("_No chart: cost per accepted outcome is not known for the baseline._\n")
		return
	}
	refC, refQ := d.Cost.BaselineCPA, d.Quality.Baseline
	sx, sy := math.Log2(1.1), 0.01
	for _, pt := range pts {
		sx = max(sx, 1.25*math.Abs(math.Log2(pt.cpa/refC)))
		sy = max(sy, 1.25*math.Abs(pt.quality-refQ))
	}
	clamp := func(x float64) float64 { return min(0.98, max(0.02, x)) }
	span := strconv.FormatFloat(math.Exp2(sx), 'g', 3, 64)
	p("The baseline sits at the centre. Cost per accepted outcome runs from ÷%s to ×%s the baseline's (logarithmic scale), acceptance from %s to %s.\n\n",
		span, span, numfmt.Points(-sy), numfmt.Points(sy))
	p("```mermaid\n")
	p("quadrantChart\n")
	p("    title Cost per accepted outcome against acceptance\n")
	p("    x-axis Cheaper --> Costlier\n")
	p("    y-axis Fewer accepted --> More accepted\n")
	p("    quadrant-1 Better but costlier\n")
	p("    quadrant-2 Better and cheaper\n")
	p("    quadrant-3 Cheaper but worse\n")
	p("    quadrant-4 Worse and costlier\n")
	for _, pt := range pts {
		x := clamp(0.5 + math.Log2(pt.cpa/refC)/(2*sx))
		y := clamp(0.5 + (pt.quality-refQ)/(2*sy))
		p("    \"%s\": [%.3f, %.3f]\n", pt.label, x, y)
	}
	p("```\n")
}

func mdCount(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "not given"
	}
	return fmt.Sprintf("%.0f", x)
}
