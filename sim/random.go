package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// Random numbers (docs/ODD.md §3.2). Every draw belongs to a stream named by
// (run seed, replication, phase, tick, step, key): key is the id of the
// actor or case the draws are about, or 0 for a step's own draws (a
// shuffle, the number of arrivals, a pairing). A stream is a PCG seeded by
// splitmix64 mixing of those six numbers, so it can be opened anywhere at
// the cost of two mixes, and the draws about one entity never depend on the
// order in which the entities are visited or on how many draws another
// entity made. Baseline and variants of one replication open the same
// streams (common random numbers).

// phase is the part of a run a draw belongs to.
type phase uint64

const (
	phaseSetup  phase = 1 // the initial population (docs/ODD.md §5)
	phaseWarmup phase = 2 // the warm-up ticks (§3.1)
	phaseRun    phase = 3 // the recorded ticks
)

// stepKey names the step (or sub-step) a stream belongs to.
type stepKey uint64

const (
	keyActor       stepKey = iota + 1 // an actor's initial values, by actor id
	keyInGroupTies                    // an actor's new in-group ties, by actor id
	keyCrossTies                      // the initial cross ties (step's own)
	keyCoordTies                      // a coordinator's ties, by actor id
	keyHybrid                         // hybrid_workers' choice (step's own)
	keyIntroduce                      // intermediaries' introductions: order (0), a case's draw (case id)
	keyWijktafel                      // attendance, by actor id; pairing and outcomes (0)
	keyReflection                     // reflection sessions (0)
	keyArrival                        // arrivals: counts, order, queue and intake ties (0); a new case's draws (case id)
	keyInvolve                        // 4.2a: order (0); a case's draws (case id)
	keyGuide                          // 4.2b: order (0); a case's draws (case id)
	keyProgress                       // severity noise and closing, by case id
	keyEscalate                       // the late escalations' intake (0)
	keyInfluence                      // an actor's influence partner, by actor id
	keyTurnover                       // an actor's drop-out, by actor id; recruits' count and roles (0)
	keyEncounter                      // a professional's everyday encounters, by actor id
	keyRelief                         // caseload_relief's added professionals' roles (0)
	keyNotice                         // whether the informal network notices a silent case, by case id
)

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// runKey is the key of replication rep of base seed seed:
// splitmix64(seed ⊕ splitmix64(rep + 1)). Everything random in a run
// derives from it.
func runKey(seed, rep uint64) uint64 { return splitmix64(seed ^ splitmix64(rep+1)) }

// DeriveSeed mixes a base seed with an index into a new seed:
// splitmix64(seed ⊕ splitmix64(k + 1)). It is the one function that
// derives seeds, and these are the seed rules of the commands above the
// model, written down here once (a run's own streams derive from its
// Config.Seed and Config.Rep, docs/ODD.md §3.2):
//
//   - run, compare, validate-model (package experiment): replication r of
//     every variant of a scenario with seed s runs with (Seed s, Rep r) —
//     nothing is derived, so the variants of a replication share their
//     streams (common random numbers).
//   - sweep: design point p's runs have the base seed
//     DeriveSeed(sweep seed, p) and replication r runs with (that seed, r);
//     the variants of a point share it.
//   - calibrate: generation g's particle k has the base seed
//     DeriveSeed(DeriveSeed(seed, g), k) (calibrate.ParticleSeed); its
//     replication r runs with (that seed, r) and its proposal draws from
//     Stream(that seed, 2^40); the posterior predictive draws are stage
//     g = 2^20, and generation g's kernel draws from Stream(particle 0's
//     seed, 2^41).
//
// So every number of every output derives from the seeds the user gave
// and none depends on workers, threads, shards or the order runs finish.
func DeriveSeed(seed, k uint64) uint64 { return splitmix64(seed ^ splitmix64(k+1)) }

// streamPrefix mixes a run key with a phase, tick and step; a stream is
// then opened by mixing the prefix with the entity's key (rng.open).
func streamPrefix(run uint64, ph phase, tick int, st stepKey) uint64 {
	h := splitmix64(run ^ uint64(ph)<<56)
	h = splitmix64(h ^ uint64(int64(tick)))
	return splitmix64(h ^ uint64(st)*0xd1342543de82ef95)
}

// rng is one open stream: math/rand/v2's PCG (a 128-bit LCG with the DXSM
// output), its state held here so that opening a stream and the draws below
// are small enough for the compiler to inline into the steps (rand.PCG's
// Seed and Uint64 calls made them just too large). Its draws are the
// helpers below, which compute exactly what the math/rand/v2 method of the
// same name computes from a rand.PCG seeded alike
// (TestFastRandomMatchesMathRand).
type rng struct {
	hi, lo uint64
}

