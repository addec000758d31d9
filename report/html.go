package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
)

// The page's template, style sheet and script, embedded in the binary.
//
//go:embed html/report.tmpl html/report.css html/report.js
var htmlFiles embed.FS

// htmlAssets are the parsed template, the style sheet and the script, and
// the Content-Security-Policy that allows exactly those two by hash.
var htmlAssets = func() struct {
	tmpl *template.Template
	css  template.CSS
	js   template.JS
	csp  string
} {
	read := func(name string) string {
		b, err := htmlFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	css, js := read("html/report.css"), read("html/report.js")
	if strings.Contains(css+js, "##[") {
		panic("report: the page's style sheet or script holds ##[, which renderHTML rewrites")
	}
	hash := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	}
	a := struct {
		tmpl *template.Template
		css  template.CSS
		js   template.JS
		csp  string
	}{
		tmpl: template.Must(template.New("report.tmpl").ParseFS(htmlFiles, "html/report.tmpl")),
		css:  template.CSS(css),
		js:   template.JS(js),
		// Nothing is fetched: no images, fonts, frames or connections;
		// only the page's own style sheet and script run, by hash.
		csp: "default-src 'none'; style-src " + hash(css) + "; script-src " + hash(js) +
			"; img-src 'none'; base-uri 'none'; form-action 'none'",
	}
	return a
}()

// maxHTMLCases caps the rows of the flipped-cases table; the JSON report
// lists them all.
const maxHTMLCases = 5000

// HTML writes the decision as one self-contained HTML page for a reviewer:
// the verdict and its reasons; quality and cost per accepted outcome as
// intervals against their margins; a forest plot of every workflow's
// change with its interval at Holm's level; the cost–quality plane of the
// tiers with the Pareto frontier; the break-even picture with the
// threshold rule; the power curve; the decision checklist; the failure
// classes and their transitions; and the table of flipped cases, which a
// small script filters and sorts in the browser.
//
// The page fetches nothing: its style sheet, script and charts (SVG) are
// inline, and a Content-Security-Policy allows only that style sheet and
// script, by their SHA-256 hashes. It is rendered with html/template, so
// every string from a scorecard or a policy is escaped for its context;
// control characters and bidirectional controls are shown as visible
// escapes first, as in the terminal report. The script reads no text from
// the data: rows carry numbers (indexes and sort ranks) in data attributes.
// The same decision always gives the same bytes.
func HTML(w io.Writer, d *gate.Decision, inputs []Input, names Names) error {
	return renderHTML(w, htmlPageOf(d, inputs, names))
}

// renderHTML executes the page template into a buffer first, so that a
// template error leaves nothing half written.
//
// A "##[" from a scorecard is written "#&#35;[": the page reads the same,
// but no line of the file is a legacy workflow command should a step print
// it to the log. Text from scorecards reaches only contexts where the
// character reference is decoded (text, attribute values, titles); the
// page's own style sheet and script hold no "##[".
func renderHTML(w io.Writer, p *htmlPage) error {
	var buf bytes.Buffer
	if err := htmlAssets.tmpl.Execute(&buf, p); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	_, err := w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("##["), []byte("#&#35;[")))
	return err
}

// htmlPage is everything the template prints, formatted.
type htmlPage struct {
	CSP string
	CSS template.CSS
	JS  template.JS

	Verdict   htmlVerdict
	Candidate string
	// Against names the baseline; AgainstRole says "baseline" after a
	// system's name and is empty for the routed baseline.
	Against     string
	AgainstRole string
	CasesLine   string
	// Findings are the reasons, grouped: what blocks the release first.
	Findings      []htmlFindingGroup
	InputWarnings []string
	Warnings      []string
	// WarningsTitle heads the collapsed warnings ("3 warnings").
	WarningsTitle string

	Metrics     []htmlRow
	MetricsHead []string
	Constraints []htmlConstraint
	// Sequential is the sequential-mode line, with the evidence by look.
	Sequential  string
	SeqChart    *chart
	SeqLooks    []htmlSeqLook
	Quality     chart
	QualityNote string
	Cost        *chart
	CostNote    string

	Forest      *chart
	ForestLevel string
	Segments    []htmlSegment

	Frontier  *chart
	TierLevel string
	Tiers     []htmlTier
	Routes    []htmlRoute

	Economics *htmlEconomics

	Power      *chart
	PowerLine  string
	PowerRows  []htmlPowerRow
	PowerCurve []htmlPowerRow

	Checklist []htmlCheck

	FailureClasses     []htmlClassCount
	FailureClassesNote string
	Transitions        *htmlMatrix

	Cases *htmlCases

	Inputs    []htmlInput
	Policy    string
	DecidedBy string
}

// htmlFindingGroup is a titled list of reasons with one status class.
type htmlFindingGroup struct {
	Title, Class string
	Items        []htmlFinding
}

type htmlFinding struct {
	Text, Class string
}

// htmlVerdict is the banner.
type htmlVerdict struct {
	Word, Class, Effect string
}

// htmlRow is one row of a table: a header cell and data cells, with a
// status class for the last cell.
type htmlRow struct {
	Head   string
	Cells  []string
	Status string
	Result string
}

type htmlSeqLook struct {
	Look, Cases, Quality, Cost string
}

type htmlConstraint struct {
	Name, Limit, Value, Status, Class string
}

type htmlSegment struct {
	Name, Cases, Baseline, Candidate, Change, Interval, Level, P, Detectable, Result, Class string
}

type htmlTier struct {
	Name, Role, Acceptance, AcceptanceInterval, CPA, CPAInterval string
	Frontier                                                     bool
}

type htmlRoute struct {
	Workflow, Cases, Tier, Acceptance, CPA, Best string
}

type htmlEconomics struct {
	Note       string
	Chart      *chart
	Facts      []htmlFact
	Months     []htmlMonth
	RuleLine   string
	Conditions []htmlCondition
}

// htmlFact is a row of the economics table; Sub rows detail the row
// above them.
type htmlFact struct {
	Label, Value, Conservative string
	Sub                        bool
}

type htmlMonth struct{ Month, Net, Conservative string }

type htmlCondition struct {
	Name, Status, Class, Detail string
}

type htmlPowerRow struct{ Label, Cases, Power string }

type htmlCheck struct {
	Question, Answer, Class, Detail string
}

type htmlClassCount struct {
	Class, Baseline, Candidate string
}

// htmlMatrix is the transitions table: rows are the baseline's outcome,
// columns the candidate's.
type htmlMatrix struct {
	Summary string
	Cols    []string
	Rows    []htmlMatrixRow
}

type htmlMatrixRow struct {
	Head  string
	Cells []htmlMatrixCell
}

type htmlMatrixCell struct {
	Text, Class string
}

type htmlInput struct {
	Role, File, Format, System, SHA256, Samples string
}

