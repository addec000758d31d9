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

// shownWarnings is how many warnings stay in view above the collapsed
// sections; the rest are collapsed.
const shownWarnings = 3

// MaxCaseRows is the most cases a Markdown case table lists; the count
// says how many there are, and 'ftgate cases' lists them all.
const MaxCaseRows = 50

// Markdown writes the decision as GitHub-flavoured Markdown: the job
// summary of the GitHub Action, the pull-request comment and the
// --markdown report for any CI. What a reviewer needs is in view: the
// verdict, what blocks the release, what holds, the first warnings, the
// comparison table, any regressed workflow with the cases it broke, and
// the power line. Everything else (the tests behind the numbers, the
// workflows, the cases that changed, economics, the checklist, tiers and
// the chart, failure classes, the other warnings) is in collapsed
// <details> sections, so that a PASS comment reads in about 30 lines.
//
// Every string that can come from a scorecard or a policy goes through
// MarkdownText (or MermaidLabel inside the chart), so no name can break a
// table, inject HTML or mention a user. The only raw HTML is ftgate's own
// <details> and <summary> tags.
func Markdown(w io.Writer, d *gate.Decision, names Names) error {
	ew := &errWriter{w: w}
	m := &md{p: func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }, d: d}

	icon, word := mdBanner(d)
	m.p("## %s ftgate: %s\n\n", icon, word)
	c := d.Cases
	against := "**" + MarkdownText(names.Baseline) + "** (baseline)"
	if names.Baseline == RoutedName {
		against = "the routed baseline"
	}
	m.p("**%s** (candidate) against %s: %s paired cases in %s clusters", MarkdownText(names.Candidate), against, numfmt.Int(c.Paired), numfmt.Int(c.Clusters))
	if c.MaxSamplesPerCase > 1 {
		m.p(", up to %s samples per case", numfmt.Int(c.MaxSamplesPerCase))
	}
	m.p("%s", unmatchedPhrase(c))
	m.p(".\n")
	markdownSequential(m.p, d)

	if len(d.InputWarnings) > 0 {
		m.p("\n**⚠️ Check the inputs**\n\n")
		for _, w := range d.InputWarnings {
			m.p("- ⚠️ %s\n", MarkdownText(w))
		}
	}
	m.findings()
	m.warningsInView()
	m.metrics()
	m.constraintsInView()
	m.regressions()
	m.p("\n**Power:** %s\n", mdNum(powerSentence(d)))

	m.tests()
	m.segmentsCollapsed()
	m.changes()
	m.economics()
	m.checklist()
	m.tiers(names)
	m.failures()
	m.warningsCollapsed()

	m.p("\n_%s One-sided tests at α = %s; intervals are %s two-sided._\n", decidedBy(d, MarkdownText), mdNum(numfmt.Num(d.Policy.Alpha)), mdNum(numfmt.Pct(d.Quality.CILevel)))
	return ew.err
}

// md is the state of one Markdown report.
type md struct {
	p func(string, ...any)
	d *gate.Decision
}

// open starts a collapsed section; close ends it.
func (m *md) open(summary string) { m.p("\n<details><summary>%s</summary>\n\n", summary) }
func (m *md) close()              { m.p("\n</details>\n") }

// mdBanner returns the verdict's icon and word, noting an inconclusive
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

// mdNum escapes the few characters of ftgate's own number formats that
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
	return "⚠️ " + notEstablished
}

// findings lists the reasons, what blocks the release first.
func (m *md) findings() {
	titles := []string{"Blocking the release", "Not blocking", "Met", "Notes"}
	for i, g := range groupFindings(m.d) {
		if len(g.findings) == 0 {
			continue
		}
		m.p("\n**%s**\n\n", titles[i])
		for _, f := range g.findings {
			icon := "ℹ️"
			switch {
			case f.Status == gate.FindingFail && m.d.Blocking(f):
				icon = "❌"
			case f.Status == gate.FindingPass:
				icon = "✅"
			case f.Status == gate.FindingOpen || f.Status == gate.FindingFail:
				icon = "⚠️"
			}
			m.p("- %s %s\n", icon, MarkdownText(f.Text))
		}
	}
}

