package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// DefaultWarmup is the warm-up a scenario gets when it does not set one:
// 312 ticks, six years (docs/ODD.md §3.1).
const DefaultWarmup = 312

// Config is everything a run depends on.
type Config struct {
	Params Params
	// Standing are the area's standing arrangements (a preset's own end
	// goal, Hoorn's hybrid workers): in force in the warm-up and in every
	// variant. One with at (or start) 0 acts from the first warm-up tick;
	// one with a later tick acts from that recorded tick (docs/ODD.md §3.1).
	Standing []Intervention
	// Interventions are the variant's own: they act in recorded ticks only.
	Interventions []Intervention
	Warmup        int    // ticks stepped before tick 0, recording nothing; ≥ 0
	Ticks         int    // recorded ticks, ≥ 1
	Seed          uint64 // base seed
	Rep           uint64 // replication; baseline and variants of one share its streams
	// OnTick, if set, is called by Run after each tick, warm-up included,
	// with the ticks done (for progress reports; it must not touch the run).
	OnTick func(done int)
	// Network, if set, makes Run keep the end-state tie network in
	// Result.Edges (for network charts and GraphML/GEXF export).
	Network bool
	// Threads is the number of goroutines the order-free steps of a tick
	// may use (0 or 1: one). The outputs do not depend on it.
	Threads int
}

// scheduled is an intervention with the first tick at which it may act.
type scheduled struct {
	iv   Intervention
	from int // first tick (negative: in the warm-up)
}

// Model is the state of one run. Make it with New, advance it with Step.
type Model struct {
	p       Params
	ivs     []scheduled // in firing order (docs/ODD.md §3)
	ticks   int
	warmup  int
	network bool // keep the end-state edges (Config.Network)

	threads int                     // goroutines of the order-free steps (Config.Threads)
	wr      []*rng                  // their streams
	passPre uint64                  // the stream prefix of the pass visit is running
	dsOf    [ModeClosed + 1]float64 // Δs by mode (progress, §7.4)
	runKey  uint64                  // the replication's key: every stream derives from it
	phase   phase
	tick    int  // the current tick: −warmup … −1 in the warm-up, then 0 … ticks−1
	er, sr  *rng // the entity stream and the step's own stream (random.go)

	// The actors, one per slot (docs/ODD.md §2), in id order. Every
	// reference to an actor inside the model (ties, cases, lists, indexes)
	// is its slot; its id, the key of its random streams and its row in
	// the end state, is ids[slot]. New actors are appended; a leaver's end
	// state goes to leavers, and its slot stays empty until maybeCompact
	// moves the actors present down over the empty slots, in order, so
	// that memory follows the actors present, not all who ever took part,
	// and visiting the actors in id order still reads memory in order. (In
	// the code, an actor variable that indexes actors — id, f, i, j —
	// holds a slot.)
	actors   []Actor
	ids      []int32   // per slot: the actor's id
	nextID   int32     // ids given out
	present  []int32   // the slots of the actors present, in id order
	leavers  leaverLog // the end states of the actors who left
	values   []float64 // per slot: v, agreement with the general values; never updated
	crossN   []int32   // per slot: its formal–informal ties (kept by appendTie and removeTie; walks for cross-side ties stop after the last)
	hasIn    []uint64  // bit per slot: its in-group tie sum is above 0 (kept with inSum)
	formal   []int32   // professionals, in id order
	informal []int32   // active informal actors, in id order
	coords   []int32   // coordinators, in id order
	cases    []Case
	seq      int32 // waiting-queue numbers given out (renumberQueue)
	caseID   int64 // case ids given out

	so        float64 // s_o of this tick's arrivals (docs/ODD.md §7.1)
	selfOrgIn int     // active self_org actors (kept by joinInformal and dropOut)

	intakeIx    intakeIndex
	coordIx     coordIndex
	freeAll     idSet    // active informal actors with free capacity
	freeSelfOrg idSet    // the self_org ones among them
	piHeap      []piPair // informal actors by π, highest on top (§7.2a)
	piBuilt     bool
	piTick      int
	piValid     bool
	lmaxFormal  int32     // the professionals' common capacity
	tau         []float64 // community time per professional (index into formal)
	pressure    float64
	busyF       []int32 // professionals with meeting slots this tick

	push, q, support, gInv, aGoal, pStay, fluid, tRate float64

	tieMoves  int     // tie lists that moved out of the packed array (packTies)
	tieChunk  []Tie   // tie memory that new and outgrown lists are cut from (tieSpace)
	tieUsed   [][]Tie // the chunks cut since the last packing
	tieFree   [][]Tie // free chunks, at most tieFreeMax, to be cut again (recycleChunks)
	tieArenas [][]Tie // per block of tieBlock slots: the array its lists are packed in (packTies)
	tieBuf    []Tie   // packTies' scratch copy of one block

	next          [][3]float64  // per member (member): influence's new a, g, w (§7.5, synchronous)
	partner       []int32       // per member: influence's partner (§7.5), −1 none
	contacted     []int32       // actors with contacts this tick, in order of their first (§7.3)
	csum          []contactSums // their summed changes, by place in contacted
	cslot         []int32       // per slot: its place in contacted + 1; 0 none
	pendingGuides []pairContact
	posBuf        []bool  // per joint case: this tick's contact is positive (§7.3)
	cont          []bool  // per case: its informal party goes on after closing (§7.4)
	gone          []bool  // per member (member): drops out this tick (§7.7)
	encounterN    []int32 // per professional (index into formal): encounters this tick (§7.9)
	encounterWith []int32 // the partners of this tick's encounters, by professional

	pairs   []pairContact
	pairIdx map[uint64]int32

	// this tick's counters (docs/ODD.md §9)
	negC, posC, refD, refI, guided, guidedAcc, late, closed int
	waitSum, waitN, ageSum                                  int

	ei     [2]float64      // this tick's E and I of the E–I index (tieSums)
	tieWG  *sync.WaitGroup // record waits for tieSums on it (made on first use; a clone makes its own)
	series []float64
	setup0 []float64 // the outputs at set-up, before the warm-up
	out    *Result

	metPairs                     map[uint64]struct{}
	scratchA, scratchB, scratchC []int32
	roles                        []Role // this tick's recruits' roles (turnoverApply)
	order                        []int32
	keep                         []uint64 // bit set of casesIn
	leaving                      []uint64 // bit set of this tick's drop-outs (dropOut)

	rings     []refSlot // referral histories, referral_window slots per informal actor
	freeRings []int32   // histories of actors who left, to be reused
}

