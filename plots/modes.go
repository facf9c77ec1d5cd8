package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

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
