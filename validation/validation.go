// Package validation checks the model against the ten patterns of
// docs/ODD.md §12 (pattern-oriented modelling) on the five area presets.
package validation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Areas are the five presets of docs/ODD.md §10.
var Areas = []string{"amsterdam-oud-noord", "amsterdam-slotervaart", "amsterdam-de-baarsjes", "hoorn", "purmerend"}

// BigCity are the areas where pattern 2 applies.
var BigCity = []string{"amsterdam-oud-noord", "amsterdam-slotervaart", "amsterdam-de-baarsjes"}

// Check is one pattern check in one area.
type Check struct {
	Pattern   int
	Name      string
	Area      string
	Value     float64
	Op        string // "<", "≥", ">", "≤"
	Threshold float64
	Pass      bool
	Info      bool // a measurement shown for context, not a check
}

// Options of a validation run. Reps, Seed, Ticks and Warmup are written
// into the scenarios the validation runs (Options.apply), once.
type Options struct {
	Reps    int    // 0: the presets' own
	Seed    uint64 // the base seed of every area's runs
	Workers int    // 0: all cores
	Ticks   int    // 0: the presets' own (156)
	Warmup  *int   // nil: the presets' own (312)
	// Mutate, if set, changes every area's scenario (the check runs
	// included) before running: the knock-out tests use it to switch a
	// mechanism off.
	Mutate func(*scenarios.Scenario)
	// Areas to check; default all five.
	Areas []string
}

// The check runs added to each area's standard variants (docs/ODD.md §12):
// pattern 6's three end goals (each set explicitly at tick 0, replacing
// the area's own), pattern 8's caseload relief and pattern 10's
// unfacilitated reflection.
const (
	GoalNone        = "p6-no-end-goal"
	GoalNoSupport   = "p6-civil-society-support-0"
	GoalSupport     = "p6-civil-society-support-0.5"
	Relief          = "p8-caseload-relief"
	Unfacilitated   = "p10-reflection-unfacilitated"
	reflectionFacil = "social-reflection"
)

// withChecks returns s with the check runs of docs/ODD.md §12 added as
// variants, so that their effects are paired with the baseline.
func withChecks(s *scenarios.Scenario) *scenarios.Scenario {
	c := *s
	goal := func(persp string, clarity, support float64) []sim.Intervention {
		return []sim.Intervention{&sim.EndGoal{At: 0, Perspective: persp, Clarity: clarity, Support: support, Participation: 0.5}}
	}
	c.Variants = append(slices.Clone(s.Variants),
		// "none" keeps the baseline clarity q: clarity·(0.5+0.5·participation) = q.
		scenarios.Variant{Name: GoalNone, Interventions: goal("none", s.Params.Clarity/0.75, 0)},
		scenarios.Variant{Name: GoalNoSupport, Interventions: goal("civil_society", 0.5, 0)},
		scenarios.Variant{Name: GoalSupport, Interventions: goal("civil_society", 0.5, 0.5)},
		scenarios.Variant{Name: Relief, Interventions: []sim.Intervention{&sim.CaseloadRelief{At: 0, AddProfessionals: 4}}},
		scenarios.Variant{Name: Unfacilitated, Interventions: []sim.Intervention{&sim.SocialReflection{Start: 0, End: -1, Every: 4, Coverage: 0.5, Facilitator: "none", Cost: 2}}},
	)
	return &c
}

// Run runs the standard variants and the check runs of each area and
// returns every check.
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
		s = withChecks(s)
		if opt.Mutate != nil {
			opt.Mutate(s)
		}
		opt.apply(s)
		ss = append(ss, s)
	}
	out, err := execute(ctx, ss, opt)
	if err != nil {
		return nil, err
	}
	eff := out.Effects()
	var checks []Check
	for _, a := range areas {
		checks = append(checks, areaChecks(out, eff, a)...)
	}
	checks = append(checks, reflectionChecks(out, areas)...)
	return checks, nil
}

// apply writes the options' replications, seed, weeks and warm-up into a
// scenario of the validation's own (the one place they are resolved).
func (opt Options) apply(s *scenarios.Scenario) {
	if opt.Reps > 0 {
		s.Replications = opt.Reps
	}
	s.Seed = opt.Seed
	if opt.Ticks > 0 {
		s.Ticks = opt.Ticks
	}
	if opt.Warmup != nil {
		s.Warmup = *opt.Warmup
	}
}

