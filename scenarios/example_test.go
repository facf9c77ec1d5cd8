package scenarios_test

import (
	"fmt"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Load reads a preset by name (or a .toml file by path), applies its
// extends chain and checks every value; Config gives a variant's run.
func ExampleLoad() {
	s, err := scenarios.Load("hoorn")
	if err != nil {
		panic(err) // a *scenarios.Error lists every problem with file:line:col
	}
	cfg, err := s.Config("clear-roles")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Name, s.Ticks, "weeks after a warm-up of", s.Warmup)
	fmt.Println(len(s.Variants), "variants; urbanity", cfg.Params.Urbanity)
	fmt.Println("standing arrangements:", len(cfg.Standing), "— the variant adds", cfg.Interventions[0].Kind())
	// Output:
	// hoorn 156 weeks after a warm-up of 312
	// 8 variants; urbanity 0.4
	// standing arrangements: 1 — the variant adds end_goal
}
