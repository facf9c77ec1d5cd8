package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
)

// Side is the world an actor belongs to.
type Side uint8

// The sides.
const (
	SideFormal      Side = iota // neighbourhood-team professionals
	SideInformal                // volunteers, resident and self-organisations, experts by experience
	SideCoordinator             // intermediaries between the worlds
)

var sideNames = [...]string{"formal", "informal", "coordinator"}

func (s Side) String() string { return sideNames[s] }

// Role is an actor's role within its side (MODEL.md 2).
type Role uint8

// The roles.
const (
	RoleCasework Role = iota
	RoleCommunity
	RoleHybrid
	RoleVolunteer
	RoleResidentOrg
	RoleSelfOrg
	RoleExpert
	RoleCoordinator
)

var roleNames = [...]string{"casework", "community", "hybrid", "volunteer", "resident_org", "self_org", "expert", "coordinator"}

func (r Role) String() string { return roleNames[r] }

// Mode is how a case is being handled (MODEL.md 2).
type Mode uint8

// The modes. ModeClosed marks a case that is helped and gone.
const (
	ModeUnnoticed Mode = iota
	ModeWaiting
	ModeFormalOnly
	ModeInformalOnly
	ModeIntermediated
	ModeJoint
	ModeClosed
)

var modeNames = [...]string{"unnoticed", "waiting", "formal_only", "informal_only", "intermediated", "joint", "closed"}

func (m Mode) String() string { return modeNames[m] }

// Tie is one end of a symmetric acquaintance tie.
type Tie struct {
	To   int32   // the other actor
	Side Side    // the other actor's side (kept here: the hot loops read it)
	S    float64 // strength in (0, 1]
}

// Actor is one professional, informal actor or coordinator (MODEL.md 2).
type Actor struct {
	// The fields read by in-group influence (4.5) come first, so that one
	// cache line holds what a visit needs, and the struct is three cache
	// lines exactly, so that in the actors' array (allocated on a page) the
	// first line of every actor is one line (TestActorLayout).
	Side     Side
	Role     Role
	Active   bool       // informal actors leave by drop-out; everyone else stays
	ringLast int32      // informal: the last tick written in its referral history; −1 none (fits the padding)
	A, G     float64    // out-group regard, in-group regard
	W        float64    // identification with one's side
	Ties     []Tie      // acquaintance ties
	inSum    float64    // sum of the in-group ties' strengths (4.5)
	X        [4]float64 // conceptions (MODEL.md 2.1)

	W0, A0, G0 float64 // initial values (MODEL.md 4.6)
	Eps        float64 // tolerance of disagreement
	Iota       float64 // formal: informality of working style
	Pi         float64 // informal: proto-professionalisation
	M          float64 // informal: motivation
	T          float64 // identity threat of the last tick

	Load, Lmax    int32 // cases held; capacity
	CrossContacts int32 // cross-side encounters so far

	ring     int32 // informal: first slot of its referral history in Model.rings; −1 none
	slots    int32 // wijktafel conversation slots left
	joint    int32 // informal: joint cases held (this tick's count)
	involved int32 // formal: cases held with informal involvement
	fidx     int32 // formal: index in Model.formal; coordinator: index in Model.coords
}

type refSlot struct {
	tick          int32
	taken, refers uint16
}

// Case is one household's problem (MODEL.md 2).
type Case struct {
	S            float64 // severity
	F, I, C      int32   // formal handler, informal handler, coordinator; −1 none
	Mode         Mode
	Migrant      bool
	Silent       bool
	Late         bool
	Age          int32
	NextConsider int32 // tick of the next involvement consideration (4.2a)
	seq          int64 // place in the waiting queue
}

type pairContact struct {
	f, i int32
	last int32
}

// Config is everything a run depends on.
type Config struct {
	Params        Params
	Interventions []Intervention
	Ticks         int
	Seed          uint64 // base seed
	Rep           uint64 // replication; see Stream
	// OnTick, if set, is called by Run after each tick with the ticks done
	// (for progress reports; it must not touch the run).
	OnTick func(done int)
	// Network, if set, makes Run keep the end-state tie network in
	// Result.Edges (for network charts and GraphML/GEXF export).
	Network bool
}

