// Package plots draws hybridsim's charts with gonum/plot: time series with
// bands, stacked case modes and effect bars, in PNG, SVG or PDF. It is the
// only package that imports gonum/plot. It takes plain numbers, not runs, so
// it does not depend on how they were made.
package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // PNG
	_ "gonum.org/v1/plot/vg/vgpdf" // PDF
	_ "gonum.org/v1/plot/vg/vgsvg" // SVG
)

// ErrNoData is returned for a chart with no data points.
var ErrNoData = errors.New("plots: no data")

// ErrNaN is returned for a chart given NaN or infinite values.
var ErrNaN = errors.New("plots: NaN or infinite value")

// Palette is the fixed, colour-blind-safe palette (Okabe & Ito 2008): the
// standard variants keep their colour, and a dash pattern of their own so
// the charts read in grey print too.
var Palette = []color.Color{
	color.RGBA{0x00, 0x00, 0x00, 0xff}, // black: baseline
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0x99, 0x99, 0x99, 0xff}, // grey
}

var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(2)}, {vg.Points(2), vg.Points(2)}, {vg.Points(6), vg.Points(2), vg.Points(2), vg.Points(2)},
	{vg.Points(10), vg.Points(3)}, {vg.Points(1), vg.Points(3)}, {vg.Points(4), vg.Points(4)}, {vg.Points(8), vg.Points(2), vg.Points(1), vg.Points(2)}}

// StandardVariants fixes the style index of the standard variants; other
// names follow in the order first seen.
var StandardVariants = []string{"baseline", "wijktafels", "social-reflection", "clear-end-goal", "intermediaries", "all-three", "push-only", "clear-roles"}

// Style returns the colour and dashes of a named series: a standard variant
// keeps its own, others take the next free style by their index among names.
func Style(name string, names []string) (color.Color, []vg.Length) {
	i := indexOf(StandardVariants, name)
	if i < 0 {
		k := 0
		for _, n := range names {
			if indexOf(StandardVariants, n) < 0 {
				if n == name {
					break
				}
				k++
			}
		}
		i = len(StandardVariants) + k
	}
	return Palette[i%len(Palette)], dashes[i%len(dashes)]
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// Size is a chart's size and how it writes numbers.
type Size struct {
	W, H vg.Length
	// DecimalComma writes the axes' numbers with a decimal comma (Dutch);
	// the default is a decimal point.
	DecimalComma bool
}

// num writes an axis number: a real minus sign, and a decimal comma when
// the size asks for one.
func (s Size) num(x string) string {
	x = strings.ReplaceAll(x, "-", "−")
	if s.DecimalComma {
		x = strings.ReplaceAll(x, ".", ",")
	}
	return x
}

// labelsFor is how many tick labels fit along an axis of length w: about
// one per 42 points (a label such as −0.35 is some 25 points wide at the
// default size), at least 2 and at most 7.
func labelsFor(w vg.Length) int { return max(2, min(7, int(w/vg.Points(42)))) }

// labelsForHeight is how many tick labels fit up an axis of length h: one
// per 24 points (a line of 8-point text and room between), 2 to 6.
func labelsForHeight(h vg.Length) int { return max(2, min(6, int(h/vg.Points(24)))) }

// wrap breaks a title or axis label into lines of at most about n
// characters (at spaces), so that it is not clipped on a small panel and a
// y label never grows longer than its axis (gonum would then shrink the
// plot to make room for it).
func wrap(s string, n int) string {
	if len([]rune(s)) <= n || strings.Contains(s, "\n") {
		return s
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= n:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Standard sizes: the default screen size and one that fits an A4 page
// between margins.
var (
	SizeDefault = Size{W: 24 * vg.Centimeter, H: 15 * vg.Centimeter}
	SizeA4      = Size{W: 16 * vg.Centimeter, H: 14 * vg.Centimeter}
)

// Figure is a drawn chart that can be written in any format.
type Figure struct {
	size    Size
	caption string
	draw    func(dc draw.Canvas)
}

// Size returns the figure's size.
func (f *Figure) Size() Size { return f.size }

// WriteTo writes the figure in format ("png", "svg" or "pdf").
func (f *Figure) WriteTo(w io.Writer, format string) error {
	c, err := draw.NewFormattedCanvas(f.size.W, f.size.H, format)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	// A white background (gonum's canvases are transparent by default).
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	capH := vg.Length(0)
	if f.caption != "" {
		capH = vg.Points(14)
		sty := textStyle(vg.Points(7.5), color.Gray{0x44})
		dc.FillText(sty, vg.Point{X: dc.Min.X + vg.Points(6), Y: dc.Min.Y + vg.Points(4)}, f.caption)
	}
	inner := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: dc.Min.X, Y: dc.Min.Y + capH}, Max: dc.Max}}
	f.draw(inner)
	_, err = c.WriteTo(w)
	return err
}

