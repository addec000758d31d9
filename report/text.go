package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/internal/visible"
)

// Names are the display names of the two sides of a comparison.
type Names struct {
	Baseline, Candidate string
}

// TextOptions shape the terminal report.
type TextOptions struct {
	// Details adds every table: the tests behind each number, total
	// spend, latency percentiles with intervals, tiers, routing,
	// economics, the decision checklist, failure classes and transitions.
	Details bool
	// Color marks the verdict, results and warnings with ANSI colours.
	// Set it only when the report goes to a terminal and NO_COLOR is not
	// set; the text is the same either way.
	Color bool
	// Width is the widest line in columns (DefaultWidth when 0).
	Width int
	// Quiet writes only the verdict, the warnings about the inputs and
	// what blocks the release (for --quiet).
	Quiet bool
	// JSONPath is where the JSON report is written (--json; "-" for
	// standard output), for the command that lists the changed cases;
	// empty when no JSON report is written.
	JSONPath string
}

// Text writes the terminal report with the default options: the verdict
// and what blocks it first, then the evidence (the comparison table,
// constraints, workflows, case changes, power), then who decided.
func Text(w io.Writer, d *gate.Decision, names Names) error {
	return TextWith(w, d, names, TextOptions{})
}

// TextWith writes the terminal report with the given options. Every line
// fits o.Width columns: names wrap or are abbreviated, numbers never are.
func TextWith(w io.Writer, d *gate.Decision, names Names, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	t := &terminal{ew: &errWriter{w: w}, d: d, o: o, pt: painter{o.Color}}
	t.headline(names)
	t.inputWarnings()
	if o.Quiet {
		t.blocking()
		return t.ew.err
	}
	t.findings()
	t.warnings()
	t.evidence()
	t.constraints()
	t.segments()
	t.changes()
	t.power()
	if o.Details {
		t.tiers()
		t.economics()
		t.checklist()
		t.failures()
	}
	t.footer()
	return t.ew.err
}

// terminal is the state of one terminal report.
type terminal struct {
	ew *errWriter
	d  *gate.Decision
	o  TextOptions
	pt painter
}

func (t *terminal) line(s string) { io.WriteString(t.ew, s+"\n") }

// para writes text wrapped to the width, with a first-line and a
// continuation prefix.
func (t *terminal) para(text, first, rest string, st style) {
	for _, l := range wrap(text, t.o.Width, first, rest) {
		if st != plain {
			n := len(first)
			if !strings.HasPrefix(l, first) {
				n = len(rest)
			}
			l = l[:n] + t.pt.paint(l[n:], st)
		}
		t.line(l)
	}
}

func (t *terminal) heading(s string) {
	t.line("")
	t.line(t.pt.paint(s, bold))
}

func (t *terminal) table(tb *table) { tb.write(t.ew, t.o.Width, t.pt) }

// headline writes the verdict and what was compared.
func (t *terminal) headline(names Names) {
	d := t.d
	v := verdictHeadline(d)
	st := green
	switch {
	case d.Verdict == gate.Fail:
		st = red
	case d.Verdict != gate.Pass:
		st = yellow
	}
	t.line("ftgate: " + t.pt.paint(v, st))
	against := "baseline " + clean(names.Baseline)
	if names.Baseline == RoutedName {
		against = "the " + RoutedName
	}
	c := d.Cases
	what := fmt.Sprintf("candidate %s against %s: %s paired cases in %s clusters", clean(names.Candidate), against, numfmt.Int(c.Paired), numfmt.Int(c.Clusters))
	if c.MaxSamplesPerCase > 1 {
		what += fmt.Sprintf(", up to %s samples per case", numfmt.Int(c.MaxSamplesPerCase))
	}
	what += unmatchedPhrase(c)
	t.para(what, "", "  ", plain)
	if d.Sequential != nil {
		t.para(sequentialLine(d.Sequential), "", "  ", plain)
	}
}

// findings writes the reasons, what blocks the release first.
func (t *terminal) findings() {
	groups := groupFindings(t.d)
	for _, g := range groups {
		if len(g.findings) == 0 {
			continue
		}
		t.heading(g.title)
		for _, f := range g.findings {
			st := plain
			switch {
			case t.d.Blocking(f) && f.Status == gate.FindingFail:
				st = red
			case t.d.Blocking(f):
				st = yellow
			}
			t.para(clean(f.Text), "  - ", "    ", st)
		}
	}
}