// htmlPageOf formats the decision for the template.
func htmlPageOf(d *gate.Decision, inputs []Input, names Names) *htmlPage {
	p := &htmlPage{CSP: htmlAssets.csp, CSS: htmlAssets.css, JS: htmlAssets.js}
	p.Verdict = htmlVerdictOf(d)
	p.Candidate = clean(names.Candidate)
	p.Against, p.AgainstRole = clean(names.Baseline), "baseline"
	if names.Baseline == RoutedName {
		p.Against, p.AgainstRole = RoutedName, ""
	}
	c := d.Cases
	p.CasesLine = fmt.Sprintf("%s paired cases in %s", numfmt.Int(c.Paired), numfmt.Counted(c.Clusters, "cluster", "clusters"))
	if c.MaxSamplesPerCase > 1 {
		p.CasesLine += fmt.Sprintf(", up to %s samples per case", numfmt.Int(c.MaxSamplesPerCase))
	}
	p.CasesLine += unmatchedPhrase(c)
	for i, g := range groupFindings(d) {
		if len(g.findings) == 0 {
			continue
		}
		hg := htmlFindingGroup{Title: capitalize(g.title), Class: []string{"bad", "open", "good", "muted"}[i]}
		for _, f := range g.findings {
			cls := ""
			switch {
			case d.Blocking(f) && f.Status == gate.FindingFail:
				cls = "bad"
			case d.Blocking(f):
				cls = "open"
			}
			hg.Items = append(hg.Items, htmlFinding{Text: clean(f.Text), Class: cls})
		}
		p.Findings = append(p.Findings, hg)
	}
	for _, w := range d.InputWarnings {
		p.InputWarnings = append(p.InputWarnings, clean(w))
	}
	for _, w := range otherWarnings(d) {
		p.Warnings = append(p.Warnings, clean(w))
	}
	p.WarningsTitle = numfmt.Counted(len(p.Warnings), "warning", "warnings")
	htmlMetrics(p, d)
	htmlSequential(p, d)
	p.Quality, p.QualityNote = qualityChart(d)
	p.Cost, p.CostNote = costChart(d)
	htmlSegments(p, d)
	htmlTiers(p, d)
	p.Economics = htmlEconomicsOf(d)
	htmlPower(p, d)
	for _, k := range d.Checklist {
		p.Checklist = append(p.Checklist, htmlCheck{Question: clean(k.Question), Answer: k.Answer, Class: answerClass(k.Answer), Detail: clean(k.Detail)})
	}
	htmlFailures(p, d)
	p.Cases = htmlCasesOf(caseRowsOf(d))
	for _, in := range inputs {
		p.Inputs = append(p.Inputs, htmlInput{Role: in.Role, File: clean(in.File), Format: clean(in.Format), System: clean(in.System),
			SHA256: in.SHA256, Samples: numfmt.Int(in.Samples)})
	}
	p.Policy = fmt.Sprintf("One-sided tests at α = %s; intervals are %s two-sided unless marked.", numfmt.Num(d.Policy.Alpha), numfmt.Pct(1-2*d.Policy.Alpha))
	p.DecidedBy = decidedBy(d, clean)
	return p
}

// capitalize upper-cases the first letter of an ASCII title.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func htmlVerdictOf(d *gate.Decision) htmlVerdict {
	v := htmlVerdict{Word: strings.ToUpper(string(d.Verdict)), Class: string(d.Verdict)}
	switch {
	case d.Verdict == gate.Pass:
		v.Effect = "the candidate may be released"
	case d.ExitCode == gate.ExitPass:
		v.Effect = "not blocking (the policy sets inconclusive: warn)"
	case d.Verdict == gate.Inconclusive:
		v.Effect = "blocks the release: the evidence does not settle it"
	default:
		v.Effect = "blocks the release"
	}
	return v
}

// status is the class and word of a met / missed / open check.
func status(met, missed bool) (class, word string) {
	switch {
	case met:
		return "good", "met"
	case missed:
		return "bad", "missed"
	}
	return "open", "not established"
}

func htmlMetrics(p *htmlPage, d *gate.Decision) {
	q, k := d.Quality, d.Cost
	p.MetricsHead = []string{"baseline", "candidate", "change", numfmt.Pct(q.CILevel) + " interval", "p", "test"}
	cls, word := status(q.Met, q.Missed)
	p.Metrics = append(p.Metrics, htmlRow{Head: "acceptance", Cells: []string{numfmt.Pct(q.Baseline), numfmt.Pct(q.Candidate),
		numfmt.Points(q.Delta), numfmt.PointsInterval(q.CILow, q.CIHigh), numfmt.P(q.PValue), q.Method}, Status: cls, Result: word})
	if k.Measured {
		cls, word := status(k.Met, k.Missed)
		p.Metrics = append(p.Metrics, htmlRow{Head: "cost per accepted outcome", Cells: []string{numfmt.USD(k.BaselineCPA), numfmt.USD(k.CandidateCPA),
			numfmt.Ratio(k.Ratio), numfmt.RatioInterval(k.CILow, k.CIHigh), numfmt.P(k.PValue), k.Method}, Status: cls, Result: word})
		p.Metrics = append(p.Metrics, htmlRow{Head: "total spend", Cells: []string{numfmt.USD(k.BaselineTotalUSD), numfmt.USD(k.CandidateTotalUSD), "", "", "", ""}})
	} else {
		p.Metrics = append(p.Metrics, htmlRow{Head: "cost per accepted outcome", Cells: []string{"not measured", "not measured", "", "", "", ""}, Status: "open", Result: "not measured"})
	}
	l := d.Latency
	if !math.IsNaN(l.BaselineP95) || !math.IsNaN(l.CandidateP95) {
		p.Metrics = append(p.Metrics,
			htmlRow{Head: "latency p50", Cells: []string{numfmt.Ms(l.BaselineP50, "-"), numfmt.Ms(l.CandidateP50, "-"), "", "", "", ""}},
			htmlRow{Head: "latency p95", Cells: []string{numfmt.Ms(l.BaselineP95, "-"), numfmt.Ms(l.CandidateP95, "-"),
				numfmt.RatioOf(l.CandidateP95, l.BaselineP95, "-"), "", "", ""}})
	}
	f := d.Format
	if !math.IsNaN(f.BaselineValidRate) || !math.IsNaN(f.CandidateValidRate) {
		p.Metrics = append(p.Metrics, htmlRow{Head: "schema valid", Cells: []string{numfmt.Pct(f.BaselineValidRate), numfmt.Pct(f.CandidateValidRate),
			numfmt.Points(f.CandidateValidRate - f.BaselineValidRate), "", "", ""}})
	}
	for _, group := range [][]gate.Constraint{l.Constraints, f.Constraints} {
		for _, c := range group {
			st, cls := "held", "good"
			switch {
			case !c.Measured && c.Required:
				st, cls = "not measured (required)", "open"
			case !c.Measured:
				st, cls = "not measured", "muted"
			case !c.Held:
				st, cls = "broken", "bad"
			}
			p.Constraints = append(p.Constraints, htmlConstraint{Name: c.Name, Limit: constraintValue(c.Name, c.Limit), Value: constraintValue(c.Name, c.Value), Status: st, Class: cls})
		}
	}
}

// intervalName names the interval of quality and cost: a two-sided
// interval, or in sequential mode the bounds of the confidence sequences.
func intervalName(d *gate.Decision, level float64) string {
	if d.Sequential != nil {
		return numfmt.Pct(level) + " confidence sequence"
	}
	return numfmt.Pct(level) + " interval"
}

