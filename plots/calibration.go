package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// VLine is a vertical line across a panel, such as an observed value.
type VLine struct {
	X      float64
	Label  string
	Dashed bool
}

// HistPanel is one histogram panel: a weighted histogram drawn as a
// density, optionally a curve over it (a prior density), a shaded span (an
// observed value's interval) and vertical lines.
type HistPanel struct {
	Title, XLabel, YLabel string
	// Values and Weights (nil: equal) make the histogram, in Bins bins
	// (default 20) over [Lo, Hi] (default: the values' range).
	Values, Weights []float64
	Bins            int
	Lo, Hi          float64
	HistLabel       string
	// CurveX, CurveY is a line drawn over the histogram, for example the
	// prior density; nil for none.
	CurveX, CurveY []float64
	CurveLabel     string
	// Span, if Span[0] < Span[1], is shaded, with SpanLabel in the legend.
	Span      [2]float64
	SpanLabel string
	Lines     []VLine
}

// Histograms draws panels in a grid of cols columns under a title; the
// legend is on the first panel.
func Histograms(title string, panels []HistPanel, cols int, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	for i, pn := range panels {
		p, err := histPlot(pn, i == 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pn.Title, err)
		}
		ps = append(ps, p)
	}
	return grid(title, ps, cols, size, caption), nil
}

func histPlot(pn HistPanel, legend bool) (*plot.Plot, error) {
	if len(pn.Values) == 0 {
		return nil, ErrNoData
	}
	if err := finite(pn.Values, pn.Weights, pn.CurveX, pn.CurveY); err != nil {
		return nil, err
	}
	lo, hi := pn.Lo, pn.Hi
	if !(hi > lo) {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, x := range pn.Values {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		if hi == lo {
			lo, hi = lo-0.5, hi+0.5
		}
	}
	bins := pn.Bins
	if bins <= 0 {
		bins = 20
	}
	width := (hi - lo) / float64(bins)
	heights := make([]float64, bins)
	total := 0.0
	for i, x := range pn.Values {
		w := 1.0
		if pn.Weights != nil {
			w = pn.Weights[i]
		}
		b := int((x - lo) / width)
		if x < lo || x > hi {
			continue
		}
		heights[min(max(b, 0), bins-1)] += w
		total += w
	}
	p := plot.New()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(7)
	ymax := 0.0
	// The histogram as a filled step outline.
	var outline plotter.XYs
	outline = append(outline, plotter.XY{X: lo, Y: 0})
	for b, h := range heights {
		d := 0.0
		if total > 0 {
			d = h / total / width
		}
		ymax = math.Max(ymax, d)
		x0 := lo + float64(b)*width
		outline = append(outline, plotter.XY{X: x0, Y: d}, plotter.XY{X: x0 + width, Y: d})
	}
	outline = append(outline, plotter.XY{X: hi, Y: 0})
	for _, y := range pn.CurveY {
		ymax = math.Max(ymax, y)
	}
	if ymax == 0 {
		ymax = 1
	}
	if pn.Span[0] < pn.Span[1] {
		span, err := plotter.NewPolygon(plotter.XYs{{X: pn.Span[0], Y: 0}, {X: pn.Span[1], Y: 0}, {X: pn.Span[1], Y: ymax * 1.05}, {X: pn.Span[0], Y: ymax * 1.05}})
		if err != nil {
			return nil, err
		}
		span.Color = color.NRGBA{0xE6, 0x9F, 0x00, 0x40}
		span.LineStyle.Width = 0
		p.Add(span)
		if legend && pn.SpanLabel != "" {
			p.Legend.Add(pn.SpanLabel, span)
		}
	}
	poly, err := plotter.NewPolygon(outline)
	if err != nil {
		return nil, err
	}
	poly.Color = color.NRGBA{0x00, 0x72, 0xB2, 0x60}
	poly.LineStyle.Color = Palette[4]
	poly.LineStyle.Width = vg.Points(0.8)
	p.Add(poly)
	if legend && pn.HistLabel != "" {
		p.Legend.Add(pn.HistLabel, poly)
	}
	if len(pn.CurveX) > 0 {
		pts := make(plotter.XYs, len(pn.CurveX))
		for i := range pn.CurveX {
			pts[i] = plotter.XY{X: pn.CurveX[i], Y: pn.CurveY[i]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color = Palette[0]
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		l.LineStyle.Width = vg.Points(1.2)
		p.Add(l)
		if legend && pn.CurveLabel != "" {
			p.Legend.Add(pn.CurveLabel, l)
		}
	}
	for i, v := range pn.Lines {
		l, err := plotter.NewLine(plotter.XYs{{X: v.X, Y: 0}, {X: v.X, Y: ymax * 1.05}})
		if err != nil {
			return nil, err
		}
		l.LineStyle.Color = Palette[5+i%3]
		l.LineStyle.Width = vg.Points(1.6)
		if v.Dashed {
			l.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		}
		p.Add(l)
		if legend && v.Label != "" {
			p.Legend.Add(v.Label, l)
		}
	}
	p.Add(plotter.NewGrid())
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	xlo, xhi := lo, hi
	for _, v := range pn.Lines {
		xlo, xhi = math.Min(xlo, v.X), math.Max(xhi, v.X)
	}
	if pn.Span[0] < pn.Span[1] {
		xlo, xhi = math.Min(xlo, pn.Span[0]), math.Max(xhi, pn.Span[1])
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min = 0
	p.Y.Max = ymax * 1.05
	if legend {
		p.Y.Max = ymax * 1.45 // head room for the legend
	}
	return p, nil
}

// PairPanel is one scatter of two parameters.
type PairPanel struct {
	XLabel, YLabel string
	X, Y           []float64
	Weights        []float64 // the dot areas are proportional to these; nil: equal
	XRange, YRange [2]float64
}

// Pairs draws a scatter per pair of parameters in a grid of cols columns,
// each particle a dot whose area is proportional to its weight.
func Pairs(title string, panels []PairPanel, cols int, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	for _, pn := range panels {
		if len(pn.X) == 0 || len(pn.X) != len(pn.Y) {
			return nil, ErrNoData
		}
		if err := finite(pn.X, pn.Y, pn.Weights); err != nil {
			return nil, err
		}
		p := plot.New()
		p.X.Label.Text, p.Y.Label.Text = pn.XLabel, pn.YLabel
		wmax := 0.0
		for _, w := range pn.Weights {
			wmax = math.Max(wmax, w)
		}
		xys := make(plotter.XYs, len(pn.X))
		for i := range pn.X {
			xys[i] = plotter.XY{X: pn.X[i], Y: pn.Y[i]}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			r := vg.Points(2)
			if wmax > 0 {
				r = vg.Points(0.6 + 3*math.Sqrt(pn.Weights[i]/wmax))
			}
			return draw.GlyphStyle{Color: color.NRGBA{0x00, 0x72, 0xB2, 0x90}, Radius: r, Shape: draw.CircleGlyph{}}
		}
		p.Add(plotter.NewGrid(), sc)
		p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
		if pn.XRange[0] < pn.XRange[1] {
			p.X.Min, p.X.Max = pn.XRange[0], pn.XRange[1]
		}
		if pn.YRange[0] < pn.YRange[1] {
			p.Y.Min, p.Y.Max = pn.YRange[0], pn.YRange[1]
		}
		ps = append(ps, p)
	}
	return grid(title, ps, cols, size, caption), nil
}