// Save writes the figure to path, in the format its extension names.
func (f *Figure) Save(path string) error {
	format := strings.TrimPrefix(filepath.Ext(path), ".")
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.WriteTo(file, format); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

func textStyle(size vg.Length, c color.Color) text.Style {
	fnt := plot.DefaultFont
	fnt.Size = size
	return text.Style{Color: c, Font: font.From(fnt, size), Handler: plot.DefaultTextHandler}
}

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

// charsFor is about how many characters of a font of size fs fit in
// length w (half the font size per character, a little room kept).
func charsFor(w, fs vg.Length) int { return max(12, int((w-vg.Points(8))/(fs*0.52))) }

func finite(xss ...[]float64) error {
	for _, xs := range xss {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return ErrNaN
			}
		}
	}
	return nil
}

// legendEntry is one item of a figure's legend: a line, a filled box or a
// point.
type legendEntry struct {
	label string
	line  draw.LineStyle
	fill  color.Color // a filled box (stacked areas)
	dot   color.Color // a point (network nodes)
}

// strip is something drawn across the figure under its title: a legend or
// a colour bar.
type strip interface {
	height(w vg.Length) vg.Length
	draw(c draw.Canvas)
}

// legendStrip lays the entries out in rows across the figure.
type legendStrip []legendEntry

const legendFont = 8