// htmlSequential states sequential mode and draws the quality bounds look
// by look: the running intersection of the confidence sequences after
// each batch of evidence.
func htmlSequential(p *htmlPage, d *gate.Decision) {
	sq := d.Sequential
	if sq == nil {
		return
	}
	p.Sequential = capitalize(sequentialLine(sq)) + "."
	for _, h := range sq.History {
		p.SeqLooks = append(p.SeqLooks, htmlSeqLook{Look: strconv.Itoa(h.Look), Cases: numfmt.Int(h.Cases),
			Quality: numfmt.PointsInterval(h.QualityLo, h.QualityHi), Cost: numfmt.RatioInterval(h.CostLo, h.CostHi)})
	}
	if len(sq.History) == 0 {
		return
	}
	const w, h, left, right, top, bottom = 960.0, 260.0, 72.0, 940.0, 24.0, 210.0
	m := d.Quality.Margin
	vals := []float64{0, m}
	last := 0
	for _, l := range sq.History {
		vals = append(vals, l.QualityLo, l.QualityHi)
		last = max(last, l.Cases)
	}
	y0, y1 := span(0.1, 0.01, vals...)
	x := scale{0, float64(last) * 1.08, left, right}
	y := scale{y0, y1, bottom, top}
	c := &chart{ID: "looks", Width: w, Height: h, Title: "Quality bounds after each look",
		Desc: fmt.Sprintf("The confidence sequence's bounds on the change in acceptance after each of %d looks; the gain is established once the lower bound is above the margin %s.",
			len(sq.History), numfmt.Points(m))}
	for _, t := range y.ticks(5) {
		c.Grid = append(c.Grid, chartLine{left, y.at(t), right, y.at(t), "grid"})
		c.Texts = append(c.Texts, chartText{left - 8, y.at(t) + 4, "end", "tick", signedPts(t, 0.01)})
	}
	c.Grid = append(c.Grid, chartLine{left, top, left, bottom, "axis"})
	c.bottomAxis(x, bottom, 6, func(v, _ float64) string { return numfmt.Count(v) })
	c.Texts = append(c.Texts, chartText{(left + right) / 2, h - 8, "middle", "axis-label", "paired cases at the look"})
	c.Vertical = append(c.Vertical, chartText{16, (top + bottom) / 2, "middle", "axis-label", "change, pts"})
	c.Lines = append(c.Lines, chartLine{left, y.at(0), right, y.at(0), "ref"})
	if m != 0 {
		c.Lines = append(c.Lines, chartLine{left, y.at(m), right, y.at(m), "limit"})
		c.Texts = append(c.Texts, chartText{left + 6, y.at(m) - 6, "start", "ref-label", "margin " + numfmt.Points(m)})
	} else {
		c.Texts = append(c.Texts, chartText{left + 6, y.at(0) - 6, "start", "ref-label", "no change = margin"})
	}
	for _, l := range sq.History {
		if !finite(l.QualityLo) || !finite(l.QualityHi) {
			continue
		}
		cls := "open"
		switch {
		case l.QualityLo > m:
			cls = "good"
		case l.QualityHi < m:
			cls = "bad"
		}
		c.Lines = append(c.Lines, whiskerLines(y.at(l.QualityHi), y.at(l.QualityLo), x.at(float64(l.Cases)), 8, true, "iv "+cls)...)
		c.Texts = append(c.Texts, chartText{x.at(float64(l.Cases)) + 12, y.at(l.QualityLo) + 4, "start", "value " + cls, "look " + strconv.Itoa(l.Look)})
	}
	p.SeqChart = c
}

// signedPts formats a tick of an axis in percentage points, with as many
// decimals as the step between ticks needs.
func signedPts(v, step float64) string {
	dec := 0
	if step < 0.01-1e-12 {
		dec = 1
	}
	s := strconv.FormatFloat(100*v, 'f', dec, 64)
	switch {
	case s == "0" || s == "0.0" || s == "-0" || s == "-0.0":
		return "0"
	case v > 0:
		return "+" + s
	}
	return s
}

// intervalChart draws one estimate with its interval on a horizontal axis,
// against a reference value (no change) and a limit (the margin), with the
// side of the limit that passes shaded. better is +1 when values above the
// limit pass, −1 when values below it pass.
func intervalChart(id, title, desc string, est, lo, hi, ref, limit float64, better int, bandLabel, refLabel, limitLabel, estLabel, cls string,
	tick func(v, step float64) string, axis string, pad, minPad float64) chart {
	const w, h = 480.0, 156.0
	c := chart{ID: id, Width: w, Height: h, Title: title, Desc: desc}
	d0, d1 := span(pad, minPad, est, lo, hi, ref, limit)
	x := scale{d0, d1, 24, w - 24}
	const yRow, yAxis = 84.0, 120.0
	// The passing side of the limit.
	if finite(limit) {
		if better > 0 {
			c.Bands = append(c.Bands, chartRect{x.at(limit), 54, w - 24 - x.at(limit), 56, "band-good"})
			c.Texts = append(c.Texts, chartText{w - 28, 106, "end", "band-label", bandLabel})
		} else {
			c.Bands = append(c.Bands, chartRect{24, 54, x.at(limit) - 24, 56, "band-good"})
			c.Texts = append(c.Texts, chartText{28, 106, "start", "band-label", bandLabel})
		}
	}
	c.bottomAxis(x, yAxis, 5, tick)
	c.Texts = append(c.Texts, chartText{w / 2, h - 2, "middle", "axis-label", axis})
	// Reference lines, labelled on two rows so that close lines stay
	// readable.
	if limit == ref {
		c.Lines = append(c.Lines, chartLine{x.at(ref), 40, x.at(ref), yAxis, "ref"})
		c.Texts = append(c.Texts, chartText{x.at(ref), 34, anchorFor(x.at(ref), 24, w-24), "ref-label", refLabel + " = " + limitLabel})
	} else {
		c.Lines = append(c.Lines, chartLine{x.at(ref), 40, x.at(ref), yAxis, "ref"},
			chartLine{x.at(limit), 20, x.at(limit), yAxis, "limit"})
		c.Texts = append(c.Texts, chartText{x.at(ref), 34, anchorFor(x.at(ref), 24, w-24), "ref-label", refLabel},
			chartText{x.at(limit), 14, anchorFor(x.at(limit), 24, w-24), "ref-label", limitLabel})
	}
	if finite(lo) && finite(hi) {
		c.Lines = append(c.Lines, whiskerLines(x.at(lo), x.at(hi), yRow, 8, false, "iv "+cls)...)
	}
	if finite(est) {
		c.Marks = append(c.Marks, mark("circle", x.at(est), yRow, 6, "pt "+cls, estLabel))
		c.Texts = append(c.Texts, chartText{x.at(est), yRow - 14, anchorFor(x.at(est), 24, w-24), "value " + cls, estLabel})
	}
	return c
}

// anchorFor keeps a label near the left or right edge inside the chart.
func anchorFor(x, left, right float64) string {
	switch {
	case x-left < 70:
		return "start"
	case right-x < 70:
		return "end"
	}
	return "middle"
}

func qualityChart(d *gate.Decision) (chart, string) {
	q := d.Quality
	cls, word := status(q.Met, q.Missed)
	level := intervalName(d, q.CILevel)
	est := numfmt.Points(q.Delta) + " " + numfmt.PointsInterval(q.CILow, q.CIHigh)
	desc := fmt.Sprintf("The candidate's acceptance minus the baseline's is %s with the %s %s; the margin is %s, so the gain over it is %s.",
		numfmt.Points(q.Delta), level, numfmt.PointsInterval(q.CILow, q.CIHigh), numfmt.Points(q.Margin), word)
	c := intervalChart("quality", "Change in acceptance against the margin", desc, q.Delta, q.CILow, q.CIHigh, 0, q.Margin, +1,
		"above the margin", "no change", "margin "+numfmt.Points(q.Margin), est, cls, signedPts, "change in acceptance, percentage points", 0.15, 0.01)
	note := fmt.Sprintf("Gain over the margin: %s (%s, %s); the whiskers are the %s.", word, q.Method, numfmt.PEquals(q.PValue), level)
	if math.IsNaN(q.CILow) {
		note += " Every cluster shows the same difference, so there is no interval; the exact sign test over clusters decides."
	}
	return c, note
}

