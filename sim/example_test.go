package sim_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/sim"
)

// A baseline and a variant with wijktafels, on the same random numbers
// (replication 0 of seed 1), after the default warm-up; the difference in
// the E–I index over the last year is the wijktafels' paired effect
// (docs/ODD.md §8.1, §12).
func ExampleRun() {
	base := sim.Config{Params: sim.Defaults(), Warmup: sim.DefaultWarmup, Ticks: 156, Seed: 1}
	wt, err := sim.NewIntervention("wijktafel")
	if err != nil {
		panic(err)
	}
	variant := base
	variant.Interventions = []sim.Intervention{wt}
	a, err := sim.Run(base)
	if err != nil {
		panic(err)
	}
	b, err := sim.Run(variant)
	if err != nil {
		panic(err)
	}
	ea, _ := a.MeanLast(sim.EIIndex, 52)
	eb, n := b.MeanLast(sim.EIIndex, 52)
	fmt.Printf("%d weeks recorded, %d outputs a week\n", a.Ticks, len(a.Row(0)))
	fmt.Printf("wijktafels raise the E–I index over the last %d weeks: %v\n", n, eb > ea)
	// Output:
	// 156 weeks recorded, 40 outputs a week
	// wijktafels raise the E–I index over the last 52 weeks: true
}

func ExampleMetricsNamed() {
	fmt.Println(sim.MetricsNamed("hybridisation", "no_such_output", "unmet_need"))
	// Output: [hybridisation unmet_need]
}