func (l legendStrip) layout(w vg.Length) (rows [][]int, widths []vg.Length) {
	sty := textStyle(vg.Points(legendFont), color.Black)
	var row []int
	x := vg.Length(0)
	for i, e := range l {
		ew := vg.Points(28) + sty.Width(e.label) + vg.Points(12)
		widths = append(widths, ew)
		if len(row) > 0 && x+ew > w-vg.Points(12) {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, i)
		x += ew
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows, widths
}

func (l legendStrip) height(w vg.Length) vg.Length {
	if len(l) == 0 {
		return 0
	}
	rows, _ := l.layout(w)
	return vg.Points(legendFont+4)*vg.Length(len(rows)) + vg.Points(4)
}

func (l legendStrip) draw(c draw.Canvas) {
	if len(l) == 0 {
		return
	}
	rows, widths := l.layout(c.Max.X - c.Min.X)
	sty := textStyle(vg.Points(legendFont), color.Black)
	sty.YAlign = draw.YCenter
	lh := vg.Points(legendFont + 4)
	for r, row := range rows {
		total := vg.Length(0)
		for _, i := range row {
			total += widths[i]
		}
		x := (c.Min.X+c.Max.X)/2 - total/2
		y := c.Max.Y - lh*vg.Length(r) - lh/2
		for _, i := range row {
			e := l[i]
			switch {
			case e.fill != nil:
				c.SetColor(e.fill)
				c.Fill(vg.Rectangle{Min: vg.Point{X: x + vg.Points(4), Y: y - vg.Points(4)}, Max: vg.Point{X: x + vg.Points(24), Y: y + vg.Points(4)}}.Path())
			case e.dot != nil:
				c.SetColor(e.dot)
				var p vg.Path
				p.Move(vg.Point{X: x + vg.Points(18), Y: y})
				p.Arc(vg.Point{X: x + vg.Points(14), Y: y}, vg.Points(4), 0, 2*math.Pi)
				p.Close()
				c.Fill(p)
			default:
				c.StrokeLine2(e.line, x+vg.Points(2), y, x+vg.Points(26), y)
			}
			c.FillText(sty, vg.Point{X: x + vg.Points(30), Y: y}, e.label)
			x += widths[i]
		}
	}
}

// grid arranges plots in cols columns under a title.
func grid(title string, ps []*plot.Plot, cols int, size Size, caption string) *Figure {
	return gridWith(title, ps, cols, size, caption, nil)
}

// gridWith is grid with a strip (a legend or colour bar) between the title
// and the plots.
func gridWith(title string, ps []*plot.Plot, cols int, size Size, caption string, st strip) *Figure {
	cols = max(1, min(cols, len(ps)))
	rows := (len(ps) + cols - 1) / cols
	// Every title of the figure gets as many lines as the longest, so that
	// the panels of a row line up.
	most := 0
	for _, p := range ps {
		most = max(most, strings.Count(p.Title.Text, "\n"))
	}
	for _, p := range ps {
		p.Title.Text += strings.Repeat("\n ", most-strings.Count(p.Title.Text, "\n"))
		p.BackgroundColor = color.Transparent // the figure's white shows; a panel never covers the legend
		p.Title.TextStyle.Font.Size = vg.Points(10)
		p.X.Label.TextStyle.Font.Size = vg.Points(9)
		p.Y.Label.TextStyle.Font.Size = vg.Points(9)
		p.X.Tick.Label.Font.Size = vg.Points(8)
		p.Y.Tick.Label.Font.Size = vg.Points(8)
	}
	return &Figure{size: size, caption: caption, draw: func(dc draw.Canvas) {
		top := vg.Length(0)
		if title != "" {
			top = vg.Points(20)
			sty := textStyle(vg.Points(12), color.Black)
			sty.XAlign = draw.XCenter
			t := title
			if w := sty.Width(t); w > dc.Max.X-dc.Min.X-vg.Points(30) {
				sty = textStyle(vg.Points(12*float64((dc.Max.X-dc.Min.X-vg.Points(30))/w)), color.Black) // shrink a long title to fit
				sty.XAlign = draw.XCenter
			}
			dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - vg.Points(15)}, t)
		}
		if st != nil {
			h := st.height(dc.Max.X - dc.Min.X)
			st.draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: dc.Min.X, Y: dc.Max.Y - top - h}, Max: vg.Point{X: dc.Max.X, Y: dc.Max.Y - top}}})
			top += h
		}
		area := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: dc.Min, Max: vg.Point{X: dc.Max.X, Y: dc.Max.Y - top}}}
		table := make([][]*plot.Plot, rows)
		for r := range rows {
			table[r] = make([]*plot.Plot, cols)
			for c := range cols {
				if i := r*cols + c; i < len(ps) {
					table[r][c] = ps[i]
				}
			}
		}
		t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(10), PadY: vg.Points(8), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
		canvases := plot.Align(table, t, area)
		for r := range rows {
			for c := range cols {
				if table[r][c] != nil {
					table[r][c].Draw(canvases[r][c])
				}
			}
		}
	}}
}

// Layer is one stacked series.
type Layer struct {
	Label  string
	Values []float64
}

// Stack is one stacked-area panel.
type Stack struct {
	Title, XLabel, YLabel string
	Layers                []Layer
}

// layerColors are the stacked layers' colours, from the same palette.
var layerColors = []color.Color{Palette[4], Palette[3], Palette[6], Palette[5], Palette[1], Palette[7]}

