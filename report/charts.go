// Package report turns the runs of an experiment into charts (through
// package plots) and a self-contained report.html, in English or Dutch.
package report

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Options choose the charts' formats, language and size.
type Options struct {
	Formats []string // "png", "svg", "pdf"
	Lang    string   // "en" or "nl"
	Size    plots.Size
	Version string
}

// Chart is one named figure.
type Chart struct {
	Name   string // file name without extension
	Title  string
	Figure *plots.Figure
}

// extract reads one number from a tick's outputs.
type extract func(row []float64) float64

func metric(m sim.Metric) extract { return func(r []float64) float64 { return r[m] } }

// band summarises runs at each tick: the mean and the 5% and 95% quantiles.
func band(label string, runs []experiment.Run, f extract) plots.Band {
	ticks := runs[0].Result.Ticks
	b := plots.Band{Label: label, Mean: make([]float64, ticks), Lo: make([]float64, ticks), Hi: make([]float64, ticks)}
	xs := make([]float64, len(runs))
	for t := range ticks {
		for i, r := range runs {
			xs[i] = f(r.Result.Row(t))
		}
		b.Mean[t] = stats.Mean(xs)
		q := stats.Quantiles(xs, 0.05, 0.95)
		b.Lo[t], b.Hi[t] = q[0], q[1]
	}
	return b
}

// caption is the line every chart carries.
func caption(o *experiment.Output, opt Options) string {
	s := ""
	for i, sc := range o.Scenarios {
		if i > 0 {
			s += ", "
		}
		s += sc.Name
		if sc.Scale != 1 {
			s += " ×" + scenarios.Format(sc.Scale) // a scaled area
		}
	}
	seed := uint64(0)
	if len(o.Runs) > 0 {
		seed = o.Runs[0].Seed
	}
	return fmt.Sprintf(tr(opt.Lang, "caption"), s, o.Reps[0], seed, opt.Version)
}

// markers are the start ticks of every intervention of the scenario's
// variants that are run.
func markers(o *experiment.Output, si int, lang string) []plots.Marker {
	var ms []plots.Marker
	seen := map[float64]bool{}
	s := o.Scenarios[si]
	for _, v := range o.Variants[si] {
		cfg, err := s.Config(v)
		if err != nil {
			continue
		}
		for _, iv := range cfg.Interventions {
			for _, sp := range iv.Specs() {
				if sp.Key == "at" || sp.Key == "start" {
					t := sp.Float()
					if !seen[t] && t < float64(cfg.Ticks) {
						seen[t] = true
						ms = append(ms, plots.Marker{Tick: t})
					}
				}
			}
		}
	}
	return ms
}

