package calibrate

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/hybridsim/hybridsim/sim"
)

// normalMean is the toy problem with a known posterior: y₁ … yₙ ~ N(μ, σ²)
// with σ known; the summary is the sample mean ȳ ~ N(μ, σ²/n), sufficient
// for μ. With the prior μ ~ N(m₀, s₀²) the posterior is normal with
// precision 1/s₀² + n/σ² and mean (m₀/s₀² + n·ȳ/σ²)/precision.
func normalMean(m0, s0, ybar, sigma float64, n int) (Problem, float64, float64) {
	se := sigma / math.Sqrt(float64(n))
	prec := 1/(s0*s0) + float64(n)/(sigma*sigma)
	mean := (m0/(s0*s0) + float64(n)*ybar/(sigma*sigma)) / prec
	p := Problem{
		Priors:   []Prior{{Dist: "normal", Mean: m0, SD: s0, Min: m0 - 20*s0, Max: m0 + 20*s0}},
		Observed: []float64{ybar},
		SE:       []float64{se},
		Simulate: func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
			rng := sim.Stream(seed, 0)
			return []float64{theta[0] + se*rng.NormFloat64()}, nil
		},
	}
	return p, mean, 1 / math.Sqrt(prec)
}

func posteriorMoments(g *Generation, i int) (mean, sd float64) {
	x := make([]float64, len(g.Particles))
	w := make([]float64, len(g.Particles))
	for k, p := range g.Particles {
		x[k], w[k] = p.Theta[i], p.Weight
	}
	mean, v := stat.MeanVariance(x, w)
	return mean, math.Sqrt(v)
}

// TestToyPosterior checks the ABC posterior against the exact one of the
// conjugate normal problem: prior N(1, 0.5²), ȳ = 0.2 from n = 25 with
// σ = 1, so the posterior is N(9/29, 1/29) (mean 0.310, sd 0.186) and the
// prior pulls it a third of the way from ȳ towards 1. Seed 1, N = 2000
// particles, α = 0.5, stop below 2% acceptance. Tolerances: the mean
// within 0.15 posterior sd of the exact one (Monte Carlo error with an
// effective sample size of several hundred is about 0.05 sd), the sd within
// 15% (the remaining tolerance widens it a little). The importance weights
// are what bring the prior in: with equal weights the mean lands near ȳ.
func TestToyPosterior(t *testing.T) {
	prob, wantMean, wantSD := normalMean(1, 0.5, 0.2, 1, 25)
	s := &SMC{Problem: prob, Settings: Settings{Particles: 2000, Alpha: 0.5, MinAcceptance: 0.02, MaxGenerations: 30, Seed: 1}}
	gens, err := s.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := gens[len(gens)-1]
	mean, sd := posteriorMoments(last, 0)
	t.Logf("%d generations, tolerance %.3f, acceptance %.3f, ESS %.0f: mean %.4f (exact %.4f), sd %.4f (exact %.4f)",
		len(gens), last.Tolerance, last.Acceptance, last.ESS, mean, wantMean, sd, wantSD)
	if math.Abs(mean-wantMean) > 0.15*wantSD {
		t.Errorf("posterior mean %.4f, exact %.4f: more than 0.15 sd apart", mean, wantMean)
	}
	if math.Abs(sd/wantSD-1) > 0.15 {
		t.Errorf("posterior sd %.4f, exact %.4f: more than 15%% apart", sd, wantSD)
	}
	if len(gens) < 3 || last.Acceptance >= 0.02 && len(gens) < 30 {
		t.Errorf("stopped after %d generations at acceptance %.3f", len(gens), last.Acceptance)
	}
	for i := 1; i < len(gens); i++ {
		if gens[i].Tolerance > gens[i-1].Tolerance {
			t.Errorf("tolerance rose from %v to %v in generation %d", gens[i-1].Tolerance, gens[i].Tolerance, i)
		}
	}
}