// execute runs every variant of the scenarios on opt.Workers.
func execute(ctx context.Context, ss []*scenarios.Scenario, opt Options) (*experiment.Output, error) {
	plan, err := experiment.FromScenarios(ss, nil)
	if err != nil {
		return nil, err
	}
	plan.Workers = opt.Workers
	return experiment.Execute(ctx, plan)
}

// PressureRange is pattern 8's range of baseline caseload pressure: the
// Amsterdam areas 0.75–0.95, the towns 0.65–0.90 (docs/ODD.md §12).
func PressureRange(area string) (lo, hi float64) {
	if slices.Contains(BigCity, area) {
		return 0.75, 0.95
	}
	return 0.65, 0.90
}

// lastYear is the mean over replications of the last-52-tick mean
// (experiment.LastMean).
func lastYear(out *experiment.Output, scenario, variant string, k sim.Metric) float64 {
	return overReps(out.Group(scenario, variant), func(r *sim.Result) float64 { x, _ := experiment.LastMean(r, k); return x })
}

// overReps is the mean over the runs g of f of each run's result; NaN
// when there are none (a check on a variant the scenario lacks fails).
func overReps(g []experiment.Run, f func(r *sim.Result) float64) float64 {
	xs := make([]float64, len(g))
	for i, r := range g {
		xs[i] = f(r.Result)
	}
	return mean(xs)
}

// mean is stats.Mean, or NaN for no values.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return stats.Mean(xs)
}

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
	case "≤":
		pass = value <= threshold
	}
	return Check{Pattern: pattern, Name: name, Area: area, Value: value, Op: op, Threshold: threshold, Pass: pass}
}

func areaChecks(out *experiment.Output, eff []experiment.Effect, a string) []Check {
	var cs []Check
	add := func(c Check) { cs = append(cs, c) }
	base := func(k sim.Metric) float64 { return lastYear(out, a, "baseline", k) }
	// 1. Co-existence at baseline.
	add(check(1, "hybridisation, last year", a, base(sim.Hybridisation), "<", 0.15))
	add(check(1, "E–I index, last year", a, base(sim.EIIndex), "<", -0.5))
	// 2. Indirect over direct, big cities: the upper 95% bound over
	// replications, so that the check does not flip with their number.
	if slices.Contains(BigCity, a) {
		add(check(2, "direct_share, last year, upper 95% bound", a, upper(out, a, "baseline", sim.DirectShare), "<", 0.5))
	}
	// 3. Values shared, practice not, at every tick: the lowest tick of the
	// mean over replications (a side of twelve professionals has a sample
	// sd that varies by about 0.04 from run to run, so the lowest tick of
	// any one run would fall with the number of replications).
	vmin, smin := math.Inf(1), math.Inf(1)
	g := out.Group(a, "baseline")
	for t := range g[0].Result.Ticks {
		at := func(k sim.Metric) float64 { return overReps(g, func(r *sim.Result) float64 { return r.Value(t, k) }) }
		v, sf, si := at(sim.ValueConsensus), at(sim.ConceptionSpreadFormal), at(sim.ConceptionSpreadInformal)
		vmin, smin = math.Min(vmin, v), math.Min(smin, math.Min(sf, si))
	}
	add(check(3, "value_consensus, lowest tick of the mean", a, vmin, "≥", 0.75))
	add(check(3, "conception spread, lowest tick of the mean, either side", a, smin, "≥", 0.15))
	// 4. Hybridisation within each side: rise from the set-up (before the
	// warm-up) to the last year.
	setup := func(k sim.Metric) float64 { return overReps(g, func(r *sim.Result) float64 { return r.Setup[k] }) }
	add(check(4, "informality_formal rise since set-up", a, base(sim.InformalityFormal)-setup(sim.InformalityFormal), ">", 0))
	add(check(4, "protoprof_informal rise since set-up", a, base(sim.ProtoprofInformal)-setup(sim.ProtoprofInformal), ">", 0))
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
	// 6. Feasibility: the end goals on the area itself.
	tn := lastYear(out, a, GoalNone, sim.CommunityTime)
	t0 := lastYear(out, a, GoalNoSupport, sim.CommunityTime)
	t5 := lastYear(out, a, GoalSupport, sim.CommunityTime)
	rise5 := t5/tn - 1
	add(check(6, "community_time rise, support 0.5 vs no end goal", a, rise5, "≥", 0.20))
	add(check(6, "rise without support ÷ rise with support", a, (t0/tn-1)/rise5, "<", 0.2))
	// 7. A settled baseline: the first 26 weeks against the last year.
	for _, k := range []sim.Metric{sim.Hybridisation, sim.EIIndex, sim.WijZijGapFormal, sim.WijZijGapInformal, sim.InformalActive, sim.CaseloadPressure} {
		early, late := window(out, a, "baseline", k, 0, 26), base(k)
		tol := 0.10 * math.Abs(late)
		if math.Abs(late) < 0.2 {
			tol = 0.02
		}
		add(check(7, k.String()+": |weeks 0–25 − last year| − tolerance", a, math.Abs(early-late)-tol, "<", 0))
	}
	// 8. Scarcity is felt.
	lo, hi := PressureRange(a)
	p := base(sim.CaseloadPressure)
	add(check(8, "caseload_pressure, last year, above the range's floor", a, p-lo, "≥", 0))
	add(check(8, "caseload_pressure, last year, below the range's ceiling", a, p-hi, "≤", 0))
	add(check(8, "caseload relief: pressure effect, upper 95% bound", a, effect(eff, a, Relief, sim.CaseloadPressure).Hi, "<", 0))
	add(check(8, "caseload relief: community_time effect, lower 95% bound", a, effect(eff, a, Relief, sim.CommunityTime).Lo, ">", 0))
	// 9. Attitudes move, but the worlds stay two.
	for _, side := range []sim.Metric{sim.WijZijGapFormal, sim.WijZijGapInformal} {
		e := effect(eff, a, "all-three", side)
		add(check(9, "all-three: "+side.String()+" fall, lower 95% bound", a, -e.Hi, ">", 0))
		add(check(9, "all-three: "+side.String()+" fall ÷ baseline gap", a, -e.Mean/math.Abs(base(side)), "≤", 0.5))
	}
	add(check(9, "all-three: E–I index, last year", a, lastYear(out, a, "all-three", sim.EIIndex), "<", -0.3))
	return cs
}

