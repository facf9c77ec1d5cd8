package plots

import (
	"image/color"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

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