// TestToyPosteriorAtBoundary checks a posterior against the edge of the
// prior's range: a uniform prior on [0, 1] and ȳ = 0.05 with se 0.1, so the
// exact posterior is N(0.05, 0.1²) truncated to [0, 1] (mean 0.1009, sd
// 0.0697, from the truncated normal's moments below). Perturbations are
// redrawn until inside [0, 1] and each particle's kernel mass inside is
// divided out of the weights. Seed 2, 2000 particles; tolerances as in
// TestToyPosterior. (Measured: mean 0.1035; leaving the kernel mass out
// gives 0.0953, 0.08 sd off — within this tolerance, so the test guards the
// boundary as a whole rather than that correction alone.)
func TestToyPosteriorAtBoundary(t *testing.T) {
	const mu, sigma = 0.05, 0.1
	n := distuv.UnitNormal
	a, b := (0-mu)/sigma, (1-mu)/sigma
	z := n.CDF(b) - n.CDF(a)
	d := (n.Prob(a) - n.Prob(b)) / z
	wantMean := mu + sigma*d
	wantSD := sigma * math.Sqrt(1+(a*n.Prob(a)-b*n.Prob(b))/z-d*d)
	prob := Problem{
		Priors:   []Prior{{Dist: "uniform", Min: 0, Max: 1}},
		Observed: []float64{mu},
		SE:       []float64{sigma},
		Simulate: func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
			return []float64{theta[0] + sigma*sim.Stream(seed, 0).NormFloat64()}, nil
		},
	}
	s := &SMC{Problem: prob, Settings: Settings{Particles: 2000, Alpha: 0.5, MinAcceptance: 0.02, MaxGenerations: 30, Seed: 2}}
	gens, err := s.Run(context.Background(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := gens[len(gens)-1]
	mean, sd := posteriorMoments(last, 0)
	t.Logf("%d generations, tolerance %.3f, ESS %.0f: mean %.4f (exact %.4f), sd %.4f (exact %.4f)", len(gens), last.Tolerance, last.ESS, mean, wantMean, sd, wantSD)
	if math.Abs(mean-wantMean) > 0.15*wantSD {
		t.Errorf("posterior mean %.4f, exact %.4f: more than 0.15 sd apart", mean, wantMean)
	}
	if math.Abs(sd/wantSD-1) > 0.15 {
		t.Errorf("posterior sd %.4f, exact %.4f: more than 15%% apart", sd, wantSD)
	}
}

// BenchmarkGeneration measures what a generation costs besides its
// simulations: the kernel (weighted covariance, Cholesky, each particle's
// mass inside the support) and the weights of 500 new particles against a
// population of 500, in 3 dimensions.
func BenchmarkGeneration(b *testing.B) {
	prob := Problem{
		Priors:   []Prior{{Dist: "uniform", Min: 0, Max: 1}, {Dist: "uniform", Min: 0, Max: 1}, {Dist: "normal", Mean: 0.5, SD: 0.2, Min: 0, Max: 1}},
		Observed: []float64{0.3, 0.6, 0.5},
		SE:       []float64{0.05, 0.05, 0.05},
		Simulate: func(_ context.Context, theta []float64, seed uint64) ([]float64, error) { return theta, nil },
	}
	s := &SMC{Problem: prob, Settings: Settings{Particles: 1000, Alpha: 0.5, MinAcceptance: 0.01, MaxGenerations: 2, Seed: 1}}
	idx := make([]int, s.Particles)
	for i := range idx {
		idx[i] = i
	}
	fresh, err := s.Simulations(context.Background(), nil, 0, idx, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	g0, err := s.Next(nil, nil, 0, fresh)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		k, err := s.KernelFor(g0, 1)
		if err != nil {
			b.Fatal(err)
		}
		next, err := s.Simulations(context.Background(), k, 1, idx[:s.Proposals(1)], 1, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Next(g0, k, 1, next); err != nil {
			b.Fatal(err)
		}
	}
}
