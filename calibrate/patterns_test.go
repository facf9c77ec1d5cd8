package calibrate

import (
	"context"
	"math"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/validation"
)

const patternsFile = `
scenario = "default"
seed = 4
ticks = 52
particles = 40
replications = 2
max_generations = 2
predictive = 4
patterns = [1, 3, 4]

[[parameters]]
key = "model.epsilon0"
prior = "uniform"
min = 0.05
max = 0.95

[[parameters]]
key = "area.civil_society"
prior = "uniform"
min = 0.0
max = 1.0

[[targets]]
metric = "informal_active"
value = 40
se = 5
`

// TestPatternsConstraint calibrates with patterns 1, 3 and 4 as a
// constraint: some of generation 0's prior draws must fail them (else the
// test shows nothing), those get distance +Inf, and every particle kept
// passes the checks when they are run again on its own seed.
func TestPatternsConstraint(t *testing.T) {
	c, err := scenarios.ParseCalibration("patterns.toml", []byte(patternsFile))
	if err != nil {
		t.Fatal(err)
	}
	c.Base.Scale = 0.3
	c.Base.Warmup = 26
	s := Model(c)
	gens, err := s.Run(context.Background(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, s.Particles)
	for i := range idx {
		idx[i] = i
	}
	g0, err := s.Simulations(context.Background(), nil, 0, idx, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for _, p := range g0 {
		if math.IsInf(p.Distance, 1) {
			rejected++
		}
	}
	t.Logf("generation 0: %d of %d prior draws fail a pattern", rejected, len(g0))
	if rejected == 0 || rejected == len(g0) {
		t.Fatalf("%d of %d prior draws fail: the test needs some of each", rejected, len(g0))
	}
	keys := []string{"model.epsilon0", "area.civil_society"}
	for _, p := range gens[len(gens)-1].Particles {
		if math.IsInf(p.Distance, 1) {
			t.Errorf("kept particle %d/%d fails the patterns", p.Generation, p.Index)
			continue
		}
		sc, _ := c.Base.With(keys, p.Theta)
		checks, err := validation.ScenarioChecks(context.Background(), sc, c.Patterns, validation.Options{Reps: c.Reps, Seed: ParticleSeed(c.Seed, p.Generation, p.Index), Workers: 1, Ticks: 52})
		if err != nil {
			t.Fatal(err)
		}
		if validation.Failed(checks) > 0 {
			t.Errorf("kept particle %d/%d at %v fails %d checks", p.Generation, p.Index, p.Theta, validation.Failed(checks))
		}
	}
}
