package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/visible"
)

func renderFixture(t *testing.T, d *gate.Decision, names Names) string {
	t.Helper()
	var a, b bytes.Buffer
	in := []Input{{Role: "baseline", File: "base.jsonl", Format: "native", System: names.Baseline, SHA256: strings.Repeat("ab", 32), Samples: 3}}
	if err := HTML(&a, d, in, names); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&b, d, in, names); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renderings of the same decision differ")
	}
	return a.String()
}

func TestHTMLGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			page := renderFixture(t, f.d, f.names)
			checkHTMLInert(t, page)
			// The style sheet, the script and their hashes are the same on
			// every page (checkHTMLInert checks them): the goldens leave
			// them out.
			page = cspMeta.ReplaceAllString(page, `<meta http-equiv="Content-Security-Policy" content="…">`)
			page = styleEl.ReplaceAllString(page, "<style>…</style>")
			page = scriptEl.ReplaceAllString(page, "<script>…</script>")
			checkGolden(t, "html/"+f.name+".html", []byte(page))
		})
	}
}

var (
	cspMeta  = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	styleEl  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	scriptEl = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	// A tag's attribute that runs script, loads something, styles inline
	// or links anywhere but to an id of the page.
	liveAttr = regexp.MustCompile(`<[a-zA-Z][^<>]*\s(on[a-z]+|style|src|srcdoc|action|formaction|xlink:href)\s*=|<[a-zA-Z][^<>]*\shref="[^#]`)
)

// checkHTMLInert checks a page's own policy and markup: the CSP allows
// exactly the page's one style sheet and one script, by their hashes, and
// nothing else; no tag carries an attribute that runs, loads or styles; no
// bidirectional control is left in the text.
func checkHTMLInert(t *testing.T, page string) {
	t.Helper()
	m := cspMeta.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta element")
	}
	csp := html.UnescapeString(m[1])
	styles, scripts := styleEl.FindAllStringSubmatch(page, -1), scriptEl.FindAllStringSubmatch(page, -1)
	if len(styles) != 1 || len(scripts) != 1 || strings.Count(page, "<script") != 1 || strings.Count(page, "<style") != 1 {
		t.Fatalf("%d style and %d script elements, want one each", len(styles), len(scripts))
	}
	hash := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	}
	want := "default-src 'none'; style-src " + hash(styles[0][1]) + "; script-src " + hash(scripts[0][1]) +
		"; img-src 'none'; base-uri 'none'; form-action 'none'"
	if csp != want {
		t.Errorf("Content-Security-Policy\n%s\nwant\n%s", csp, want)
	}
	if strings.Index(page, "<meta http-equiv") > strings.Index(page, "<style>") {
		t.Error("the policy comes after the style sheet")
	}
	if l := liveAttr.FindString(page); l != "" {
		t.Errorf("a live attribute: %q", l)
	}
	for i, line := range strings.Split(page, "\n") {
		if visible.IsCommandLine(line) {
			t.Errorf("line %d reads as a workflow command: %q", i+1, line)
		}
	}
	if strings.ContainsAny(page, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c") {
		t.Error("a bidirectional control reached the page")
	}
}

// TestHTMLHostileNamesStayText checks the hostile fixture's names as they
// reach the page: escaped for HTML, their controls shown as escapes.
func TestHTMLHostileNamesStayText(t *testing.T) {
	for _, f := range fixtures() {
		if f.name != "hostile" {
			continue
		}
		page := renderFixture(t, f.d, f.names)
		for _, bad := range []string{"<script>alert", "<img src", "<b>idate", "\n::warning"} {
			if strings.Contains(page, bad) {
				t.Errorf("the page holds %q", bad)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "#&#35;[error]legacy", `\u202etxt.exe`, "cand|&lt;b&gt;idate&lt;/b&gt;`", `\x0a::warning`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page does not hold %q", want)
			}
		}
	}
}

