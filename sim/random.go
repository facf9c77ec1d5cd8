package sim

import (
	"math/bits"
	"math/rand/v2"
)

// The hot loops draw from the run's PCG directly rather than through
// rand.Rand's Source interface. Each helper computes exactly what the
// math/rand/v2 method of the same name computes from the same source
// (Float64, IntN, Shuffle; checked by TestFastRandomMatchesMathRand), so a
// run's outputs do not depend on which of the two is used.

// float64 is rand.Rand.Float64 on m.src.
func (m *Model) float64() float64 { return float64(m.src.Uint64()<<11>>11) / (1 << 53) }

// uint64n is rand.Rand's unbiased reduction of a 64-bit draw to [0, n)
// (Lemire's multiply-shift with rejection), on m.src.
func (m *Model) uint64n(n uint64) uint64 {
	if n&(n-1) == 0 {
		return m.src.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(m.src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(m.src.Uint64(), n)
		}
	}
	return hi
}

// intN is rand.Rand.IntN on m.src; n must be > 0.
func (m *Model) intN(n int) int { return int(m.uint64n(uint64(n))) }

// shuffle32 is rand.Rand.Shuffle of s on m.src (Fisher–Yates from the end).
func (m *Model) shuffle32(s []int32) {
	for i := len(s) - 1; i > 0; i-- {
		j := m.uint64n(uint64(i + 1))
		s[i], s[j] = s[j], s[i]
	}
}

// newStreams returns the run's PCG and a rand.Rand drawing from it.
func newStreams(seed, rep uint64) (*rand.PCG, *rand.Rand) {
	src := rand.NewPCG(splitmix64(seed), splitmix64(seed^splitmix64(rep+1)))
	return src, rand.New(src)
}