func newRNG() *rng { return &rng{} }

// open positions g at the start of the stream (prefix, key): rand.PCG's
// Seed(s, splitmix64(s ⊕ 0x632be59bd9b4e019)) with s = splitmix64(prefix ⊕ key).
func (g *rng) open(prefix, key uint64) *rng {
	if countDraws {
		countOpen()
	}
	s := splitmix64(prefix ^ key)
	g.hi, g.lo = s, splitmix64(s^0x632be59bd9b4e019)
	return g
}

// u64 is rand.PCG.Uint64: the state advances by state·mul + inc (mod
// 2^128) and the new state's high half is mixed by DXSM.
func (g *rng) u64() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	if countDraws {
		countDraw()
	}
	hi, lo := bits.Mul64(g.lo, mulLo)
	hi += g.hi*mulLo + g.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	g.lo, g.hi = lo, hi
	hi ^= hi >> 32
	hi *= 0xda942042e4dd58b5
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// float64 is rand.Rand.Float64.
func (g *rng) float64() float64 { return float64(g.u64()<<11>>11) / (1 << 53) }

// uint64n is rand.Rand's unbiased reduction of a 64-bit draw to [0, n)
// (Lemire's multiply-shift with rejection).
func (g *rng) uint64n(n uint64) uint64 {
	if n&(n-1) == 0 {
		return g.u64() & (n - 1)
	}
	hi, lo := bits.Mul64(g.u64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(g.u64(), n)
		}
	}
	return hi
}

// intN is rand.Rand.IntN; n must be > 0.
func (g *rng) intN(n int) int { return int(g.uint64n(uint64(n))) }

// shuffle32 is rand.Rand.Shuffle of s (Fisher–Yates from the end).
func (g *rng) shuffle32(s []int32) {
	for i := len(s) - 1; i > 0; i-- {
		j := g.uint64n(uint64(i + 1))
		s[i], s[j] = s[j], s[i]
	}
}