// Model is the state of one run. Make it with New, advance it with Step.
type Model struct {
	p       Params
	ivs     []Intervention
	ticks   int
	network bool       // keep the end-state edges (Config.Network)
	src     *rand.PCG  // the run's stream; the hot loops draw from it directly (random.go)
	rng     *rand.Rand // the same stream, for the draws rand.Rand makes easy (normal, …)
	tick    int

	actors   []Actor
	values   []float64 // per actor id: v, agreement with the general values (MODEL.md 2); never updated, NaN once the actor has left (value_consensus is over those present)
	crossN   []int32   // per actor id: its formal–informal ties (kept by appendTie and removeTie; walks for cross-side ties in 4.2 and 4.8 stop after the last)
	hasIn    []uint64  // bit per actor id: its in-group tie sum is above 0 (kept with inSum; 4.5's draws read it instead of the actor)
	formal   []int32   // professionals, by id
	informal []int32   // active informal actors, by id
	coords   []int32   // coordinators, by id
	cases    []Case
	seq      int64

	so        float64 // s_o of this tick's arrivals (MODEL.md 4.1)
	selfOrgIn int     // active self_org actors (kept by joinInformal and dropOut)

	intakeIx    intakeIndex
	coordIx     coordIndex
	freeAll     idSet    // active informal actors with free capacity
	freeSelfOrg idSet    // the self_org ones among them
	piHeap      []piPair // informal actors by π, highest on top (4.2a)
	piBuilt     bool
	piTick      int
	lmaxFormal  int32     // the professionals' common capacity
	tau         []float64 // community time per professional (index into formal)
	pressure    float64

	push, q, support, gInv, aGoal, pStay, tRate float64

	tieMoves int // tie lists that moved out of the packed array (packTies)

	partner []int32   // per actor id: this tick's in-group partner (4.5)
	draw    []float64 // per actor id: this tick's draw for it (4.5)

	pairs   []pairContact
	pairIdx map[uint64]int32

	// this tick's counters (MODEL.md 6)
	negC, posC, refD, refI, guided, guidedAcc, late, closed int

	series []float64
	out    *Result

	metPairs                     map[uint64]struct{}
	scratchA, scratchB, scratchC []int32
	order                        []int32
	keep                         []uint64 // bit set of shuffledCasesIn
	leaving                      []uint64 // bit set of this tick's drop-outs (dropOut)

	rings     []refSlot // referral histories, referral_window slots per informal actor
	freeRings []int32   // histories of actors who left, to be reused
}

// Stream returns the random stream of replication rep of base seed seed:
// a PCG whose two words are splitmix64(seed) and splitmix64(seed ⊕
// splitmix64(rep + 1)). It depends on nothing else, so baseline and every
// variant of a replication start from the same stream (common random
// numbers, MODEL.md 9).
func Stream(seed, rep uint64) *rand.Rand {
	_, r := newStreams(seed, rep)
	return r
}

