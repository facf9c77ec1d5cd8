package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
	"github.com/hybridsim/hybridsim/sweep"
)

// paramLabel is a sweep parameter's key ("area.civil_society",
// "intervention.wijktafel.attractiveness") in words, with the key after it
// for the reader who wants to find it in the sweep file.
func paramLabel(l lang.Lang, key string) string {
	path := strings.TrimPrefix(key, "intervention.")
	p := sim.Defaults()
	if sp, ok := p.Spec(path); ok {
		return l.Param(path, sp.Meaning) + " (" + key + ")"
	}
	if kind, _, ok := strings.Cut(path, "."); ok {
		if iv, err := sim.NewIntervention(kind); err == nil {
			for _, sp := range iv.Specs() {
				if sp.Path() == path {
					return l.Kind(kind) + ": " + l.Param(path, sp.Meaning) + " (" + key + ")"
				}
			}
		}
	}
	return key
}

// outputLabel is a sweep output (a metric over the last weeks) in words.
func outputLabel(l lang.Lang, o scenarios.SweepOutput) string {
	return fmt.Sprintf("%s, %s %d %s", l.Metric(o.Metric.String()), l.UI("last"), o.Window, l.UI("weeks"))
}

// SweepCharts draws a sweep's chart: Morris μ*–σ scatter, Sobol bars with
// 95% intervals, or, for a grid over exactly two parameters, a heat map of
// each output's replication mean (one panel per variant and output; the
// panels of one output share a colour scale, shown as a colour bar). It
// writes them in every format into dir and returns the file names; other
// designs get no chart.
func SweepCharts(dir string, p *sweep.Plan, m sweep.Means, opt Options) ([]string, error) {
	l := lang.Lang(opt.Lang)
	size := opt.Size
	size.DecimalComma = l == lang.NL
	sw := p.Sweep
	// No file name in the caption: the shards of a sweep, merged, must draw
	// the same bytes as the sweep run whole.
	cap := l.Sprintf("sweep_caption", sw.Design, len(p.Design.Points), sw.Reps, sw.Seed, opt.Version)
	var fig *plots.Figure
	var err error
	var name string
	var order []string
	label := map[string]string{} // "variant: output name" → in words
	for _, v := range sw.Variants {
		for _, o := range sw.Outputs {
			key := v + ": " + o.Name()
			order = append(order, key)
			label[key] = l.Variant(v) + ": " + outputLabel(l, o)
		}
	}
	shown := func(keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = label[k]
		}
		return out
	}
	switch sw.Design {
	case "morris":
		panels := map[string][]plots.Point{}
		idx := p.Indices(m)
		for _, x := range idx {
			if x.Name != "mu_star" {
				continue
			}
			key := label[x.Variant+": "+x.Output]
			sigma := 0.0
			for _, y := range idx {
				if y.Variant == x.Variant && y.Output == x.Output && y.Param == x.Param && y.Name == "sigma" {
					sigma = y.Value
				}
			}
			panels[key] = append(panels[key], plots.Point{Label: x.Param, X: x.Value, Y: sigma})
		}
		name = "morris"
		fig, err = plots.Scatter(l.UI("morris_title"), panels, shown(order), "μ*", "σ", 2, size, cap)
	case "sobol":
		var bps []plots.BarPanel
		for _, key := range order {
			bp := plots.BarPanel{Title: label[key], XLabel: l.UI("sobol_axis")}
			for _, x := range p.Indices(m) {
				if x.Variant+": "+x.Output == key {
					bp.Bars = append(bp.Bars, plots.Bar{Label: x.Param + " " + x.Name, Mean: x.Value, Lo: x.Lo, Hi: x.Hi, Style: x.Name})
				}
			}
			bps = append(bps, bp)
		}
		name = "sobol"
		fig, err = plots.Effects(l.UI("sobol_title"), bps, 2, size, cap)
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
				g := plots.Grid2{Xs: xs, Ys: ys, Values: make([][]float64, len(ys)), Scale: outputLabel(l, on)}
				for r := range g.Values {
					g.Values[r] = make([]float64, len(xs))
				}
				for pi, pt := range p.Design.Points {
					g.Values[slices.Index(ys, pt[1])][slices.Index(xs, pt[0])] = m[pi][v][o]
				}
				panels[label[vn+": "+on.Name()]] = g
			}
		}
		name = "grid"
		fig, err = plots.HeatMap(l.UI("grid_title"), panels, shown(order), paramLabel(l, sw.Params[0].Key), paramLabel(l, sw.Params[1].Key), max(1, len(sw.Outputs)), size, cap)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return WriteCharts(dir, []Chart{{Name: name, Figure: fig}}, opt.Formats)
}