// New validates cfg and sets up the initial state (docs/ODD.md §5).
func New(cfg Config) (*Model, error) {
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	var errs []error
	if cfg.Ticks < 1 {
		errs = append(errs, fmt.Errorf("ticks must be ≥ 1, got %d", cfg.Ticks))
	}
	if cfg.Warmup < 0 {
		errs = append(errs, fmt.Errorf("warmup must be ≥ 0, got %d", cfg.Warmup))
	}
	var ivs []scheduled
	for _, k := range Kinds { // stable by kind, standing before the variant's, then in the order given
		for g, list := range [][]Intervention{cfg.Standing, cfg.Interventions} {
			for _, iv := range list {
				if iv == nil {
					errs = append(errs, errors.New("nil intervention"))
					continue
				}
				if iv.Kind() != k {
					continue
				}
				if err := iv.Validate(); err != nil {
					errs = append(errs, err)
				}
				from := firstTick(iv)
				if g == 0 && from == 0 {
					from = -cfg.Warmup // a standing arrangement from the start
				}
				ivs = append(ivs, scheduled{iv: iv, from: from})
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m := &Model{p: cfg.Params, ivs: ivs, ticks: cfg.Ticks, warmup: cfg.Warmup, network: cfg.Network, threads: cfg.Threads}
	m.runKey = runKey(cfg.Seed, cfg.Rep)
	m.er, m.sr = newRNG(), newRNG()
	m.pairIdx = map[uint64]int32{}
	m.metPairs = map[uint64]struct{}{}
	m.push, m.tRate = m.p.Push, m.p.TrainingRate
	m.setEndGoal("none", m.p.Clarity, 0)
	m.lmaxFormal = int32(m.p.LmaxFormal)
	n := expectedSlots(&m.p)
	m.actors, m.ids, m.values, m.crossN = make([]Actor, 0, n), make([]int32, 0, n), make([]float64, 0, n), make([]int32, 0, n)
	m.present = make([]int32, 0, n)
	m.hasIn = make([]uint64, 0, (n+63)/64)
	m.rings = make([]refSlot, 0, (m.p.Informal+m.p.Informal/16+16)*m.p.ReferralWindow) // recruits mostly reuse leavers' histories
	m.phase, m.tick = phaseSetup, 0
	m.setup()
	m.computeTau()
	m.record()
	m.setup0, m.series = m.series, make([]float64, 0, min(cfg.Ticks, 4096)*NumMetrics)
	m.tick = -cfg.Warmup
	m.phase = phaseWarmup
	if m.tick == 0 {
		m.phase = phaseRun
	}
	return m, nil
}

// Run makes a model from cfg and runs it to the end: the warm-up, then the
// recorded ticks.
func Run(cfg Config) (*Result, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return m.Continue(cfg.OnTick), nil
}

// release drops the state that only stepping needs (cases, indexes, scratch
// space), so that a large run's end state is built without it (Run, after
// the last tick). The model cannot step afterwards.
func (m *Model) release() {
	m.cases, m.order, m.keep, m.leaving = nil, nil, nil, nil
	m.next, m.partner, m.piHeap = nil, nil, nil
	m.contacted, m.csum, m.cslot = nil, nil, nil
	m.posBuf, m.cont, m.gone, m.encounterN, m.encounterWith = nil, nil, nil, nil, nil
	m.rings, m.freeRings = nil, nil
	m.tieArenas, m.tieBuf, m.tieChunk, m.tieUsed, m.tieFree = nil, nil, nil, nil, nil
	m.freeAll, m.freeSelfOrg, m.intakeIx, m.coordIx = idSet{}, idSet{}, intakeIndex{}, coordIndex{}
	m.pairs, m.pairIdx, m.metPairs = nil, nil, nil
	m.scratchA, m.scratchB, m.scratchC, m.roles = nil, nil, nil, nil
}

// Tick is the current tick: negative in the warm-up, then the number of
// recorded ticks done.
func (m *Model) Tick() int { return m.tick }

// Step advances the model one tick in the order of docs/ODD.md §3. Warm-up
// ticks record nothing.
func (m *Model) Step() {
	m.resetCounters()
	for _, ph := range phases {
		ph.run(m)
	}
	m.releaseBusy()
	m.tick++
	if m.tick == 0 {
		m.phase = phaseRun
	}
}

// resetCounters zeroes this tick's counted outputs (docs/ODD.md §9).
func (m *Model) resetCounters() {
	m.negC, m.posC, m.refD, m.refI, m.guided, m.guidedAcc, m.late, m.closed = 0, 0, 0, 0, 0, 0, 0, 0
	m.waitSum, m.waitN, m.ageSum = 0, 0, 0
}

// phases are the steps of a tick in the order of docs/ODD.md §3, named for
// the per-phase timing of BenchmarkPhases.
var phases = [...]struct {
	name string
	run  func(*Model)
}{
	{"compaction", (*Model).maybeCompact},          // memory only: no output depends on it
	{"interventions", (*Model).applyInterventions}, // 1: §8
	{"arrival", (*Model).arrive},                   // 2: §7.1
	{"routing", (*Model).route},                    // 3: §7.2
	{"contact", (*Model).jointContacts},            // 4: §7.3
	{"progression", (*Model).progress},             // 5: §7.4
	{"influence", (*Model).influenceCompute},       // 6: §7.5, its compute pass
	{"actors", (*Model).actorPass},                 // 6–8: §7.5's new values, §7.6, §7.7
	{"ties", (*Model).decayTies},                   // 9: §7.8
	{"encounters", (*Model).encounters},            // 10: §7.9
	{"outputs", (*Model).recordTick},               // 11: §9
}

// recordTick records this tick's outputs, in recorded ticks only.
func (m *Model) recordTick() {
	if m.tick >= 0 {
		m.record()
	}
	if mod(m.tick, m.p.ReflectionWindow) == 0 {
		m.prunePairs()
	}
}

// mod is the non-negative remainder of t ÷ n (ticks are negative in the
// warm-up).
func mod(t, n int) int {
	r := t % n
	if r < 0 {
		r += n
	}
	return r
}

// casesIn returns the indices of the current cases in mode mode (and, when
// due, whose next involvement consideration is due), in index order. The
// test is made in one branch-free pass and kept in a bit set.
func (m *Model) casesIn(mode Mode, due bool) []int32 {
	n := len(m.cases)
	words := (n + 63) / 64
	if cap(m.keep) < words {
		m.keep = make([]uint64, words, words+words/4)
	}
	set := m.keep[:words]
	tick := int64(m.tick)
	var anyTick uint64 // 1 when due does not matter
	if !due {
		anyTick = 1
	}
	for w := range set {
		var b uint64
		cs := m.cases[w*64 : min(w*64+64, n)]
		for k := range cs {
			isMode := (uint64(cs[k].Mode^mode) - 1) >> 63           // 1 when equal (the difference is below 256)
			isDue := 1 ^ uint64(tick-int64(cs[k].NextConsider))>>63 // 1 when NextConsider ≤ tick
			b |= isMode & (isDue | anyTick) << k
		}
		set[w] = b
	}
	o := m.order[:0]
	for w, b := range set {
		for b != 0 {
			k := bits.TrailingZeros64(b)
			o = append(o, int32(w*64+k))
			b &= b - 1
		}
	}
	m.order = o
	return o
}

// shuffledCasesIn is casesIn in an order drawn from the step's own stream g
// (for the sequential steps, docs/ODD.md §3.2).
func (m *Model) shuffledCasesIn(g *rng, mode Mode, due bool) []int32 {
	o := m.casesIn(mode, due)
	g.shuffle32(o)
	return o
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func pairKey(f, i int32) uint64 { return uint64(uint32(f))<<32 | uint64(uint32(i)) }
