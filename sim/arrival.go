package sim

import (
	"math"
	"slices"
)

// arrive is MODEL.md 4.1: the waiting queue is served first (first come,
// first served); then n_e ~ Poisson(λe·households) explicit and
// n_s ~ Poisson(λs·households) silent cases arrive and are handled in one
// shuffled order. A migrant household with an explicit request declines
// formal help with probability migrant_decline·(1−k) and becomes silent.
func (m *Model) arrive() {
	p := &m.p
	m.serveQueue()
	m.so = m.selfOrgShare()
	ne := poisson(m.rng, p.ExplicitRate*float64(p.Households))
	ns := poisson(m.rng, p.SilentRate*float64(p.Households))
	first := len(m.cases)
	for k := range ne + ns {
		m.cases = append(m.cases, Case{
			F: -1, I: -1, C: -1,
			Silent:  k >= ne,
			Migrant: m.float64() < p.MigrantShare,
			S:       beta(m.rng, 2+2*p.Urbanity, 4),
		})
	}
	o := m.order[:0]
	for i := first; i < len(m.cases); i++ {
		o = append(o, int32(i))
	}
	m.shuffle32(o)
	m.order = o
	for _, ci := range o {
		c := &m.cases[ci]
		if !c.Silent && c.Migrant && m.float64() < p.MigrantDecline*(1-p.CulturalSensitivity) {
			c.Silent = true
		}
		if c.Silent {
			m.notice(ci)
		} else if !m.intake(ci) {
			m.enqueue(ci)
		}
	}
}

// serveQueue takes waiting cases in order of arrival while a professional
// has capacity (MODEL.md 4.1, 9).
func (m *Model) serveQueue() {
	w := m.scratchA[:0]
	for i := range m.cases {
		if m.cases[i].Mode == ModeWaiting {
			w = append(w, int32(i))
		}
	}
	slices.SortFunc(w, func(a, b int32) int { return int(m.cases[a].seq - m.cases[b].seq) })
	m.scratchA = w
	for _, ci := range w {
		if !m.intake(ci) {
			return
		}
	}
}

func (m *Model) enqueue(ci int32) {
	c := &m.cases[ci]
	c.Mode = ModeWaiting
	c.F, c.I, c.C = -1, -1, -1
	m.seq++
	c.seq = m.seq
}

// intake gives case ci to the casework or hybrid professional with the
// lowest load/Lmax that has free capacity, ties broken at random; community
// workers only when all others are full (MODEL.md 4.1). The case becomes
// formal_only and is first considered for involvement at this tick's routing
// step. It reports false when nobody has capacity.
func (m *Model) intake(ci int32) bool {
	f := m.intakeProfessional()
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

// notice is the silent branch of MODEL.md 4.1: the informal network notices
// the case with probability reach = clamp(c·(1−0.5u) + [migrant]·0.5·s_o,
// 0, 0.95), s_o the share of self_org among active informal actors divided
// by 0.15 (at most 1). A noticed case goes to a random active informal actor
// with free capacity (a self_org actor first for a migrant household);
// otherwise it stays unnoticed.
func (m *Model) notice(ci int32) {
	p := &m.p
	c := &m.cases[ci]
	c.Mode = ModeUnnoticed
	reach := p.CivilSociety * (1 - 0.5*p.Urbanity)
	if c.Migrant {
		reach += 0.5 * m.so
	}
	reach = clamp(reach, 0, 0.95)
	if m.float64() >= reach {
		return
	}
	j := m.freeInformal(c.Migrant)
	if j < 0 {
		return
	}
	m.assignInformal(ci, j)
	c.Mode = ModeInformalOnly
}

// selfOrgShare is s_o of MODEL.md 4.1 (the count of active self_org
// actors is kept as they join and leave).
func (m *Model) selfOrgShare() float64 {
	if len(m.informal) == 0 {
		return 0
	}
	return math.Min(float64(m.selfOrgIn)/float64(len(m.informal))/0.15, 1)
}

// assignInformal makes j the informal handler of case ci and records it as a
// case taken on (for r_j, MODEL.md 4.6).
func (m *Model) assignInformal(ci, j int32) {
	m.cases[ci].I = j
	m.informalLoad(j, 1)
	m.slot(&m.actors[j]).taken++
}

// slot returns the referral-history slot of this tick.
func (m *Model) slot(a *Actor) *refSlot {
	r := m.ringOf(a)
	a.ringLast = int32(m.tick)
	s := &r[m.tick%len(r)]
	if s.tick != int32(m.tick) {
		*s = refSlot{tick: int32(m.tick)}
	}
	return s
}