func TestScale(t *testing.T) {
	s := scale{0, 10, 100, 300}
	for _, c := range []struct{ v, want float64 }{{0, 100}, {10, 300}, {2.5, 150}, {-1, 80}} {
		if got := s.at(c.v); got != c.want {
			t.Errorf("at(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if got := (scale{5, 5, 0, 100}).at(5); got != 50 {
		t.Errorf("an empty domain maps to %v, want the middle 50", got)
	}
	// Steps of 1, 2, 2.5 or 5 times a power of ten.
	for _, c := range []struct {
		d0, d1 float64
		n      int
		want   []float64
	}{
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-0.33, 0.27, 6, []float64{-0.3, -0.2, -0.1, 0, 0.1, 0.2}},
		{0, 6600, 8, []float64{0, 1000, 2000, 3000, 4000, 5000, 6000}},
		{0.2, 1.05, 5, []float64{0.2, 0.4, 0.6, 0.8, 1}},
	} {
		if diff := cmp.Diff(c.want, (scale{c.d0, c.d1, 0, 1}).ticks(c.n), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("ticks of [%v, %v] (-want +got):\n%s", c.d0, c.d1, diff)
		}
	}
	lo, hi := span(0.1, 0.5, 1, 3, math.NaN(), math.Inf(1))
	if lo != 0.5 || hi != 3.5 {
		t.Errorf("span = [%v, %v], want [0.5, 3.5] (padding 0.5, non-finite values ignored)", lo, hi)
	}
}

// TestBreakEvenByHand: one-time costs F = $1,000 and a monthly net saving
// S = $400 ($300 at the cost interval's worse end) over a 6-month horizon
// give a net value of 400·m − 1000 after m months: −600, −200, 200, 600,
// 1000, 1400 (conservative 300·m − 1000: −700, −400, −100, 200, 500,
// 800), crossing zero at 1000/400 = 2.5 months.
func TestBreakEvenByHand(t *testing.T) {
	e := &gate.Economics{OneTimeUSD: 1000, MonthlySavingUSD: 400, MonthlySavingConservativeUSD: 300, HorizonMonths: 6,
		BreakEvenMonths: 2.5, VolumeBasis: gate.BasisAcceptedOutcomes, NetValueHorizonUSD: 1400}
	c, rows := breakEvenChart(e)
	var got [][3]string
	for _, r := range rows {
		got = append(got, [3]string{r.Month, r.Net, r.Conservative})
	}
	want := [][3]string{{"1", "-$600.00", "-$700.00"}, {"2", "-$200.00", "-$400.00"}, {"3", "$200.00", "-$100.00"},
		{"4", "$600.00", "$200.00"}, {"5", "$1,000.00", "$500.00"}, {"6", "$1,400.00", "$800.00"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("months (-want +got):\n%s", diff)
	}
	if got[5][1] != money(e.NetValueHorizonUSD) {
		t.Errorf("the last month reads %s, the gate's net value over the horizon is %s", got[5][1], money(e.NetValueHorizonUSD))
	}
	var classes []string
	for _, b := range c.Bars[:6] {
		classes = append(classes, b.Class)
	}
	if diff := cmp.Diff([]string{"bar-neg", "bar-neg", "bar-pos", "bar-pos", "bar-pos", "bar-pos"}, classes); diff != "" {
		t.Errorf("bars (-want +got):\n%s", diff)
	}
	// The break-even mark sits on the zero line half way between the
	// bars of months 2 and 3.
	var mk *chartMark
	for i := range c.Marks {
		if strings.HasPrefix(c.Marks[i].Tip, "break-even after 2.5 months") {
			mk = &c.Marks[i]
		}
	}
	if mk == nil {
		t.Fatalf("no break-even mark in %+v", c.Marks)
	}
	mid := func(b chartRect) float64 { return b.X + b.W/2 }
	if x := (mid(c.Bars[1]) + mid(c.Bars[2])) / 2; math.Abs(mk.X-x) > 0.1 {
		t.Errorf("break-even mark at x = %v, want %v", mk.X, x)
	}
	// Zero is where negative bars end and positive bars start.
	if zero := c.Bars[2].Y + c.Bars[2].H; math.Abs(mk.Y-zero) > 0.1 || math.Abs(c.Bars[1].Y-zero) > 0.1 {
		t.Errorf("break-even mark at y = %v, the bars meet at %v and %v", mk.Y, zero, c.Bars[1].Y)
	}
	// Without a saving, there is no crossing.
	e.MonthlySavingUSD, e.BreakEvenMonths = -50, math.Inf(1)
	c, _ = breakEvenChart(e)
	if !hasText(c.Texts, "never breaks even") {
		t.Error("no 'never breaks even' label without a saving")
	}
}

func hasText(ts []chartText, text string) bool {
	for _, t := range ts {
		if t.Text == text {
			return true
		}
	}
	return false
}

// TestForestByHand draws two tested workflows, one regressed, and one
// untested: the regression's whole interval lies left of the zero line and
// its row is marked; the untested one has a hollow point and no interval.
func TestForestByHand(t *testing.T) {
	d := &gate.Decision{Policy: gate.DefaultPolicy(),
		Quality: gate.Quality{Delta: 0.02, CILow: 0.01, CIHigh: 0.03, CILevel: 0.9},
		Segments: []gate.Segment{
			{Name: "a", Cases: 100, Delta: -0.2, CILow: -0.3, CIHigh: -0.1, CILevel: 0.975, Tested: true, Regression: true},
			{Name: "b", Cases: 100, Delta: 0.05, CILow: -0.02, CIHigh: 0.12, CILevel: 0.95, Tested: true},
			{Name: "c", Cases: 3, Delta: 0.1, CILow: math.NaN(), CIHigh: math.NaN(), CILevel: math.NaN(), NotTested: "too few cases"},
		}}
	d.Policy.Segments.BlockOnRegression = true
	c := forestChart(d)
	var zero float64
	for _, l := range c.Lines {
		if l.Class == "ref" {
			zero = l.X1
		}
	}
	var ivs []chartLine
	for _, l := range c.Lines {
		if strings.HasPrefix(l.Class, "iv") && l.Y1 == l.Y2 {
			ivs = append(ivs, l)
		}
	}
	if len(ivs) != 3 {
		t.Fatalf("%d interval lines, want 3 (all cases, a, b)", len(ivs))
	}
	if a := ivs[1]; !(a.X2 < zero) || a.Class != "iv bad" {
		t.Errorf("workflow a's interval %+v, zero at %v", a, zero)
	}
	if b := ivs[2]; !(b.X1 < zero && zero < b.X2) || b.Class != "iv good" {
		t.Errorf("workflow b's interval %+v, zero at %v", b, zero)
	}
	if len(c.Bands) != 1 || c.Bands[0].Class != "band-bad" {
		t.Errorf("bands %+v, want one for the regression", c.Bands)
	}
	if m := c.Marks[3]; m.Class != "pt-hollow muted" {
		t.Errorf("untested workflow marked %q", m.Class)
	}
	// 10 points of change are the same width on every row: the scale is
	// shared.
	if w1, w2 := ivs[1].X2-ivs[1].X1, ivs[2].X2-ivs[2].X1; math.Abs(w1/w2-0.2/0.14) > 0.01 {
		t.Errorf("interval widths %v and %v are not in the ratio 0.20/0.14", w1, w2)
	}
}

// TestPowerChartMarks: the marks for the cases at hand and the cases
// needed sit on the curve, at the curve's values for those counts.
func TestPowerChartMarks(t *testing.T) {
	d := &gate.Decision{Cases: gate.CaseCounts{Paired: 100}, Policy: gate.DefaultPolicy(),
		Power: gate.Power{Effect: 0.02, Target: 0.9, CasesNeeded: 301.2, MDE: 0.04,
			Curve: []gate.PowerPoint{{Cases: 0, Power: 0.05}, {Cases: 100, Power: 0.4}, {Cases: 200, Power: 0.7}, {Cases: 302, Power: 0.9}, {Cases: 400, Power: 0.96}}}}
	p := &htmlPage{}
	htmlPower(p, d)
	want := []htmlPowerRow{{"now", "100", "40.0%"}, {"needed", "302", "90.0%"}}
	if diff := cmp.Diff(want, p.PowerRows); diff != "" {
		t.Errorf("power rows (-want +got):\n%s", diff)
	}
	c := p.Power
	y := scale{0, 1, 270, 44}
	x := scale{0, 400, 72, 940}
	for i, w := range [][2]float64{{100, 0.4}, {302, 0.9}} {
		if m := c.Marks[i]; m.X != x.at(w[0]) || m.Y != y.at(w[1]) {
			t.Errorf("mark %d at (%v, %v), want (%v, %v)", i, m.X, m.Y, x.at(w[0]), y.at(w[1]))
		}
	}
}

// TestHTMLCases: filter options in name order with the rows' indexes into
// them, and each column's sort ranks.
func TestHTMLCases(t *testing.T) {
	rows := []htmlCaseRow{
		{ID: "c-2", Workflow: "refund", Change: gate.ChangeBroke, Baseline: "accepted", Candidate: "tone", Classes: []string{"tone"}, CostChange: 0.002},
		{ID: "c-10", Workflow: "", Change: gate.ChangeFixed, Baseline: "format", Candidate: "accepted", Classes: []string{"format"}, CostChange: math.NaN()},
		{ID: "c-1", Workflow: "orders", Change: gate.ChangeClass, Baseline: "format", Candidate: "tone", Classes: []string{"format", "tone"}, CostChange: -0.001},
	}
	tb := htmlCasesOf(rows)
	if diff := cmp.Diff([]htmlOption{{"0", gate.NoWorkflow}, {"1", "orders"}, {"2", "refund"}}, tb.Workflows); diff != "" {
		t.Errorf("workflows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]htmlOption{{"0", "format"}, {"1", "tone"}}, tb.Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	type idx struct{ W, C, K, Cost string }
	var got []idx
	var ranks [][]int
	for _, v := range tb.Rows {
		got = append(got, idx{v.W, v.C, v.K, v.Cost})
		ranks = append(ranks, v.Ranks)
	}
	if diff := cmp.Diff([]idx{{"2", "1", "0", "+$0.002000"}, {"0", "0", "1", "-"}, {"1", "0 1", "2", "-$0.001000"}}, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// Columns: case (bytes: c-1 < c-10 < c-2), workflow ("" < orders <
	// refund), change, baseline, candidate, classes, cost (unknown last).
	want := [][]int{{2, 2, 0, 0, 1, 2, 1}, {1, 0, 1, 1, 0, 0, 2}, {0, 1, 2, 2, 2, 1, 0}}
	if diff := cmp.Diff(want, ranks); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
	if htmlCasesOf(nil) != nil {
		t.Error("a table for no cases")
	}
}

// TestHTMLCasesCap: a long drill-down is cut to maxHTMLCases rows, and the
// page says so.
func TestHTMLCasesCap(t *testing.T) {
	rows := make([]htmlCaseRow, maxHTMLCases+2)
	for i := range rows {
		rows[i] = htmlCaseRow{ID: fmt.Sprintf("c-%05d", i), Workflow: "w", Change: gate.ChangeBroke, Baseline: "accepted", Candidate: "tone", Classes: []string{"tone"}}
	}
	tb := htmlCasesOf(rows)
	if tb.Total != maxHTMLCases+2 || tb.Shown != maxHTMLCases || len(tb.Rows) != maxHTMLCases {
		t.Errorf("total %d, shown %d, rows %d", tb.Total, tb.Shown, len(tb.Rows))
	}
	want := "5,002 cases changed outcome; the first 5,000 are listed here (broken cases first), all of them are in the JSON report"
	if tb.Summary != want {
		t.Errorf("summary %q, want %q", tb.Summary, want)
	}
}
