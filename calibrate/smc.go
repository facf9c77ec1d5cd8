package calibrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/sim"
)

// Prior is the prior of one parameter: uniform on [Min, Max], or normal
// with Mean and SD truncated to [Min, Max] (either bound may be infinite).
type Prior struct {
	Dist               string // "uniform" or "normal"
	Min, Max, Mean, SD float64
}

// PDF is the prior density at x, normalised over [Min, Max]:
//
//	uniform: 1/(Max−Min)
//	normal:  φ((x−Mean)/SD) / (SD · (Φ((Max−Mean)/SD) − Φ((Min−Mean)/SD)))
//
// and 0 outside [Min, Max].
func (p Prior) PDF(x float64) float64 {
	if !(x >= p.Min && x <= p.Max) {
		return 0
	}
	if p.Dist == "uniform" {
		return 1 / (p.Max - p.Min)
	}
	n := distuv.Normal{Mu: p.Mean, Sigma: p.SD}
	return n.Prob(x) / (n.CDF(p.Max) - n.CDF(p.Min))
}

// Sample draws from the prior. A truncated normal is drawn by inverting
// its CDF (no rejection loop, whatever the truncation).
func (p Prior) Sample(rng *rand.Rand) float64 {
	u := rng.Float64()
	if p.Dist == "uniform" {
		return p.Min + u*(p.Max-p.Min)
	}
	n := distuv.Normal{Mu: p.Mean, Sigma: p.SD}
	lo, hi := n.CDF(p.Min), n.CDF(p.Max)
	x := n.Quantile(lo + u*(hi-lo))
	return math.Min(math.Max(x, p.Min), p.Max)
}

// Problem is what the ABC fits: the priors of the parameters, the observed
// summaries with their standard errors, and a simulator.
type Problem struct {
	Priors   []Prior
	Observed []float64
	SE       []float64
	// Simulate returns the simulated summaries at theta, drawing its random
	// numbers from seed alone (so a particle's result does not depend on
	// which worker or shard runs it).
	Simulate func(ctx context.Context, theta []float64, seed uint64) ([]float64, error)
	// Constraint, if set, says whether a particle is admissible (for
	// example: the model's patterns hold at theta); a particle that is not
	// gets distance +Inf and is never accepted. It draws from seed alone.
	Constraint func(ctx context.Context, theta []float64, seed uint64) (bool, error)
}

// Distance is the standardised Euclidean distance between simulated and
// observed summaries:
//
//	ρ = √( Σ_k ((s_k − y_k) / se_k)² )
//
// NaN summaries give +Inf (never accepted).
func (p *Problem) Distance(s []float64) float64 {
	d := 0.0
	for k, x := range s {
		z := (x - p.Observed[k]) / p.SE[k]
		d += z * z
	}
	if math.IsNaN(d) {
		return math.Inf(1)
	}
	return math.Sqrt(d)
}

// Settings are the settings of the sequential Monte Carlo.
type Settings struct {
	Particles      int     // N, simulated in generation 0
	Alpha          float64 // share kept each generation: Keep = ⌊α·N⌋
	MinAcceptance  float64 // stop after a generation whose acceptance rate is below this
	MaxGenerations int     // stop after this many generations (generation 0 included)
	Predictive     int     // posterior predictive draws
	Seed           uint64
}

// Keep is the number of particles each generation keeps, ⌊α·N⌋.
func (s Settings) Keep() int { return int(math.Floor(s.Alpha * float64(s.Particles))) }

// Proposals is the number of new particles generation g simulates: N in
// generation 0, N − Keep after.
func (s Settings) Proposals(g int) int {
	if g == 0 {
		return s.Particles
	}
	return s.Particles - s.Keep()
}

// Particle is one point of a population.
type Particle struct {
	Theta      []float64
	Stats      []float64 // simulated summaries
	Distance   float64
	Weight     float64 // importance weight π(θ)/q(θ) (1 in generation 0)
	Generation int     // the generation that simulated it
	Index      int     // its proposal number in that generation
}

// Generation is the population a generation keeps and how it got there.
type Generation struct {
	Index      int
	Tolerance  float64 // ε: the largest distance kept
	Acceptance float64 // share of the new particles within the previous tolerance (1 in generation 0)
	ESS        float64 // effective sample size (Σw)²/Σw²
	Sims       int     // particles simulated in this generation
	Stop       bool    // the calibration ends with this generation
	Particles  []Particle
}

// The seeds: the rule is written down once, in sim.DeriveSeed's
// documentation. These are its constants: the proposal's stream, the
// posterior predictive draws' stage and the kernel's stream.
const (
	proposalRep     = 1 << 40
	PredictiveStage = 1 << 20
	kernelNormRep   = 1 << 41
)