// StackedAreas draws stacked areas side by side.
func StackedAreas(title string, stacks []Stack, size Size, caption string) (*Figure, error) {
	if len(stacks) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	var legend legendStrip
	for _, st := range stacks {
		if len(st.Layers) == 0 || len(st.Layers[0].Values) == 0 {
			return nil, ErrNoData
		}
		p := plot.New()
		p.Title.Text, p.X.Label.Text, p.Y.Label.Text = st.Title, st.XLabel, st.YLabel
		n := len(st.Layers[0].Values)
		below := make([]float64, n)
		var polys []*plotter.Polygon
		for k, l := range st.Layers {
			if len(l.Values) != n {
				return nil, fmt.Errorf("plots: layer %q has %d values, want %d", l.Label, len(l.Values), n)
			}
			if err := finite(l.Values); err != nil {
				return nil, err
			}
			pts := make(plotter.XYs, 0, 2*n)
			for i := range n {
				pts = append(pts, plotter.XY{X: float64(i), Y: below[i] + l.Values[i]})
			}
			for i := n - 1; i >= 0; i-- {
				pts = append(pts, plotter.XY{X: float64(i), Y: below[i]})
			}
			poly, err := plotter.NewPolygon(pts)
			if err != nil {
				return nil, err
			}
			poly.Color = layerColors[k%len(layerColors)]
			poly.LineStyle.Width = vg.Points(0.3)
			poly.LineStyle.Color = color.White
			p.Add(poly)
			polys = append(polys, poly)
			for i := range n {
				below[i] += l.Values[i]
			}
		}
		// The legend lists the layers from the top of the stack down, in
		// the order the eye meets them.
		if len(legend) == 0 {
			for k := len(polys) - 1; k >= 0; k-- {
				legend = append(legend, legendEntry{label: st.Layers[k].Label, fill: polys[k].Color})
			}
		}
		ps = append(ps, p)
	}
	// Same y range on every panel, so they compare.
	ymax := 0.0
	for _, p := range ps {
		ymax = math.Max(ymax, p.Y.Max)
	}
	for _, p := range ps {
		p.Y.Min, p.Y.Max = 0, ymax
		p.X.Tick.Marker = niceTicks{whole: true, labels: labelsFor(size.W/vg.Length(len(ps)) - vg.Points(50)), size: size} // weeks
		p.Y.Tick.Marker = niceTicks{whole: true, size: size}                                                               // cases
	}
	return gridWith(title, ps, len(ps), size, caption, legend), nil
}

// Bar is one effect with its interval.
type Bar struct {
	Label        string
	Mean, Lo, Hi float64
	Style        string // series name for Style; default Label
}

// BarPanel is one effects plot.
type BarPanel struct {
	Title, XLabel string
	Bars          []Bar
	Sort          bool // sort by mean, largest on top
	// SharedX panels share one x range (the same metric in several areas,
	// so that bars of equal length mean equal effects).
	SharedX bool
}

// Effects draws horizontal bars with 95% intervals, one panel per metric.
func Effects(title string, panels []BarPanel, cols int, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	for _, pn := range panels {
		if len(pn.Bars) == 0 {
			return nil, ErrNoData
		}
		bars := append([]Bar(nil), pn.Bars...)
		for _, b := range bars {
			if err := finite([]float64{b.Mean, b.Lo, b.Hi}); err != nil {
				return nil, fmt.Errorf("%s: %w", pn.Title, err)
			}
		}
		if pn.Sort {
			sort.SliceStable(bars, func(i, j int) bool { return bars[i].Mean < bars[j].Mean })
		}
		p := plot.New()
		p.Title.Text, p.X.Label.Text = pn.Title, pn.XLabel
		var names, styles []string
		for _, b := range bars {
			names = append(names, b.Label)
			s := b.Style
			if s == "" {
				s = b.Label
			}
			styles = append(styles, s)
		}
		w := vg.Points(10)
		for i, b := range bars {
			vals := make(plotter.Values, len(bars))
			vals[i] = b.Mean
			bc, err := plotter.NewBarChart(vals, w)
			if err != nil {
				return nil, err
			}
			bc.Horizontal = true
			c, _ := Style(styles[i], styles)
			bc.Color = c
			bc.LineStyle.Width = 0
			p.Add(bc)
		}
		pts := make(plotter.XYs, len(bars))
		errs := make(plotter.XErrors, len(bars))
		for i, b := range bars {
			pts[i] = plotter.XY{X: b.Mean, Y: float64(i)}
			errs[i].Low, errs[i].High = b.Mean-b.Lo, b.Hi-b.Mean
		}
		eb, err := plotter.NewXErrorBars(struct {
			plotter.XYs
			plotter.XErrors
		}{pts, errs})
		if err != nil {
			return nil, err
		}
		eb.LineStyle.Width = vg.Points(1.2)
		p.Add(eb)
		zero, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(len(bars)) - 0.5}})
		zero.LineStyle.Color = color.Gray{0x55}
		p.Add(zero)
		p.NominalY(names...)
		p.Add(plotter.NewGrid())
		// As many labels as fit the panel's width beside the variant names.
		p.X.Tick.Marker = niceTicks{labels: min(5, labelsFor(size.W/vg.Length(max(1, min(cols, len(panels))))-vg.Points(90))), size: size}
		p.Title.Text = wrap(p.Title.Text, charsFor(size.W/vg.Length(max(1, min(cols, len(panels)))), vg.Points(10)))
		ps = append(ps, p)
	}
	share(ps, func(i int) bool { return panels[i].SharedX }, func(p *plot.Plot) *plot.Axis { return &p.X })
	return grid(title, ps, cols, size, caption), nil
}