// Charts builds every chart of an experiment: hybridisation over time, the
// three sources, wij–zij, case modes and effects; for several scenarios also
// the comparison charts.
func Charts(o *experiment.Output, effects []experiment.Effect, opt Options) ([]Chart, error) {
	L := func(k string) string { return tr(opt.Lang, k) }
	cap := caption(o, opt)
	week := L("week")
	var charts []Chart
	add := func(name, title string, fig *plots.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		charts = append(charts, Chart{Name: name, Title: title, Figure: fig})
		return nil
	}
	multi := len(o.Scenarios) > 1
	for si, s := range o.Scenarios {
		prefix := ""
		if multi {
			prefix = s.Name + "-"
		}
		vs := o.Variants[si]
		groups := make([][]experiment.Run, len(vs))
		for k, v := range vs {
			groups[k] = o.Group(s.Name, v)
		}
		panel := func(title, ylabel string, f extract) plots.Panel {
			p := plots.Panel{Title: title, XLabel: week, YLabel: ylabel, Styles: vs, Markers: markers(o, si, opt.Lang)}
			for k, v := range vs {
				p.Bands = append(p.Bands, band(v, groups[k], f))
			}
			return p
		}
		title := fmt.Sprintf("%s — %s", L("hybridisation_title"), s.Name)
		fig, err := plots.TimeSeries(title, []plots.Panel{panel("", L("hybridisation_y"), metric(sim.Hybridisation))}, 1, opt.Size, cap)
		if err := add(prefix+"hybridisation", title, fig, err); err != nil {
			return nil, err
		}
		title = fmt.Sprintf("%s — %s", L("sources_title"), s.Name)
		fig, err = plots.TimeSeries(title, []plots.Panel{
			panel(L("onbekendheid"), L("ei_index"), metric(sim.EIIndex)),
			panel(L("onenigheid"), L("negative_contacts"), metric(sim.NegativeContacts)),
			panel(L("onenigheid"), L("conception_distance"), metric(sim.ConceptionDistance)),
			panel(L("onbestemdheid"), L("threat"), func(r []float64) float64 { return (r[sim.ThreatFormal] + r[sim.ThreatInformal]) / 2 }),
		}, 2, opt.Size, cap)
		if err := add(prefix+"sources", title, fig, err); err != nil {
			return nil, err
		}
		title = fmt.Sprintf("%s — %s", L("wijzij_title"), s.Name)
		fig, err = plots.TimeSeries(title, []plots.Panel{
			panel(L("gap_formal"), "g − a", metric(sim.WijZijGapFormal)),
			panel(L("gap_informal"), "g − a", metric(sim.WijZijGapInformal)),
			panel(L("regard_formal"), "a", metric(sim.OutgroupRegardFormal)),
			panel(L("regard_informal"), "a", metric(sim.OutgroupRegardInformal)),
		}, 2, opt.Size, cap)
		if err := add(prefix+"wij-zij", title, fig, err); err != nil {
			return nil, err
		}
		var stacks []plots.Stack
		for _, v := range modeVariants(vs) {
			g := groups[slices.Index(vs, v)]
			st := plots.Stack{Title: v, XLabel: week, YLabel: L("active_cases")}
			for _, m := range []sim.Metric{sim.ModeFormalOnlyCount, sim.ModeInformalOnlyCount, sim.ModeIntermediatedCount, sim.ModeJointCount, sim.ModeWaitingCount, sim.ModeUnnoticedCount} {
				st.Layers = append(st.Layers, plots.Layer{Label: L(m.String()), Values: band("", g, metric(m)).Mean})
			}
			stacks = append(stacks, st)
		}
		title = fmt.Sprintf("%s — %s", L("modes_title"), s.Name)
		fig, err = plots.StackedAreas(title, stacks, opt.Size, cap)
		if err := add(prefix+"modes", title, fig, err); err != nil {
			return nil, err
		}
		if len(vs) > 1 {
			var panels []plots.BarPanel
			for _, m := range effectMetrics {
				bp := plots.BarPanel{Title: L(m.String()), XLabel: L("difference"), Sort: true}
				for _, e := range effects {
					if e.Scenario == s.Name && e.Metric == m {
						bp.Bars = append(bp.Bars, plots.Bar{Label: e.Variant, Mean: e.Mean, Lo: e.Lo, Hi: e.Hi})
					}
				}
				panels = append(panels, bp)
			}
			title = fmt.Sprintf("%s — %s", fmt.Sprintf(L("effects_title"), o.Reference(si), effectWeeks(effects, s.Name)), s.Name)
			fig, err = plots.Effects(title, panels, 3, opt.Size, cap)
			if err := add(prefix+"effects", title, fig, err); err != nil {
				return nil, err
			}
		}
	}
	if multi {
		var panels []plots.Panel
		for si, s := range o.Scenarios {
			p := plots.Panel{Title: s.Name, XLabel: week, YLabel: L("hybridisation_y"), Styles: o.Variants[si], Markers: markers(o, si, opt.Lang), SharedY: true}
			for _, v := range o.Variants[si] {
				p.Bands = append(p.Bands, band(v, o.Group(s.Name, v), metric(sim.Hybridisation)))
			}
			panels = append(panels, p)
		}
		title := L("hybridisation_title") + " — " + L("areas")
		fig, err := plots.TimeSeries(title, panels, 3, opt.Size, cap)
		if err := add("compare-hybridisation", title, fig, err); err != nil {
			return nil, err
		}
		var bps []plots.BarPanel
		for _, s := range o.Scenarios {
			bp := plots.BarPanel{Title: s.Name, XLabel: L("difference") + ": " + L("hybridisation"), SharedX: true}
			for _, e := range effects {
				if e.Scenario == s.Name && e.Metric == sim.Hybridisation {
					bp.Bars = append(bp.Bars, plots.Bar{Label: e.Variant, Mean: e.Mean, Lo: e.Lo, Hi: e.Hi})
				}
			}
			if len(bp.Bars) > 0 {
				bps = append(bps, bp)
			}
		}
		if len(bps) > 0 {
			title := fmt.Sprintf(L("effects_title"), o.Reference(0), effectWeeks(effects, "")) + " — " + L("areas")
			fig, err := plots.Effects(title, bps, 3, opt.Size, cap)
			if err := add("compare-effects", title, fig, err); err != nil {
				return nil, err
			}
		}
	}
	return charts, nil
}

// effectMetrics are the metrics of the effects chart.
var effectMetrics = []sim.Metric{sim.Hybridisation, sim.WijZijGapFormal, sim.WijZijGapInformal, sim.LateEscalations, sim.InformalActive}

// modeVariants are the variants whose case modes are drawn: baseline and
// all-three where present, else the first and last.
func modeVariants(vs []string) []string {
	var out []string
	for _, v := range []string{"baseline", "all-three"} {
		if slices.Contains(vs, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		out = append(out, vs[0])
		if len(vs) > 1 {
			out = append(out, vs[len(vs)-1])
		}
	}
	return out
}

// WriteCharts writes every chart in every format into dir and returns the
// file names written.
func WriteCharts(dir string, charts []Chart, formats []string) ([]string, error) {
	var files []string
	for _, c := range charts {
		for _, f := range formats {
			name := c.Name + "." + f
			if err := c.Figure.Save(filepath.Join(dir, name)); err != nil {
				return files, fmt.Errorf("%s: %w", name, err)
			}
			files = append(files, name)
		}
	}
	return files, nil
}

// effectWeeks is the number of final weeks the effects of a scenario (""
// for all) are measured over: "52" as a rule, fewer when the runs are
// shorter, "2–52" when the scenarios compared differ.
func effectWeeks(effects []experiment.Effect, scenario string) string {
	lo, hi := 0, 0
	for _, e := range effects {
		if scenario == "" || e.Scenario == scenario {
			if lo == 0 || e.Window < lo {
				lo = e.Window
			}
			hi = max(hi, e.Window)
		}
	}
	if lo == hi {
		return strconv.Itoa(hi)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}
