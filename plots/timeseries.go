package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Band is one series over time: the mean and a band (for example p05–p95)
// per tick. Lo and Hi may be nil for a line without band.
type Band struct {
	Label        string
	Mean, Lo, Hi []float64
	// Muted draws the series as a thin black line with a light grey band
	// under the others: the reference (baseline) a small multiple compares
	// its variant with.
	Muted bool
}

// Marker is a vertical line at a tick, such as an intervention's start.
type Marker struct {
	Tick  float64
	Label string
}

// Panel is one time-series plot.
type Panel struct {
	Title, XLabel, YLabel string
	Bands                 []Band
	Markers               []Marker
	// Styles names the series for Style; default: the band labels.
	Styles []string
	// NoLegend leaves the panel's series out of the figure's legend
	// (TimeSeries shows the series of the first panel only).
	NoLegend bool
	// SharedY panels share one y range (the same metric in several areas).
	SharedY bool
}

// TimeSeries draws panels in a grid of cols columns, each a line per band
// with its shaded band, under a shared title and one legend for the
// figure (so no legend covers a line and the y axis need not make room for
// one). The y range is fitted to the data. With more than four bands in a
// panel the bands are drawn lighter, so that the lines stay readable.
func TimeSeries(title string, panels []Panel, cols int, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	cols = max(1, min(cols, len(panels)))
	rows := (len(panels) + cols - 1) / cols
	var ps []*plot.Plot
	var legend []legendEntry
	for i, pn := range panels {
		p, entries, err := timePlot(pn, size, cols, rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pn.Title, err)
		}
		if i == 0 && !pn.NoLegend {
			legend = entries
		}
		ps = append(ps, p)
	}
	share(ps, func(i int) bool { return panels[i].SharedY }, func(p *plot.Plot) *plot.Axis { return &p.Y })
	return gridWith(title, ps, cols, size, caption, legendStrip(legend)), nil
}

func timePlot(pn Panel, size Size, cols, rows int) (*plot.Plot, []legendEntry, error) {
	if len(pn.Bands) == 0 {
		return nil, nil, ErrNoData
	}
	p := plot.New()
	p.Title.Text = wrap(pn.Title, charsFor(size.W/vg.Length(cols), p.Title.TextStyle.Font.Size))
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = wrap(pn.YLabel, charsFor(size.H/vg.Length(rows)-vg.Points(30), p.Y.Label.TextStyle.Font.Size))
	names := pn.Styles
	if names == nil {
		for _, b := range pn.Bands {
			names = append(names, b.Label)
		}
	}
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, b := range pn.Bands {
		if len(b.Mean) == 0 {
			return nil, nil, ErrNoData
		}
		if err := finite(b.Mean, b.Lo, b.Hi); err != nil {
			return nil, nil, err
		}
		for i := range b.Mean {
			lo, hi := b.Mean[i], b.Mean[i]
			if b.Lo != nil {
				lo, hi = b.Lo[i], b.Hi[i]
			}
			ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
		}
	}
	alpha := uint8(0x30)
	if len(pn.Bands) > 4 {
		alpha = 0x14 // many overlapping bands: lighter, so the lines stay readable
	}
	// Bands first (muted ones first of all), so every line is drawn over
	// every band.
	order := make([]int, 0, len(pn.Bands))
	for k, b := range pn.Bands {
		if b.Muted {
			order = append(order, k)
		}
	}
	for k, b := range pn.Bands {
		if !b.Muted {
			order = append(order, k)
		}
	}
	for _, k := range order {
		b := pn.Bands[k]
		c, _ := Style(names[k], names)
		if b.Muted {
			c = color.Gray{0x90} // a light grey band under the black line
		}
		if b.Lo == nil {
			continue
		}
		pts := make(plotter.XYs, 0, 2*len(b.Mean))
		for i := range b.Mean {
			pts = append(pts, plotter.XY{X: float64(i), Y: b.Lo[i]})
		}
		for i := len(b.Mean) - 1; i >= 0; i-- {
			pts = append(pts, plotter.XY{X: float64(i), Y: b.Hi[i]})
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return nil, nil, err
		}
		r, g, bl, _ := c.RGBA()
		poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), alpha}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	for _, m := range pn.Markers {
		l, err := plotter.NewLine(plotter.XYs{{X: m.Tick, Y: ymin}, {X: m.Tick, Y: ymax}})
		if err != nil {
			return nil, nil, err
		}
		l.LineStyle.Color = color.Gray{0x88}
		l.LineStyle.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		l.LineStyle.Width = vg.Points(0.8)
		p.Add(l)
	}
	var entries []legendEntry
	for _, k := range order {
		b := pn.Bands[k]
		c, d := Style(names[k], names)
		w := vg.Points(1.8)
		if names[k] == "baseline" {
			w = vg.Points(2.4)
		}
		if b.Muted {
			c, d, w = muted, nil, vg.Points(1.2)
		}
		pts := make(plotter.XYs, len(b.Mean))
		for i, v := range b.Mean {
			pts[i] = plotter.XY{X: float64(i), Y: v}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, nil, err
		}
		l.LineStyle.Color = c
		l.LineStyle.Dashes = d
		l.LineStyle.Width = w
		p.Add(l)
		entries = append(entries, legendEntry{label: b.Label, line: l.LineStyle})
	}
	// The legend lists the series in the panel's order.
	slices.SortStableFunc(entries, func(a, b legendEntry) int {
		return slices.IndexFunc(pn.Bands, func(x Band) bool { return x.Label == a.label }) - slices.IndexFunc(pn.Bands, func(x Band) bool { return x.Label == b.label })
	})
	p.Add(plotter.NewGrid())
	p.X.Tick.Marker = niceTicks{whole: true, labels: labelsFor(size.W/vg.Length(cols) - vg.Points(50)), size: size}
	p.Y.Tick.Marker = niceTicks{labels: labelsForHeight(size.H/vg.Length(rows) - vg.Points(50)), size: size}
	if ymax > ymin {
		pad := 0.04 * (ymax - ymin)
		p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	}
	return p, entries, nil
}

// muted is the colour of a reference series drawn under the others (black,
// as the baseline is everywhere; clear-roles is the palette's grey).
var muted = color.Gray{0x00}