// warningsInView shows the first warnings; the CLI puts the ones about
// the inputs themselves (swapped or identical sides) first.
func (m *md) warningsInView() {
	ws := otherWarnings(m.d)
	if len(ws) == 0 {
		return
	}
	m.p("\n**Warnings**\n\n")
	for _, w := range ws[:min(len(ws), shownWarnings)] {
		m.p("- ⚠️ %s\n", MarkdownText(w))
	}
	if len(ws) > shownWarnings {
		m.p("- … %d more below\n", len(ws)-shownWarnings)
	}
}

func (m *md) warningsCollapsed() {
	ws := otherWarnings(m.d)
	if len(ws) <= shownWarnings {
		return
	}
	m.open(fmt.Sprintf("All warnings (%d)", len(ws)))
	for i, w := range ws {
		if i == maxMarkdownWarnings {
			m.p("- … and %d more (all of them are in the JSON report)\n", len(ws)-maxMarkdownWarnings)
			break
		}
		m.p("- %s\n", MarkdownText(w))
	}
	m.close()
}

func (m *md) metrics() {
	d := m.d
	q, k, l, f := d.Quality, d.Cost, d.Latency, d.Format
	m.p("\n| | Baseline | Candidate | Change | %s interval | p | Result |\n", mdNum(numfmt.Pct(q.CILevel)))
	m.p("| --- | ---: | ---: | ---: | --- | ---: | --- |\n")
	m.p("| Acceptance | %s | %s | %s | %s | %s | %s |\n", numfmt.Pct(q.Baseline), numfmt.Pct(q.Candidate), numfmt.Points(q.Delta),
		numfmt.PointsInterval(q.CILow, q.CIHigh), mdNum(numfmt.P(q.PValue)), mdResult(q.Met, q.Missed))
	switch {
	case k.Measured:
		m.p("| Cost per accepted outcome | %s | %s | %s | %s | %s | %s |\n", mdNum(numfmt.USD(k.BaselineCPA)), mdNum(numfmt.USD(k.CandidateCPA)),
			numfmt.Ratio(k.Ratio), numfmt.RatioInterval(k.CILow, k.CIHigh), mdNum(numfmt.P(k.PValue)), mdResult(k.Met, k.Missed))
	case d.Policy.Cost.Required:
		m.p("| Cost per accepted outcome | not measured | not measured | | | | ⚠️ not measured (required) |\n")
	default:
		m.p("| Cost per accepted outcome | not measured | not measured | | | | ➖ not measured |\n")
	}
	if !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95) {
		m.p("| Latency p95 | %s | %s | %s | | | |\n", numfmt.Ms(l.BaselineP95, "–"), numfmt.Ms(l.CandidateP95, "–"), numfmt.RatioOf(l.CandidateP95, l.BaselineP95, ""))
	}
	if !math.IsNaN(f.BaselineValidRate) || !math.IsNaN(f.CandidateValidRate) {
		m.p("| Schema valid | %s | %s | %s | | | |\n", numfmt.Pct(f.BaselineValidRate), numfmt.Pct(f.CandidateValidRate),
			numfmt.Points(f.CandidateValidRate-f.BaselineValidRate))
	}
}

