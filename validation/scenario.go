package validation

import (
	"context"
	"slices"

	"github.com/hybridsim/hybridsim/scenarios"
)

// PatternsNeedingVariants are the patterns whose checks compare variants
// (standard or check runs) rather than look at the baseline alone.
var PatternsNeedingVariants = []int{5, 6, 8, 9, 10}

// patternVariants are the variants each pattern's checks read besides the
// baseline (docs/ODD.md §12).
var patternVariants = map[int][]string{
	5:  {"wijktafels", "social-reflection", "clear-end-goal", "all-three"},
	6:  {GoalNone, GoalNoSupport, GoalSupport},
	8:  {Relief},
	9:  {"all-three"},
	10: {reflectionFacil, Unfacilitated},
}

// ScenarioChecks runs the checks of the given patterns (1–10) on one
// scenario — its baseline and the variants and check runs those patterns
// read — with opt's replications, seed, ticks, warm-up and workers, and
// returns those checks. Pattern 2 applies to the big-city presets only, and
// pattern 8's pressure range is the big cities' or the towns', by name;
// pattern 10 gives the scenario's own mean difference and its interval.
// The scenario must have the standard variants the patterns read.
func ScenarioChecks(ctx context.Context, s *scenarios.Scenario, patterns []int, opt Options) ([]Check, error) {
	all := withChecks(s)
	want := []string{"baseline"}
	for _, p := range patterns {
		want = append(want, patternVariants[p]...)
	}
	run := *all
	run.Variants = slices.DeleteFunc(slices.Clone(all.Variants), func(v scenarios.Variant) bool { return !slices.Contains(want, v.Name) })
	opt.apply(&run)
	out, err := execute(ctx, []*scenarios.Scenario{&run}, opt)
	if err != nil {
		return nil, err
	}
	cs := areaChecks(out, out.Effects(), s.Name)
	if slices.Contains(patterns, 10) {
		cs = append(cs, reflectionChecks(out, []string{s.Name})...)
	}
	return slices.DeleteFunc(cs, func(c Check) bool { return !slices.Contains(patterns, c.Pattern) || c.Info }), nil
}