// ParticleSeed is the base seed of generation g's particle k
// (sim.DeriveSeed's rule for calibrate).
func ParticleSeed(seed uint64, g, k int) uint64 {
	return sim.DeriveSeed(sim.DeriveSeed(seed, uint64(g)), uint64(k))
}

// Kernel is the perturbation kernel of a generation: a Gaussian with
// twice the weighted covariance of the previous population (Beaumont et
// al. 2009), truncated to the prior's support.
type Kernel struct {
	chol   mat.Cholesky
	l      *mat.TriDense // lower Cholesky factor
	logDet float64       // log |Σ|
	cum    []float64     // cumulative normalised weights of the previous population
	logZ   []float64     // log of each particle's kernel mass inside the support
	logW   []float64     // log of each particle's normalised weight
	white  [][]float64   // L⁻¹θ_j of each particle
	prev   []Particle
}

// newKernel builds the kernel from the previous population. The weighted
// covariance is gonum's stat.CovarianceMatrix with the normalised weights
// scaled to sum to the population size n (so the divisor is n − 1). Each
// particle's kernel mass inside the support, Z_j, is estimated from the
// same 2048 standard normal draws for every particle (seeded from the
// calibration seed and generation).
func (s *SMC) newKernel(prev *Generation, g int) (*Kernel, error) {
	n, d := len(prev.Particles), len(s.Priors)
	x := mat.NewDense(n, d, nil)
	w := make([]float64, n)
	total := 0.0
	for i, p := range prev.Particles {
		x.SetRow(i, p.Theta)
		total += p.Weight
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("generation %d: the weights of the population sum to %v", prev.Index, total)
	}
	k := &Kernel{prev: prev.Particles, cum: make([]float64, n)}
	c := 0.0
	for i, p := range prev.Particles {
		w[i] = p.Weight / total * float64(n)
		c += p.Weight / total
		k.cum[i] = c
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, x, w)
	cov.ScaleSym(2, &cov)
	// A parameter that no longer varies (or too few distinct particles)
	// leaves Σ singular: add a small multiple of the prior's width.
	for jitter := 0.0; ; {
		a := mat.NewSymDense(d, nil)
		a.CopySym(&cov)
		for i, p := range s.Priors {
			width := p.Max - p.Min
			if math.IsInf(width, 0) {
				width = 6 * p.SD
			}
			a.SetSym(i, i, a.At(i, i)+jitter*width*width)
		}
		if k.chol.Factorize(a) {
			break
		}
		if jitter == 0 {
			jitter = 1e-10
		} else if jitter *= 100; jitter > 1 {
			return nil, errors.New("the perturbation kernel's covariance cannot be factorised")
		}
	}
	k.l = &mat.TriDense{}
	k.chol.LTo(k.l)
	k.logDet = k.chol.LogDet()
	k.logW, k.white = make([]float64, n), make([][]float64, n)
	for j, p := range prev.Particles {
		k.logW[j] = math.Log(p.Weight / total)
		y, err := k.whiten(p.Theta)
		if err != nil {
			return nil, err
		}
		k.white[j] = y
	}
	// Z_j by Monte Carlo.
	const draws = 2048
	rng := sim.Stream(ParticleSeed(s.Seed, g, 0), kernelNormRep)
	zs := make([][]float64, draws)
	for m := range zs {
		z := make([]float64, d)
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		lz := mat.NewVecDense(d, nil)
		lz.MulVec(k.l, mat.NewVecDense(d, z))
		zs[m] = lz.RawVector().Data
	}
	k.logZ = make([]float64, n)
	theta := make([]float64, d)
	for j, p := range prev.Particles {
		in := 0
		for _, z := range zs {
			floats.AddTo(theta, p.Theta, z)
			if s.inside(theta) {
				in++
			}
		}
		k.logZ[j] = math.Log(float64(max(in, 1)) / draws)
	}
	return k, nil
}

// whiten returns L⁻¹θ, in which the kernel is a standard normal.
func (k *Kernel) whiten(theta []float64) ([]float64, error) {
	var y mat.VecDense
	if err := y.SolveVec(k.l, mat.NewVecDense(len(theta), slices.Clone(theta))); err != nil {
		return nil, err
	}
	return y.RawVector().Data, nil
}

