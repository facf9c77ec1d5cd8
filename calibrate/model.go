package calibrate

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
	"github.com/hybridsim/hybridsim/validation"
)

// Model binds a calibration file to the ABC: its priors, targets and a
// simulator that runs the scenario at a particle's parameters.
//
// A particle's summaries are, for each target, the mean over the
// particle's replications r = 0 … R−1 (sim.Config{Seed: seed, Rep: r}) of the
// output's mean over the target's last Window weeks in its variant, or,
// for an effect, of the paired difference variant − reference (both run on
// the same streams, common random numbers). With patterns, a particle
// must also pass validate-model's checks of those patterns on its own runs
// (validation.ScenarioChecks, same seed and replications) or it gets
// distance +Inf; this runs the baseline again, and for pattern 5 every
// variant, for pattern 6 three pressure variants.
func Model(c *scenarios.Calibration) *SMC {
	s := &SMC{Settings: Settings{Particles: c.Particles, Alpha: c.Alpha, MinAcceptance: c.MinAcceptance,
		MaxGenerations: c.MaxGenerations, Predictive: c.Predictive, Seed: c.Seed}}
	for _, p := range c.Params {
		s.Priors = append(s.Priors, Prior{Dist: p.Prior, Min: p.Min, Max: p.Max, Mean: p.Mean, SD: p.SD})
	}
	for _, t := range c.Targets {
		s.Observed = append(s.Observed, t.Value)
		s.SE = append(s.SE, t.SE)
	}
	variants := c.Variants()
	s.Simulate = func(ctx context.Context, theta []float64, seed uint64) ([]float64, error) {
		// means[v][t]: target t's window mean in variant v, per replication.
		means := make([][]float64, len(variants))
		for vi, v := range variants {
			cfg, err := c.Sweep.Config(v, theta)
			if err != nil {
				return nil, fmt.Errorf("at %v: %w", theta, err)
			}
			cfg.Seed = seed
			means[vi] = make([]float64, len(c.Targets)*c.Reps)
			for r := range c.Reps {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				cfg.Rep = uint64(r)
				res, err := sim.Run(cfg)
				if err != nil {
					return nil, fmt.Errorf("at %v: %w", theta, err)
				}
				for ti, t := range c.Targets {
					m, _ := res.MeanLast(t.Metric, t.Window)
					means[vi][ti*c.Reps+r] = m
				}
			}
		}
		idx := func(name string) int {
			for i, v := range variants {
				if v == name {
					return i
				}
			}
			return -1
		}
		out := make([]float64, len(c.Targets))
		for ti, t := range c.Targets {
			v, ref := idx(t.Variant), idx(t.Reference)
			xs := make([]float64, c.Reps)
			for r := range xs {
				xs[r] = means[v][ti*c.Reps+r]
				if t.IsEffect() {
					xs[r] -= means[ref][ti*c.Reps+r]
				}
			}
			out[ti] = stats.Mean(xs)
			if math.IsInf(out[ti], 0) {
				out[ti] = math.NaN()
			}
		}
		return out, nil
	}
	if len(c.Patterns) > 0 {
		keys := make([]string, len(c.Params))
		for i, p := range c.Params {
			keys[i] = p.Key
		}
		s.Constraint = func(ctx context.Context, theta []float64, seed uint64) (bool, error) {
			sc, err := c.Base.With(keys, theta)
			if err != nil {
				return false, fmt.Errorf("at %v: %w", theta, err)
			}
			checks, err := validation.ScenarioChecks(ctx, sc, c.Patterns, validation.Options{Reps: c.Reps, Seed: seed, Workers: 1, Ticks: c.Sweep.Ticks})
			if err != nil {
				return false, fmt.Errorf("at %v: %w", theta, err)
			}
			return validation.Failed(checks) == 0, nil
		}
	}
	return s
}