// share gives the plots i with shared(i) the union of their ranges on the
// axis that axis picks.
func share(ps []*plot.Plot, shared func(i int) bool, axis func(*plot.Plot) *plot.Axis) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, p := range ps {
		if shared(i) {
			lo, hi = min(lo, axis(p).Min), max(hi, axis(p).Max)
		}
	}
	for i, p := range ps {
		if shared(i) {
			axis(p).Min, axis(p).Max = lo, hi
		}
	}
}

// Point is one labelled point of a scatter plot.
type Point struct {
	Label string
	X, Y  float64
}

// Scatter draws labelled points, one panel per entry (for Morris μ*–σ).
func Scatter(title string, panels map[string][]Point, order []string, xlabel, ylabel string, cols int, size Size, caption string) (*Figure, error) {
	var ps []*plot.Plot
	for _, name := range order {
		pts := panels[name]
		if len(pts) == 0 {
			return nil, ErrNoData
		}
		xys := make(plotter.XYs, len(pts))
		labels := make([]string, len(pts))
		for i, q := range pts {
			if err := finite([]float64{q.X, q.Y}); err != nil {
				return nil, err
			}
			xys[i] = plotter.XY{X: q.X, Y: q.Y}
			labels[i] = q.Label
		}
		p := plot.New()
		p.Title.Text, p.X.Label.Text, p.Y.Label.Text = name, xlabel, ylabel
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = Palette[4]
		sc.GlyphStyle.Radius = vg.Points(3)
		// Room to the right and on top for the labels of the outermost
		// points, and labels moved apart where they would overlap.
		xmax, ymax := 0.0, 0.0
		for _, q := range xys {
			xmax, ymax = max(xmax, q.X), max(ymax, q.Y)
		}
		xmax, ymax = 1.3*xmax, 1.08*ymax
		if xmax == 0 {
			xmax = 1
		}
		if ymax == 0 {
			ymax = 1
		}
		at := declutter(xys, labels, xmax, ymax)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: labels})
		if err != nil {
			return nil, err
		}
		for i := range at {
			if at[i] != xys[i] { // a moved label gets a thin line to its point
				l, err := plotter.NewLine(plotter.XYs{xys[i], at[i]})
				if err != nil {
					return nil, err
				}
				l.LineStyle.Color, l.LineStyle.Width = color.Gray{0xaa}, vg.Points(0.5)
				p.Add(l)
			}
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Size = vg.Points(7)
		}
		lb.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
		p.Add(plotter.NewGrid(), sc, lb)
		p.X.Min, p.Y.Min = 0, 0
		p.X.Max, p.Y.Max = xmax, ymax
		p.X.Tick.Marker = niceTicks{labels: labelsFor(size.W/vg.Length(max(1, min(cols, len(order)))) - vg.Points(50)), size: size}
		p.Y.Tick.Marker = niceTicks{labels: 6, size: size}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, ErrNoData
	}
	return grid(title, ps, cols, size, caption), nil
}