// tests shows what stands behind the comparison table: the methods, the
// delta method's interval beside the bootstrap's, spend and latency.
func (m *md) tests() {
	d := m.d
	q, k, l := d.Quality, d.Cost, d.Latency
	m.open("Tests, spend and latency")
	m.p("| | Baseline | Candidate | Change | %s interval | p | Test |\n", mdNum(numfmt.Pct(q.CILevel)))
	m.p("| --- | ---: | ---: | ---: | --- | ---: | --- |\n")
	m.p("| Acceptance | %s | %s | %s | %s | %s | %s |\n", numfmt.Pct(q.Baseline), numfmt.Pct(q.Candidate), numfmt.Points(q.Delta),
		numfmt.PointsInterval(q.CILow, q.CIHigh), mdNum(numfmt.P(q.PValue)), MarkdownText(q.Method))
	if k.Measured {
		m.p("| Cost per accepted outcome | %s | %s | %s | %s | %s | %s |\n", mdNum(numfmt.USD(k.BaselineCPA)), mdNum(numfmt.USD(k.CandidateCPA)),
			numfmt.Ratio(k.Ratio), numfmt.RatioInterval(k.CILow, k.CIHigh), mdNum(numfmt.P(k.PValue)), MarkdownText(k.Method))
		if k.Method == "bootstrap" {
			m.p("| ↳ delta method | | | | %s | %s | delta |\n", numfmt.RatioInterval(k.DeltaCILow, k.DeltaCIHigh), mdNum(numfmt.P(k.DeltaPValue)))
		}
		m.p("| Total spend | %s | %s | | | | |\n", mdNum(numfmt.USD(k.BaselineTotalUSD)), mdNum(numfmt.USD(k.CandidateTotalUSD)))
	}
	if !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95) {
		m.p("| Latency p50 | %s | %s | | | | |\n", numfmt.Ms(l.BaselineP50, "–"), numfmt.Ms(l.CandidateP50, "–"))
		m.p("| Latency p95 | %s | %s | %s | | | %s |\n", numfmt.Ms(l.BaselineP95, "–"), numfmt.Ms(l.CandidateP95, "–"), numfmt.RatioOf(l.CandidateP95, l.BaselineP95, ""), latencyIntervalName(l))
		m.p("| ↳ p95 %s interval | %s | %s | | | | |\n", mdNum(numfmt.Pct(q.CILevel)), numfmt.MsInterval(l.BaselineP95Low, l.BaselineP95High, "–"), numfmt.MsInterval(l.CandidateP95Low, l.CandidateP95High, "–"))
	}
	m.close()
}

