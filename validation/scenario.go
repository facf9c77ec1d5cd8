package validation

import (
	"context"
	"slices"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
)

// PatternsNeedingVariants are the patterns whose checks compare the
// standard variants (pattern 5) rather than look at the baseline alone.
var PatternsNeedingVariants = []int{5}

// ScenarioChecks runs the checks of the given patterns (1–6) on one
// scenario — its baseline, for pattern 5 also its standard variants, for
// pattern 6 its pressure variants — with opt's replications, seed, ticks
// and workers, and returns those checks (no information rows). Pattern 2
// applies to the big-city presets only (by name). The scenario's variants
// must include baseline, and for pattern 5 the standard ones.
func ScenarioChecks(ctx context.Context, s *scenarios.Scenario, patterns []int, opt Options) ([]Check, error) {
	run := *s
	if !slices.Contains(patterns, 5) {
		v, _ := s.Variant("baseline")
		run.Variants = []scenarios.Variant{v}
	}
	ss := []*scenarios.Scenario{&run}
	if slices.Contains(patterns, 6) {
		rate := opt.PressureRate
		if rate == 0 {
			rate = 0.012
		}
		ss = append(ss, pressureScenario(&run, rate))
	}
	out, err := experiment.Execute(ctx, experiment.Plan{Scenarios: ss, Reps: opt.Reps, Seed: &opt.Seed, Workers: opt.Workers, Ticks: opt.Ticks})
	if err != nil {
		return nil, err
	}
	var cs []Check
	for _, c := range areaChecks(out, out.Effects(), s.Name) {
		if slices.Contains(patterns, c.Pattern) && !c.Info {
			cs = append(cs, c)
		}
	}
	return cs, nil
}