// logDensity is log q(θ) = log Σ_j w̃_j K_Σ(θ | θ_j) / Z_j, with
// K_Σ(θ|θ_j) = exp(−½·|L⁻¹(θ − θ_j)|²) / ((2π)^{d/2} |Σ|^{1/2}).
func (k *Kernel) logDensity(theta []float64) (float64, error) {
	d := len(theta)
	y, err := k.whiten(theta)
	if err != nil {
		return 0, err
	}
	terms := make([]float64, len(k.prev))
	c := -0.5*float64(d)*math.Log(2*math.Pi) - 0.5*k.logDet
	for j := range k.prev {
		m2 := 0.0
		for i, yi := range y {
			e := yi - k.white[j][i]
			m2 += e * e
		}
		terms[j] = k.logW[j] - 0.5*m2 + c - k.logZ[j]
	}
	return floats.LogSumExp(terms), nil
}

// SMC is the sequential Monte Carlo ABC of Lenormand, Jabot and Deffuant
// (2013, "adaptive population Monte Carlo ABC"), with the importance
// weights and kernel of Beaumont, Cornuet, Marin and Robert (2009):
//
//  1. Generation 0 simulates N particles from the prior and keeps the
//     Keep = ⌊α·N⌋ nearest; ε₀ is the largest distance kept; weights 1.
//  2. Generation g simulates N − Keep new particles: each picks a particle
//     j of g−1 with probability w̃_j and moves it by a Gaussian with
//     covariance Σ = 2·Cov_w(population g−1), redrawn until it lies in the
//     prior's support; its weight is π(θ) / Σ_j w̃_j K_Σ(θ|θ_j)/Z_j.
//  3. The acceptance rate is the share of the new particles with ρ < ε_{g−1};
//     the Keep nearest of old and new together are kept and ε_g is the
//     largest distance kept.
//  4. It stops after a generation whose acceptance rate is below
//     MinAcceptance, or after MaxGenerations generations.
type SMC struct {
	Problem
	Settings
}

func (s *SMC) inside(theta []float64) bool {
	for i, p := range s.Priors {
		if !(theta[i] >= p.Min && theta[i] <= p.Max) {
			return false
		}
	}
	return true
}

// priorDensity is π(θ), the product of the parameters' priors.
func (s *SMC) priorDensity(theta []float64) float64 {
	d := 1.0
	for i, p := range s.Priors {
		d *= p.PDF(theta[i])
	}
	return d
}

// maxRedraws bounds the redraws of a perturbation that leaves the support.
const maxRedraws = 100_000

// Propose returns the parameters of generation g's new particle k, drawn
// from the prior (g = 0) or by moving a particle of the previous
// generation with kernel k (nil in generation 0).
func (s *SMC) Propose(k *Kernel, g, idx int) ([]float64, error) {
	rng := sim.Stream(ParticleSeed(s.Seed, g, idx), proposalRep)
	theta := make([]float64, len(s.Priors))
	if k == nil {
		for i, p := range s.Priors {
			theta[i] = p.Sample(rng)
		}
		return theta, nil
	}
	u := rng.Float64()
	j, _ := slices.BinarySearch(k.cum, u)
	j = min(j, len(k.prev)-1)
	z := mat.NewVecDense(len(theta), nil)
	lz := mat.NewVecDense(len(theta), nil)
	for range maxRedraws {
		for i := range theta {
			z.SetVec(i, rng.NormFloat64())
		}
		lz.MulVec(k.l, z)
		floats.AddTo(theta, k.prev[j].Theta, lz.RawVector().Data)
		if s.inside(theta) {
			return theta, nil
		}
	}
	return nil, fmt.Errorf("generation %d particle %d: %d perturbations all left the prior's range", g, idx, maxRedraws)
}

// Evaluate simulates a proposal and measures its distance.
func (s *SMC) Evaluate(ctx context.Context, theta []float64, g, idx int) (Particle, error) {
	st, err := s.Simulate(ctx, theta, ParticleSeed(s.Seed, g, idx))
	if err != nil {
		return Particle{}, err
	}
	p := Particle{Theta: theta, Stats: st, Distance: s.Distance(st), Generation: g, Index: idx}
	if s.Constraint != nil && g != PredictiveStage {
		ok, err := s.Constraint(ctx, theta, ParticleSeed(s.Seed, g, idx))
		if err != nil {
			return Particle{}, err
		}
		if !ok {
			p.Distance = math.Inf(1)
		}
	}
	return p, nil
}

// KernelFor returns the perturbation kernel generation g uses (nil for g = 0).
func (s *SMC) KernelFor(prev *Generation, g int) (*Kernel, error) {
	if g == 0 {
		return nil, nil
	}
	return s.newKernel(prev, g)
}

