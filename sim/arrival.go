package sim

import (
	"cmp"
	"math"
	"slices"
)

// arrive is docs/ODD.md §7.1, a sequential step. The waiting queue is
// served first (first come, first served); then n_e ~ Poisson(λe·households)
// explicit and n_s ~ Poisson(λs·households) silent cases arrive (counts from
// the step's own stream) and are handled in an order drawn from it. Each new
// case draws its own attributes from its own stream: migrant background
// with probability d, severity Beta(2+2u, 4), and for a migrant household
// with an explicit request the decline of formal help (probability
// migrant_decline·(1−k), after which it is a silent case), and for a silent
// case whether the informal network notices it.
func (m *Model) arrive() {
	p := &m.p
	g := m.stepStream(keyArrival)
	// The counts are drawn first, so that no variant's queue can shift
	// them: demand is paired across variants (docs/ODD.md §3.2).
	ne := g.poisson(p.ExplicitRate * float64(p.Households))
	ns := g.poisson(p.SilentRate * float64(p.Households))
	m.serveQueue(g)
	m.so = m.selfOrgShare()
	first := len(m.cases)
	for k := range ne + ns {
		m.caseID++
		c := Case{ID: m.caseID, F: -1, I: -1, C: -1, Silent: k >= ne}
		r := m.stream(keyArrival, c.ID)
		c.Migrant = r.float64() < p.MigrantShare
		c.S = r.beta(2+2*p.Urbanity, 4)
		if !c.Silent && c.Migrant && r.float64() < p.MigrantDecline*(1-p.CulturalSensitivity) {
			c.Silent = true
		}
		m.cases = append(m.cases, c)
	}
	o := m.order[:0]
	for i := first; i < len(m.cases); i++ {
		o = append(o, int32(i))
	}
	g.shuffle32(o)
	m.order = o
	for _, ci := range o {
		if m.cases[ci].Silent {
			m.notice(g, ci)
		} else if !m.intake(g, ci) {
			m.enqueue(ci)
		}
	}
}

// serveQueue takes waiting cases in order of arrival in the queue while a
// professional has capacity (docs/ODD.md §7.1), counting the weeks each
// waited (wait_weeks, §9).
func (m *Model) serveQueue(g *rng) {
	w := m.scratchA[:0]
	for i := range m.cases {
		if m.cases[i].Mode == ModeWaiting {
			w = append(w, int32(i))
		}
	}
	m.sortWaiting(w)
	m.scratchA = w
	for _, ci := range w {
		if !m.intake(g, ci) {
			return
		}
		m.waitSum += m.tick - int(m.cases[ci].waitFrom)
		m.waitN++
	}
}

func (m *Model) enqueue(ci int32) {
	c := &m.cases[ci]
	c.Mode = ModeWaiting
	c.F, c.I, c.C = -1, -1, -1
	if m.seq == math.MaxInt32 {
		m.renumberQueue()
	}
	m.seq++
	c.seq = m.seq
	c.waitFrom = int32(m.tick)
}

// sortWaiting sorts waiting cases w by their place in the queue.
func (m *Model) sortWaiting(w []int32) {
	slices.SortFunc(w, func(a, b int32) int { return cmp.Compare(m.cases[a].seq, m.cases[b].seq) })
}

// renumberQueue numbers the waiting cases 1, 2, … in their order in the
// queue, when the 32-bit queue numbers have run out (after 2^31 entries
// into the queue; a national run has some tens of millions). Only their
// order is ever used, so nothing changes (TestQueueRenumbering).
func (m *Model) renumberQueue() {
	var w []int32
	for i := range m.cases {
		if m.cases[i].Mode == ModeWaiting {
			w = append(w, int32(i))
		}
	}
	m.sortWaiting(w)
	for k, ci := range w {
		m.cases[ci].seq = int32(k + 1)
	}
	m.seq = int32(len(w))
}

// intake gives case ci to the casework or hybrid professional with the
// lowest load (cases plus this tick's meeting slots) that has free
// capacity, ties broken with g; community workers only when all others are
// full (docs/ODD.md §7.1). The case becomes formal_only and is first
// considered for involvement at this tick's routing step. It reports false
// when nobody has capacity.
func (m *Model) intake(g *rng, ci int32) bool {
	f := m.intakeProfessional(g)
	if f < 0 {
		return false
	}
	m.assignFormal(ci, f)
	return true
}

func (m *Model) assignFormal(ci, f int32) {
	c := &m.cases[ci]
	c.F = f
	c.Mode = ModeFormalOnly
	c.NextConsider = int32(m.tick)
	m.formalLoad(f, 1)
}

// notice is the silent branch of docs/ODD.md §7.1: the informal network
// notices the case with probability reach = clamp(c·(1−0.5u) +
// [migrant]·0.5·s_o, 0, 0.95) (drawn from the case's stream), s_o the share
// of self_org among active informal parties divided by 0.15 (at most 1). A
// noticed case goes to a random active informal party with free capacity
// (a self_org one first for a migrant household; drawn with g); otherwise
// it stays unnoticed.
func (m *Model) notice(g *rng, ci int32) {
	p := &m.p
	c := &m.cases[ci]
	c.Mode = ModeUnnoticed
	reach := p.CivilSociety * (1 - 0.5*p.Urbanity)
	if c.Migrant {
		reach += 0.5 * m.so
	}
	reach = clamp(reach, 0, 0.95)
	if m.stream(keyNotice, c.ID).float64() >= reach {
		return
	}
	j := m.freeInformal(g, c.Migrant)
	if j < 0 {
		return
	}
	m.assignInformal(ci, j)
	c.Mode = ModeInformalOnly
}

// selfOrgShare is s_o of docs/ODD.md §7.1 (the count of active self_org
// parties is kept as they join and leave).
func (m *Model) selfOrgShare() float64 {
	if len(m.informal) == 0 {
		return 0
	}
	return math.Min(float64(m.selfOrgIn)/float64(len(m.informal))/0.15, 1)
}

// assignInformal makes j the informal handler of case ci and records it as a
// case taken on (for r_j, docs/ODD.md §7.6).
func (m *Model) assignInformal(ci, j int32) {
	m.cases[ci].I = j
	m.informalLoad(j, 1)
	m.slot(&m.actors[j]).taken++
}

// slot returns the referral-history slot of this tick.
func (m *Model) slot(a *Actor) *refSlot {
	r := m.ringOf(a)
	a.ringLast = int32(m.tick)
	s := &r[mod(m.tick, len(r))]
	if s.tick != int32(m.tick) {
		*s = refSlot{tick: int32(m.tick)}
	}
	return s
}
