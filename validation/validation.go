// Package validation checks the model against the patterns of MODEL.md
// section 7 (pattern-oriented modelling) on the five area presets.
package validation

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Areas are the five presets of MODEL.md section 8.
var Areas = []string{"amsterdam-oud-noord", "amsterdam-slotervaart", "amsterdam-de-baarsjes", "hoorn", "purmerend"}

// BigCity are the areas where pattern 2 applies.
var BigCity = []string{"amsterdam-oud-noord", "amsterdam-slotervaart", "amsterdam-de-baarsjes"}

// Check is one pattern check in one area.
type Check struct {
	Pattern   int
	Name      string
	Area      string
	Value     float64
	Op        string // "<", "≥", ">"
	Threshold float64
	Pass      bool
	Info      bool // a measurement shown for context, not a check
}

// Options of a validation run.
type Options struct {
	Reps    int
	Seed    uint64
	Workers int
	Ticks   int // 0: the presets' own (156)
	// Mutate, if set, changes every area's scenario before running: the
	// knock-out tests use it to switch a mechanism off.
	Mutate func(*scenarios.Scenario)
	// PressureRate is the explicit_rate of pattern 6; default 0.012.
	PressureRate float64
	// Areas to check; default all five.
	Areas []string
}

// Run runs the baseline, the standard variants and the pattern-6 pressure
// variants of each area and returns every check.
func Run(ctx context.Context, opt Options) ([]Check, error) {
	areas := opt.Areas
	if len(areas) == 0 {
		areas = Areas
	}
	var ss []*scenarios.Scenario
	for _, a := range areas {
		s, err := scenarios.Load(a)
		if err != nil {
			return nil, err
		}
		if opt.Mutate != nil {
			opt.Mutate(s)
		}
		rate := opt.PressureRate
		if rate == 0 {
			rate = 0.012
		}
		ss = append(ss, s, pressureScenario(s, rate))
	}
	plan := experiment.Plan{Scenarios: ss, Reps: opt.Reps, Seed: &opt.Seed, Workers: opt.Workers, Ticks: opt.Ticks}
	out, err := experiment.Execute(ctx, plan)
	if err != nil {
		return nil, err
	}
	eff := out.Effects()
	var checks []Check
	for _, a := range areas {
		checks = append(checks, areaChecks(out, eff, a)...)
	}
	return checks, nil
}

// Pressure variants of pattern 6 (MODEL.md 8): explicit_rate 0.012 under
// three end goals, each set explicitly so that it replaces the area's own.
const (
	PressureNone      = "p6-none"
	PressureNoSupport = "p6-civil-society-support-0"
	PressureSupport   = "p6-civil-society-support-0.5"
)

func pressureScenario(s *scenarios.Scenario, rate float64) *scenarios.Scenario {
	p := *s
	p.Name = s.Name + "@pressure"
	p.Params.ExplicitRate = rate
	goal := func(persp string, clarity, support float64) []sim.Intervention {
		return []sim.Intervention{&sim.EndGoal{At: 0, Perspective: persp, Clarity: clarity, Support: support, Participation: 0.5}}
	}
	// "none" keeps the baseline clarity q = 0.2: clarity·(0.5+0.5·participation) = 0.2.
	p.Variants = []scenarios.Variant{
		{Name: PressureNone, Interventions: goal("none", s.Params.Clarity/0.75, 0)},
		{Name: PressureNoSupport, Interventions: goal("civil_society", 0.5, 0)},
		{Name: PressureSupport, Interventions: goal("civil_society", 0.5, 0.5)},
	}
	return &p
}

// lastYear is the mean over replications of the last-52-tick mean.
func lastYear(out *experiment.Output, scenario, variant string, f func(r []float64) float64) float64 {
	g := out.Group(scenario, variant)
	s := 0.0
	for _, r := range g {
		w := min(52, r.Result.Ticks)
		for t := r.Result.Ticks - w; t < r.Result.Ticks; t++ {
			s += f(r.Result.Row(t)) / float64(w)
		}
	}
	return s / float64(len(g))
}

func m(k sim.Metric) func([]float64) float64 { return func(r []float64) float64 { return r[k] } }