func costChart(d *gate.Decision) (*chart, string) {
	k := d.Cost
	switch {
	case !k.Measured:
		return nil, "Cost per accepted outcome: not measured (no cost or priced usage in at least one scorecard)."
	case math.IsNaN(k.Ratio):
		return nil, "Cost per accepted outcome: the ratio is undefined (" + clean(k.Undefined) + ")."
	}
	cls, word := status(k.Met, k.Missed)
	level := intervalName(d, k.CILevel)
	desc := fmt.Sprintf("The candidate's cost per accepted outcome is %s of the baseline's (%s against %s) with the %s %s; the limit is %s, so being below it is %s.",
		numfmt.Ratio(k.Ratio), numfmt.USD(k.CandidateCPA), numfmt.USD(k.BaselineCPA), level, numfmt.RatioInterval(k.CILow, k.CIHigh), numfmt.Ratio(k.MaxRatio), word)
	ratioTick := func(v, step float64) string {
		dec := 1
		if step < 0.1-1e-12 {
			dec = 2
		}
		return strconv.FormatFloat(v, 'f', dec, 64) + "×"
	}
	c := intervalChart("cost", "Cost per accepted outcome, candidate over baseline, against the limit", desc, k.Ratio, k.CILow, k.CIHigh, 1, k.MaxRatio, -1,
		"below the limit", "same cost", "limit "+numfmt.Ratio(k.MaxRatio), numfmt.Ratio(k.Ratio)+" "+numfmt.RatioInterval(k.CILow, k.CIHigh), cls, ratioTick,
		"cost per accepted outcome, candidate ÷ baseline", 0.15, 0.05)
	return &c, fmt.Sprintf("Below the limit: %s (%s, %s); the whiskers are the %s.", word, k.Method, numfmt.PEquals(k.PValue), level)
}

func htmlSegments(p *htmlPage, d *gate.Decision) {
	if len(d.Segments) == 0 {
		return
	}
	for _, s := range d.Segments {
		row := htmlSegment{Name: clean(s.Name), Cases: numfmt.Int(s.Cases), Baseline: numfmt.Pct(s.Baseline), Candidate: numfmt.Pct(s.Candidate),
			Change: numfmt.Points(s.Delta), Interval: "-", Level: "-", P: numfmt.P(s.PAdjusted), Detectable: detectableDrop(s.MDE), Result: "ok", Class: "good"}
		if hasInterval(s) {
			row.Interval, row.Level = numfmt.PointsInterval(s.CILow, s.CIHigh), numfmt.Pct(s.CILevel)
		}
		switch {
		case !s.Tested:
			row.P, row.Detectable, row.Result, row.Class = "-", "-", "not tested: "+notTested(s), "muted"
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			row.Result, row.Class = "regression", "bad"
		case s.Regression:
			row.Result, row.Class = "regression (not blocking)", "open"
		}
		p.Segments = append(p.Segments, row)
	}
	p.Forest = forestChart(d)
	switch n := countTested(d.Segments); n {
	case 0:
		p.ForestLevel = fmt.Sprintf("No workflow has enough cases to be tested (segments.min_cases %d): hollow points show their changes, without intervals. The overall change is at %s.",
			d.Policy.Segments.MinCases, numfmt.Pct(d.Quality.CILevel))
	default:
		p.ForestLevel = fmt.Sprintf("Each workflow's interval is at the level at which Holm's procedure tested it (α = %s over %d tested workflows); the overall change is at %s.",
			numfmt.Num(d.Policy.Alpha), n, numfmt.Pct(d.Quality.CILevel))
	}
}

// hasInterval reports whether a segment has an interval at Holm's level.
func hasInterval(s gate.Segment) bool {
	return s.Tested && s.CILevel > 0 && finite(s.CILow) && finite(s.CIHigh)
}

func countTested(ss []gate.Segment) int {
	n := 0
	for _, s := range ss {
		if s.Tested {
			n++
		}
	}
	return n
}

// forestChart draws every workflow's change in acceptance with its
// interval at Holm's level, under the overall change, against no change
// and the allowed drop.
func forestChart(d *gate.Decision) *chart {
	const w, rowH, top, left, right = 960.0, 30.0, 52.0, 236.0, 720.0
	segs := d.Segments
	h := top + rowH*float64(len(segs)+1) + 44
	drop := -d.Policy.Segments.MaxDrop
	vals := []float64{0, drop, d.Quality.Delta, d.Quality.CILow, d.Quality.CIHigh}
	var regressed []string
	for _, s := range segs {
		vals = append(vals, s.Delta)
		if hasInterval(s) {
			vals = append(vals, s.CILow, s.CIHigh)
		}
		if s.Regression {
			regressed = append(regressed, clean(s.Name))
		}
	}
	d0, d1 := span(0.08, 0.01, vals...)
	x := scale{d0, d1, left, right}
	desc := fmt.Sprintf("Change in acceptance of %d workflows, each with its interval at Holm's level, and of all cases together. ", len(segs))
	if len(regressed) > 0 {
		desc += "Regressed: " + strings.Join(regressed, ", ") + "."
	} else {
		desc += "No workflow regresses."
	}
	c := &chart{ID: "forest", Width: w, Height: h, Title: "Change in acceptance by workflow", Desc: desc}
	yAxis := h - 36
	// Reference lines: no change, and the allowed drop when there is one.
	c.Lines = append(c.Lines, chartLine{x.at(0), top - 14, x.at(0), yAxis, "ref"})
	if drop == 0 {
		c.Texts = append(c.Texts, chartText{x.at(0), top - 20, "middle", "ref-label", "no change = allowed drop"})
	} else {
		c.Lines = append(c.Lines, chartLine{x.at(drop), top - 30, x.at(drop), yAxis, "limit"})
		c.Texts = append(c.Texts, chartText{x.at(0), top - 20, "start", "ref-label", "no change"},
			chartText{x.at(drop), top - 36, "end", "ref-label", "allowed drop " + numfmt.Points(drop)})
	}
	row := func(i int, name, value, class string, est, lo, hi float64, hollow bool, tip string) {
		y := top + rowH*(float64(i)+0.5)
		if strings.Contains(class, "bad") {
			c.Bands = append(c.Bands, chartRect{0, y - rowH/2 + 1, w, rowH - 2, "band-bad"})
		}
		if i > 0 {
			c.Grid = append(c.Grid, chartLine{left, y, right, y, "grid"})
		}
		labelClass := "row-label"
		if class == "bad" || class == "muted" {
			labelClass += " " + class
		}
		c.Texts = append(c.Texts, chartText{left - 12, y + 4, "end", labelClass, shortLabel(name, 32)},
			chartText{right + 12, y + 4, "start", "value " + class, value})
		if finite(lo) && finite(hi) {
			c.Lines = append(c.Lines, whiskerLines(x.at(math.Max(lo, d0)), x.at(math.Min(hi, d1)), y, 6, false, "iv "+class)...)
		}
		if finite(est) {
			cls := "pt " + class
			if hollow {
				cls = "pt-hollow " + class
			}
			c.Marks = append(c.Marks, mark("circle", x.at(est), y, 5, cls, tip))
		}
	}
	q := d.Quality
	row(0, "all cases", numfmt.Points(q.Delta), "overall", q.Delta, q.CILow, q.CIHigh, false,
		"all cases: "+numfmt.Points(q.Delta)+" "+numfmt.PointsInterval(q.CILow, q.CIHigh))
	for i, s := range segs {
		class, value := "good", numfmt.Points(s.Delta)
		switch {
		case !s.Tested:
			class, value = "muted", numfmt.Points(s.Delta)+" · not tested"
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			class, value = "bad", numfmt.Points(s.Delta)+" · regression"
		case s.Regression:
			class, value = "open", numfmt.Points(s.Delta)+" · regression, not blocking"
		}
		lo, hi := math.NaN(), math.NaN()
		if hasInterval(s) {
			lo, hi = s.CILow, s.CIHigh
		}
		row(i+1, clean(s.Name), value, class, s.Delta, lo, hi, !s.Tested,
			clean(s.Name)+": "+numfmt.Points(s.Delta)+" "+numfmt.PointsInterval(lo, hi))
	}
	c.bottomAxis(x, yAxis, 6, signedPts)
	c.Texts = append(c.Texts, chartText{(left + right) / 2, h - 4, "middle", "axis-label", "change in acceptance, percentage points"})
	return c
}