// DeriveSeed mixes a base seed with an index into a new seed:
// splitmix64(seed ⊕ splitmix64(k + 1)). Sweeps use it for the seed of each
// design point.
func DeriveSeed(seed, k uint64) uint64 { return splitmix64(seed ^ splitmix64(k+1)) }

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// New validates cfg and sets up the initial state (MODEL.md 2, 2.1, 2.2).
func New(cfg Config) (*Model, error) {
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	if cfg.Ticks < 1 {
		return nil, fmt.Errorf("ticks must be ≥ 1, got %d", cfg.Ticks)
	}
	var errs []error
	ivs := make([]Intervention, 0, len(cfg.Interventions))
	for _, k := range Kinds { // stable by kind, then by order given (MODEL.md 9)
		for _, iv := range cfg.Interventions {
			if iv == nil {
				errs = append(errs, errors.New("nil intervention"))
				continue
			}
			if iv.Kind() == k {
				if err := iv.Validate(); err != nil {
					errs = append(errs, err)
				}
				ivs = append(ivs, iv)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m := &Model{p: cfg.Params, ivs: ivs, ticks: cfg.Ticks, network: cfg.Network}
	m.src, m.rng = newStreams(cfg.Seed, cfg.Rep)
	m.pairIdx = map[uint64]int32{}
	m.metPairs = map[uint64]struct{}{}
	m.push, m.tRate = m.p.Push, m.p.TrainingRate
	m.setEndGoal("none", m.p.Clarity, 0)
	m.lmaxFormal = int32(m.p.LmaxFormal)
	n := expectedActors(&m.p, cfg.Ticks)
	m.actors, m.values, m.crossN = make([]Actor, 0, n), make([]float64, 0, n), make([]int32, 0, n)
	m.hasIn = make([]uint64, 0, (n+63)/64)
	m.rings = make([]refSlot, 0, (m.p.Informal+m.p.Informal/16+16)*m.p.ReferralWindow) // recruits mostly reuse leavers' histories
	m.setup()
	m.series = make([]float64, 0, min(cfg.Ticks, 4096)*NumMetrics)
	return m, nil
}

// Run makes a model from cfg and runs it to the end.
func Run(cfg Config) (*Result, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	for m.Tick() < cfg.Ticks {
		m.Step()
		if cfg.OnTick != nil {
			cfg.OnTick(m.Tick())
		}
	}
	return m.finish(), nil
}

// release drops the state that only stepping needs (cases, indexes, scratch
// space), so that a large run's end state is built without it (Run, after
// the last tick). The model cannot step afterwards.
func (m *Model) release() {
	m.cases, m.order, m.keep, m.leaving = nil, nil, nil, nil
	m.partner, m.draw, m.piHeap = nil, nil, nil
	m.rings, m.freeRings = nil, nil
	m.freeAll, m.freeSelfOrg, m.intakeIx, m.coordIx = idSet{}, idSet{}, intakeIndex{}, coordIndex{}
	m.pairs, m.pairIdx, m.metPairs = nil, nil, nil
	m.scratchA, m.scratchB, m.scratchC = nil, nil, nil
}

// Tick is the number of ticks done.
func (m *Model) Tick() int { return m.tick }

// Step advances the model one tick in the order of MODEL.md section 3.
func (m *Model) Step() {
	m.resetCounters()
	for _, ph := range phases {
		ph.run(m)
	}
	m.tick++
}

// resetCounters zeroes this tick's counted outputs (MODEL.md 6).
func (m *Model) resetCounters() {
	m.negC, m.posC, m.refD, m.refI, m.guided, m.guidedAcc, m.late, m.closed = 0, 0, 0, 0, 0, 0, 0, 0
}

// phases are the steps of a tick in the order of MODEL.md section 3, named
// for the per-phase timing of BenchmarkPhases.
var phases = [...]struct {
	name string
	run  func(*Model)
}{
	{"interventions", (*Model).applyInterventions}, // 1
	{"arrival", (*Model).arrive},                   // 2: 4.1
	{"routing", (*Model).route},                    // 3: 4.2
	{"contact", (*Model).jointContacts},            // 4: 4.3
	{"progression", (*Model).progress},             // 5: 4.4
	{"influence", (*Model).influence},              // 6: 4.5
	{"threat", (*Model).threat},                    // 7: 4.6
	{"turnover", (*Model).turnover},                // 8: 4.7
	{"ties", (*Model).decayTies},                   // 9: 4.8
	{"outputs", (*Model).record},                   // 10: 6
}

// setup creates the population and its ties (MODEL.md 2, 2.2, 9).
func (m *Model) setup() {
	p := &m.p
	fc := largestRemainder(p.Professionals, []float64{p.ShareCasework, p.ShareCommunity, p.ShareHybrid})
	for r, n := range fc {
		for range n {
			m.addProfessional(RoleCasework + Role(r))
		}
	}
	shares := m.informalShares()
	ic := largestRemainder(p.Informal, shares[:])
	for r, n := range ic {
		for range n {
			id := m.newActor(SideInformal, RoleVolunteer+Role(r))
			m.joinInformal(id)
			m.informalChanged(id)
		}
	}
	for range p.Coordinators {
		id := m.newActor(SideCoordinator, RoleCoordinator)
		m.actors[id].fidx = int32(len(m.coords))
		m.coords = append(m.coords, id)
	}
	m.coordReindex()
	for _, id := range m.formal {
		m.createInGroupTies(id, p.InGroupTies)
	}
	for _, id := range m.informal {
		m.createInGroupTies(id, p.InGroupTies)
	}
	m.createCrossTies()
	for _, id := range m.coords {
		m.createCoordinatorTies(id)
	}
	m.tau = make([]float64, len(m.formal))
	m.packTies()
}

// expectedActors is the initial population plus the recruits expected over
// the run (at most ten years of them) and a margin, so that the actors'
// array is allocated once rather than copied as it grows.
func expectedActors(p *Params, ticks int) int {
	recruits := p.RecruitRate * float64(p.Informal) * (0.5 + p.CivilSociety) * float64(min(ticks, 520))
	return p.Professionals + p.Informal + p.Coordinators + int(1.05*recruits+4*math.Sqrt(recruits)) + 16
}

// addProfessional creates a professional and appends it to m.formal.
func (m *Model) addProfessional(role Role) int32 {
	id := m.newActor(SideFormal, role)
	m.actors[id].fidx = int32(len(m.formal))
	m.actors[id].Lmax = m.lmaxFormal
	m.formal = append(m.formal, id)
	m.indexAdd(id)
	return id
}

// informalShares are the informal role shares (volunteer, resident_org,
// self_org, expert): self_org scales with d (0.15·d/0.3, at most 1), the
// others are rescaled to fill the rest (MODEL.md 2).
func (m *Model) informalShares() [4]float64 {
	p := &m.p
	so := math.Min(p.ShareSelfOrg*p.MigrantShare/0.3, 1)
	rest := p.ShareVolunteer + p.ShareResidentOrg + p.ShareExpert
	f := 0.0
	if rest > 0 {
		f = (1 - so) / rest
	}
	return [4]float64{p.ShareVolunteer * f, p.ShareResidentOrg * f, so, p.ShareExpert * f}
}

// largestRemainder turns shares into counts summing to n (MODEL.md 9).
// Remainders that tie go to the earlier role.
func largestRemainder(n int, shares []float64) []int {
	sum := 0.0
	for _, s := range shares {
		sum += s
	}
	counts := make([]int, len(shares))
	rem := make([]float64, len(shares))
	left := n
	for i, s := range shares {
		q := float64(n) * s / sum
		counts[i] = int(math.Floor(q))
		rem[i] = q - float64(counts[i])
		left -= counts[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best]+1e-12 {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// drawRole draws a role with the shares, for recruits and added
// professionals (MODEL.md 9).
func (m *Model) drawRole(side Side) Role {
	p := &m.p
	if side == SideFormal {
		w := [3]float64{p.ShareCasework, p.ShareCommunity, p.ShareHybrid}
		return RoleCasework + Role(m.pick(w[:]))
	}
	w := m.informalShares()
	return RoleVolunteer + Role(m.pick(w[:]))
}

func (m *Model) pick(w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	u := m.float64() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// newActor appends an actor with initial values drawn as in MODEL.md 2:
// w, a, g, x[0..3], v, then π and m for informal actors. Coordinators have
// fixed w and a and sit at the midpoint of the sides' conception means.
func (m *Model) newActor(side Side, role Role) int32 {
	p := &m.p
	u := p.Urbanity
	r := m.rng
	a := Actor{Side: side, Role: role, Active: true, Eps: p.Epsilon0, ring: -1, ringLast: -1}
	if side == SideCoordinator {
		a.W, a.A = p.CoordIdentity, p.CoordRegard
		a.G = clamp(0.5+0.2*u+0.15*r.NormFloat64(), -1, 1)
		for d := range 4 {
			a.X[d] = (p.MuFormal[d] + p.MuInformal[d]) / 2
		}
		a.Lmax = int32(p.LmaxCoordinator)
	} else {
		a.W = clamp(0.4+0.3*u+0.1*r.NormFloat64(), 0, 1)
		a.A = clamp(0.1-0.3*u+0.2*r.NormFloat64(), -1, 1)
		a.G = clamp(0.5+0.2*u+0.15*r.NormFloat64(), -1, 1)
		mu := &p.MuFormal
		if side == SideInformal {
			mu = &p.MuInformal
		}
		for d := range 4 {
			a.X[d] = clamp(mu[d]+p.ConceptionSD*r.NormFloat64(), 0, 1)
		}
	}
	v := clamp(p.ValueMean+p.ValueSD*r.NormFloat64(), 0, 1)
	switch side {
	case SideFormal:
		a.Iota = p.Iota0
		a.Lmax = int32(p.LmaxFormal)
	case SideInformal:
		a.Pi = 0.3 * r.Float64()
		a.M = 0.6 + 0.3*r.Float64()
		a.Lmax = int32(p.LmaxInformal)
		a.ring = m.newRing()
	}
	a.W0, a.A0, a.G0 = a.W, a.A, a.G
	m.actors = append(m.actors, a)
	m.values = append(m.values, v)
	m.crossN = append(m.crossN, 0)
	if len(m.actors) > 64*len(m.hasIn) {
		m.hasIn = append(m.hasIn, 0)
	}
	return int32(len(m.actors) - 1)
}

// newRing returns a cleared referral history (MODEL.md 4.6), reusing one of
// an actor who left when there is one.
func (m *Model) newRing() int32 {
	w := m.p.ReferralWindow
	var at int32
	if n := len(m.freeRings); n > 0 {
		at, m.freeRings = m.freeRings[n-1], m.freeRings[:n-1]
	} else {
		at = int32(len(m.rings))
		m.rings = append(m.rings, make([]refSlot, w)...)
	}
	for k := range w {
		m.rings[int(at)+k] = refSlot{tick: -1}
	}
	return at
}

// ringOf returns actor a's referral history.
func (m *Model) ringOf(a *Actor) []refSlot {
	return m.rings[a.ring : int(a.ring)+m.p.ReferralWindow]
}

// Result is what a run produced: every output of MODEL.md section 6 at every
// tick, and each actor's end state.
type Result struct {
	Ticks  int
	Series []float64 // Ticks × NumMetrics, row by row; see Metrics
	Actors []ActorState
	// Edges is the end-state tie network, each tie once (A < B), in order
	// of A then of A's tie list; only when Config.Network is set.
	Edges []Edge
}

// Edge is one symmetric tie of the end-state network.
type Edge struct {
	A, B int32   // actor ids (indexes into Result.Actors), A < B
	S    float64 // strength in (0, 1]
}

// Row returns the outputs of tick t, indexed like Metrics.
func (r *Result) Row(t int) []float64 { return r.Series[t*NumMetrics : (t+1)*NumMetrics] }

// MeanLast is the mean of a metric over the last w ticks (all ticks when
// fewer), and the number of ticks used.
func (r *Result) MeanLast(metric Metric, w int) (float64, int) {
	w = min(w, r.Ticks)
	s := 0.0
	for t := r.Ticks - w; t < r.Ticks; t++ {
		s += r.Value(t, metric)
	}
	return s / float64(w), w
}

// Value returns output metric at tick t.
func (r *Result) Value(t int, metric Metric) float64 { return r.Series[t*NumMetrics+int(metric)] }

// ActorState is one actor's state at the end of a run (MODEL.md 6).
type ActorState struct {
	ID            int
	Side          Side
	Role          Role
	Active        bool
	W, A, G       float64
	X             [4]float64
	Iota, Pi, M   float64
	Ties          int // number of ties
	CrossTies     int // number of formal–informal ties
	CrossContacts int // cross-side encounters: joint work, guiding, meetings, reflection
}

// Result returns the outputs so far and the actors' current state.
func (m *Model) Result() *Result {
	if m.out != nil && m.out.Ticks == m.tick {
		return m.out
	}
	return m.endState(false)
}

// finish builds the end state after the last tick (Run) with as little
// memory as it can: the state that only stepping needs is released first,
// and each actor's ties are counted and then dropped before the end states
// are allocated. The model cannot step or report ties afterwards.
func (m *Model) finish() *Result {
	m.release()
	return m.endState(true)
}

// largeModel is the number of actors from which finish collects the
// released state before allocating the end state (some 30 MB of actors;
// below it the collection would cost more than the memory it saves).
const largeModel = 1 << 18

// endState records every actor's end state (MODEL.md 6); dropTies counts
// the ties first and then releases them.
func (m *Model) endState(dropTies bool) *Result {
	counts := func(a *Actor) (ties, cross int) {
		for _, t := range a.Ties {
			if isCross(a.Side, t.Side) {
				cross++
			}
		}
		return len(a.Ties), cross
	}
	var edges []Edge
	if m.network {
		for id := range m.actors {
			for _, t := range m.actors[id].Ties {
				if int32(id) < t.To {
					edges = append(edges, Edge{A: int32(id), B: t.To, S: t.S})
				}
			}
		}
	}
	var tc []int32
	if dropTies {
		tc = make([]int32, 2*len(m.actors))
		for id := range m.actors {
			a := &m.actors[id]
			n, c := counts(a)
			tc[2*id], tc[2*id+1] = int32(n), int32(c)
			a.Ties = nil
		}
		if len(m.actors) >= largeModel {
			// The cases, indexes and ties just released are garbage; collect
			// them now, or the end state (120 bytes per actor, allocated at
			// once) would come on top of them: at 10^6 actors this keeps
			// the peak heap some 200 MB lower.
			runtime.GC()
		}
	}
	r := &Result{Ticks: m.tick, Series: m.series, Edges: edges}
	r.Actors = make([]ActorState, len(m.actors))
	for id := range m.actors {
		a := &m.actors[id]
		s := ActorState{ID: id, Side: a.Side, Role: a.Role, Active: a.Active, W: a.W, A: a.A, G: a.G,
			X: a.X, Iota: a.Iota, Pi: a.Pi, M: a.M, CrossContacts: int(a.CrossContacts)}
		if dropTies {
			s.Ties, s.CrossTies = int(tc[2*id]), int(tc[2*id+1])
		} else {
			s.Ties, s.CrossTies = counts(a)
		}
		r.Actors[id] = s
	}
	m.out = r
	return r
}

// shuffledCases returns the indices of the current cases in a fresh random
// order (MODEL.md 3). The slice is reused by the next call.
func (m *Model) shuffledCases() []int32 {
	o := m.order[:0]
	for i := range m.cases {
		o = append(o, int32(i))
	}
	m.shuffle32(o)
	m.order = o
	return o
}

// shuffledCasesIn is shuffledCases (the same draws) keeping only the cases
// in mode mode (and, when due, whose next involvement consideration is due)
// at the time of the call, in the shuffled order. The test is made in one
// pass in index order and remembered in a bit set, so a step that concerns
// few cases does not read every case in random order. It is valid for steps
// in which handling one case does not change whether another is kept
// (routing, joint-work contact).
func (m *Model) shuffledCasesIn(mode Mode, due bool) []int32 {
	n := len(m.cases)
	words := (n + 63) / 64
	if cap(m.keep) < words {
		m.keep = make([]uint64, words, words+words/4)
	}
	bits := m.keep[:words]
	// Both loops are written without branches on the cases' data (which
	// cases are kept is as good as random to the processor).
	tick := int64(m.tick)
	var anyTick uint64 // 1 when due does not matter
	if !due {
		anyTick = 1
	}
	for w := range bits {
		var b uint64
		cs := m.cases[w*64 : min(w*64+64, n)]
		for k := range cs {
			isMode := (uint64(cs[k].Mode^mode) - 1) >> 63           // 1 when equal (the difference is below 256)
			isDue := 1 ^ uint64(tick-int64(cs[k].NextConsider))>>63 // 1 when NextConsider ≤ tick
			b |= isMode & (isDue | anyTick) << k
		}
		bits[w] = b
	}
	all := m.shuffledCases()
	kept := 0
	for _, ci := range all {
		all[kept] = ci // kept ≤ the position read: in place
		kept += int(bits[ci>>6] >> (ci & 63) & 1)
	}
	return all[:kept]
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

// poisson draws from Poisson(lambda): by multiplication below 30, by the
// PTRS transformed rejection of Hörmann (1993) above.
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		l := math.Exp(-lambda)
		k, p := 0, r.Float64()
		for p > l {
			k++
			p *= r.Float64()
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
		u := r.Float64() - 0.5
		v := r.Float64()
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
func gamma(r *rand.Rand, shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// beta draws from Beta(a, b), a, b ≥ 1.
func beta(r *rand.Rand, a, b float64) float64 {
	x := gamma(r, a)
	y := gamma(r, b)
	return x / (x + y)
}