// constraintsInView shows the service-level constraints when one of them
// does not hold; otherwise they are one line.
func (m *md) constraintsInView() {
	var ks []gate.Constraint
	ks = append(ks, m.d.Latency.Constraints...)
	ks = append(ks, m.d.Format.Constraints...)
	if len(ks) == 0 {
		return
	}
	var held []string
	for _, k := range ks {
		if k.Measured && k.Held {
			held = append(held, MarkdownText(k.Name))
		}
	}
	if len(held) == len(ks) {
		m.p("\n**Constraints:** all %d held (%s).\n", len(ks), strings.Join(held, ", "))
		return
	}
	m.p("\n| Constraint | Limit | Value | Result |\n")
	m.p("| --- | ---: | ---: | --- |\n")
	for _, k := range ks {
		m.p("| %s | %s | %s | %s |\n", MarkdownText(k.Name), constraintValue(k.Name, k.Limit), constraintValue(k.Name, k.Value), mdConstraintStatus(k))
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

// regressed returns the segments that regressed.
func regressed(d *gate.Decision) []gate.Segment {
	var out []gate.Segment
	for _, s := range d.Segments {
		if s.Regression {
			out = append(out, s)
		}
	}
	return out
}

// regressions shows, when a workflow regressed, the workflow table and,
// collapsed, the cases each regressed workflow broke.
func (m *md) regressions() {
	reg := regressed(m.d)
	if len(reg) == 0 {
		return
	}
	m.segmentTable()
	for _, s := range reg {
		var broke []gate.CaseChange
		for _, cc := range m.d.CaseChanges {
			if cc.Change == gate.ChangeBroke && cc.Workflow == s.Name {
				broke = append(broke, cc)
			}
		}
		if len(broke) == 0 {
			continue
		}
		m.open(fmt.Sprintf("Cases the candidate broke in %s (%s)", MarkdownText(s.Name), shownOf(len(broke))))
		m.caseTable(broke)
		// The command is given only for a name that needs no quoting
		// in a shell nor escaping in a code span.
		if name := clean(s.Name); shellWord(name) == name {
			m.p("\n`ftgate cases REPORT.json --broke --workflow %s` lists them from the JSON report (`--json REPORT.json`).\n", name)
		}
		m.close()
	}
}

// shownOf says how many cases a table holds out of how many.
func shownOf(n int) string {
	if n > MaxCaseRows {
		return fmt.Sprintf("%s; the first %d shown", numfmt.Int(n), MaxCaseRows)
	}
	return numfmt.Int(n)
}

func (m *md) segmentsCollapsed() {
	d := m.d
	if len(d.Segments) == 0 || len(regressed(d)) > 0 {
		return
	}
	tested := 0
	for _, s := range d.Segments {
		if s.Tested {
			tested++
		}
	}
	m.open(fmt.Sprintf("Workflows: %d of %d tested, no regression", tested, len(d.Segments)))
	m.segmentTable()
	m.close()
}

func (m *md) segmentTable() {
	d := m.d
	m.p("\n| Workflow | Cases | Baseline | Candidate | Change | p (adj.) | MDE | Result |\n")
	m.p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, s := range d.Segments {
		res, padj := "✅ ok", mdNum(numfmt.P(s.PAdjusted))
		switch {
		case !s.Tested:
			res, padj = "➖ not tested: "+MarkdownText(notTested(s)), "–"
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			res = "❌ regression"
		case s.Regression:
			res = "⚠️ regression (not blocking)"
		}
		m.p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", MarkdownText(s.Name), numfmt.Int(s.Cases), numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate),
			numfmt.Points(s.Delta), padj, detectableDrop(s.MDE), res)
	}
	m.p("\nOne-sided regression test per workflow, Holm-adjusted across the tested ones; _MDE_ (minimum detectable drop) is the smallest drop each test detects with %s power.\n",
		mdNum(numfmt.Pct(d.Policy.Power.Target)))
}

// caseTable lists case changes, at most MaxCaseRows of them.
func (m *md) caseTable(cs []gate.CaseChange) {
	m.p("| Case | Workflow | Baseline | Candidate | Failure classes | Cost change |\n")
	m.p("| --- | --- | --- | --- | --- | ---: |\n")
	for i, cc := range cs {
		if i == MaxCaseRows {
			break
		}
		m.p("| %s | %s | %s | %s | %s | %s |\n", MarkdownText(cc.ID), MarkdownText(cc.Workflow), MarkdownText(cc.Baseline.Label()),
			MarkdownText(cc.Candidate.Label()), MarkdownText(strings.Join(changeClasses(cc), ", ")), mdNum(usdChange(cc.CostChangeUSD)))
	}
	if len(cs) > MaxCaseRows {
		m.p("\n%s more; `ftgate cases REPORT.json` lists them all.\n", numfmt.Int(len(cs)-MaxCaseRows))
	}
}

// changeClasses lists the failure classes of a change: the candidate's
// for a broken case, the baseline's for a fixed one, both otherwise.
func changeClasses(cc gate.CaseChange) []string {
	switch cc.Change {
	case gate.ChangeBroke:
		return cc.Candidate.Classes
	case gate.ChangeFixed:
		return cc.Baseline.Classes
	}
	var out []string
	for _, c := range cc.Baseline.Classes {
		out = append(out, c+" (baseline)")
	}
	for _, c := range cc.Candidate.Classes {
		out = append(out, c+" (candidate)")
	}
	return out
}

// usdChange formats a signed change of cost, or "–" when not measured.
func usdChange(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	s := numfmt.USD(x)
	if x > 0 {
		s = "+" + s
	}
	return s
}

// changes summarises the cases that changed and lists, collapsed, the
// broken ones (those of a regressed workflow are listed above).
func (m *md) changes() {
	broke, fixed, class := gate.CountChanges(m.d.CaseChanges)
	if broke+fixed+class == 0 {
		return
	}
	m.open(fmt.Sprintf("Cases that changed: %s broke, %s fixed, %s failed with another class", numfmt.Int(broke), numfmt.Int(fixed), numfmt.Int(class)))
	var list []gate.CaseChange
	for _, cc := range m.d.CaseChanges {
		if cc.Change == gate.ChangeBroke {
			list = append(list, cc)
		}
	}
	if len(list) > 0 {
		m.p("Broken cases (%s):\n\n", shownOf(len(list)))
		m.caseTable(list)
	}
	m.p("\nThe JSON report lists every changed case (`case_changes`); `ftgate cases REPORT.json` filters them.\n")
	m.close()
}

func (m *md) economics() {
	d := m.d
	rows := economicsRows(d)
	title := "Economics: not measured"
	if rows != nil {
		title = "Economics"
		if e := d.Economics; e != nil {
			title += fmt.Sprintf(": break-even after %s", numfmt.Months(e.BreakEvenMonths))
		}
	}
	m.open(title)
	if rows == nil {
		m.p("%s\n", MarkdownText(economicsNotMeasured))
	} else {
		m.p("| Item | Value | Conservative |\n")
		m.p("| --- | ---: | ---: |\n")
		for _, r := range rows {
			m.p("| %s | %s | %s |\n", MarkdownText(strings.TrimSpace(r[0])), mdNum(r[1]), mdNum(r[2]))
		}
	}
	if e := d.Economics; e != nil && len(e.Conditions) > 0 {
		m.p("\n**%s**\n", MarkdownText(thresholdSentence(e)))
		m.p("\n| Condition | Status | Detail |\n")
		m.p("| --- | --- | --- |\n")
		for _, c := range e.Conditions {
			m.p("| %s | %s | %s |\n", MarkdownText(c.Name), mdConditionStatus(c.Status), MarkdownText(c.Detail))
		}
	}
	m.close()
}

func mdConditionStatus(s string) string {
	switch s {
	case gate.StatusMet:
		return "✅ met"
	case gate.StatusNotMet:
		return "❌ not met"
	case gate.StatusNotMeasured:
		return "➖ not measured"
	}
	return MarkdownText(s)
}

func (m *md) checklist() {
	if len(m.d.Checklist) == 0 {
		return
	}
	yes := 0
	for _, c := range m.d.Checklist {
		if c.Answer == gate.AnswerYes {
			yes++
		}
	}
	m.open(fmt.Sprintf("Decision checklist: %d of %d yes", yes, len(m.d.Checklist)))
	m.p("| Question | Answer | Detail |\n")
	m.p("| --- | --- | --- |\n")
	for _, c := range m.d.Checklist {
		ans := MarkdownText(c.Answer)
		switch c.Answer {
		case gate.AnswerYes:
			ans = "✅ yes"
		case gate.AnswerNo:
			ans = "❌ no"
		case gate.AnswerUnknown:
			ans = "❔ unknown"
		}
		m.p("| %s | %s | %s |\n", MarkdownText(c.Question), ans, MarkdownText(c.Detail))
	}
	m.close()
}

func (m *md) tiers(names Names) {
	d := m.d
	if len(d.Tiers) == 0 && mdChartPoints(d, names) == nil {
		return
	}
	m.open("Cost per accepted outcome against acceptance")
	if len(d.Tiers) > 0 {
		m.p("| System | Role | Acceptance | Interval | Cost per accepted outcome | Interval | On the frontier |\n")
		m.p("| --- | --- | ---: | --- | ---: | --- | --- |\n")
		for _, t := range d.Tiers {
			front := ""
			if t.OnFrontier {
				front = "✅"
			}
			m.p("| %s | %s | %s | [%s, %s] | %s | %s | %s |\n", MarkdownText(t.Name), MarkdownText(t.Role),
				numfmt.Pct(t.Quality), numfmt.Pct(t.QualityLow), numfmt.Pct(t.QualityHigh),
				mdNum(usdOrDash(t.CPA)), mdNum(usdInterval(t.CPALow, t.CPAHigh)), front)
		}
	}
	if len(d.Routed) > 0 {
		m.p("\n**Routed baseline:** each workflow goes to the cheapest tier within %s of its best tier.\n\n",
			strings.TrimPrefix(numfmt.Points(d.Policy.Routing.MaxQualityLoss), "+"))
		m.p("| Workflow | Tier |\n")
		m.p("| --- | --- |\n")
		for _, wf := range slices.Sorted(maps.Keys(d.Routed)) {
			m.p("| %s | %s |\n", MarkdownText(wf), MarkdownText(d.Routed[wf]))
		}
	}
	markdownChart(m.p, d, names)
	m.close()
}

// failures shows the failure classes and the transition table (the most
// frequent classes, the others added up in one row and column).
func (m *md) failures() {
	d := m.d
	if len(d.FailureClasses) == 0 {
		return
	}
	m.open("Failure classes and transitions")
	rows, folded := classRows(d)
	if folded > 0 {
		m.p("The %s most frequent failure classes have rows of their own; %s %s holds the other %s.\n\n",
			numfmt.Int(gate.TransitionClasses), "the row", MarkdownText(gate.OtherClasses), numfmt.Int(folded))
	}
	m.p("| Class | Baseline | Candidate |\n")
	m.p("| --- | ---: | ---: |\n")
	for _, c := range rows {
		m.p("| %s | %s | %s |\n", MarkdownText(c.Class), numfmt.Int(c.Baseline), numfmt.Int(c.Candidate))
	}
	if trs := transitionsOf(d); trs != nil {
		outcomes, cell := trs.outcomes, trs.cases
		m.p("\nCases by baseline outcome (rows) and candidate outcome (columns):\n\n| |")
		for _, o := range outcomes {
			m.p(" %s |", MarkdownText(o))
		}
		m.p("\n| --- |%s\n", strings.Repeat(" ---: |", len(outcomes)))
		for _, from := range outcomes {
			m.p("| %s |", MarkdownText(from))
			for _, to := range outcomes {
				switch v, ok := cell[[2]string{from, to}]; {
				case from == gate.Accepted && to == gate.Accepted:
					m.p(" · |")
				case !ok:
					m.p(" 0 |")
				default:
					m.p(" %s |", count(v))
				}
			}
			m.p("\n")
		}
	}
	m.close()
}

// A mdChartPoint is one system on the cost/quality plane.
type mdChartPoint struct {
	label        string
	quality, cpa float64
}

// mdChartPoints returns the systems to plot, or nil when cost per
// accepted outcome is not known for the baseline.
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

// Fixed spans of the Mermaid chart, so that its picture never exaggerates
// a difference: acceptance runs 100 points, from 50 below the baseline to
// 50 above; cost per accepted outcome from a quarter to four times the
// baseline's, on a logarithmic scale.
const (
	chartPointsSpan = 0.5 // each side of the baseline, as a proportion
	chartCostFactor = 4.0 // each side of the baseline, as a factor
)

// markdownChart draws a Mermaid quadrant chart centred on the baseline:
// left of centre is cheaper per accepted outcome, above is more accepted,
// so the top-left quadrant is where a candidate worth releasing sits. The
// axes have fixed spans (chartPointsSpan, chartCostFactor) whatever the
// data, so +2.5 points look like 2.5 points; points beyond a span sit on
// the chart's edge and the text says so. The tables hold the exact values.
func markdownChart(p func(string, ...any), d *gate.Decision, names Names) {
	pts := mdChartPoints(d, names)
	p("\n**Chart.** ")
	if len(pts) == 0 {
		p("No chart: cost per accepted outcome is not known for the baseline.\n")
		return
	}
	refC, refQ := d.Cost.BaselineCPA, d.Quality.Baseline
	sx := math.Log2(chartCostFactor)
	clamp := func(x float64) (float64, bool) { return min(0.98, max(0.02, x)), x < 0.02 || x > 0.98 }
	factor := strconv.FormatFloat(chartCostFactor, 'g', -1, 64)
	p("The baseline sits at the centre. Acceptance runs from %s to %s (100 points, drawn to scale); cost per accepted outcome from ÷%s to ×%s the baseline's (logarithmic scale).",
		numfmt.Points(-chartPointsSpan), numfmt.Points(chartPointsSpan), factor, factor)
	var edge []string
	var lines []string
	for _, pt := range pts {
		x, ox := clamp(0.5 + math.Log2(pt.cpa/refC)/(2*sx))
		y, oy := clamp(0.5 + (pt.quality-refQ)/(2*chartPointsSpan))
		if ox || oy {
			edge = append(edge, pt.label)
		}
		lines = append(lines, fmt.Sprintf("    \"%s\": [%.3f, %.3f]\n", pt.label, x, y))
	}
	if len(edge) > 0 {
		p(" Beyond the chart, drawn on its edge: %s.", strings.Join(edge, ", "))
	}
	p("\n\n```mermaid\n")
	p("quadrantChart\n")
	p("    title Cost per accepted outcome against acceptance\n")
	p("    x-axis Cheaper --> Costlier\n")
	p("    y-axis Fewer accepted --> More accepted\n")
	p("    quadrant-1 Better but costlier\n")
	p("    quadrant-2 Better and cheaper\n")
	p("    quadrant-3 Cheaper but worse\n")
	p("    quadrant-4 Worse and costlier\n")
	for _, l := range lines {
		p("%s", l)
	}
	p("```\n")
}