// window is the mean over replications of the mean of ticks [from, to).
func window(out *experiment.Output, scenario, variant string, k sim.Metric, from, to int) float64 {
	return overReps(out.Group(scenario, variant), func(r *sim.Result) float64 {
		xs := make([]float64, 0, to-from)
		for t := from; t < min(to, r.Ticks); t++ {
			xs = append(xs, r.Value(t, k))
		}
		return mean(xs)
	})
}

// upper is the upper bound of the 95% t-interval over replications of a
// variant's last-year mean.
func upper(out *experiment.Output, scenario, variant string, k sim.Metric) float64 {
	var xs []float64
	for _, r := range out.Group(scenario, variant) {
		v, _ := experiment.LastMean(r.Result, k)
		xs = append(xs, v)
	}
	_, hi := experiment.TInterval(xs)
	return hi
}

// reflectionChecks is pattern 10: reflection without a facilitator lowers
// negative contacts less than with a coordinator facilitating. Over all
// (area, replication) pairs, the paired difference of last-year negative
// contacts (unfacilitated − facilitated) has a 95% interval above 0, and no
// area's mean difference is below 0.
func reflectionChecks(out *experiment.Output, areas []string) []Check {
	var all []float64
	var cs []Check
	for _, a := range areas {
		fac, un := out.Group(a, reflectionFacil), out.Group(a, Unfacilitated)
		d := make([]float64, len(fac))
		for i := range fac {
			x, _ := experiment.LastMean(un[i].Result, sim.NegativeContacts)
			y, _ := experiment.LastMean(fac[i].Result, sim.NegativeContacts)
			d[i] = x - y
		}
		all = append(all, d...)
		cs = append(cs, check(10, "unfacilitated − facilitated reflection: negative contacts, mean", a, mean(d), ">", 0))
	}
	lo, _ := experiment.TInterval(all)
	cs = append(cs, check(10, "unfacilitated − facilitated, all areas, lower 95% bound", "all", lo, ">", 0))
	return cs
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