// blocking writes only what blocks the release.
func (t *terminal) blocking() {
	for _, f := range t.d.Findings {
		if t.d.Blocking(f) {
			st := yellow
			if f.Status == gate.FindingFail {
				st = red
			}
			t.para(clean(f.Text), "  - ", "    ", st)
		}
	}
}

// A findingGroup is a titled list of findings.
type findingGroup struct {
	title    string
	findings []gate.Finding
}

// groupFindings orders the reasons for a reader: what blocks the release,
// then what holds, then notes.
func groupFindings(d *gate.Decision) []findingGroup {
	g := []findingGroup{{title: "blocking the release"}, {title: "not blocking"}, {title: "met"}, {title: "notes"}}
	for _, f := range d.Findings {
		switch {
		case d.Blocking(f):
			g[0].findings = append(g[0].findings, f)
		case f.Status == gate.FindingOpen || f.Status == gate.FindingFail:
			g[1].findings = append(g[1].findings, f)
		case f.Status == gate.FindingPass:
			g[2].findings = append(g[2].findings, f)
		default:
			g[3].findings = append(g[3].findings, f)
		}
	}
	return g
}

// maxTextWarnings caps the warnings of the default terminal report.
const maxTextWarnings = 5

// inputWarnings puts the warnings that question the comparison itself
// right under the verdict.
func (t *terminal) inputWarnings() {
	if len(t.d.InputWarnings) == 0 {
		return
	}
	t.heading(t.pt.paint("check the inputs", yellow))
	for _, w := range t.d.InputWarnings {
		t.para(clean(w), "  ! ", "    ", yellow)
	}
}

// otherWarnings are the warnings not shown as input warnings.
func otherWarnings(d *gate.Decision) []string {
	var out []string
	for _, w := range d.Warnings {
		if !slices.Contains(d.InputWarnings, w) {
			out = append(out, w)
		}
	}
	return out
}

func (t *terminal) warnings() {
	ws := otherWarnings(t.d)
	if len(ws) == 0 {
		return
	}
	t.heading(fmt.Sprintf("warnings (%d)", len(ws)))
	for i, w := range ws {
		if !t.o.Details && i == maxTextWarnings {
			t.para(fmt.Sprintf("… and %d more (--details, or the JSON report)", len(ws)-i), "  ", "  ", dim)
			break
		}
		t.para(clean(w), "  - ", "    ", yellow)
	}
}

// resultCell marks a test result.
func resultCell(met, missed bool) cell {
	switch {
	case met:
		return cell{"met", green}
	case missed:
		return cell{"MISSED", red}
	}
	return cell{notEstablished, yellow}
}

// notEstablished is the result of a test that neither passed nor failed.
const notEstablished = "not established"

