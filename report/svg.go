package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/internal/visible"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	xfont "golang.org/x/image/font"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
)

// Chart size in points (1/72 inch).
const (
	svgWidth  = 9 * vg.Inch
	svgHeight = 6 * vg.Inch
)

// Colours of the chart, one per role (colour-blind safe, Okabe–Ito).
var (
	colorBaseline  = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff} // blue
	colorRouted    = color.RGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff} // orange
	colorCandidate = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff} // vermilion
	colorFrontier  = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	colorGrid      = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
)

// sans is the chart's typeface: Liberation Sans, metric-compatible with
// Arial and Helvetica, which the SVG names as fallbacks.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// svgFontFamily is how gonum/plot names the typeface in the SVG, and
// svgFontStack the family list written instead, so that a browser without
// Liberation Sans uses a font of the same metrics.
const (
	svgFontFamily = "font-family:Liberation Sans;"
	svgFontStack  = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
)

// SVG writes the cost/quality chart of a decision: the cost per accepted
// outcome (y) against the acceptance rate (x) of every baseline tier, the
// routed baseline and the candidate (d.Tiers), each with its interval
// whiskers in both directions, the Pareto frontier as a dashed line and
// the verdict in the title. The same decision always gives the same bytes.
// Points without a finite cost per accepted outcome are left out and
// named in the caption.
func SVG(w io.Writer, d *gate.Decision, names Names) error {
	p := plot.New()
	styleText(p)

	// Money is in USD per accepted outcome, as in every other report;
	// the tick labels carry as many decimals as their step needs.
	scale := 1.0
	level := numfmt.Pct(1 - 2*d.Policy.Alpha)
	title := "Cost per accepted outcome against acceptance"
	if names.Candidate != "" {
		title += ": " + svgText(names.Candidate)
	}
	p.Title.Text = title + "\nverdict " + strings.ToUpper(string(d.Verdict)) + " · whiskers: " + level + " intervals"
	p.X.Label.Text = "acceptance (share of cases accepted)"
	p.Y.Label.Text = "cost per accepted outcome (USD)"
	p.X.Tick.Marker = relabel(func(v float64) string { return trimZeros(strconv.FormatFloat(100*v, 'f', 1, 64)) + "%" })
	p.Y.Tick.Marker = relabelStep(func(v, step float64) string {
		decimals := max(2, int(math.Ceil(-math.Log10(step)))+1)
		return "$" + trimZeros(strconv.FormatFloat(v, 'f', decimals, 64))
	})
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = colorGrid, colorGrid
	p.Add(grid)

	type series struct {
		role  string
		label string
		color color.Color
		shape draw.GlyphDrawer
	}
	roles := []series{
		{gate.RoleBaseline, "baseline tier", colorBaseline, draw.CircleGlyph{}},
		{gate.RoleRouted, "routed baseline", colorRouted, draw.BoxGlyph{}},
		{gate.RoleCandidate, "candidate", colorCandidate, draw.PyramidGlyph{}},
	}
	var skipped []string
	var frontier plotter.XYs
	var labels plotter.XYLabels
	for _, s := range roles {
		var pts errPoints
		for _, t := range d.Tiers {
			if t.Role != s.role {
				continue
			}
			if !finite(t.CPA) || !finite(t.Quality) {
				skipped = append(skipped, svgText(t.Name))
				continue
			}
			x, y := t.Quality, t.CPA*scale
			pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: y})
			pts.XErrors = append(pts.XErrors, whisker(x, t.QualityLow, t.QualityHigh))
			pts.YErrors = append(pts.YErrors, whisker(y, t.CPALow*scale, t.CPAHigh*scale))
			labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: y})
			labels.Labels = append(labels.Labels, svgText(t.Name))
			if t.OnFrontier {
				frontier = append(frontier, plotter.XY{X: x, Y: y})
			}
		}
		if len(pts.XYs) == 0 {
			continue
		}
		line := draw.LineStyle{Color: s.color, Width: vg.Points(1.2)}
		xe, err := plotter.NewXErrorBars(pts)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		xe.LineStyle, xe.CapWidth = line, vg.Points(6)
		ye, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		ye.LineStyle, ye.CapWidth = line, vg.Points(6)
		sc, err := plotter.NewScatter(pts.XYs)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.color, Radius: vg.Points(5), Shape: s.shape}
		p.Add(xe, ye, sc)
		p.Legend.Add(s.label, sc)
	}

	if len(frontier) > 1 {
		sortXY(frontier)
		fl, err := plotter.NewLine(frontier)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		fl.LineStyle = draw.LineStyle{Color: colorFrontier, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
		p.Add(fl)
		p.Legend.Add("Pareto frontier", fl)
	}
	if len(skipped) > 0 {
		p.X.Label.Text += "\nnot shown (no cost per accepted outcome): " + strings.Join(skipped, ", ")
	}
	if len(labels.XYs) == 0 {
		p.Title.Text += "\nnothing to place: no tier has a cost per accepted outcome"
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	} else {
		padAxes(p)
	}
	// Names go below and to the right of points in the left part of the
	// chart, above and to the left of points in the right part: they stay
	// inside the chart and off the frontier, which always rises to the
	// right (more quality costs more, or the cheaper point dominates).
	split := p.X.Min + 0.6*(p.X.Max-p.X.Min)
	var right, left plotter.XYLabels
	for i, xy := range labels.XYs {
		side := &right
		if xy.X > split {
			side = &left
		}
		side.XYs = append(side.XYs, xy)
		side.Labels = append(side.Labels, labels.Labels[i])
	}
	for _, side := range []struct {
		l     plotter.XYLabels
		dx    vg.Length
		align draw.XAlignment
		dy    vg.Length
	}{{right, vg.Points(9), draw.XLeft, vg.Points(-16)}, {left, vg.Points(-10), draw.XRight, vg.Points(6)}} {
		if len(side.l.XYs) == 0 {
			continue
		}
		lb, err := plotter.NewLabels(side.l)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font = font.From(sans, 10)
			lb.TextStyle[i].Color = color.Black
			lb.TextStyle[i].XAlign = side.align
		}
		lb.Offset = vg.Point{X: side.dx, Y: side.dy}
		p.Add(lb)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(10), vg.Points(-8)
	p.Legend.Padding = vg.Points(4)

	c := vgsvg.New(svgWidth, svgHeight)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte(svgFontFamily), []byte(svgFontStack))
	_, err := w.Write(visible.XML(out))
	return err
}

