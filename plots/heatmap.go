package plots

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