// declutter returns where to put each point's label so that no two labels
// overlap, for axes from 0 to xmax and 0 to ymax: a label is about 4% of
// the height tall and 1.3% of the width per character wide (7-point text in
// a panel of a default-size figure); going up from the lowest, a label that
// would overlap one placed before is moved up above it.
func declutter(xys plotter.XYs, labels []string, xmax, ymax float64) plotter.XYs {
	h := 0.04 * ymax
	width := func(i int) float64 { return 0.013 * xmax * float64(len([]rune(labels[i]))) }
	order := make([]int, len(xys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return xys[order[a]].Y < xys[order[b]].Y })
	at := slices.Clone(xys)
	var placed []int
	for _, i := range order {
		for moved := true; moved; {
			moved = false
			for _, j := range placed {
				overlapX := at[i].X < at[j].X+width(j) && at[j].X < at[i].X+width(i)
				if up := at[j].Y + h; overlapX && math.Abs(at[i].Y-at[j].Y) < 0.999*h && up > at[i].Y {
					at[i].Y = up // only ever up, so this ends
					moved = true
				}
			}
		}
		placed = append(placed, i)
	}
	return at
}

// Grid2 is a value on a two-parameter grid.
type Grid2 struct {
	Xs, Ys []float64
	Values [][]float64 // Values[y index][x index]
	// Scale names the colour scale; the panels of a HeatMap with the same
	// Scale share it.
	Scale string
}

// Dims, Z, X and Y make Grid2 a plotter.GridXYZ.
func (g Grid2) Dims() (c, r int)   { return len(g.Xs), len(g.Ys) }
func (g Grid2) Z(c, r int) float64 { return g.Values[r][c] }
func (g Grid2) X(c int) float64    { return g.Xs[c] }
func (g Grid2) Y(r int) float64    { return g.Ys[r] }

// niceTicks labels an axis at the smallest round step (1, 2 or 5 × 10^k)
// that gives at most labels labels (7 if 0), written with as many decimals
// as the step needs, with minor ticks between; gonum's default could label
// only 0 and 250.00 on an axis up to 265, or −0.6 and −0.9 on another.
// whole keeps the step at 1 or more (counts).
type niceTicks struct {
	whole  bool
	labels int
	size   Size // for the decimal mark
}

func (n niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: n.size.num(strconv.FormatFloat(lo, 'g', 4, 64))}}
	}
	e := math.Floor(math.Log10(hi-lo)) - 2
	if n.whole {
		e = max(e, 0)
	}
	most := float64(n.labels)
	if most == 0 {
		most = 7
	}
	step := 0.0
	for ; step == 0; e++ {
		for _, m := range []float64{1, 2, 5} {
			if st := m * math.Pow(10, e); math.Floor(hi/st)-math.Ceil(lo/st)+1 <= most {
				step = st
				break
			}
		}
	}
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	minor := 5
	if math.Round(step/math.Pow(10, math.Floor(math.Log10(step)+1e-9))) == 2 {
		minor = 4
	}
	var ts []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // not −0
		}
		ts = append(ts, plot.Tick{Value: v, Label: n.size.num(strconv.FormatFloat(v, 'f', decimals, 64))})
	}
	for k := first - 1; k*step <= hi; k++ {
		for j := 1; j < minor; j++ {
			if w := (k + float64(j)/float64(minor)) * step; w >= lo && w <= hi {
				ts = append(ts, plot.Tick{Value: w})
			}
		}
	}
	return ts
}

// valueTicks marks the values of a grid axis; with many values, only
// about eight of them are labelled.
func valueTicks(vs []float64, size Size) plot.ConstantTicks {
	every := max(1, (len(vs)+7)/8)
	ts := make(plot.ConstantTicks, len(vs))
	for i, v := range vs {
		ts[i] = plot.Tick{Value: v}
		if i%every == 0 {
			ts[i].Label = size.num(strconv.FormatFloat(v, 'g', 4, 64))
		}
	}
	return ts
}

