package plots

import (
	"fmt"
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

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