func htmlTiers(p *htmlPage, d *gate.Decision) {
	if len(d.Tiers) == 0 {
		return
	}
	p.TierLevel = numfmt.Pct(1 - 2*d.Policy.Alpha)
	for _, t := range d.Tiers {
		p.Tiers = append(p.Tiers, htmlTier{Name: clean(t.Name), Role: t.Role, Acceptance: numfmt.Pct(t.Quality),
			AcceptanceInterval: "[" + numfmt.Pct(t.QualityLow) + ", " + numfmt.Pct(t.QualityHigh) + "]",
			CPA:                usdOrDash(t.CPA), CPAInterval: usdInterval(t.CPALow, t.CPAHigh), Frontier: t.OnFrontier})
	}
	for _, r := range d.Routes {
		p.Routes = append(p.Routes, htmlRoute{Workflow: clean(r.Workflow), Cases: numfmt.Int(r.Cases), Tier: clean(r.Tier),
			Acceptance: numfmt.Pct(r.Acceptance), CPA: usdOrDash(r.CPA), Best: clean(r.BestTier) + " (" + numfmt.Pct(r.BestAcceptance) + ")"})
	}
	p.Frontier = frontierChart(d)
}

// frontierChart places every tier on the plane of cost per accepted
// outcome against acceptance, with interval whiskers both ways and the
// Pareto frontier as a dashed line.
func frontierChart(d *gate.Decision) *chart {
	const w, h, left, right, top, bottom = 960.0, 440.0, 84.0, 940.0, 24.0, 400.0
	var xs, ys []float64
	for _, t := range d.Tiers {
		if !finite(t.CPA) || !finite(t.Quality) {
			continue
		}
		xs = append(xs, t.Quality, t.QualityLow, t.QualityHigh)
		ys = append(ys, t.CPA, t.CPALow, t.CPAHigh)
	}
	if len(xs) == 0 {
		return nil
	}
	x0, x1 := span(0.1, 0.01, xs...)
	x0, x1 = math.Max(0, x0), math.Min(1, x1)
	_, y1 := span(0.12, 0, ys...)
	x := scale{x0, x1, left, right}
	y := scale{0, y1, bottom, top + 60} // the top band holds the legend
	var names []string
	for _, t := range d.Tiers {
		names = append(names, clean(t.Name))
	}
	c := &chart{ID: "frontier", Width: w, Height: h, Title: "Cost per accepted outcome against acceptance, by tier",
		Desc: "Each tier is placed at its acceptance and its cost per accepted outcome, with intervals both ways; the dashed line joins the tiers on the Pareto frontier. Tiers: " + strings.Join(names, ", ") + "."}
	for _, t := range x.ticks(6) {
		c.Grid = append(c.Grid, chartLine{x.at(t), top, x.at(t), bottom, "grid"})
		c.Texts = append(c.Texts, chartText{x.at(t), bottom + 18, "middle", "tick", trimZeros(strconv.FormatFloat(100*t, 'f', 1, 64)) + "%"})
	}
	yt := y.ticks(6)
	for _, t := range yt {
		step := y.d1
		if len(yt) > 1 {
			step = yt[1] - yt[0]
		}
		c.Grid = append(c.Grid, chartLine{left, y.at(t), right, y.at(t), "grid"})
		c.Texts = append(c.Texts, chartText{left - 8, y.at(t) + 4, "end", "tick", usdTick(t, step)})
	}
	c.Grid = append(c.Grid, chartLine{left, bottom, right, bottom, "axis"}, chartLine{left, top, left, bottom, "axis"})
	c.Texts = append(c.Texts, chartText{(left + right) / 2, h - 8, "middle", "axis-label", "acceptance (share of cases accepted)"})
	c.Vertical = append(c.Vertical, chartText{18, (top + bottom) / 2, "middle", "axis-label", "cost per accepted outcome (USD)"})
	shapes := map[string]string{gate.RoleBaseline: "circle", gate.RoleRouted: "square", gate.RoleCandidate: "triangle"}
	var fx, fy []float64
	type pt struct{ x, y float64 }
	var front []pt
	roles := map[string]bool{}
	for _, t := range d.Tiers {
		if !finite(t.CPA) || !finite(t.Quality) {
			continue
		}
		roles[t.Role] = true
		px, py := x.at(t.Quality), y.at(t.CPA)
		cls := "role-" + t.Role
		if finite(t.QualityLow) && finite(t.QualityHigh) {
			c.Lines = append(c.Lines, whiskerLines(x.at(math.Max(t.QualityLow, x0)), x.at(math.Min(t.QualityHigh, x1)), py, 5, false, "iv "+cls)...)
		}
		if finite(t.CPALow) && finite(t.CPAHigh) {
			c.Lines = append(c.Lines, whiskerLines(y.at(t.CPALow), y.at(math.Min(t.CPAHigh, y.d1)), px, 5, true, "iv "+cls)...)
		}
		name := clean(t.Name)
		c.Marks = append(c.Marks, mark(shapes[t.Role], px, py, 6, "pt "+cls, fmt.Sprintf("%s (%s): %s accepted, %s per accepted outcome", name, t.Role, numfmt.Pct(t.Quality), numfmt.USD(t.CPA))))
		if px < left+0.6*(right-left) {
			c.Texts = append(c.Texts, chartText{px + 10, py + 18, "start", "point-label", shortLabel(name, 32)})
		} else {
			c.Texts = append(c.Texts, chartText{px - 10, py - 10, "end", "point-label", shortLabel(name, 32)})
		}
		if t.OnFrontier {
			front = append(front, pt{px, py})
		}
	}
	if len(front) > 1 {
		slices.SortFunc(front, func(a, b pt) int {
			if a.x != b.x {
				return cmpFloat(a.x, b.x)
			}
			return cmpFloat(b.y, a.y)
		})
		for _, f := range front {
			fx, fy = append(fx, f.x), append(fy, f.y)
		}
		c.Paths = append(c.Paths, chartPath{pathThrough(fx, fy), "frontier"})
	}
	// Legend, top left.
	lx, ly := left+14, top+16.0
	for _, r := range []struct{ role, label string }{{gate.RoleBaseline, "baseline tier"}, {gate.RoleRouted, "routed baseline"}, {gate.RoleCandidate, "candidate"}} {
		if !roles[r.role] {
			continue
		}
		c.Marks = append(c.Marks, mark(shapes[r.role], lx, ly, 5, "pt role-"+r.role, r.label))
		c.Texts = append(c.Texts, chartText{lx + 12, ly + 4, "start", "legend", r.label})
		lx += 150
	}
	if len(front) > 1 {
		c.Lines = append(c.Lines, chartLine{lx - 6, ly, lx + 18, ly, "frontier"})
		c.Texts = append(c.Texts, chartText{lx + 24, ly + 4, "start", "legend", "Pareto frontier"})
	}
	return c
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// usdShort formats an amount for an axis tick: $1.2M, $350k, $90.
func usdShort(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case v >= 1e6:
		return sign + "$" + trimZeros(strconv.FormatFloat(v/1e6, 'f', 2, 64)) + "M"
	case v >= 1e3:
		return sign + "$" + trimZeros(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	}
	return sign + "$" + trimZeros(strconv.FormatFloat(v, 'f', 2, 64))
}

func htmlEconomicsOf(d *gate.Decision) *htmlEconomics {
	e := d.Economics
	out := &htmlEconomics{}
	for _, r := range economicsRows(d) {
		out.Facts = append(out.Facts, htmlFact{Label: strings.TrimSpace(r[0]), Value: r[1], Conservative: r[2], Sub: strings.HasPrefix(r[0], " ")})
	}
	if e != nil && len(e.Conditions) > 0 {
		out.RuleLine = thresholdSentence(e)
		for _, c := range e.Conditions {
			cls := map[string]string{"met": "good", "not_met": "bad"}[c.Status]
			if cls == "" {
				cls = "muted"
			}
			out.Conditions = append(out.Conditions, htmlCondition{Name: clean(c.Name), Status: clean(strings.ReplaceAll(c.Status, "_", " ")), Class: cls, Detail: clean(c.Detail)})
		}
	}
	switch {
	case !economicsPriced(e):
		out.Note = economicsNotMeasured
	case e.VolumeBasis == "":
		out.Note = "No break-even picture: the policy gives no monthly volume (economics.accepted_outcomes_per_month or requests_per_month)."
	case !finite(e.MonthlySavingUSD) || !finite(e.OneTimeUSD) || !(e.HorizonMonths > 0):
		out.Note = "No break-even picture: the monthly saving is unknown (no cost data)."
	default:
		out.Chart, out.Months = breakEvenChart(e)
	}
	return out
}

// breakEvenChart draws the cumulative net value S·t − F month by month
// (bars) and its conservative counterpart (a dashed line), with the
// break-even month and the horizon marked.
func breakEvenChart(e *gate.Economics) (*chart, []htmlMonth) {
	const w, h, left, right, top, bottom = 960.0, 340.0, 84.0, 940.0, 48.0, 290.0
	H := e.HorizonMonths
	months := math.Ceil(H)
	be := e.BreakEvenMonths
	if finite(be) && be > H {
		months = math.Min(math.Ceil(1.15*be), math.Ceil(4*H))
	}
	months = math.Max(1, months)
	S, Sc, F := e.MonthlySavingUSD, e.MonthlySavingConservativeUSD, e.OneTimeUSD
	nv := func(t float64) float64 { return S*t - F }
	nvc := func(t float64) float64 { return Sc*t - F }
	vals := []float64{0, -F, nv(months)}
	if finite(Sc) {
		vals = append(vals, nvc(months))
	}
	y0, y1 := span(0.08, 1, vals...)
	// Half a month of room after the last bar.
	x := scale{0, months + 0.5, left, right}
	y := scale{y0, y1, bottom, top}
	desc := fmt.Sprintf("Cumulative net value of fine-tuning, month by month: the monthly net saving %s times the months, minus the one-time costs %s. ", money(S), money(F))
	if finite(be) && be >= 0 {
		desc += "It crosses zero after " + numfmt.Months(be) + "."
	} else {
		desc += "It never crosses zero: there is no net saving."
	}
	c := &chart{ID: "breakeven", Width: w, Height: h, Title: "Cumulative net value by month", Desc: desc}
	for _, t := range y.ticks(6) {
		c.Grid = append(c.Grid, chartLine{left, y.at(t), right, y.at(t), "grid"})
		c.Texts = append(c.Texts, chartText{left - 8, y.at(t) + 4, "end", "tick", usdShort(t)})
	}
	for _, t := range x.ticks(8) {
		if t != math.Trunc(t) || t > months {
			continue
		}
		c.Grid = append(c.Grid, chartLine{x.at(t), bottom, x.at(t), bottom + 4, "axis"})
		c.Texts = append(c.Texts, chartText{x.at(t), bottom + 18, "middle", "tick", strconv.FormatFloat(t, 'f', 0, 64)})
	}
	c.Grid = append(c.Grid, chartLine{left, bottom, right, bottom, "axis"}, chartLine{left, top, left, bottom, "axis"})
	c.Texts = append(c.Texts, chartText{(left + right) / 2, bottom + 36, "middle", "axis-label", "months after release"})
	c.Vertical = append(c.Vertical, chartText{16, (top + bottom) / 2, "middle", "axis-label", "cumulative net value (USD)"})
	c.Lines = append(c.Lines, chartLine{left, y.at(0), right, y.at(0), "ref"})
	bw := (x.at(1) - x.at(0)) * 0.7
	var rows []htmlMonth
	for m := 1.0; m <= months; m++ {
		v := nv(m)
		cls := "bar-pos"
		if v < 0 {
			cls = "bar-neg"
		}
		hi, lo := y.at(math.Max(v, 0)), y.at(math.Min(v, 0))
		c.Bars = append(c.Bars, chartRect{x.at(m) - bw/2, hi, bw, math.Max(lo-hi, 0.5), cls})
		rows = append(rows, htmlMonth{strconv.FormatFloat(m, 'f', 0, 64), money(v), money(nvc(m))})
	}
	if finite(Sc) {
		c.Paths = append(c.Paths, chartPath{pathThrough([]float64{x.at(0), x.at(months)}, []float64{y.at(nvc(0)), y.at(nvc(months))}), "conservative"})
	}
	switch {
	case finite(be) && be >= 0 && be <= months:
		c.Lines = append(c.Lines, chartLine{x.at(be), top - 6, x.at(be), bottom, "limit"})
		c.Marks = append(c.Marks, mark("circle", x.at(be), y.at(0), 5, "pt good", "break-even after "+numfmt.Months(be)))
		c.Texts = append(c.Texts, chartText{x.at(be), top - 12, anchorFor(x.at(be), left, right), "value good", "break-even after " + numfmt.Months(be)})
	case finite(be) && be > months:
		c.Texts = append(c.Texts, chartText{right, top - 12, "end", "value open", "break-even after " + numfmt.Months(be) + ", beyond the chart"})
	default:
		c.Texts = append(c.Texts, chartText{right, top - 12, "end", "value bad", "never breaks even"})
	}
	if H < months {
		c.Lines = append(c.Lines, chartLine{x.at(H), top, x.at(H), bottom, "horizon"})
		c.Texts = append(c.Texts, chartText{x.at(H) - 4, bottom - 8, "end", "ref-label", "horizon " + numfmt.Num(H) + " months"})
	}
	// Legend, above the plot on the right.
	c.Bars = append(c.Bars, chartRect{right - 420, 10, 12, 10, "bar-pos"})
	c.Texts = append(c.Texts, chartText{right - 402, 19, "start", "legend", "net value (expected saving)"})
	if finite(Sc) {
		c.Lines = append(c.Lines, chartLine{right - 210, 15, right - 180, 15, "conservative"})
		c.Texts = append(c.Texts, chartText{right - 174, 19, "start", "legend", "conservative (worse end)"})
	}
	return c, rows
}

func htmlPower(p *htmlPage, d *gate.Decision) {
	pw := d.Power
	n := d.Cases.Paired
	p.PowerLine = powerSentence(d)
	if len(pw.Curve) == 0 {
		return
	}
	at := func(cases int) float64 {
		for _, q := range pw.Curve {
			if q.Cases == cases {
				return q.Power
			}
		}
		return math.NaN()
	}
	need, label := curveNeeded(d)
	p.PowerRows = append(p.PowerRows, htmlPowerRow{"now", numfmt.Int(n), numfmt.Pct(at(n))})
	if finite(need) {
		p.PowerRows = append(p.PowerRows, htmlPowerRow{label, numfmt.Int(int(need)), numfmt.Pct(at(int(need)))})
	}
	if sq := d.Sequential; sq != nil && finite(sq.CasesForPower) {
		p.PowerRows = append(p.PowerRows, htmlPowerRow{"needed, sequential test", numfmt.Int(int(math.Ceil(sq.CasesForPower))), numfmt.Pct(pw.Target)})
	}
	for _, q := range pw.Curve {
		p.PowerCurve = append(p.PowerCurve, htmlPowerRow{"", numfmt.Int(q.Cases), numfmt.Pct(q.Power)})
	}
	p.Power = powerChart(d, at)
}

// curveNeeded returns the cases the power curve reaches the target at,
// rounded up, and what to call them. The curve is the fixed-sample test's;
// in sequential mode the power block's cases needed are the sequential
// test's, so the curve is marked at the fixed-sample plan instead.
func curveNeeded(d *gate.Decision) (float64, string) {
	if sq := d.Sequential; sq != nil {
		return math.Ceil(sq.FixedCases), "needed, fixed-sample test"
	}
	return math.Ceil(d.Power.CasesNeeded), "needed"
}

// powerChart draws the quality test's power against the number of paired
// cases, with the target, the cases at hand and the cases needed marked.
func powerChart(d *gate.Decision, at func(int) float64) *chart {
	const w, h, left, right, top, bottom = 960.0, 320.0, 72.0, 940.0, 44.0, 270.0
	pw := d.Power
	n := d.Cases.Paired
	last := pw.Curve[len(pw.Curve)-1].Cases
	x := scale{0, float64(last), left, right}
	y := scale{0, 1, bottom, top}
	need, needLabel := curveNeeded(d)
	desc := fmt.Sprintf("Power of the quality test against a gain of %s, from 0 to %s paired cases: %s now with %s; the target %s is reached at %s cases.",
		numfmt.Points(pw.Effect), numfmt.Int(last), numfmt.Pct(at(n)), numfmt.Counted(n, "case", "cases"), numfmt.Pct(pw.Target), numfmt.Count(need))
	if d.Sequential != nil {
		desc += " The curve is the fixed-sample test's; the sequential test's number is in the table."
	}
	c := &chart{ID: "power", Width: w, Height: h, Title: "Power against the number of paired cases", Desc: desc}
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.Grid = append(c.Grid, chartLine{left, y.at(t), right, y.at(t), "grid"})
		c.Texts = append(c.Texts, chartText{left - 8, y.at(t) + 4, "end", "tick", strconv.FormatFloat(100*t, 'f', 0, 64) + "%"})
	}
	for _, t := range x.ticks(8) {
		if t != math.Trunc(t) {
			continue
		}
		c.Grid = append(c.Grid, chartLine{x.at(t), bottom, x.at(t), bottom + 4, "axis"})
		c.Texts = append(c.Texts, chartText{x.at(t), bottom + 18, "middle", "tick", numfmt.Count(t)})
	}
	c.Grid = append(c.Grid, chartLine{left, bottom, right, bottom, "axis"}, chartLine{left, top, left, bottom, "axis"})
	c.Texts = append(c.Texts, chartText{(left + right) / 2, h - 4, "middle", "axis-label", "paired cases"})
	c.Vertical = append(c.Vertical, chartText{16, (top + bottom) / 2, "middle", "axis-label", "power"})
	xs, ys := make([]float64, len(pw.Curve)), make([]float64, len(pw.Curve))
	for i, q := range pw.Curve {
		xs[i], ys[i] = x.at(float64(q.Cases)), y.at(q.Power)
	}
	c.Paths = append(c.Paths, chartPath{pathThrough(xs, ys), "curve"})
	c.Lines = append(c.Lines, chartLine{left, y.at(pw.Target), right, y.at(pw.Target), "limit"})
	c.Texts = append(c.Texts, chartText{left + 6, y.at(pw.Target) - 6, "start", "ref-label", "target " + numfmt.Pct(pw.Target)})
	// "Now" labels on the upper row, "needed" on the lower one.
	c.Lines = append(c.Lines, chartLine{x.at(float64(n)), top - 20, x.at(float64(n)), bottom, "now-line"})
	c.Marks = append(c.Marks, mark("circle", x.at(float64(n)), y.at(at(n)), 5, "pt now", fmt.Sprintf("now: %s, power %s", numfmt.Counted(n, "case", "cases"), numfmt.Pct(at(n)))))
	c.Texts = append(c.Texts, chartText{x.at(float64(n)), top - 26, anchorFor(x.at(float64(n)), left, right), "value now", fmt.Sprintf("now: %s, power %s", numfmt.Counted(n, "case", "cases"), numfmt.Pct(at(n)))})
	if finite(need) && finite(at(int(need))) {
		text := needLabel + ": " + numfmt.Int(int(need)) + " cases"
		c.Lines = append(c.Lines, chartLine{x.at(need), top - 4, x.at(need), bottom, "needed-line"})
		c.Marks = append(c.Marks, mark("circle", x.at(need), y.at(at(int(need))), 5, "pt needed", text))
		c.Texts = append(c.Texts, chartText{x.at(need), top - 8, anchorFor(x.at(need), left, right), "value needed", text})
	}
	return c
}