// HeatMap draws a two-parameter grid's values, one panel per entry. Panels
// with the same Grid2.Scale share one colour scale, shown as a colour bar
// above the panels with its name and its lowest, middle and highest value.
func HeatMap(title string, panels map[string]Grid2, order []string, xlabel, ylabel string, cols int, size Size, caption string) (*Figure, error) {
	type scale struct {
		name     string
		lo, hi   float64
		attached int
	}
	var scales []*scale
	scaleOf := map[string]*scale{}
	for _, name := range order {
		g := panels[name]
		if len(g.Xs) < 2 || len(g.Ys) < 2 {
			return nil, ErrNoData
		}
		for _, row := range g.Values {
			if err := finite(row); err != nil {
				return nil, err
			}
		}
		sc := scaleOf[g.Scale]
		if sc == nil {
			sc = &scale{name: g.Scale, lo: math.Inf(1), hi: math.Inf(-1)}
			scaleOf[g.Scale] = sc
			scales = append(scales, sc)
		}
		for _, row := range g.Values {
			for _, v := range row {
				sc.lo, sc.hi = math.Min(sc.lo, v), math.Max(sc.hi, v)
			}
		}
	}
	pal := palette.Heat(12, 1)
	cols = max(1, min(cols, len(order)))
	var ps []*plot.Plot
	for _, name := range order {
		g := panels[name]
		sc := scaleOf[g.Scale]
		p := plot.New()
		p.Title.Text = wrap(name, charsFor(size.W/vg.Length(cols), vg.Points(10)))
		p.X.Label.Text = wrap(xlabel, charsFor(size.W/vg.Length(cols)-vg.Points(40), vg.Points(9)))
		p.Y.Label.Text = wrap(ylabel, charsFor((size.H-vg.Points(80))/vg.Length((len(order)+cols-1)/cols)-vg.Points(20), vg.Points(9)))
		hm := plotter.NewHeatMap(g, pal)
		hm.Min, hm.Max = sc.lo, sc.hi
		if !(sc.hi > sc.lo) {
			hm.Min, hm.Max = sc.lo-0.5, sc.hi+0.5 // one value everywhere
		}
		p.Add(hm)
		p.X.Padding, p.Y.Padding = 0, 0
		// A tick at the middle of each cell, labelled with the value the
		// cell was run at (the default ticks fell between the cells).
		p.X.Tick.Marker, p.Y.Tick.Marker = valueTicks(g.Xs, size), valueTicks(g.Ys, size)
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, ErrNoData
	}
	var bars colourBars
	for _, sc := range scales {
		bars.bars = append(bars.bars, colourBar{label: sc.name, lo: sc.lo, hi: sc.hi, colors: pal.Colors()})
	}
	bars.size = size
	return gridWith(title, ps, cols, size, caption, bars), nil
}

// colourBar is one colour scale: its name, range and colours (low first).
type colourBar struct {
	label  string
	lo, hi float64
	colors []color.Color
}

// colourBars is a strip of colour bars side by side.
type colourBars struct {
	bars []colourBar
	size Size
}

func (c colourBars) height(vg.Length) vg.Length { return vg.Points(34) }

func (c colourBars) draw(dc draw.Canvas) {
	n := len(c.bars)
	if n == 0 {
		return
	}
	w := (dc.Max.X - dc.Min.X) / vg.Length(n)
	sty := textStyle(vg.Points(8), color.Black)
	sty.XAlign = draw.XCenter
	for i, b := range c.bars {
		x0 := dc.Min.X + w*vg.Length(i) + w*0.15
		x1 := dc.Min.X + w*vg.Length(i+1) - w*0.15
		top := dc.Max.Y - vg.Points(10)
		dc.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: top + vg.Points(1)}, b.label)
		cw := (x1 - x0) / vg.Length(len(b.colors))
		for k, col := range b.colors {
			dc.SetColor(col)
			dc.Fill(vg.Rectangle{Min: vg.Point{X: x0 + cw*vg.Length(k), Y: top - vg.Points(10)}, Max: vg.Point{X: x0 + cw*vg.Length(k+1) + vg.Points(0.3), Y: top - vg.Points(1)}}.Path())
		}
		d := max(0, int(-math.Floor(math.Log10(math.Max(math.Abs(b.hi-b.lo), 1e-12))))+1)
		for k, v := range []float64{b.lo, (b.lo + b.hi) / 2, b.hi} {
			x := x0 + (x1-x0)*vg.Length(k)/2
			dc.FillText(sty, vg.Point{X: x, Y: top - vg.Points(19)}, c.size.num(strconv.FormatFloat(v, 'f', min(d, 4), 64)))
		}
	}
}

