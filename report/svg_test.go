package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// tieredDecision is a decision with three tiers, the routed baseline and
// the candidate, as the routed example gives.
func tieredDecision() *gate.Decision {
	return &gate.Decision{
		Verdict: gate.Fail,
		Policy:  gate.DefaultPolicy(),
		Tiers: []gate.Tier{
			{Name: "small", Role: gate.RoleBaseline, Quality: 0.77, QualityLow: 0.736, QualityHigh: 0.804, CPA: 0.000349, CPALow: 0.000328, CPAHigh: 0.000373, OnFrontier: true},
			{Name: "medium", Role: gate.RoleBaseline, Quality: 0.88, QualityLow: 0.853, QualityHigh: 0.907, CPA: 0.001201, CPALow: 0.001147, CPAHigh: 0.001262, OnFrontier: true},
			{Name: "large & <co>", Role: gate.RoleBaseline, Quality: 0.90, QualityLow: 0.875, QualityHigh: 0.925, CPA: 0.005886, CPALow: 0.005658, CPAHigh: 0.006147},
			{Name: gate.RoutedName, Role: gate.RoleRouted, Quality: 0.90, QualityLow: 0.875, QualityHigh: 0.925, CPA: 0.001754, CPALow: 0.001530, CPAHigh: 0.002029, OnFrontier: true},
			{Name: "ft-mini", Role: gate.RoleCandidate, Quality: 0.918, QualityLow: 0.897, QualityHigh: 0.939, CPA: 0.002626, CPALow: 0.002539, CPAHigh: 0.002719, OnFrontier: true},
			{Name: "no-cost tier", Role: gate.RoleBaseline, Quality: 0.5, QualityLow: 0.4, QualityHigh: 0.6, CPA: math.NaN(), CPALow: math.NaN(), CPAHigh: math.NaN()},
		},
	}
}

