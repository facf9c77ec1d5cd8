package plots

import (
	"errors"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
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

// Size is a chart's size and how it writes numbers.
type Size struct {
	W, H vg.Length
	// DecimalComma writes the axes' numbers with a decimal comma (Dutch);
	// the default is a decimal point.
	DecimalComma bool
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