func (t *terminal) evidence() {
	d := t.d
	q, k, l, f := d.Quality, d.Cost, d.Latency, d.Format
	t.heading("evidence")
	tb := &table{indent: "  ", cols: []column{{}, {right: true}, {right: true}, {right: true}, {}, {right: true}, {flex: true}}}
	tb.header = []string{"", "baseline", "candidate", "change", numfmt.Pct(q.CILevel) + " interval", "p", "result"}
	tb.add(c("acceptance"), c(numfmt.Pct(q.Baseline)), c(numfmt.Pct(q.Candidate)), c(numfmt.Points(q.Delta)),
		c(numfmt.PointsInterval(q.CILow, q.CIHigh)), c(numfmt.P(q.PValue)), resultCell(q.Met, q.Missed))
	switch {
	case k.Measured:
		tb.add(c("cost/accepted"), c(numfmt.USD(k.BaselineCPA)), c(numfmt.USD(k.CandidateCPA)), c(numfmt.Ratio(k.Ratio)),
			c(numfmt.RatioInterval(k.CILow, k.CIHigh)), c(numfmt.P(k.PValue)), resultCell(k.Met, k.Missed))
		if t.o.Details && k.Method == "bootstrap" {
			tb.add(c("  delta method"), c(""), c(""), c(""), c(numfmt.RatioInterval(k.DeltaCILow, k.DeltaCIHigh)), c(numfmt.P(k.DeltaPValue)))
		}
		if t.o.Details {
			tb.add(c("total spend"), c(numfmt.USD(k.BaselineTotalUSD)), c(numfmt.USD(k.CandidateTotalUSD)))
		}
	case d.Policy.Cost.Required:
		tb.add(c("cost/accepted"), c("not measured"), c("not measured"), c(""), c(""), c(""), cell{"not measured (required)", yellow})
	default:
		tb.add(c("cost/accepted"), c("not measured"), c("not measured"), c(""), c(""), c(""), c("not measured"))
	}
	latency := !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95)
	if latency {
		if t.o.Details {
			tb.add(c("latency p50"), c(numfmt.Ms(l.BaselineP50, "-")), c(numfmt.Ms(l.CandidateP50, "-")))
		}
		tb.add(c("latency p95"), c(numfmt.Ms(l.BaselineP95, "-")), c(numfmt.Ms(l.CandidateP95, "-")), c(numfmt.RatioOf(l.CandidateP95, l.BaselineP95, "-")))
	}
	if !math.IsNaN(f.BaselineValidRate) || !math.IsNaN(f.CandidateValidRate) {
		tb.add(c("schema valid"), c(numfmt.Pct(f.BaselineValidRate)), c(numfmt.Pct(f.CandidateValidRate)), c(numfmt.Points(f.CandidateValidRate-f.BaselineValidRate)))
	}
	t.table(tb)
	if !t.o.Details {
		return
	}
	tests := "Tests: acceptance " + q.Method
	if k.Measured {
		tests += "; cost/accepted " + costMethodText(k)
	}
	if latency && (!math.IsNaN(l.BaselineP95Low) || !math.IsNaN(l.CandidateP95Low)) {
		tests += fmt.Sprintf("; latency p95 %s intervals (%s): baseline %s, candidate %s", numfmt.Pct(q.CILevel), latencyIntervalName(l),
			numfmt.MsInterval(l.BaselineP95Low, l.BaselineP95High, "none"), numfmt.MsInterval(l.CandidateP95Low, l.CandidateP95High, "none"))
	}
	t.para(tests+".", "  ", "  ", dim)
}

// latencyIntervalName names the method of the latency intervals.
func latencyIntervalName(l gate.Latency) string {
	if l.IntervalMethod == gate.IntervalWoodruff {
		return "Woodruff, cluster-robust"
	}
	return "clustered bootstrap"
}

// costMethodText names the cost test.
func costMethodText(k gate.Cost) string {
	if k.Method == "bootstrap" {
		draws := numfmt.Int(k.Resamples) + " resamples"
		if k.Resampling == gate.ResamplingAdaptive {
			draws += ", as many as the decision needed"
		}
		if !math.IsNaN(k.MCError) {
			draws += "; Monte Carlo error of the p-value " + numfmt.Num(k.MCError)
		}
		return "BCa bootstrap (" + draws + ") and the delta method, both of which must reject"
	}
	return k.Method
}

func (t *terminal) constraints() {
	var ks []gate.Constraint
	ks = append(ks, t.d.Latency.Constraints...)
	ks = append(ks, t.d.Format.Constraints...)
	if len(ks) == 0 {
		return
	}
	t.heading("constraints on the candidate")
	tb := &table{indent: "  ", cols: []column{{flex: true}, {right: true}, {right: true}, {flex: true}}, header: []string{"", "limit", "value", "result"}}
	for _, k := range ks {
		res := cell{"held", green}
		switch {
		case !k.Measured && k.Required:
			res = cell{"not measured (required)", yellow}
		case !k.Measured:
			res = c("not measured")
		case !k.Held:
			res = cell{"BROKEN", red}
		}
		tb.add(c(k.Name), c(constraintValue(k.Name, k.Limit)), c(constraintValue(k.Name, k.Value)), res)
	}
	t.table(tb)
}

