package sweep

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ishigami is the Ishigami function on [−π, π]³ (a = 7, b = 0.1), with
// analytic indices S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
func ishigami(u []float64) float64 {
	x := make([]float64, 3)
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*u[i]
	}
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// TestSobolIshigami: seed 1, N = 20,000 pseudo-random base samples, 100
// bootstrap resamples; every index within 0.03 of its analytic value and
// inside (or within 0.01 of) its 95% interval.
func TestSobolIshigami(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	a, b := make([][]float64, n), make([][]float64, n)
	for s := range n {
		a[s] = []float64{r.Float64(), r.Float64(), r.Float64()}
		b[s] = []float64{r.Float64(), r.Float64(), r.Float64()}
	}
	pts := SaltelliPoints(a, b)
	y := make([]float64, len(pts))
	for i, p := range pts {
		y[i] = ishigami(p)
	}
	got := Sobol(y, n, 3, 100, r)
	s1 := []float64{0.3139, 0.4424, 0}
	st := []float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if math.Abs(got[i].S1-s1[i]) > 0.03 || math.Abs(got[i].ST-st[i]) > 0.03 {
			t.Errorf("x%d: S1 %.4f (want %.4f), ST %.4f (want %.4f)", i+1, got[i].S1, s1[i], got[i].ST, st[i])
		}
		if s1[i] < got[i].S1Lo-0.01 || s1[i] > got[i].S1Hi+0.01 || st[i] < got[i].STLo-0.01 || st[i] > got[i].STHi+0.01 {
			t.Errorf("x%d: analytic value outside the interval: S1 [%.4f, %.4f], ST [%.4f, %.4f]", i+1, got[i].S1Lo, got[i].S1Hi, got[i].STLo, got[i].STHi)
		}
	}
}

// TestMorrisKnownFunction: y = 2·x1 − 5·x2 + 0·x3 + x4² on [0, 1]⁴: the
// linear factors have μ = their coefficient and σ = 0 exactly, x3 has μ* = 0,
// and the quadratic x4 has σ > 0. Seed 3, 40 trajectories, 4 levels.
func TestMorrisKnownFunction(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pts, fac, del := MorrisTrajectories(r, 40, 4, 4)
	if len(pts) != 40*5 {
		t.Fatalf("%d points", len(pts))
	}
	y := make([]float64, len(pts))
	for i, x := range pts {
		for _, v := range x {
			if v < -1e-12 || v > 1+1e-12 {
				t.Fatalf("point outside [0, 1]: %v", x)
			}
		}
		y[i] = 2*x[0] - 5*x[1] + x[3]*x[3]
	}
	m := Morris(y, fac, del, 4)
	near := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("μ x1", m[0].Mu, 2)
	near("μ* x1", m[0].MuStar, 2)
	near("σ x1", m[0].Sigma, 0)
	near("μ x2", m[1].Mu, -5)
	near("μ* x2", m[1].MuStar, 5)
	near("μ* x3", m[2].MuStar, 0)
	if m[3].Sigma <= 0.1 || m[3].MuStar <= 0 {
		t.Errorf("x4 (quadratic): μ* %v σ %v, want σ > 0.1", m[3].MuStar, m[3].Sigma)
	}
}
