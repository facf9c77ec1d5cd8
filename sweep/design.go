// Package sweep runs parameter sweeps and sensitivity analyses of the model
// — full factorial grids, Latin hypercubes, Morris elementary effects and
// Sobol indices — streaming results to disk, split into shards that merge
// into byte-identical files, and resumable after being killed.
package sweep

import (
	"math"
	"math/rand/v2"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Design is the list of design points of a sweep, in the parameters' own
// units, with what the index computations need to read them back.
type Design struct {
	Points [][]float64
	// Morris: for each trajectory, the factor changed at each step and the
	// signed step in unit space (points t·(k+1) … t·(k+1)+k).
	MorrisFactor [][]int
	MorrisDelta  [][]float64
	// Sobol: base sample size N; points are A (N), B (N), AB_1 … AB_k (N each).
	SobolN int
}

// designSeed is the random stream of the design itself, derived from the
// sweep seed so that every shard computes the same design.
func designRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x5eed5eed, 0xd1ce))
}

// MakeDesign builds the design of a sweep.
func MakeDesign(sw *scenarios.Sweep) Design {
	k := len(sw.Params)
	r := designRand(sw.Seed)
	scale := func(u []float64) []float64 {
		x := make([]float64, k)
		for i, p := range sw.Params {
			x[i] = p.Min + u[i]*(p.Max-p.Min)
		}
		return x
	}
	var d Design
	switch sw.Design {
	case "grid":
		axes := make([][]float64, k)
		for i, p := range sw.Params {
			if len(p.Values) > 0 {
				axes[i] = p.Values
				continue
			}
			for s := range p.Steps {
				axes[i] = append(axes[i], p.Min+float64(s)*(p.Max-p.Min)/float64(p.Steps-1))
			}
		}
		idx := make([]int, k)
		for {
			x := make([]float64, k)
			for i := range k {
				x[i] = axes[i][idx[i]]
			}
			d.Points = append(d.Points, x)
			i := k - 1
			for ; i >= 0; i-- {
				if idx[i]++; idx[i] < len(axes[i]) {
					break
				}
				idx[i] = 0
			}
			if i < 0 {
				break
			}
		}
	case "lhs":
		n := sw.Samples
		perms := make([][]int, k)
		for i := range k {
			perms[i] = r.Perm(n)
		}
		for s := range n {
			u := make([]float64, k)
			for i := range k {
				u[i] = (float64(perms[i][s]) + r.Float64()) / float64(n)
			}
			d.Points = append(d.Points, scale(u))
		}
	case "morris":
		u, fac, del := MorrisTrajectories(r, sw.Samples, k, sw.Levels)
		for _, x := range u {
			d.Points = append(d.Points, scale(x))
		}
		d.MorrisFactor, d.MorrisDelta = fac, del
	case "sobol":
		n := sw.Samples
		a, b := make([][]float64, n), make([][]float64, n)
		for s := range n {
			a[s], b[s] = make([]float64, k), make([]float64, k)
			for i := range k {
				a[s][i] = r.Float64()
			}
			for i := range k {
				b[s][i] = r.Float64()
			}
		}
		for _, x := range SaltelliPoints(a, b) {
			d.Points = append(d.Points, scale(x))
		}
		d.SobolN = n
	}
	return d
}

// MorrisTrajectories draws r trajectories of Morris (1991) on a p-level grid
// in [0, 1]^k with step Δ = p / (2(p−1)): a random base point on the grid's
// lower part, the factors in random order, each moved once by +Δ or −Δ. It
// returns the points (r·(k+1)), and per trajectory the factor moved at each
// step and the signed step.
func MorrisTrajectories(rng *rand.Rand, r, k, p int) ([][]float64, [][]int, [][]float64) {
	delta := float64(p) / (2 * float64(p-1))
	var pts [][]float64
	var facs [][]int
	var dels [][]float64
	for range r {
		x := make([]float64, k)
		for i := range k {
			// Base levels 0 … p/2−1 (of p−1 steps) so that +Δ stays in [0, 1].
			x[i] = float64(rng.IntN(p/2)) / float64(p-1)
		}
		// Random signs: start from the upper point for a minus step.
		sign := make([]float64, k)
		for i := range k {
			sign[i] = 1
			if rng.IntN(2) == 0 {
				sign[i] = -1
				x[i] += delta
			}
		}
		order := rng.Perm(k)
		pts = append(pts, append([]float64(nil), x...))
		fac := make([]int, k)
		del := make([]float64, k)
		for s, i := range order {
			x[i] += sign[i] * delta
			x[i] = math.Round(x[i]*1e12) / 1e12
			pts = append(pts, append([]float64(nil), x...))
			fac[s], del[s] = i, sign[i]*delta
		}
		facs = append(facs, fac)
		dels = append(dels, del)
	}
	return pts, facs, dels
}

// SaltelliPoints returns A, B, then AB_1 … AB_k, where AB_i is A with
// column i taken from B (Saltelli 2002, 2010).
func SaltelliPoints(a, b [][]float64) [][]float64 {
	n, k := len(a), len(a[0])
	out := make([][]float64, 0, n*(k+2))
	out = append(out, a...)
	out = append(out, b...)
	for i := range k {
		for s := range n {
			x := append([]float64(nil), a[s]...)
			x[i] = b[s][i]
			out = append(out, x)
		}
	}
	return out
}