func (t *terminal) segments() {
	d := t.d
	if len(d.Segments) == 0 {
		return
	}
	t.heading("workflows (one-sided regression tests, Holm-adjusted)")
	tb := &table{indent: "  ", cols: []column{{flex: true}, {right: true}, {right: true}, {right: true}, {right: true}, {right: true}, {right: true}, {flex: true}},
		header: []string{"workflow", "cases", "baseline", "candidate", "change", "p (adj.)", "MDE", "result"}}
	for _, s := range d.Segments {
		res, padj, mde := cell{"ok", green}, numfmt.P(s.PAdjusted), detectableDrop(s.MDE)
		switch {
		case !s.Tested:
			res, padj, mde = c("not tested: "+notTested(s)), "-", "-"
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			res = cell{"REGRESSION", red}
		case s.Regression:
			res = cell{"regression (not blocking)", yellow}
		}
		tb.add(c(clean(s.Name)), c(numfmt.Int(s.Cases)), c(numfmt.Pct(s.Baseline)), c(numfmt.Pct(s.Candidate)), c(numfmt.Points(s.Delta)), c(padj), c(mde), res)
	}
	t.table(tb)
	t.para(fmt.Sprintf("MDE: the minimum detectable drop, the smallest drop each test detects with %s power.", numfmt.Pct(d.Policy.Power.Target)), "  ", "  ", dim)
}

// detectableDrop formats a segment's smallest detectable drop.
func detectableDrop(x float64) string {
	switch {
	case math.IsNaN(x):
		return "-"
	case math.IsInf(x, 1):
		return "none"
	}
	return strings.TrimPrefix(numfmt.Points(x), "+")
}

// changes writes how many cases the candidate broke, fixed or failed
// differently, and where to list them.
func (t *terminal) changes() {
	broke, fixed, class := gate.CountChanges(t.d.CaseChanges)
	if broke+fixed+class == 0 {
		return
	}
	t.heading("cases that changed")
	counts := fmt.Sprintf("%s broke, %s fixed, %s failed with another class", numfmt.Int(broke), numfmt.Int(fixed), numfmt.Int(class))
	switch path := t.o.JSONPath; path {
	case "":
		t.para(counts+"; write the JSON report with --json FILE to list them with 'ftgate cases FILE'.", "  ", "  ", plain)
	case "-":
		t.para(counts+"; pipe the JSON report into 'ftgate cases -' to list them.", "  ", "  ", plain)
	default:
		t.para(counts+"; list them with:", "  ", "  ", plain)
		cmd := []string{"ftgate", "cases", shellWord(path)}
		t.command(cmd)
		for _, s := range t.d.Segments {
			if s.Regression {
				t.para(fmt.Sprintf("and the broken cases of %s with:", clean(s.Name)), "  ", "  ", plain)
				t.command(append(cmd, "--broke", "--workflow", shellWord(clean(s.Name))))
			}
		}
	}
}

// command writes a shell command to copy, indented, its words never cut:
// a line that would pass the width ends with a backslash and the command
// goes on, further indented, on the next.
func (t *terminal) command(words []string) {
	const first, rest = "    ", "      "
	line := first + words[0]
	for _, w := range words[1:] {
		if width(line)+1+width(w)+2 > t.o.Width {
			t.line(line + " \\")
			line = rest + w
			continue
		}
		line += " " + w
	}
	t.line(line)
}

// shellWord quotes s for a POSIX shell when it holds anything but letters,
// digits and the punctuation that a shell reads literally.
func shellWord(s string) string {
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@,+=%", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (t *terminal) power() {
	t.heading("power")
	t.para(powerSentence(t.d), "  ", "  ", plain)
}

// powerSentence says how many cases the policy's effect needs.
func powerSentence(d *gate.Decision) string {
	pw := d.Power
	return fmt.Sprintf("Detecting a quality gain of %s with %s power takes %s paired cases (%s now); with %s cases the smallest detectable gain is %s%s.",
		numfmt.Points(pw.Effect), numfmt.Pct(pw.Target), numfmt.Cases(pw.CasesNeeded), numfmt.Int(d.Cases.Paired), numfmt.Int(d.Cases.Paired), numfmt.Points(pw.MDE), costPowerClause(d))
}

// costPowerClause is the cost plan's part of the power sentence ("" when
// cost has no variance to plan from).
func costPowerClause(d *gate.Decision) string {
	pw := d.Power
	if !(pw.CostCasesNeeded > 0) {
		return ""
	}
	return fmt.Sprintf("; showing a cost ratio of %s below the limit %s takes %s paired cases", numfmt.Ratio(pw.CostRatio), numfmt.Ratio(d.Cost.MaxRatio), numfmt.Cases(pw.CostCasesNeeded))
}

