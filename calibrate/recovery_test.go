package calibrate

import (
	"context"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// recoveryFile is a small calibration of the model itself: half the
// default area, one year, two parameters and three targets.
const recoveryFile = `
scenario = "default"
seed = 1
ticks = 52
particles = 160
alpha = 0.5
replications = 2
min_acceptance = 0.1
max_generations = 6
predictive = 10

[[parameters]]
key = "area.civil_society"
prior = "uniform"
min = 0.1
max = 0.9

[[parameters]]
key = "area.explicit_rate"
prior = "uniform"
min = 0.0008
max = 0.003

[[targets]]
metric = "mode_informal_only"
window = 26
value = 10
se = 1.5

[[targets]]
metric = "mode_formal_only"
window = 26
value = 50
se = 4

[[targets]]
metric = "informal_active"
window = 26
value = 70
se = 3
`

// TestRecovery simulates 10 synthetic data sets from known parameters
// (drawn from the prior with seed 1000 + i; each data set is the mean of 2
// replications on seed 5000 + i, never used by the calibration) and
// calibrates to each: the true value must lie within the 90% posterior
// interval (5%–95%, weighted) of both parameters in at least 8 of the 10.
// 160 particles, α = 0.5, at most 6 generations, half the default area
// for one year after a 26-week warm-up: a few seconds per data set.
func TestRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates 10 synthetic data sets")
	}
	c, err := scenarios.ParseCalibration("recovery.toml", []byte(recoveryFile))
	if err != nil {
		t.Fatal(err)
	}
	c.Base.Scale = 0.5
	c.Base.Warmup = 26 // a short warm-up: the test is of the method, not of the model's long-run state
	const sets = 10
	covered := make([]int, len(c.Params))
	for i := range sets {
		truth := make([]float64, len(c.Params))
		rng := sim.Stream(uint64(1000+i), 0)
		for j, p := range c.Params {
			truth[j] = Prior{Dist: p.Prior, Min: p.Min, Max: p.Max}.Sample(rng)
		}
		s := Model(c)
		obs, err := s.Simulate(context.Background(), truth, uint64(5000+i))
		if err != nil {
			t.Fatal(err)
		}
		s.Observed = obs
		s.Seed = uint64(i + 1)
		gens, err := s.Run(context.Background(), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		res := &Result{Generations: gens}
		for j, ps := range res.Params(c) {
			in := truth[j] >= ps.P05 && truth[j] <= ps.P95
			if in {
				covered[j]++
			}
			t.Logf("set %d %s: true %.4g, posterior %.4g (90%% %.4g–%.4g) %v; %d generations, tolerance %.3g", i, ps.Key, truth[j], ps.Mean, ps.P05, ps.P95, in, len(gens), gens[len(gens)-1].Tolerance)
		}
	}
	for j, p := range c.Params {
		if covered[j] < 8 {
			t.Errorf("%s: the true value lies within the 90%% posterior interval in %d of %d data sets, want ≥ 8", p.Key, covered[j], sets)
		}
	}
}
