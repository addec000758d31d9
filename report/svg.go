package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/internal/visible"
)

// The chart is written as SVG elements directly: it is a handful of
// points, lines and labels, and the viewer lays out the text. A plotting
// library would compile fonts, rasterisers and PDF and LaTeX back ends into
// the binary for them.

// Chart size in points (1/72 inch).
const (
	svgWidth  = 648
	svgHeight = 432
)

// Colours of the chart, one per role (colour-blind safe, Okabe–Ito).
const (
	colorBaseline  = "#0072b2" // blue
	colorRouted    = "#e69f00" // orange
	colorCandidate = "#d55e00" // vermilion
	colorFrontier  = "#555555"
	colorGrid      = "#dddddd"
)

// svgFontStack is the chart's typeface: Liberation Sans, with Arial and
// Helvetica, which have the same metrics, as fallbacks.
const svgFontStack = "'Liberation Sans',Arial,Helvetica,sans-serif"

// Sizes in points: glyph radius, whisker cap width, font sizes.
const (
	glyphRadius = 5
	capWidth    = 6
	titleSize   = 13
	axisSize    = 12
	tickSize    = 10
	labelSize   = 10
	legendSize  = 11
)

// SVG writes the cost/quality chart of a decision: the cost per accepted
// outcome (y) against the acceptance rate (x) of every baseline tier, the
// routed baseline and the candidate (d.Tiers), each with its interval
// whiskers in both directions, the Pareto frontier as a dashed line and
// the verdict in the title. The same decision always gives the same bytes.
// Points without a finite cost per accepted outcome are left out and
// named in the caption.
func SVG(w io.Writer, d *gate.Decision, names Names) error {
	level := numfmt.Pct(1 - 2*d.Policy.Alpha)
	title := "Cost per accepted outcome against acceptance"
	if names.Candidate != "" {
		title += ": " + svgText(names.Candidate)
	}
	titles := []string{title, "verdict " + strings.ToUpper(string(d.Verdict)) + " · whiskers: " + level + " intervals"}
	xLabels := []string{"acceptance (share of cases accepted)"}

	type series struct {
		role, label, color string
		shape              glyphShape
	}
	roles := []series{
		{gate.RoleBaseline, "baseline tier", colorBaseline, circleGlyph},
		{gate.RoleRouted, "routed baseline", colorRouted, boxGlyph},
		{gate.RoleCandidate, "candidate", colorCandidate, triangleGlyph},
	}
	// Money is in USD per accepted outcome, as in every other report; the
	// tick labels carry as many decimals as their step needs.
	var pts []chartPoint
	var legend []legendEntry
	var frontier []xy
	var skipped []string
	for _, s := range roles {
		n := 0
		for _, t := range d.Tiers {
			if t.Role != s.role {
				continue
			}
			if !finite(t.CPA) || !finite(t.Quality) {
				skipped = append(skipped, svgText(t.Name))
				continue
			}
			p := chartPoint{xy: xy{t.Quality, t.CPA}, name: svgText(t.Name), color: s.color, shape: s.shape}
			p.xLo, p.xHi = whisker(t.Quality, t.QualityLow, t.QualityHigh)
			p.yLo, p.yHi = whisker(t.CPA, t.CPALow, t.CPAHigh)
			pts = append(pts, p)
			if t.OnFrontier {
				frontier = append(frontier, p.xy)
			}
			n++
		}
		if n > 0 {
			legend = append(legend, legendEntry{label: s.label, color: s.color, shape: s.shape})
		}
	}
	if len(frontier) > 1 {
		sortXY(frontier)
		legend = append(legend, legendEntry{label: "Pareto frontier", color: colorFrontier, dashed: true})
	} else {
		frontier = nil
	}
	if len(skipped) > 0 {
		xLabels = append(xLabels, "not shown (no cost per accepted outcome): "+strings.Join(skipped, ", "))
	}

	var ax axes
	if len(pts) == 0 {
		titles = append(titles, "nothing to place: no tier has a cost per accepted outcome")
		ax = axes{xMin: 0, xMax: 1, yMin: 0, yMax: 1}
	} else {
		ax = dataRange(pts)
		ax.pad()
	}
	xTicks := ticks(ax.xMin, ax.xMax, func(v, _ float64) string {
		return trimZeros(strconv.FormatFloat(100*v, 'f', 1, 64)) + "%"
	})
	yTicks := ticks(ax.yMin, ax.yMax, usdTick)

	// The plotting area: below the title, above the x axis's labels, right
	// of the y axis's labels.
	yLabelWidth := 0.0
	for _, t := range yTicks {
		yLabelWidth = math.Max(yLabelWidth, textWidth(t.label, tickSize))
	}
	ax.left = 8 + axisSize + 6 + yLabelWidth + 8
	ax.right = svgWidth - 12
	ax.top = 10 + float64(len(titles))*titleSize + 14
	ax.bottom = svgHeight - 8 - float64(len(xLabels))*axisSize - 4 - tickSize - 4

	c := &svgCanvas{}
	c.printf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%dpt" height="%dpt" viewBox="0 0 %d %d" font-family="%s">`+"\n",
		svgWidth, svgHeight, svgWidth, svgHeight, svgFontStack)
	c.printf(`<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, svgHeight)
	for i, t := range titles {
		c.text(svgWidth/2, 10+float64(i+1)*titleSize, titleSize, "middle", `font-weight="bold"`, t)
	}

	// Grid and axes.
	for _, t := range xTicks {
		c.line(ax.x(t.value), ax.top, ax.x(t.value), ax.bottom, colorGrid, 0.5, "")
	}
	for _, t := range yTicks {
		c.line(ax.left, ax.y(t.value), ax.right, ax.y(t.value), colorGrid, 0.5, "")
	}
	c.line(ax.left, ax.bottom, ax.right, ax.bottom, "#000000", 0.5, "")
	c.line(ax.left, ax.top, ax.left, ax.bottom, "#000000", 0.5, "")
	for _, t := range xTicks {
		x, long := ax.x(t.value), t.label != ""
		c.line(x, ax.bottom, x, ax.bottom+tickLength(long), "#000000", 0.5, "")
		if long {
			c.text(x, ax.bottom+4+tickSize, tickSize, "middle", "", t.label)
		}
	}
	for _, t := range yTicks {
		y, long := ax.y(t.value), t.label != ""
		c.line(ax.left-tickLength(long), y, ax.left, y, "#000000", 0.5, "")
		if long {
			c.text(ax.left-6, y+tickSize*0.35, tickSize, "end", "", t.label)
		}
	}
	for i, l := range xLabels {
		c.text((ax.left+ax.right)/2, ax.bottom+4+tickSize+4+float64(i+1)*axisSize, axisSize, "middle", "", l)
	}
	yMid := (ax.top + ax.bottom) / 2
	c.text(8+axisSize, yMid, axisSize, "middle", `transform="rotate(-90 `+num(8+axisSize)+" "+num(yMid)+`)"`, "cost per accepted outcome (USD)")

	// Whiskers, then points, then the frontier over them, then names.
	for _, p := range pts {
		x, y := ax.x(p.x), ax.y(p.y)
		if p.xLo > 0 || p.xHi > 0 {
			x0, x1 := ax.x(p.x-p.xLo), ax.x(p.x+p.xHi)
			c.line(x0, y, x1, y, p.color, 1.2, "")
			c.line(x0, y-capWidth/2, x0, y+capWidth/2, p.color, 1.2, "")
			c.line(x1, y-capWidth/2, x1, y+capWidth/2, p.color, 1.2, "")
		}
		if p.yLo > 0 || p.yHi > 0 {
			y0, y1 := ax.y(p.y-p.yLo), ax.y(p.y+p.yHi)
			c.line(x, y0, x, y1, p.color, 1.2, "")
			c.line(x-capWidth/2, y0, x+capWidth/2, y0, p.color, 1.2, "")
			c.line(x-capWidth/2, y1, x+capWidth/2, y1, p.color, 1.2, "")
		}
	}
	for _, p := range pts {
		c.glyph(p.shape, ax.x(p.x), ax.y(p.y), p.color)
	}
	if len(frontier) > 0 {
		var path strings.Builder
		for i, f := range frontier {
			if i > 0 {
				path.WriteByte(' ')
			}
			path.WriteString(num(ax.x(f.x)) + "," + num(ax.y(f.y)))
		}
		c.printf(`<polyline points="%s" fill="none" stroke="%s" stroke-width="1" stroke-dasharray="5,3"/>`+"\n", path.String(), colorFrontier)
	}
	// Names go below and to the right of points in the left part of the
	// chart, above and to the left of points in the right part: they stay
	// inside the chart and off the frontier, which always rises to the
	// right (more quality costs more, or the cheaper point dominates).
	split := ax.xMin + 0.6*(ax.xMax-ax.xMin)
	for _, p := range pts {
		x, y := ax.x(p.x), ax.y(p.y)
		if p.x > split {
			c.text(x-10, y-8, labelSize, "end", "", p.name)
		} else {
			c.text(x+9, y+15, labelSize, "start", "", p.name)
		}
	}

	// The legend, top left inside the plotting area.
	for i, e := range legend {
		x, y := ax.left+10+glyphRadius+4, ax.top+8+glyphRadius+float64(i)*(legendSize+3)
		if e.dashed {
			c.line(x-glyphRadius-4, y, x+glyphRadius+4, y, e.color, 1, `stroke-dasharray="5,3"`)
		} else {
			c.glyph(e.shape, x, y, e.color)
		}
		c.text(x+glyphRadius+10, y+legendSize*0.35, legendSize, "start", "", e.label)
	}
	c.printf("</svg>\n")
	_, err := w.Write(visible.XML(c.buf.Bytes()))
	return err
}

// An xy is a point in data coordinates.
type xy struct{ x, y float64 }

// A chartPoint is one tier on the chart with its whiskers, as distances
// below and above the point.
type chartPoint struct {
	xy
	xLo, xHi, yLo, yHi float64
	name, color        string
	shape              glyphShape
}

type legendEntry struct {
	label, color string
	shape        glyphShape
	dashed       bool
}

type glyphShape int

const (
	circleGlyph glyphShape = iota
	boxGlyph
	triangleGlyph
)

// axes are the data ranges shown and where they are drawn.
type axes struct {
	xMin, xMax, yMin, yMax   float64
	left, right, top, bottom float64 // plotting area in points
}

// x and y map data coordinates to the canvas (y grows downwards).
func (a axes) x(v float64) float64 {
	return a.left + (v-a.xMin)/(a.xMax-a.xMin)*(a.right-a.left)
}

func (a axes) y(v float64) float64 {
	return a.bottom - (v-a.yMin)/(a.yMax-a.yMin)*(a.bottom-a.top)
}

// dataRange is the smallest box holding every point with its whiskers.
func dataRange(pts []chartPoint) axes {
	a := axes{xMin: math.Inf(1), xMax: math.Inf(-1), yMin: math.Inf(1), yMax: math.Inf(-1)}
	for _, p := range pts {
		a.xMin = math.Min(a.xMin, p.x-p.xLo)
		a.xMax = math.Max(a.xMax, p.x+p.xHi)
		a.yMin = math.Min(a.yMin, p.y-p.yLo)
		a.yMax = math.Max(a.yMax, p.y+p.yHi)
	}
	return a
}

// pad widens the data ranges by a margin and starts the cost axis at
// zero, so every whisker and the origin of cost are in view; the top
// quarter of the chart is left free for the legend.
func (a *axes) pad() {
	dx := a.xMax - a.xMin
	if dx <= 0 {
		dx = 0.02
	}
	a.xMin = math.Max(0, a.xMin-0.08*dx)
	a.xMax = math.Min(1, a.xMax+0.08*dx)
	if a.xMax <= a.xMin {
		a.xMin, a.xMax = math.Max(0, a.xMin-0.01), math.Min(1, a.xMax+0.01)
	}
	dy := a.yMax
	if dy <= 0 {
		dy = 1
	}
	a.yMin = 0
	a.yMax += 0.3 * dy
}

// whisker turns an interval around v into the distances drawn below and
// above it, dropping an end that is not finite.
func whisker(v, lo, hi float64) (below, above float64) {
	if finite(lo) && lo <= v {
		below = v - lo
	}
	if finite(hi) && hi >= v {
		above = hi - v
	}
	return below, above
}

// A tick is an axis position, labelled or not.
type tick struct {
	value float64
	label string
}

// ticks places about six labelled ticks at round values (1, 2, 2.5 or 5
// times a power of ten) in [min, max] with an unlabelled tick between
// labels, and writes the labels with f, which is given the labelled ticks'
// step.
func ticks(min, max float64, f func(v, step float64) string) []tick {
	step := niceStep((max - min) / 6)
	var ts []tick
	for k := math.Ceil(2*min/step - 1e-9); k*step/2 <= max+1e-9*step; k++ {
		t := tick{value: k * step / 2}
		if k == 0 {
			t.value = 0 // never "-0"
		}
		if math.Mod(k, 2) == 0 {
			t.label = f(t.value, step)
		}
		ts = append(ts, t)
	}
	return ts
}

// usdTick labels a tick of an axis in USD whose labelled ticks are step
// apart: as many decimals as the step needs, at least two.
func usdTick(v, step float64) string {
	decimals := max(2, int(math.Ceil(-math.Log10(step)))+1)
	return "$" + trimZeros(strconv.FormatFloat(v, 'f', decimals, 64))
}

func tickLength(labelled bool) float64 {
	if labelled {
		return 8
	}
	return 4
}

// niceStep returns the smallest of 1, 2, 2.5 and 5 times a power of ten
// that is at least x (x > 0).
func niceStep(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*pow >= x*(1-1e-12) {
			return m * pow
		}
	}
	return 10 * pow
}

// textWidth estimates the width in points of a tick label set in
// Liberation Sans (or Arial) at the given size, from the advance widths of
// the characters labels use (in ems); other characters count as 0.6 em.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '$':
			w += 0.556
		case r == '.', r == ',':
			w += 0.278
		case r == '-':
			w += 0.333
		case r == '%':
			w += 0.889
		default:
			w += 0.6
		}
	}
	return w * size
}

// trimZeros drops trailing zeros after a decimal point ("12.50" → "12.5").
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// sortXY orders points by x, then y (insertion sort: a handful of points).
func sortXY(p []xy) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && (p[j].x < p[j-1].x || (p[j].x == p[j-1].x && p[j].y > p[j-1].y)); j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

// svgText makes a name from a scorecard fit for a chart label: characters
// XML cannot hold (and invisible direction overrides) are dropped, line
// breaks become spaces, and long names are cut.
func svgText(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			r = ' '
		case visible.Unsafe(r), r == 0xfffe, r == 0xffff, r >= 0xd800 && r <= 0xdfff:
			continue
		}
		if n == 48 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// svgCanvas accumulates the SVG document.
type svgCanvas struct{ buf bytes.Buffer }

func (c *svgCanvas) printf(format string, args ...any) {
	// Every argument is a number or a constant of this file; text goes
	// through text.
	fmt.Fprintf(&c.buf, format, args...)
}

// text writes s (escaped for XML) with its anchor point at (x, y).
func (c *svgCanvas) text(x, y, size float64, anchor, attrs, s string) {
	c.buf.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `" font-size="` + num(size) + `"`)
	if anchor != "start" {
		c.buf.WriteString(` text-anchor="` + anchor + `"`)
	}
	if attrs != "" {
		c.buf.WriteString(" " + attrs)
	}
	c.buf.WriteByte('>')
	xml.EscapeText(&c.buf, []byte(s))
	c.buf.WriteString("</text>\n")
}

