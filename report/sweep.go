package report

import (
	"fmt"
	"slices"

	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/sweep"
)

// SweepCharts draws a sweep's chart: Morris μ*–σ scatter, Sobol bars with
// 95% intervals, or, for a grid over exactly two parameters, a heat map of
// each output's replication mean; one panel per variant and output. It
// writes them in every format into dir and returns the file names; other
// designs get no chart.
func SweepCharts(dir string, p *sweep.Plan, m sweep.Means, opt Options) ([]string, error) {
	sw := p.Sweep
	// No file name in the caption: the shards of a sweep, merged, must draw
	// the same bytes as the sweep run whole.
	cap := fmt.Sprintf("sweep · design %s · %d points × %d replications · seed %d · hybridsim %s",
		sw.Design, len(p.Design.Points), sw.Reps, sw.Seed, opt.Version)
	var fig *plots.Figure
	var err error
	var name string
	var order []string
	for _, v := range sw.Variants {
		for _, o := range sw.Outputs {
			order = append(order, v+": "+o.Name())
		}
	}
	switch sw.Design {
	case "morris":
		panels := map[string][]plots.Point{}
		idx := p.Indices(m)
		for _, x := range idx {
			if x.Name != "mu_star" {
				continue
			}
			key := x.Variant + ": " + x.Output
			sigma := 0.0
			for _, y := range idx {
				if y.Variant == x.Variant && y.Output == x.Output && y.Param == x.Param && y.Name == "sigma" {
					sigma = y.Value
				}
			}
			panels[key] = append(panels[key], plots.Point{Label: x.Param, X: x.Value, Y: sigma})
		}
		name = "morris"
		fig, err = plots.Scatter("Morris elementary effects (μ* against σ)", panels, order, "μ*", "σ", 2, opt.Size, cap)
	case "sobol":
		var bps []plots.BarPanel
		for _, key := range order {
			bp := plots.BarPanel{Title: key, XLabel: "Sobol index: ST total (black), S1 first order (grey)"}
			for _, x := range p.Indices(m) {
				if x.Variant+": "+x.Output == key {
					bp.Bars = append(bp.Bars, plots.Bar{Label: x.Param + " " + x.Name, Mean: x.Value, Lo: x.Lo, Hi: x.Hi, Style: x.Name})
				}
			}
			bps = append(bps, bp)
		}
		name = "sobol"
		fig, err = plots.Effects("Sobol indices with bootstrap 95% intervals", bps, 2, opt.Size, cap)
	case "grid":
		if len(sw.Params) != 2 {
			return nil, nil
		}
		var xs, ys []float64
		for _, pt := range p.Design.Points {
			if !slices.Contains(xs, pt[0]) {
				xs = append(xs, pt[0])
			}
			if !slices.Contains(ys, pt[1]) {
				ys = append(ys, pt[1])
			}
		}
		slices.Sort(xs)
		slices.Sort(ys)
		panels := map[string]plots.Grid2{}
		for v, vn := range sw.Variants {
			for o, on := range sw.Outputs {
				g := plots.Grid2{Xs: xs, Ys: ys, Values: make([][]float64, len(ys))}
				for r := range g.Values {
					g.Values[r] = make([]float64, len(xs))
				}
				for pi, pt := range p.Design.Points {
					g.Values[slices.Index(ys, pt[1])][slices.Index(xs, pt[0])] = m[pi][v][o]
				}
				panels[vn+": "+on.Name()] = g
			}
		}
		name = "grid"
		fig, err = plots.HeatMap("Mean over replications (dark: low, light: high)", panels, order, sw.Params[0].Key, sw.Params[1].Key, 2, opt.Size, cap)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return WriteCharts(dir, []Chart{{Name: name, Figure: fig}}, opt.Formats)
}