// norm is a standard normal draw: rand.Rand.NormFloat64's ziggurat, step
// for step, on g's PCG directly (tables in ziggurat.go).
func (g *rng) norm() float64 {
	const rn = 3.442619855899
	for {
		u := g.u64()
		j := int32(u) // possibly negative
		i := u >> 32 & 0x7F
		x := float64(j) * float64(zigW[i])
		if absInt32(j) < zigK[i] {
			return x // better than 99% of the time
		}
		if i == 0 { // the base strip
			for {
				x = -math.Log(g.float64()) * (1.0 / rn)
				y := -math.Log(g.float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return rn + x
			}
			return -rn - x
		}
		if zigF[i]+float32(g.float64())*(zigF[i-1]-zigF[i]) < float32(math.Exp(-.5*x*x)) {
			return x
		}
	}
}

func absInt32(i int32) uint32 {
	if i < 0 {
		return uint32(-i)
	}
	return uint32(i)
}

// pick draws an index with probability proportional to w.
func (g *rng) pick(w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	u := g.float64() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// poisson draws from Poisson(lambda): by multiplication below 30, by the
// PTRS transformed rejection of Hörmann (1993) above.
func (g *rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		l := math.Exp(-lambda)
		k, p := 0, g.float64()
		for p > l {
			k++
			p *= g.float64()
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := g.float64() - 0.5
		v := g.float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}

// gamma draws from Gamma(shape, 1) (Marsaglia & Tsang 2000), shape ≥ 1.
func (g *rng) gamma(shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.norm()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := g.float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// beta draws from Beta(a, b), a, b ≥ 1.
func (g *rng) beta(a, b float64) float64 {
	x := g.gamma(a)
	y := g.gamma(b)
	return x / (x + y)
}

// stream opens the stream of step st and key in the current tick on the
// model's entity stream (for draws about one actor or case).
func (m *Model) stream(st stepKey, key int64) *rng {
	return m.er.open(m.prefix(st), uint64(key))
}

// stepStream opens the step's own stream on the model's step stream (for
// shuffles, counts and the draws of sequential steps). Its key, 2⁶³, is no
// actor's or case's id, so it never coincides with an entity's stream of
// the same step.
func (m *Model) stepStream(st stepKey) *rng {
	return m.sr.open(m.prefix(st), stepOwn)
}

// stepOwn is the key of a step's own stream.
const stepOwn = 1 << 63

// prefix is the stream prefix of step st in the current phase and tick.
func (m *Model) prefix(st stepKey) uint64 {
	return streamPrefix(m.runKey, m.phase, m.tick, st)
}

// Stream returns a random stream of its own for index k of base seed seed
// (a PCG seeded by splitmix64(seed) and splitmix64(seed ⊕ splitmix64(k+1))),
// for tools above the model that need reproducible draws of their own
// (calibration's particles, for example). Runs do not use it: their draws
// come from the streams above.
func Stream(seed, k uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix64(seed), runKey(seed, k)))
}

// visitReversed makes the compute passes of the order-free steps visit
// their entities in reverse order. Only TestOrderFreeSteps sets it: the
// outputs must not change (docs/ODD.md §3.2).
var visitReversed bool

// pass names the compute pass of an order-free step; visit runs it,
// calling the pass's method for each entity (visitOne). Passes are named
// rather than given as closures so that a tick allocates nothing for them
// and each visit is a direct call.
type pass uint8

const (
	passContact         pass = iota // §7.3: a joint case's sign (contactSign)
	passProgress                    // §7.4: a case's severity and closing (progressOf)
	passInfluence                   // §7.5: an actor's partner (influenceOf)
	passInfluenceValues             // §7.5: its new values (influenceValues)
	passActors                      // §7.5–§7.7 in one visit per actor (actorPass)
	passThreat                      // §7.6 alone (threat)
	passChange                      // §7.7's compute part alone (turnover)
	passDecay                       // §7.8: an informal end's decay (decayEnd)
	passEncounters                  // §7.9: a professional's encounters (encountersOf)
)

// visitOne is pass ps for entity k, with g a stream to open for it.
func (m *Model) visitOne(ps pass, g *rng, k int) {
	switch ps {
	case passContact:
		m.contactSign(k)
	case passProgress:
		m.progressOf(g, k)
	case passInfluence:
		m.influenceOf(g, k)
	case passInfluenceValues:
		m.influenceValues(k)
	case passActors:
		m.influenceApply(k)
		m.threatOf(k)
		m.changeOf(g, k)
	case passThreat:
		m.threatOf(k)
	case passChange:
		m.changeOf(g, k)
	case passDecay:
		m.decayEnd(k)
	case passEncounters:
		m.encountersOf(g, k)
	}
}

// visit is the compute pass ps of an order-free step for entities
// k = 0 … n−1 (visitOne), with passPre set to the step's stream prefix.
// A pass may write only what belongs to entity k; what it changes in
// shared state is applied afterwards, in a fixed order, by the caller.
// With Config.Threads above 1 and n large enough, fixed blocks of
// visitBlock entities are computed on that many goroutines, each with a
// stream of its own: as no entity's result depends on another's, the
// outputs are the same for any number of threads (TestThreadsSameBytes).
func (m *Model) visit(n int, ps pass, pre uint64) {
	m.passPre = pre
	switch {
	case visitReversed:
		for k := n - 1; k >= 0; k-- {
			m.visitOne(ps, m.er, k)
		}
		return
	case m.threads <= 1 || n < parallelMin:
		for k := range n {
			m.visitOne(ps, m.er, k)
		}
		return
	}
	blocks := (n + visitBlock - 1) / visitBlock
	workers := min(m.threads, blocks)
	for len(m.wr) < workers {
		m.wr = append(m.wr, newRNG())
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		g := m.wr[w]
		wg.Go(func() {
			for {
				b := int(next.Add(1)) - 1
				if b >= blocks {
					return
				}
				for k := b * visitBlock; k < min(n, (b+1)*visitBlock); k++ {
					m.visitOne(ps, g, k)
				}
			}
		})
	}
	wg.Wait()
}

// visitBlock is the number of entities in a block of a parallel compute
// pass (a variable only so that TestThreadsSameBytes can make blocks small).
var visitBlock = 2048

// parallelMin is the number of entities from which a pass runs on several
// goroutines (and record sums E and I on a goroutine of its own); smaller
// passes run on one. On the project's 2-core machine a second thread made
// a tick slower below about 10^5 actors (10^4: 440 against 280 ns per
// actor-tick; 3·10^4: 585 against 485; 10^5: 628 against 690): what one
// core writes in a parallel pass, the sequential steps then read from the
// other core's cache. docs/PERFORMANCE.md has the figures. Tests lower it
// to exercise the parallel passes on small areas.
var parallelMin = 32 * visitBlock