func (c *svgCanvas) line(x0, y0, x1, y1 float64, color string, width float64, attrs string) {
	c.buf.WriteString(`<line x1="` + num(x0) + `" y1="` + num(y0) + `" x2="` + num(x1) + `" y2="` + num(y1) +
		`" stroke="` + color + `" stroke-width="` + num(width) + `"`)
	if attrs != "" {
		c.buf.WriteString(" " + attrs)
	}
	c.buf.WriteString("/>\n")
}

// glyph draws a filled marker of radius glyphRadius centred at (x, y).
func (c *svgCanvas) glyph(shape glyphShape, x, y float64, color string) {
	const r = glyphRadius
	switch shape {
	case boxGlyph:
		c.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", num(x-r), num(y-r), num(2*r), num(2*r), color)
	case triangleGlyph:
		// An equilateral triangle with its centroid at (x, y).
		h := r * 1.5
		half := h / math.Sqrt(3)
		c.printf(`<polygon points="%s,%s %s,%s %s,%s" fill="%s"/>`+"\n",
			num(x), num(y-h*2/3), num(x-half*1.15), num(y+h/3), num(x+half*1.15), num(y+h/3), color)
	default:
		c.printf(`<circle cx="%s" cy="%s" r="%s" fill="%s"/>`+"\n", num(x), num(y), num(r), color)
	}
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	s := trimZeros(strconv.FormatFloat(v, 'f', 2, 64))
	if s == "-0" {
		return "0"
	}
	return s
}