// NetPanel is one network: nodes at positions, in groups (0, 1, 2: the
// colours of the legend's groups), and edges between them by node index.
type NetPanel struct {
	Title string
	X, Y  []float64
	Group []int
	Edges []NetEdge
}

// NetEdge is one tie; Cross ties are drawn dark, the others light.
type NetEdge struct {
	A, B  int
	Cross bool
}

// netColors are the groups' colours: blue professionals, orange informal
// parties, reddish purple coordinators (Okabe–Ito).
var netColors = []color.Color{Palette[4], Palette[1], Palette[6]}

// Network draws networks side by side with a legend naming the groups and
// the dark cross ties; the axes are hidden (a force-directed layout's
// coordinates mean nothing in themselves).
func Network(title string, panels []NetPanel, groups []string, crossLabel string, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	for _, np := range panels {
		if len(np.X) == 0 || len(np.X) != len(np.Y) || len(np.X) != len(np.Group) {
			return nil, ErrNoData
		}
		if err := finite(np.X, np.Y); err != nil {
			return nil, err
		}
		p := plot.New()
		p.Title.Text = np.Title
		p.HideAxes()
		p.Add(netPlotter{np})
		ps = append(ps, p)
	}
	var legend legendStrip
	for i, g := range groups {
		legend = append(legend, legendEntry{label: g, dot: netColors[i%len(netColors)]})
	}
	legend = append(legend, legendEntry{label: crossLabel, line: draw.LineStyle{Color: crossColor, Width: vg.Points(1)}})
	return gridWith(title, ps, len(ps), size, caption, legend), nil
}

var (
	crossColor  = color.NRGBA{0x20, 0x20, 0x20, 0xd0}
	withinColor = color.NRGBA{0x99, 0x99, 0x99, 0x50}
)

// netPlotter draws one NetPanel: light ties within a side, then the dark
// cross ties, then the nodes on top.
type netPlotter struct{ np NetPanel }

func (n netPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	pt := func(i int) vg.Point { return vg.Point{X: tx(n.np.X[i]), Y: ty(n.np.Y[i])} }
	for _, cross := range []bool{false, true} {
		sty := draw.LineStyle{Color: withinColor, Width: vg.Points(0.4)}
		if cross {
			sty = draw.LineStyle{Color: crossColor, Width: vg.Points(0.9)}
		}
		for _, e := range n.np.Edges {
			if e.Cross == cross {
				c.StrokeLine2(sty, pt(e.A).X, pt(e.A).Y, pt(e.B).X, pt(e.B).Y)
			}
		}
	}
	for _, g := range []int{1, 0, 2} { // the many informal parties first
		for i := range n.np.X {
			if n.np.Group[i] != g {
				continue
			}
			r := vg.Points(2.6)
			if g == 2 {
				r = vg.Points(4)
			}
			c.SetColor(netColors[g%len(netColors)])
			var path vg.Path
			q := pt(i)
			path.Move(vg.Point{X: q.X + r, Y: q.Y})
			path.Arc(q, r, 0, 2*math.Pi)
			path.Close()
			c.Fill(path)
		}
	}
}

// DataRange implements plot.DataRanger: the nodes' extent.
func (n netPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range n.np.X {
		xmin, xmax = math.Min(xmin, n.np.X[i]), math.Max(xmax, n.np.X[i])
		ymin, ymax = math.Min(ymin, n.np.Y[i]), math.Max(ymax, n.np.Y[i])
	}
	return
}

// GlyphBoxes implements plot.GlyphBoxer, so that the outermost nodes are
// not cut off.
func (n netPlotter) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := vg.Points(4)
	bs := make([]plot.GlyphBox, len(n.np.X))
	for i := range n.np.X {
		bs[i] = plot.GlyphBox{X: p.X.Norm(n.np.X[i]), Y: p.Y.Norm(n.np.Y[i]), Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}}
	}
	return bs
}
