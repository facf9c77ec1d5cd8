package calibrate_test

import (
	"context"
	"fmt"

	"github.com/hybridsim/hybridsim/calibrate"
	"github.com/hybridsim/hybridsim/sim"
)

// A normal mean with known sd 1, observed through the mean of 25 draws
// (ȳ = 0.2, se 0.2), with a prior N(1, 0.5²): the exact posterior has mean
// 9/29 ≈ 0.310 and sd 0.186; 1,000 particles give 0.31 and 0.18.
func ExampleSMC() {
	s := &calibrate.SMC{
		Problem: calibrate.Problem{
			Priors:   []calibrate.Prior{{Dist: "normal", Mean: 1, SD: 0.5, Min: -9, Max: 11}},
			Observed: []float64{0.2},
			SE:       []float64{0.2},
			Simulate: func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
				return []float64{theta[0] + 0.2*sim.Stream(seed, 0).NormFloat64()}, nil
			},
		},
		Settings: calibrate.Settings{Particles: 1000, Alpha: 0.5, MinAcceptance: 0.05, MaxGenerations: 20, Seed: 1},
	}
	gens, err := s.Run(context.Background(), 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	post := gens[len(gens)-1]
	x, w := make([]float64, len(post.Particles)), make([]float64, len(post.Particles))
	for i, p := range post.Particles {
		x[i], w[i] = p.Theta[0], p.Weight
	}
	iv := calibrate.Summarise(x, w)
	fmt.Printf("posterior mean %.2f, sd %.2f\n", iv.Mean, iv.SD)
	// Output: posterior mean 0.31, sd 0.18
}