func answerClass(a string) string {
	switch a {
	case "yes":
		return "good"
	case "no":
		return "bad"
	}
	return "muted"
}

func htmlFailures(p *htmlPage, d *gate.Decision) {
	rows, folded := classRows(d)
	if folded > 0 {
		p.FailureClassesNote = fmt.Sprintf("The %d most frequent failure classes have rows of their own; %s holds the other %s.", gate.TransitionClasses, gate.OtherClasses, numfmt.Int(folded))
	}
	for _, c := range rows {
		p.FailureClasses = append(p.FailureClasses, htmlClassCount{clean(c.Class), numfmt.Int(c.Baseline), numfmt.Int(c.Candidate)})
	}
	trs := transitionsOf(d)
	if trs == nil {
		return
	}
	outcomes, cell := trs.outcomes, trs.cases
	most := 0.0
	for k, v := range cell {
		if k != [2]string{gate.Accepted, gate.Accepted} {
			most = math.Max(most, v)
		}
	}
	m := &htmlMatrix{Summary: trs.summary()}
	for _, o := range outcomes {
		m.Cols = append(m.Cols, clean(o))
	}
	for _, from := range outcomes {
		r := htmlMatrixRow{Head: clean(from)}
		for _, to := range outcomes {
			v := cell[[2]string{from, to}]
			mc := htmlMatrixCell{Text: count(v)}
			switch {
			case from == gate.Accepted && to == gate.Accepted:
				mc = htmlMatrixCell{Text: "·", Class: "muted"}
			case v == 0:
				mc.Class = "muted"
			default:
				kind := "changed"
				switch {
				case to == gate.Accepted:
					kind = "fixed"
				case from == gate.Accepted:
					kind = "broke"
				case from == to:
					kind = "same"
				}
				// Five shades by share of the largest cell.
				mc.Class = kind + " heat" + strconv.Itoa(min(5, 1+int(4*v/most)))
			}
			r.Cells = append(r.Cells, mc)
		}
		m.Rows = append(m.Rows, r)
	}
	p.Transitions = m
}