// Next makes generation g from the previous one (nil for g = 0) and the
// generation's simulated particles, in proposal order: weights, acceptance
// rate, the Keep nearest, tolerance, effective sample size, whether to stop.
func (s *SMC) Next(prev *Generation, k *Kernel, g int, fresh []Particle) (*Generation, error) {
	if len(fresh) != s.Proposals(g) {
		return nil, fmt.Errorf("generation %d has %d particles, want %d", g, len(fresh), s.Proposals(g))
	}
	gen := &Generation{Index: g, Sims: len(fresh), Acceptance: 1}
	var pool []Particle
	if g == 0 {
		for _, p := range fresh {
			p.Weight = 1
			pool = append(pool, p)
		}
	} else {
		accepted := 0
		for _, p := range fresh {
			if p.Distance < prev.Tolerance {
				accepted++
			}
			lq, err := k.logDensity(p.Theta)
			if err != nil {
				return nil, err
			}
			p.Weight = math.Exp(math.Log(s.priorDensity(p.Theta)) - lq)
			pool = append(pool, p)
		}
		gen.Acceptance = float64(accepted) / float64(len(fresh))
		pool = append(slices.Clone(prev.Particles), pool...)
	}
	// The Keep nearest, ties broken by generation and proposal number.
	slices.SortStableFunc(pool, func(a, b Particle) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.Generation, b.Generation), cmp.Compare(a.Index, b.Index))
	})
	gen.Particles = pool[:s.Keep()]
	gen.Tolerance = gen.Particles[len(gen.Particles)-1].Distance
	w := make([]float64, len(gen.Particles))
	for i, p := range gen.Particles {
		w[i] = p.Weight
	}
	sum := floats.Sum(w)
	gen.ESS = sum * sum / floats.Dot(w, w)
	gen.Stop = g+1 >= s.MaxGenerations || (g > 0 && gen.Acceptance < s.MinAcceptance)
	return gen, nil
}

// Progress is reported after each generation.
type Progress func(*Generation)

// Run runs every generation in memory on workers and returns them; the
// last is the posterior. It is what the work directory's shards and
// merges do in one process (Work.Run), for tests and callers without
// files.
func (s *SMC) Run(ctx context.Context, workers int, progress Progress) ([]*Generation, error) {
	var gens []*Generation
	var prev *Generation
	for g := 0; ; g++ {
		k, err := s.KernelFor(prev, g)
		if err != nil {
			return gens, err
		}
		idx := make([]int, s.Proposals(g))
		for i := range idx {
			idx[i] = i
		}
		fresh, err := s.Simulations(ctx, k, g, idx, workers, nil)
		if err != nil {
			return gens, err
		}
		gen, err := s.Next(prev, k, g, fresh)
		if err != nil {
			return gens, err
		}
		gens = append(gens, gen)
		if progress != nil {
			progress(gen)
		}
		if gen.Stop {
			return gens, nil
		}
		prev = gen
	}
}

// Simulations proposes and evaluates generation g's particles idx on
// workers (0: all cores) and returns them in the order of idx. done, if
// set, is called with the particles done so far, in the order of idx, one
// call at a time.
func (s *SMC) Simulations(ctx context.Context, k *Kernel, g int, idx []int, workers int, done func(n int)) ([]Particle, error) {
	return parallel(ctx, len(idx), workers, done, func(ctx context.Context, i int) (Particle, error) {
		theta, err := s.Propose(k, g, idx[i])
		if err != nil {
			return Particle{}, err
		}
		return s.Evaluate(ctx, theta, g, idx[i])
	})
}

// PredictiveDraws draws posterior predictive particles idx: each picks a
// particle of the final population with probability w̃ and simulates it
// anew, on the seeds of stage PredictiveStage.
func (s *SMC) PredictiveDraws(ctx context.Context, final *Generation, idx []int, workers int, done func(n int)) ([]Particle, error) {
	cum := make([]float64, len(final.Particles))
	total, c := 0.0, 0.0
	for _, p := range final.Particles {
		total += p.Weight
	}
	for i, p := range final.Particles {
		c += p.Weight / total
		cum[i] = c
	}
	return parallel(ctx, len(idx), workers, done, func(ctx context.Context, i int) (Particle, error) {
		rng := sim.Stream(ParticleSeed(s.Seed, PredictiveStage, idx[i]), proposalRep)
		j, _ := slices.BinarySearch(cum, rng.Float64())
		j = min(j, len(cum)-1)
		p, err := s.Evaluate(ctx, slices.Clone(final.Particles[j].Theta), PredictiveStage, idx[i])
		p.Weight = 1
		return p, err
	})
}

// parallel runs f(0 … n−1) on experiment's pool and returns the results
// in order; the first error stops it. done, if set, is called with the
// number of results so far, in order, one call at a time.
func parallel[T any](ctx context.Context, n, workers int, done func(int), f func(context.Context, int) (T, error)) ([]T, error) {
	out := make([]T, n)
	err := experiment.Ordered(ctx, n, workers, 0, f, func(i int, v T) error {
		out[i] = v
		if done != nil {
			done(i + 1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