func effect(eff []experiment.Effect, scenario, variant string, k sim.Metric) experiment.Effect {
	for _, e := range eff {
		if e.Scenario == scenario && e.Variant == variant && e.Metric == k {
			return e
		}
	}
	return experiment.Effect{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
}

func check(pattern int, name, area string, value float64, op string, threshold float64) Check {
	var pass bool
	switch op {
	case "<":
		pass = value < threshold
	case ">":
		pass = value > threshold
	case "≥":
		pass = value >= threshold
	}
	return Check{Pattern: pattern, Name: name, Area: area, Value: value, Op: op, Threshold: threshold, Pass: pass}
}

func areaChecks(out *experiment.Output, eff []experiment.Effect, a string) []Check {
	var cs []Check
	add := func(c Check) { cs = append(cs, c) }
	// 1. Co-existence at baseline.
	add(check(1, "hybridisation, last year", a, lastYear(out, a, "baseline", m(sim.Hybridisation)), "<", 0.15))
	add(check(1, "E–I index, last year", a, lastYear(out, a, "baseline", m(sim.EIIndex)), "<", -0.5))
	// 2. Indirect over direct, big cities.
	for _, b := range BigCity {
		if a == b {
			add(check(2, "direct_share, last year", a, lastYear(out, a, "baseline", m(sim.DirectShare)), "<", 0.5))
		}
	}
	// 3. Values shared, practice not: every tick of every run.
	vmin, smin := math.Inf(1), math.Inf(1)
	for _, r := range out.Group(a, "baseline") {
		for t := range r.Result.Ticks {
			row := r.Result.Row(t)
			vmin = math.Min(vmin, row[sim.ValueConsensus])
			smin = math.Min(smin, math.Min(row[sim.ConceptionSpreadFormal], row[sim.ConceptionSpreadInformal]))
		}
	}
	add(check(3, "value_consensus, lowest tick", a, vmin, "≥", 0.75))
	add(check(3, "conception spread, lowest tick and side", a, smin, "≥", 0.15))
	// 4. Hybridisation within each side: rise from the first tick to the last year.
	first := func(k sim.Metric) float64 {
		g := out.Group(a, "baseline")
		s := 0.0
		for _, r := range g {
			s += r.Result.Value(0, k) / float64(len(g))
		}
		return s
	}
	add(check(4, "informality_formal rise", a, lastYear(out, a, "baseline", m(sim.InformalityFormal))-first(sim.InformalityFormal), ">", 0))
	add(check(4, "protoprof_informal rise", a, lastYear(out, a, "baseline", m(sim.ProtoprofInformal))-first(sim.ProtoprofInformal), ">", 0))
	// 5. Each intervention works on its own source (95% intervals of paired effects).
	add(check(5, "wijktafels: E–I effect, lower 95% bound", a, effect(eff, a, "wijktafels", sim.EIIndex).Lo, ">", 0))
	add(check(5, "social-reflection: conception_distance effect, upper bound", a, effect(eff, a, "social-reflection", sim.ConceptionDistance).Hi, "<", 0))
	add(check(5, "social-reflection: negative_contacts effect, upper bound", a, effect(eff, a, "social-reflection", sim.NegativeContacts).Hi, "<", 0))
	th := func(v string) float64 {
		return (effect(eff, a, v, sim.ThreatFormal).Mean + effect(eff, a, v, sim.ThreatInformal).Mean) / 2
	}
	add(check(5, "clear-end-goal: threat effect (mean of sides)", a, th("clear-end-goal"), "<", 0))
	best := math.Inf(-1)
	for _, v := range []string{"wijktafels", "social-reflection", "clear-end-goal"} {
		best = math.Max(best, effect(eff, a, v, sim.Hybridisation).Mean)
	}
	all := effect(eff, a, "all-three", sim.Hybridisation).Mean
	add(check(5, "all-three minus best single, hybridisation effect", a, all-best, ">", 0))
	// 6. Feasibility under pressure.
	ps := a + "@pressure"
	tn := lastYear(out, ps, PressureNone, m(sim.CommunityTime))
	t0 := lastYear(out, ps, PressureNoSupport, m(sim.CommunityTime))
	t5 := lastYear(out, ps, PressureSupport, m(sim.CommunityTime))
	rise5 := t5/tn - 1
	add(check(6, "community_time rise, support 0.5 vs no end goal", a, rise5, "≥", 0.20))
	add(check(6, "rise without support ÷ rise with support", a, (t0/tn-1)/rise5, "<", 0.2))
	add(Check{Pattern: 6, Name: "info: caseload pressure (MODEL.md expects 0.7–0.85)", Area: a, Value: pressure(out, ps), Op: "info", Pass: true, Info: true})
	return cs
}

// pressure is the mean load/Lmax of professionals over the last year of the
// no-end-goal pressure variant: the cases professionals hold (formal_only,
// joint, intermediated; each has one professional) over their capacity.
func pressure(out *experiment.Output, scenario string) float64 {
	held := lastYear(out, scenario, PressureNone, func(r []float64) float64 {
		return r[sim.ModeFormalOnlyCount] + r[sim.ModeJointCount] + r[sim.ModeIntermediatedCount]
	})
	p := out.Scenarios[0].Params
	for _, s := range out.Scenarios {
		if s.Name == scenario {
			p = s.Params
		}
	}
	return held / float64(p.Professionals*p.LmaxFormal)
}

// Table formats checks as a plain-text table.
func Table(cs []Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-2s %-62s %-22s %10s   %-10s %s\n", "#", "check", "area", "measured", "threshold", "result")
	for _, c := range cs {
		r := "pass"
		if !c.Pass {
			r = "FAIL"
		}
		if c.Info {
			fmt.Fprintf(&b, "%-2d %-62s %-22s %10.4f   %-10s %s\n", c.Pattern, c.Name, c.Area, c.Value, "", "info")
			continue
		}
		fmt.Fprintf(&b, "%-2d %-62s %-22s %10.4f   %s %-8g %s\n", c.Pattern, c.Name, c.Area, c.Value, c.Op, c.Threshold, r)
	}
	n := 0
	for _, c := range cs {
		if !c.Info {
			n++
		}
	}
	fmt.Fprintf(&b, "%d of %d checks pass\n", n-Failed(cs), n)
	return b.String()
}

// Failed counts failing checks.
func Failed(cs []Check) int {
	n := 0
	for _, c := range cs {
		if !c.Pass {
			n++
		}
	}
	return n
}
