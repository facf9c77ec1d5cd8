// Package report turns the runs of an experiment into charts (through
// package plots) and a self-contained report.html, in English or Dutch.
package report

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/plots"
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
	Name    string // file name without extension
	Title   string
	Caption string // what the chart shows and how to read it, for the report
	Figure  *plots.Figure
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
	l := lang.Lang(opt.Lang)
	s := ""
	for i, sc := range o.Scenarios {
		if i > 0 {
			s += ", "
		}
		s += sc.Name
		if sc.Scale != 1 {
			s += " ×" + l.Float(sc.Scale) // a scaled area
		}
	}
	seed := uint64(0)
	if len(o.Runs) > 0 {
		seed = o.Runs[0].Seed
	}
	return l.Sprintf("caption", s, o.Reps[0], seed, opt.Version)
}

// markers are the start ticks of every intervention of the scenario's
// variants that are run.
func markers(o *experiment.Output, si int) []plots.Marker {
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

// smallMultiples is the number of variants above which the hybridisation
// chart gets a panel per variant (each against the reference in grey)
// instead of one tangle of lines.
const smallMultiples = 4

// Charts builds every chart of an experiment: hybridisation over time, the
// three sources, wij–zij, case modes, the differences from the reference
// (all outcomes, and the households' outcomes), and the network of the two
// worlds; for several scenarios also the comparison charts. Every chart has
// a caption sentence for the report.
func Charts(o *experiment.Output, effects []experiment.Effect, opt Options) ([]Chart, error) {
	l := lang.Lang(opt.Lang)
	size := opt.Size
	size.DecimalComma = l == lang.NL
	cap := caption(o, opt)
	week := l.T("axis.week")
	var charts []Chart
	add := func(name, title, explain string, fig *plots.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		charts = append(charts, Chart{Name: name, Title: title, Caption: explain, Figure: fig})
		return nil
	}
	multi := len(o.Scenarios) > 1
	for si, s := range o.Scenarios {
		prefix := ""
		if multi {
			prefix = s.Name + "-"
		}
		vs := o.Variants[si]
		ref := o.Reference(si)
		shown := make([]string, len(vs)) // the variants' names as displayed
		for k, v := range vs {
			shown[k] = l.Variant(v)
		}
		groups := make([][]experiment.Run, len(vs))
		for k, v := range vs {
			groups[k] = o.Group(s.Name, v)
		}
		panel := func(title, ylabel string, f extract) plots.Panel {
			p := plots.Panel{Title: title, XLabel: week, YLabel: ylabel, Styles: vs, Markers: markers(o, si)}
			for k := range vs {
				p.Bands = append(p.Bands, band(shown[k], groups[k], f))
			}
			return p
		}
		title := fmt.Sprintf("%s — %s", l.UI("hybridisation_title"), s.Name)
		var hp []plots.Panel
		cols := 1
		if len(vs) > smallMultiples {
			// A panel per variant, each with the reference in grey, on one
			// y scale.
			ri := slices.Index(vs, ref)
			for k, v := range vs {
				if k == ri {
					continue
				}
				refBand := band(shown[ri], groups[ri], metric(sim.Hybridisation))
				refBand.Muted = true
				hp = append(hp, plots.Panel{Title: l.Sprintf("vs_baseline", shown[k], shown[ri]), XLabel: week, YLabel: l.Axis("hybridisation"),
					Styles: []string{ref, v}, Markers: markers(o, si), SharedY: true, NoLegend: true,
					Bands: []plots.Band{refBand, band(shown[k], groups[k], metric(sim.Hybridisation))}})
			}
			cols = 3
			if size.W < plots.SizeDefault.W {
				cols = 2
			}
		} else {
			hp = []plots.Panel{panel("", l.Axis("hybridisation"), metric(sim.Hybridisation))}
		}
		fig, err := plots.TimeSeries(title, hp, cols, size, cap)
		if err := add(prefix+"hybridisation", title, l.UI("cap_hybridisation"), fig, err); err != nil {
			return nil, err
		}
		title = fmt.Sprintf("%s — %s", l.UI("sources_title"), s.Name)
		fig, err = plots.TimeSeries(title, []plots.Panel{
			panel(l.UI("onbekendheid"), l.Axis("ei_index"), metric(sim.EIIndex)),
			panel(l.UI("onenigheid"), l.Axis("negative_contacts"), metric(sim.NegativeContacts)),
			panel(l.UI("onenigheid"), l.Axis("conception_distance"), metric(sim.ConceptionDistance)),
			panel(l.UI("onbestemdheid"), l.T("axis.threat"), func(r []float64) float64 { return (r[sim.ThreatFormal] + r[sim.ThreatInformal]) / 2 }),
		}, 2, size, cap)
		if err := add(prefix+"sources", title, l.UI("cap_sources"), fig, err); err != nil {
			return nil, err
		}
		title = fmt.Sprintf("%s — %s", l.UI("wijzij_title"), s.Name)
		fig, err = plots.TimeSeries(title, []plots.Panel{
			panel(l.UI("gap_formal"), l.T("axis.wij_zij_gap"), metric(sim.WijZijGapFormal)),
			panel(l.UI("gap_informal"), l.T("axis.wij_zij_gap"), metric(sim.WijZijGapInformal)),
			panel(l.UI("regard_formal"), l.T("axis.outgroup_regard"), metric(sim.OutgroupRegardFormal)),
			panel(l.UI("regard_informal"), l.T("axis.outgroup_regard"), metric(sim.OutgroupRegardInformal)),
		}, 2, size, cap)
		if err := add(prefix+"wij-zij", title, l.UI("cap_wijzij"), fig, err); err != nil {
			return nil, err
		}
		var stacks []plots.Stack
		var drawn []string
		for _, v := range modeVariants(vs) {
			drawn = append(drawn, l.Variant(v))
			g := groups[slices.Index(vs, v)]
			st := plots.Stack{Title: l.Variant(v), XLabel: week, YLabel: l.T("axis.active_cases")}
			for _, m := range []sim.Metric{sim.ModeFormalOnlyCount, sim.ModeInformalOnlyCount, sim.ModeIntermediatedCount, sim.ModeJointCount, sim.ModeWaitingCount, sim.ModeUnnoticedCount} {
				st.Layers = append(st.Layers, plots.Layer{Label: l.Metric(m.String()), Values: band("", g, metric(m)).Mean})
			}
			stacks = append(stacks, st)
		}
		title = fmt.Sprintf("%s — %s", l.UI("modes_title"), s.Name)
		fig, err = plots.StackedAreas(title, stacks, size, cap)
		if err := add(prefix+"modes", title, l.Sprintf("cap_modes", strings.Join(drawn, l.UI("story_and"))), fig, err); err != nil {
			return nil, err
		}
		if len(vs) > 1 {
			ecols := 3
			if size.W < plots.SizeDefault.W {
				ecols = 2 // narrow panels would leave no room for the axis labels
			}
			bars := func(ms []sim.Metric) []plots.BarPanel {
				var panels []plots.BarPanel
				for _, m := range ms {
					bp := plots.BarPanel{Title: l.Metric(m.String()), XLabel: l.Tf("axis.difference", l.Variant(ref)), Sort: true}
					for _, e := range effects {
						if e.Scenario == s.Name && e.Metric == m {
							bp.Bars = append(bp.Bars, plots.Bar{Label: l.Variant(e.Variant), Style: e.Variant, Mean: e.Mean, Lo: e.Lo, Hi: e.Hi})
						}
					}
					if len(bp.Bars) > 0 && !allZero(bp.Bars) {
						panels = append(panels, bp)
					}
				}
				return panels
			}
			weeks := effectWeeks(effects, s.Name)
			if panels := bars(effectMetrics()); len(panels) > 0 {
				title = fmt.Sprintf("%s — %s", l.Sprintf("effects_title", l.Variant(ref), weeks), s.Name)
				fig, err = plots.Effects(title, panels, ecols, size, cap)
				if err := add(prefix+"effects", title, l.Sprintf("cap_effects", l.Variant(ref)), fig, err); err != nil {
					return nil, err
				}
			}
			if panels := bars(householdMetrics()); len(panels) > 0 {
				title = fmt.Sprintf("%s — %s", l.UI("households_title"), s.Name)
				fig, err = plots.Effects(title, panels, 2, size, cap)
				if err := add(prefix+"households", title, l.Sprintf("cap_households", l.Variant(ref)), fig, err); err != nil {
					return nil, err
				}
			}
		}
		if c, err := networkChart(o, si, opt, size, cap); err != nil {
			return nil, err
		} else if c != nil {
			c.Name = prefix + c.Name
			charts = append(charts, *c)
		}
	}
	if multi {
		var panels []plots.Panel
		for si, s := range o.Scenarios {
			p := plots.Panel{Title: s.Name, XLabel: week, YLabel: l.Axis("hybridisation"), Styles: o.Variants[si], Markers: markers(o, si), SharedY: true}
			for _, v := range o.Variants[si] {
				p.Bands = append(p.Bands, band(l.Variant(v), o.Group(s.Name, v), metric(sim.Hybridisation)))
			}
			panels = append(panels, p)
		}
		title := l.UI("hybridisation_title") + " — " + l.UI("areas")
		fig, err := plots.TimeSeries(title, panels, 3, size, cap)
		if err := add("compare-hybridisation", title, l.UI("cap_compare"), fig, err); err != nil {
			return nil, err
		}
		var bps []plots.BarPanel
		for _, s := range o.Scenarios {
			bp := plots.BarPanel{Title: s.Name, XLabel: l.Tf("axis.difference", l.Variant(o.Reference(0))) + ": " + l.Metric("hybridisation"), SharedX: true}
			for _, e := range effects {
				if e.Scenario == s.Name && e.Metric == sim.Hybridisation {
					bp.Bars = append(bp.Bars, plots.Bar{Label: l.Variant(e.Variant), Style: e.Variant, Mean: e.Mean, Lo: e.Lo, Hi: e.Hi})
				}
			}
			if len(bp.Bars) > 0 {
				bps = append(bps, bp)
			}
		}
		if len(bps) > 0 {
			title := l.Sprintf("effects_title", l.Variant(o.Reference(0)), effectWeeks(effects, "")) + " — " + l.UI("areas")
			fig, err := plots.Effects(title, bps, 3, size, cap)
			if err := add("compare-effects", title, l.Sprintf("cap_compare_eff", l.Variant(o.Reference(0))), fig, err); err != nil {
				return nil, err
			}
		}
	}
	return charts, nil
}

// effectNames are the outputs of the effects chart.
var effectNames = []string{"hybridisation", "wij_zij_gap_formal", "wij_zij_gap_informal", "ei_index", "caseload_pressure", "informal_active"}

// effectMetrics returns the effects chart's outputs that the model has.
func effectMetrics() []sim.Metric { return sim.MetricsNamed(effectNames...) }

// modeVariants are the variants whose case modes are drawn: the baseline
// (else the first variant) and all-three (else the last other variant),
// so that a run of two or more variants always shows two.
func modeVariants(vs []string) []string {
	first := vs[0]
	if slices.Contains(vs, "baseline") {
		first = "baseline"
	}
	out := []string{first}
	if slices.Contains(vs, "all-three") && first != "all-three" {
		return append(out, "all-three")
	}
	for k := len(vs) - 1; k >= 0; k-- {
		if vs[k] != first {
			return append(out, vs[k])
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

// allZero reports whether every bar and interval is exactly 0 (an outcome
// that never happens in these runs, such as waiting when no waiting list
// forms): its panel would be empty, so it is left out.
func allZero(bars []plots.Bar) bool {
	for _, b := range bars {
		if b.Mean != 0 || b.Lo != 0 || b.Hi != 0 {
			return false
		}
	}
	return true
}
