package report

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The charts of the HTML report are inline SVG written by one template
// (chart in report/html/report.tmpl) from the shapes below: the Go code
// places every shape, the template only prints them, and html/template
// escapes every text and attribute. Colours come from the page's style
// sheet through the class names, so that the charts follow the light or
// dark colour scheme; no shape carries a style attribute, which the
// page's Content-Security-Policy would refuse.

// A chart is one SVG figure with its text alternative.
type chart struct {
	// ID prefixes the ids of the title and description elements.
	ID            string
	Width, Height float64
	// Title and Desc are the chart's accessible name and description.
	Title, Desc string
	// Layers, drawn in this order.
	Bands []chartRect
	Grid  []chartLine
	Bars  []chartRect
	Paths []chartPath
	Lines []chartLine
	Marks []chartMark
	Texts []chartText
	// Vertical are labels turned a quarter left about their anchor point.
	Vertical []chartText
}

// An chartRect is a filled rectangle.
type chartRect struct {
	X, Y, W, H float64
	Class      string
}

// An chartLine is a straight line.
type chartLine struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

// An chartPath is a path (polyline) through points, in path syntax.
type chartPath struct {
	D     string
	Class string
}

// An chartMark is a point marker: a circle, a square or a triangle, with a
// tooltip.
type chartMark struct {
	Shape   string // circle, square or triangle
	X, Y, R float64
	// Size is the square's side.
	Size float64
	// D is the triangle's path.
	D     string
	Class string
	Tip   string
}

// An chartText is a label.
type chartText struct {
	X, Y   float64
	Anchor string // start, middle or end
	Class  string
	Text   string
}

// bottomAxis draws a horizontal axis at y across the scale's pixels, with
// about n ticks labelled by label (which gets the tick and the step
// between ticks).
func (c *chart) bottomAxis(x scale, y float64, n int, label func(v, step float64) string) {
	c.Grid = append(c.Grid, chartLine{x.p0, y, x.p1, y, "axis"})
	ticks := x.ticks(n)
	step := 1.0
	if len(ticks) > 1 {
		step = ticks[1] - ticks[0]
	}
	for _, t := range ticks {
		c.Grid = append(c.Grid, chartLine{x.at(t), y, x.at(t), y + 4, "axis"})
		c.Texts = append(c.Texts, chartText{x.at(t), y + 17, "middle", "tick", label(t, step)})
	}
}

// px rounds a coordinate to a tenth of a unit, which keeps the SVG short
// and the same on every machine.
func px(v float64) float64 { return math.Round(v*10) / 10 }

// A scale maps a data interval onto a pixel interval, linearly.
type scale struct{ d0, d1, p0, p1 float64 }

// at returns the pixel of the data value v.
func (s scale) at(v float64) float64 {
	if s.d1 == s.d0 {
		return px((s.p0 + s.p1) / 2)
	}
	return px(s.p0 + (v-s.d0)/(s.d1-s.d0)*(s.p1-s.p0))
}

// ticks returns about n round values (1, 2, 2.5 or 5 times a power of
// ten apart) within [d0, d1].
func (s scale) ticks(n int) []float64 {
	lo, hi := math.Min(s.d0, s.d1), math.Max(s.d0, s.d1)
	step := niceStep((hi - lo) / float64(n))
	var out []float64
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*step; k++ {
		v := k * step
		if v == 0 {
			v = 0 // never -0
		}
		out = append(out, v)
	}
	return out
}

// span returns the smallest and largest finite values of xs, padded by
// pad times the range (or by minPad when the range is smaller), as a
// domain for a scale. With no finite value it returns [0, 1].
func span(pad, minPad float64, xs ...float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if finite(x) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if lo > hi {
		return 0, 1
	}
	p := math.Max(pad*(hi-lo), minPad)
	return lo - p, hi + p
}

// pathThrough writes the points as an SVG path (a polyline).
func pathThrough(xs, ys []float64) string {
	var b strings.Builder
	for i := range xs {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" L")
		}
		b.WriteString(strconv.FormatFloat(px(xs[i]), 'f', -1, 64))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(px(ys[i]), 'f', -1, 64))
	}
	return b.String()
}

// mark returns a marker of the given shape centred on (x, y).
func mark(shape string, x, y, r float64, class, tip string) chartMark {
	m := chartMark{Shape: shape, X: px(x), Y: px(y), R: r, Class: class, Tip: tip}
	if shape == "triangle" {
		h := r * 1.2
		m.D = pathThrough([]float64{x, x + h, x - h, x}, []float64{y - h, y + 0.8*h, y + 0.8*h, y - h}) + " Z"
	}
	if shape == "square" {
		m.X, m.Y, m.Size = px(x-r), px(y-r), px(2*r)
	}
	return m
}

// whiskerLines returns an interval [lo, hi] drawn at y between the pixels
// x0 and x1, with caps (horizontal when vertical is false).
func whiskerLines(a0, a1, at, capHalf float64, vertical bool, class string) []chartLine {
	if vertical {
		return []chartLine{
			{at, a0, at, a1, class},
			{at - capHalf, a0, at + capHalf, a0, class},
			{at - capHalf, a1, at + capHalf, a1, class},
		}
	}
	return []chartLine{
		{a0, at, a1, at, class},
		{a0, at - capHalf, a0, at + capHalf, class},
		{a1, at - capHalf, a1, at + capHalf, class},
	}
}

// shortLabel cuts a name for a chart label to max runes, marking the cut
// with "…"; the tables beside each chart carry the whole name.
func shortLabel(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