// An htmlCaseRow is one flipped case as the table shows it.
type htmlCaseRow struct {
	ID, Workflow, Change, Baseline, Candidate string
	Classes                                   []string
	CostChange                                float64
}

// caseRowsOf returns the flipped cases of the decision, in the gate's
// order (broken cases first), with the failure classes of either side.
func caseRowsOf(d *gate.Decision) []htmlCaseRow {
	if len(d.CaseChanges) == 0 {
		return nil
	}
	rows := make([]htmlCaseRow, len(d.CaseChanges))
	for i, c := range d.CaseChanges {
		classes := slices.Concat(c.Baseline.Classes, c.Candidate.Classes)
		slices.Sort(classes)
		rows[i] = htmlCaseRow{ID: c.ID, Workflow: c.Workflow, Change: c.Change, Baseline: c.Baseline.Label(), Candidate: c.Candidate.Label(),
			Classes: slices.Compact(classes), CostChange: c.CostChangeUSD}
	}
	return rows
}

// htmlCases is the flipped-cases table with its filters. Rows carry only
// numbers for the script: the index of their workflow, of their classes
// and of their change, and their rank in each column's sort order.
type htmlCases struct {
	Total, Shown int
	Workflows    []htmlOption
	Classes      []htmlOption
	Changes      []htmlOption
	Rows         []htmlCaseView
	Summary      string
}

