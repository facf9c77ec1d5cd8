package validation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// SensitivityParams are the coefficients varied one at a time by OAT: the
// model's coefficients (version 4's included), the demand and capacity of
// the areas, and the interventions' own parameters ("wijktafel.cost" and
// the like: every intervention of that kind, in every variant).
var SensitivityParams = []string{
	// model coefficients
	"model.epsilon0", "model.theta", "model.direct_bias", "model.direct_regard", "model.direct_tie",
	"model.tie_decay", "model.encounter_rate", "model.push", "model.clarity", "model.influence",
	"model.regard_threat", "model.regard_return", "model.contact_scale", "model.pos_regard", "model.neg_regard",
	"model.involve_bias", "model.guide_gap", "model.learning", "model.conception_sd", "model.iota_rate",
	"model.dropout_coef", "model.pace", "model.reflection_fail", "model.reflection_fail_unfacilitated",
	"area.initial_cross_ties",
	// demand and capacity
	"area.explicit_rate", "area.silent_rate", "population.professionals", "population.lmax_formal",
	"population.informal", "population.lmax_informal", "population.coordinators",
	// the interventions' own parameters
	"wijktafel.attendance_formal", "wijktafel.attendance_informal", "wijktafel.meetings_per_attendee", "wijktafel.cost",
	"social_reflection.coverage", "social_reflection.cost", "end_goal.clarity", "end_goal.support",
}

// Flip is what varying one coefficient did to the pattern checks.
type Flip struct {
	Param  string
	Factor float64     // 0.75 or 1.25
	Value  string      // the value used (the first one found, for interventions)
	Failed map[int]int // pattern → checks of it that fail
}

// OAT varies each of SensitivityParams one at a time to 0.75× and 1.25× of
// its value in each preset (initial_cross_ties of its derived value; whole
// numbers rounded and moved by at least 1; clamped to the range) and runs every pattern check (Run) each time, so a reader sees
// which findings rest on which assumptions. The first Flip, with Param "",
// is the run at the presets' own values.
func OAT(ctx context.Context, opt Options) ([]Flip, error) {
	run := func(param string, f float64) (Flip, error) {
		fl := Flip{Param: param, Factor: f, Failed: map[int]int{}}
		o := opt
		if param != "" {
			o.Mutate = func(s *scenarios.Scenario) { fl.Value = scaleParam(s, param, f) }
		}
		cs, err := Run(ctx, o)
		if err != nil {
			return fl, err
		}
		for _, c := range cs {
			if !c.Pass {
				fl.Failed[c.Pattern]++
			}
		}
		return fl, nil
	}
	base, err := run("", 1)
	if err != nil {
		return nil, err
	}
	out := []Flip{base}
	for _, p := range SensitivityParams {
		for _, f := range []float64{0.75, 1.25} {
			fl, err := run(p, f)
			if err != nil {
				return nil, fmt.Errorf("%s ×%g: %w", p, f, err)
			}
			out = append(out, fl)
		}
	}
	return out, nil
}

// scaleParam multiplies parameter path of s by f and returns the new value
// as text. Intervention parameters ("wijktafel.cost") change in every
// intervention of that kind.
func scaleParam(s *scenarios.Scenario, path string, f float64) string {
	set := func(sp sim.Spec, base float64) string {
		v := base * f
		if sp.Kind == sim.KindInt { // rounded, and moved by at least 1
			v = math.Round(v)
			if f < 1 {
				v = math.Min(v, base-1)
			} else {
				v = math.Max(v, base+1)
			}
		}
		v = math.Min(math.Max(v, sp.Min), sp.Max)
		if err := sp.Set(v); err != nil {
			panic(fmt.Sprintf("sensitivity: %s = %v: %v", path, v, err))
		}
		if sp.Kind == sim.KindInt {
			return scenarios.Format(sp.Value())
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	if sp, ok := s.Params.Spec(path); ok {
		v := sp.Float()
		if v < 0 && sp.Auto { // derived initial_cross_ties
			v = sim.DerivedCrossTies(s.Params.Urbanity) * s.Params.CrossTiesScale
			s.Params.CrossTiesScale = 1
		}
		return set(sp, v)
	}
	kind, key, _ := strings.Cut(path, ".")
	value := ""
	lists := [][]sim.Intervention{s.Interventions}
	for _, v := range s.Variants {
		lists = append(lists, v.Interventions)
	}
	for _, l := range lists {
		for _, iv := range l {
			if iv.Kind() != kind {
				continue
			}
			for _, sp := range iv.Specs() {
				if sp.Key == key {
					if v := set(sp, sp.Float()); value == "" {
						value = v
					}
				}
			}
		}
	}
	if value == "" {
		panic("sensitivity: no parameter " + path)
	}
	return value
}

// SensitivityTable is the Markdown table of docs/ODD.md §13: for each
// coefficient, the patterns with a failing check at 0.75× and at 1.25× (a
// dash where all ten hold), then a line per pattern naming the
// coefficients it depends on.
func SensitivityTable(fs []Flip) string {
	var b strings.Builder
	failing := func(f Flip) string {
		var ps []string
		for p := 1; p <= 10; p++ {
			if n := f.Failed[p]; n > 0 {
				ps = append(ps, fmt.Sprintf("%d (%d)", p, n))
			}
		}
		if len(ps) == 0 {
			return "—"
		}
		return strings.Join(ps, ", ")
	}
	b.WriteString("| coefficient | at 0.75× | patterns failing (checks) | at 1.25× | patterns failing (checks) |\n|---|---|---|---|---|\n")
	dep := map[int][]string{}
	for i := 0; i < len(fs); i++ {
		f := fs[i]
		if f.Param == "" {
			fmt.Fprintf(&b, "| (the presets' own values) | | %s | | |\n", failing(f))
			continue
		}
		g := fs[i+1]
		i++
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", f.Param, f.Value, failing(f), g.Value, failing(g))
		for p := 1; p <= 10; p++ {
			var dirs []string
			if f.Failed[p] > 0 {
				dirs = append(dirs, "−25%")
			}
			if g.Failed[p] > 0 {
				dirs = append(dirs, "+25%")
			}
			if len(dirs) > 0 {
				dep[p] = append(dep[p], fmt.Sprintf("`%s` (%s)", f.Param, strings.Join(dirs, ", ")))
			}
		}
	}
	b.WriteString("\n")
	for p := 1; p <= 10; p++ {
		if len(dep[p]) == 0 {
			fmt.Fprintf(&b, "- Pattern %d holds under every ±25%% change.\n", p)
			continue
		}
		fmt.Fprintf(&b, "- Pattern %d fails with %s.\n", p, strings.Join(slices.Compact(dep[p]), "; "))
	}
	return b.String()
}