// footer names what decided.
func (t *terminal) footer() {
	t.line("")
	t.para(decidedBy(t.d, clean), "", "  ", dim)
	if !t.o.Details {
		t.para("--details shows every table (tests, tiers, economics, checklist, failure classes).", "", "", dim)
	}
}

// decidedBy names the policy (file and hash, or the defaults) and the
// ftgate version; esc makes the file name safe for the output.
func decidedBy(d *gate.Decision, esc func(string) string) string {
	p := d.Provenance
	v := p.Version
	if v == "" {
		v = "unknown"
	}
	pol := "the default policy (no --policy)"
	if p.PolicyFile != "" {
		pol = "policy " + esc(p.PolicyFile) + " (sha256 " + shortHash(p.PolicySHA256) + ")"
	}
	if len(p.Overrides) > 0 {
		pol += " and " + esc(strings.Join(p.Overrides, ", "))
	}
	return "Decided by ftgate " + esc(v) + " with " + pol + "."
}

// unmatchedPhrase says what became of the cases only one side has, as
// "; …" to follow the paired-cases line, or "" when every case paired:
// baseline cases the candidate lacks are counted as its failures
// (pairing.unmatched: candidate-fails) or dropped, candidate cases a
// baseline lacks are always dropped.
func unmatchedPhrase(c gate.CaseCounts) string {
	var parts []string
	if n := c.CountedAsFailures; n > 0 {
		parts = append(parts, numfmt.Counted(n, "baseline-only case", "baseline-only cases")+" counted as candidate failures")
	}
	if n := c.BaselineOnly - c.CountedAsFailures; n > 0 {
		parts = append(parts, numfmt.Counted(n, "baseline-only case", "baseline-only cases")+" dropped")
	}
	if n := c.CandidateOnly; n > 0 {
		parts = append(parts, numfmt.Counted(n, "candidate-only case", "candidate-only cases")+" dropped")
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

// shortHash shows the first 12 hex digits of a SHA-256, enough to tell
// policies apart at a glance; the JSON report has all of it.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// tiers writes every placed tier and the routing table.
func (t *terminal) tiers() {
	d := t.d
	if len(d.Tiers) == 0 {
		return
	}
	t.heading(fmt.Sprintf("tiers (%s intervals; * on the Pareto frontier of cost against quality)", numfmt.Pct(1-2*d.Policy.Alpha)))
	tb := &table{indent: "  ", cols: []column{{}, {flex: true}, {}, {}, {}},
		header: []string{"", "tier", "role", "acceptance", "cost/accepted"}}
	for _, tr := range d.Tiers {
		mark := ""
		if tr.OnFrontier {
			mark = "*"
		}
		tb.add(c(mark), c(clean(tr.Name)), c(tr.Role), c(numfmt.Pct(tr.Quality)+" ["+numfmt.Pct(tr.QualityLow)+", "+numfmt.Pct(tr.QualityHigh)+"]"),
			c(strings.TrimSuffix(usdOrDash(tr.CPA)+" "+usdInterval(tr.CPALow, tr.CPAHigh), " -")))
	}
	t.table(tb)
	if len(d.Routes) > 0 {
		t.heading(fmt.Sprintf("routed baseline (each workflow to the cheapest tier within %s of its best tier)", strings.TrimPrefix(numfmt.Points(d.Policy.Routing.MaxQualityLoss), "+")))
		tb = &table{indent: "  ", cols: []column{{flex: true}, {right: true}, {flex: true}, {right: true}, {right: true}, {flex: true}},
			header: []string{"workflow", "cases", "routed to", "acceptance", "cost/accepted", "best tier"}}
		for _, r := range d.Routes {
			tb.add(c(clean(r.Workflow)), c(numfmt.Int(r.Cases)), c(clean(r.Tier)), c(numfmt.Pct(r.Acceptance)), c(usdOrDash(r.CPA)),
				c(clean(r.BestTier)+" ("+numfmt.Pct(r.BestAcceptance)+")"))
		}
		t.table(tb)
	}
}

// economics writes the break-even analysis and the threshold rule, or
// says why there is none.
func (t *terminal) economics() {
	d := t.d
	t.heading("economics")
	rows := economicsRows(d)
	if rows == nil {
		t.para(economicsNotMeasured, "  ", "  ", plain)
	} else {
		tb := &table{indent: "  ", cols: []column{{flex: true}, {right: true}, {right: true}}, header: []string{"", "value", "conservative"}}
		for _, r := range rows {
			tb.add(c(r[0]), c(r[1]), c(r[2]))
		}
		t.table(tb)
	}
	if e := d.Economics; e != nil && len(e.Conditions) > 0 {
		t.para(thresholdSentence(e), "  ", "  ", plain)
		tb := &table{indent: "    ", cols: []column{{}, {}, {flex: true}}}
		for _, cd := range e.Conditions {
			tb.add(c(cd.Name), c(strings.ReplaceAll(cd.Status, "_", " ")), c(clean(cd.Detail)))
		}
		t.table(tb)
	}
}

func (t *terminal) checklist() {
	if len(t.d.Checklist) == 0 {
		return
	}
	t.heading("decision checklist")
	for _, it := range t.d.Checklist {
		st := plain
		switch it.Answer {
		case gate.AnswerYes:
			st = green
		case gate.AnswerNo:
			st = yellow
		}
		t.line("  " + t.pt.paint(fmt.Sprintf("%-8s", it.Answer), st) + clean(it.Question))
		t.para(clean(it.Detail), "          ", "          ", plain)
	}
}

// failures writes the failure-class table and the transitions from the
// baseline's outcome to the candidate's, as a matrix whose columns are
// numbered when the class names would not fit.
func (t *terminal) failures() {
	d := t.d
	if len(d.FailureClasses) == 0 {
		return
	}
	t.heading("failure classes (rejected samples)")
	rows, folded := classRows(d)
	if folded > 0 {
		t.para(fmt.Sprintf("the %d most frequent classes have rows of their own; %s holds the other %s", gate.TransitionClasses, gate.OtherClasses, numfmt.Int(folded)), "  ", "  ", plain)
	}
	tb := &table{indent: "  ", cols: []column{{flex: true}, {right: true}, {right: true}}, header: []string{"class", "baseline", "candidate"}}
	for _, fc := range rows {
		tb.add(c(clean(fc.Class)), c(numfmt.Int(fc.Baseline)), c(numfmt.Int(fc.Candidate)))
	}
	t.table(tb)
	trs := transitionsOf(d)
	if trs == nil {
		return
	}
	outcomes, cellOf := trs.outcomes, trs.cases
	t.heading("transitions (rows: baseline outcome, columns: candidate outcome; cases)")
	t.para(trs.summary(), "  ", "  ", plain)
	build := func(head func(i int, o string) string) *table {
		tb := &table{indent: "  ", cols: []column{{flex: true}}, header: []string{""}}
		for i, o := range outcomes {
			tb.cols = append(tb.cols, column{right: true})
			tb.header = append(tb.header, head(i, o))
		}
		for i, from := range outcomes {
			row := []cell{c(head(i, from) + rowLabel(head(i, from), clean(from)))}
			for _, to := range outcomes {
				v, ok := cellOf[[2]string{from, to}]
				switch {
				case from == gate.Accepted && to == gate.Accepted:
					row = append(row, c("·"))
				case !ok:
					row = append(row, c("0"))
				default:
					row = append(row, c(count(v)))
				}
			}
			tb.add(row...)
		}
		return tb
	}
	full := build(func(_ int, o string) string { return clean(o) })
	// The full names fit when the header row is narrower than the width.
	w := width(full.indent) + 2*len(outcomes)
	for _, h := range full.header {
		w += width(h)
	}
	w += width(full.header[1]) // the row labels are about as wide as the widest
	if w <= t.o.Width {
		for i := range full.rows {
			full.rows[i][0] = c(clean(outcomes[i]))
		}
		t.table(full)
		return
	}
	t.table(build(func(i int, _ string) string { return fmt.Sprintf("%d", i) }))
}

// rowLabel follows a numbered column header with the outcome's name.
func rowLabel(head, name string) string {
	if head == name {
		return ""
	}
	return " " + name
}

// count formats a (possibly fractional) number of cases.
func count(x float64) string {
	if x == math.Trunc(x) {
		return numfmt.Count(x)
	}
	return trimZeros(fmt.Sprintf("%.2f", x))
}

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
	return numfmt.USDInterval(lo, hi)
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