type htmlOption struct{ Value, Label string }

type htmlCaseView struct {
	ID, Workflow, Change, ChangeClass, Baseline, Candidate, Classes, Cost string
	W, C, K                                                               string
	Ranks                                                                 []int
}

// caseChangeWords names the kinds of change, in the table's order.
var caseChangeWords = []struct{ kind, word, class string }{
	{gate.ChangeBroke, "broke", "bad"}, {gate.ChangeFixed, "fixed", "good"}, {gate.ChangeClass, "changed class", "open"},
}

func htmlCasesOf(rows []htmlCaseRow) *htmlCases {
	if rows == nil {
		return nil
	}
	t := &htmlCases{Total: len(rows)}
	if len(rows) > maxHTMLCases {
		rows = rows[:maxHTMLCases]
	}
	t.Shown = len(rows)
	wIdx, cIdx := map[string]int{}, map[string]int{}
	var ws, cs []string
	for _, r := range rows {
		if _, ok := wIdx[r.Workflow]; !ok {
			wIdx[r.Workflow] = -1
			ws = append(ws, r.Workflow)
		}
		for _, c := range r.Classes {
			if _, ok := cIdx[c]; !ok {
				cIdx[c] = -1
				cs = append(cs, c)
			}
		}
	}
	slices.Sort(ws)
	slices.Sort(cs)
	for i, w := range ws {
		wIdx[w] = i
		label := clean(w)
		if w == "" {
			label = gate.NoWorkflow
		}
		t.Workflows = append(t.Workflows, htmlOption{strconv.Itoa(i), label})
	}
	for i, c := range cs {
		cIdx[c] = i
		t.Classes = append(t.Classes, htmlOption{strconv.Itoa(i), clean(c)})
	}
	kIdx := map[string]int{}
	for i, k := range caseChangeWords {
		kIdx[k.kind] = i
		t.Changes = append(t.Changes, htmlOption{strconv.Itoa(i), k.word})
	}
	views := make([]htmlCaseView, len(rows))
	for i, r := range rows {
		k := caseChangeWords[kIdx[r.Change]]
		var ci []string
		var cn []string
		for _, c := range r.Classes {
			ci = append(ci, strconv.Itoa(cIdx[c]))
			cn = append(cn, clean(c))
		}
		wf := clean(r.Workflow)
		if r.Workflow == "" {
			wf = gate.NoWorkflow
		}
		views[i] = htmlCaseView{ID: clean(r.ID), Workflow: wf, Change: k.word, ChangeClass: k.class, Baseline: clean(r.Baseline), Candidate: clean(r.Candidate),
			Classes: strings.Join(cn, ", "), Cost: signedUSD(r.CostChange), W: strconv.Itoa(wIdx[r.Workflow]), C: strings.Join(ci, " "), K: strconv.Itoa(kIdx[r.Change])}
	}
	// Sort ranks per column: text columns by their bytes, the cost
	// change by value (unknown last), ties by the gate's order.
	keys := []func(i int) string{
		func(i int) string { return rows[i].ID },
		func(i int) string { return rows[i].Workflow },
		func(i int) string { return strconv.Itoa(kIdx[rows[i].Change]) },
		func(i int) string { return rows[i].Baseline },
		func(i int) string { return rows[i].Candidate },
		func(i int) string { return strings.Join(rows[i].Classes, "\x00") },
	}
	for i := range views {
		views[i].Ranks = make([]int, len(keys)+1)
	}
	order := make([]int, len(rows))
	for col, key := range keys {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(key(a), key(b)) })
		for rank, i := range order {
			views[i].Ranks[col] = rank
		}
	}
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := rows[a].CostChange, rows[b].CostChange
		switch {
		case math.IsNaN(x) && math.IsNaN(y):
			return 0
		case math.IsNaN(x):
			return 1
		case math.IsNaN(y):
			return -1
		}
		return cmpFloat(x, y)
	})
	for rank, i := range order {
		views[i].Ranks[len(keys)] = rank
	}
	t.Rows = views
	t.Summary = fmt.Sprintf("%s changed outcome", numfmt.Counted(t.Total, "case", "cases"))
	if t.Shown < t.Total {
		t.Summary += fmt.Sprintf("; the first %s are listed here (broken cases first), all of them are in the JSON report", numfmt.Int(t.Shown))
	}
	return t
}

// signedUSD formats a cost change with its sign, or "-" when unknown.
func signedUSD(x float64) string {
	switch {
	case math.IsNaN(x):
		return "-"
	case x > 0:
		return "+" + numfmt.USD(x)
	}
	return numfmt.USD(x)
}