// errPoints are points with whiskers in both directions.
type errPoints struct {
	plotter.XYs
	plotter.XErrors
	plotter.YErrors
}

// whisker turns an interval around v into the distances gonum/plot draws,
// dropping an end that is not finite.
func whisker(v, lo, hi float64) struct{ Low, High float64 } {
	var e struct{ Low, High float64 }
	if finite(lo) && lo <= v {
		e.Low = v - lo
	}
	if finite(hi) && hi >= v {
		e.High = hi - v
	}
	return e
}

// padAxes widens the autoscaled ranges by a margin and starts the cost
// axis at zero, so every whisker and the origin of cost are in view; the
// top quarter of the chart is left free for the legend.
func padAxes(p *plot.Plot) {
	dx := p.X.Max - p.X.Min
	if dx <= 0 {
		dx = 0.02
	}
	p.X.Min = math.Max(0, p.X.Min-0.08*dx)
	p.X.Max = math.Min(1, p.X.Max+0.08*dx)
	if p.X.Max <= p.X.Min {
		p.X.Min, p.X.Max = math.Max(0, p.X.Min-0.01), math.Min(1, p.X.Max+0.01)
	}
	dy := p.Y.Max
	if dy <= 0 {
		dy = 1
	}
	p.Y.Min = 0
	p.Y.Max += 0.3 * dy
}

// styleText sets the chart's fonts.
func styleText(p *plot.Plot) {
	p.Title.TextStyle.Font = font.From(font.Font{Typeface: sans.Typeface, Variant: sans.Variant, Weight: xfont.WeightBold}, 13)
	p.Title.Padding = vg.Points(10)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 12)
		a.Tick.Label.Font = font.From(sans, 10)
	}
	p.Legend.TextStyle.Font = font.From(sans, 11)
}

// relabel places about six labelled ticks at round values (1, 2, 2.5 or
// 5 times a power of ten) with a minor tick between labels, and writes
// the labels with f.
func relabel(f func(float64) string) plot.Ticker {
	return relabelStep(func(v, _ float64) string { return f(v) })
}

// relabelStep is relabel with the labelled ticks' step passed to f.
func relabelStep(f func(v, step float64) string) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		step := niceStep((max - min) / 6)
		var ts []plot.Tick
		for k := math.Ceil(2*min/step - 1e-9); k*step/2 <= max+1e-9*step; k++ {
			t := plot.Tick{Value: k * step / 2}
			if k == 0 {
				t.Value = 0 // never "-0"
			}
			if math.Mod(k, 2) == 0 {
				t.Label = f(t.Value, step)
			}
			ts = append(ts, t)
		}
		return ts
	})
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
func sortXY(p plotter.XYs) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && (p[j].X < p[j-1].X || (p[j].X == p[j-1].X && p[j].Y > p[j-1].Y)); j-- {
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
