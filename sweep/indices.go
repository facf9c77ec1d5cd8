package sweep

import (
	"math"
	"math/rand/v2"

	"golang.org/x/exp/stats"
)

// MorrisIndex is one factor's elementary-effects summary (Morris 1991;
// Campolongo et al. 2007): μ the mean effect, μ* the mean absolute effect,
// σ the standard deviation of the effects.
type MorrisIndex struct {
	Mu, MuStar, Sigma float64
}

// Morris computes the indices of k factors from outputs y at the points of
// MorrisTrajectories: the elementary effect of step s of trajectory t is
// (y[t(k+1)+s+1] − y[t(k+1)+s]) / Δ_s, with Δ in unit space.
func Morris(y []float64, factors [][]int, deltas [][]float64, k int) []MorrisIndex {
	ee := make([][]float64, k)
	for t := range factors {
		base := t * (k + 1)
		for s, i := range factors[t] {
			ee[i] = append(ee[i], (y[base+s+1]-y[base+s])/deltas[t][s])
		}
	}
	out := make([]MorrisIndex, k)
	for i, e := range ee {
		if len(e) == 0 {
			continue
		}
		abs := make([]float64, len(e))
		for j, x := range e {
			abs[j] = math.Abs(x)
		}
		mu, sd := stats.MeanAndStdDev(e) // sd 0 for one effect
		out[i] = MorrisIndex{Mu: mu, MuStar: stats.Mean(abs), Sigma: sd}
	}
	return out
}

// SobolIndex is one factor's first-order and total index with bootstrap
// 95% intervals.
type SobolIndex struct {
	S1, S1Lo, S1Hi float64
	ST, STLo, STHi float64
}

// Sobol estimates first-order indices (Saltelli et al. 2010, eq. (b):
// S_i = mean(f(B)·(f(AB_i) − f(A))) / V) and total indices (Jansen 1999:
// ST_i = mean((f(A) − f(AB_i))²) / 2 / V), V the variance of f over A and B
// together, from outputs y (centred first) at the points of SaltelliPoints (A, B, AB_1 … AB_k,
// N each). Intervals are percentiles of `boot` bootstrap resamples of the N
// rows, drawn from rng.
func Sobol(y []float64, n, k, boot int, rng *rand.Rand) []SobolIndex {
	// Centre the outputs on the mean over A and B, as SALib does: the
	// estimators' expectations do not change, their variance drops a lot
	// when the mean is large against the spread.
	c := 0.0
	for s := range 2 * n {
		c += y[s] / float64(2*n)
	}
	yc := make([]float64, len(y))
	for i, v := range y {
		yc[i] = v - c
	}
	y = yc
	rows := make([]int, n)
	for s := range rows {
		rows[s] = s
	}
	// V is computed in one pass, Σv²/m − (Σv/m)², over outputs already
	// centred: it agrees with gonum's two-pass stat.PopVariance to about
	// 1e-16 (relative). That and the centring (Σ y/2N, not stats.Mean's
	// Σy/2N) stay as they are so that indices.csv keeps its bytes.
	est := func(rows []int) ([]float64, []float64) {
		var sum, sum2 float64
		for _, s := range rows {
			for _, v := range []float64{y[s], y[n+s]} {
				sum += v
				sum2 += v * v
			}
		}
		m := float64(2 * len(rows))
		v := sum2/m - (sum/m)*(sum/m)
		s1, st := make([]float64, k), make([]float64, k)
		if v <= 0 {
			return s1, st
		}
		for i := range k {
			var a, b float64
			for _, s := range rows {
				fa, fb, fab := y[s], y[n+s], y[(2+i)*n+s]
				a += fb * (fab - fa)
				b += (fa - fab) * (fa - fab)
			}
			s1[i] = a / float64(len(rows)) / v
			st[i] = b / float64(len(rows)) / 2 / v
		}
		return s1, st
	}
	s1, st := est(rows)
	out := make([]SobolIndex, k)
	for i := range k {
		out[i] = SobolIndex{S1: s1[i], S1Lo: s1[i], S1Hi: s1[i], ST: st[i], STLo: st[i], STHi: st[i]}
	}
	if boot < 2 {
		return out
	}
	bs1, bst := make([][]float64, k), make([][]float64, k)
	res := make([]int, n)
	for range boot {
		for s := range res {
			res[s] = rng.IntN(n)
		}
		a, b := est(res)
		for i := range k {
			bs1[i] = append(bs1[i], a[i])
			bst[i] = append(bst[i], b[i])
		}
	}
	for i := range k {
		out[i].S1Lo, out[i].S1Hi = percentiles(bs1[i])
		out[i].STLo, out[i].STHi = percentiles(bst[i])
	}
	return out
}

// percentiles are the 2.5% and 97.5% quantiles of xs (linear
// interpolation, Hyndman and Fan's R-7, as golang.org/x/exp/stats).
func percentiles(xs []float64) (float64, float64) {
	q := stats.Quantiles(xs, 0.025, 0.975)
	return q[0], q[1]
}