func render(t *testing.T, d *gate.Decision) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.SVG(&buf, d, report.Names{Baseline: gate.RoutedName, Candidate: "ft-mini"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wellFormed decodes every token of the document.
func wellFormed(t *testing.T, svg []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
}

func TestSVG(t *testing.T) {
	tests := []struct {
		name string
		d    *gate.Decision
		want []string
	}{
		{"tiers", tieredDecision(), []string{"small", "medium", "large &amp; &lt;co&gt;", "routed baseline", "ft-mini", "Pareto frontier",
			"candidate", "baseline tier", "verdict FAIL", "90.0% intervals", "cost per accepted outcome (USD)",
			"not shown (no cost per accepted outcome): no-cost tier", "Arial", "stroke-dasharray"}},
		{"hostile names", &gate.Decision{Verdict: gate.Fail, Policy: gate.DefaultPolicy(),
			Tiers: []gate.Tier{
				{Name: "esc\x1b[31mred\x00nul\u202Eevil", Role: gate.RoleBaseline, Quality: 0.5, QualityLow: 0.4, QualityHigh: 0.6, CPA: 1, CPALow: 0.9, CPAHigh: 1.1},
				{Name: "line\nbreak <script>alert(1)</script>", Role: gate.RoleCandidate, Quality: 0.6, QualityLow: 0.5, QualityHigh: 0.7, CPA: 0.8, CPALow: 0.7, CPAHigh: 0.9},
			}},
			[]string{"esc[31mrednulevil", "line break &lt;script&gt;"}},
		{"nothing to place", &gate.Decision{Verdict: gate.Inconclusive, Policy: gate.DefaultPolicy(),
			Tiers: []gate.Tier{{Name: "b", Role: gate.RoleBaseline, Quality: 0.5, CPA: math.NaN()}}},
			[]string{"nothing to place"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := render(t, tt.d)
			if second := render(t, tt.d); !bytes.Equal(first, second) {
				t.Fatal("two renders of the same decision differ")
			}
			wellFormed(t, first)
			for _, w := range tt.want {
				if !bytes.Contains(first, []byte(w)) {
					t.Errorf("SVG lacks %q", w)
				}
			}
			if bytes.Contains(first, []byte("NaN")) || bytes.Contains(first, []byte("Inf")) {
				t.Error("SVG contains a NaN or Inf coordinate")
			}
		})
	}
}

// TestTextEconomics renders the economics, checklist, tiers and
// transitions sections of the terminal report.
func TestTextEconomics(t *testing.T) {
	d := tieredDecision()
	d.Routes = []gate.Route{{Workflow: "order-status", Cases: 260, Tier: "small", Acceptance: 0.919, CPA: 0.000221, BestTier: "small", BestAcceptance: 0.919}}
	d.Economics = &gate.Economics{OneTimeUSD: 24_000, MonthlyUSD: 4_250, RetrainMonthlyUSD: 1_750, HorizonMonths: 12,
		VolumeBasis: gate.BasisAcceptedOutcomes, AcceptedOutcomesPerMonth: 3e6, RequestsPerMonth: math.NaN(),
		SavingPerAcceptedUSD: 0.003, SavingPerAcceptedConservativeUSD: 0.0025, MonthlySavingUSD: 4_750, MonthlySavingConservativeUSD: 3_250,
		BreakEvenMonths: 24_000.0 / 4_750, BreakEvenMonthsConservative: math.Inf(1), BreakEvenMonthlyVolume: 6_250 / 0.003,
		BreakEvenMonthlyVolumeConservative: 2.5e6, NetValueHorizonUSD: 33_000, NetValueHorizonConservativeUSD: -15_000,
		Conditions: []gate.Condition{{Name: gate.CondVolume, Status: gate.StatusMet, Detail: "enough"}}, Met: 1, Required: 2, Enforced: true, Blocks: true}
	d.Checklist = []gate.ChecklistItem{{Question: gate.QuestionVolume, Answer: gate.AnswerYes, Detail: "enough"}}
	d.FailureClasses = []gate.FailureClassCount{{Class: "tone", Baseline: 3}, {Class: "format", Candidate: 3}}
	d.FailureTransitions = []gate.Transition{{From: "tone", To: gate.Accepted, Cases: 1.25}, {From: gate.Accepted, To: "format", Cases: 2}}
	var buf bytes.Buffer
	if err := report.TextWith(&buf, d, report.Names{Baseline: "b", Candidate: "c"}, report.TextOptions{Details: true}); err != nil {
		t.Fatal(err)
	}
	// Columns are compared with their padding collapsed to one space.
	out := regexp.MustCompile(` {2,}`).ReplaceAllString(buf.String(), " ")
	for _, w := range []string{
		" of which retraining $1,750.00\n",
		" accepted outcomes per month 3,000,000\n",
		" break-even after 5.1 months never\n",
		" break-even volume (accepted outcomes per month) 2,083,334 2,500,000\n",
		" net value over 12 months $33,000.00 -$15,000.00\n",
		"Threshold rule: 1 of 4 conditions met, 2 required (enforced).",
		"volume met enough",
		"order-status 260 small",
		"fixed 1.25, broke 2, changed class 0, same class 0",
		"* ft-mini",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("terminal report lacks %q:\n%s", w, out)
		}
	}
}

// TestSVGInView checks that every coordinate the chart writes lies within
// its 648 × 432 point canvas, for points near the axes' ends too.
func TestSVGInView(t *testing.T) {
	edge := &gate.Decision{Verdict: gate.Pass, Policy: gate.DefaultPolicy(),
		Tiers: []gate.Tier{
			{Name: "perfect", Role: gate.RoleCandidate, Quality: 1, QualityLow: 0.99, QualityHigh: 1, CPA: 1e-7, CPALow: 0, CPAHigh: 2e-7, OnFrontier: true},
			{Name: "awful", Role: gate.RoleBaseline, Quality: 0, QualityLow: 0, QualityHigh: 0.01, CPA: 250, CPALow: 200, CPAHigh: math.Inf(1)},
		}}
	attr := regexp.MustCompile(`\b(x|y|x1|y1|x2|y2|cx|cy)="(-?[0-9.]+)"`)
	pointList := regexp.MustCompile(`points="([^"]*)"`)
	for _, d := range []*gate.Decision{tieredDecision(), edge} {
		svg := render(t, d)
		var xs, ys []float64
		for _, m := range attr.FindAllStringSubmatch(string(svg), -1) {
			v, _ := strconv.ParseFloat(m[2], 64)
			if strings.HasPrefix(m[1], "x") || m[1] == "cx" {
				xs = append(xs, v)
			} else {
				ys = append(ys, v)
			}
		}
		for _, m := range pointList.FindAllStringSubmatch(string(svg), -1) {
			for _, p := range strings.Fields(m[1]) {
				x, y, _ := strings.Cut(p, ",")
				xv, _ := strconv.ParseFloat(x, 64)
				yv, _ := strconv.ParseFloat(y, 64)
				xs, ys = append(xs, xv), append(ys, yv)
			}
		}
		if len(xs) < 20 || len(ys) < 20 {
			t.Fatalf("found %d x and %d y coordinates; the pattern no longer matches the chart", len(xs), len(ys))
		}
		for _, x := range xs {
			if x < 0 || x > 648 {
				t.Errorf("x = %v outside the canvas", x)
			}
		}
		for _, y := range ys {
			if y < 0 || y > 432 {
				t.Errorf("y = %v outside the canvas", y)
			}
		}
	}
}
