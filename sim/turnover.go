package sim

import (
	"slices"
)

// turnover is docs/ODD.md §7.7. Order-free part, for actors in id order:
//
//	professionals: ι += 0.01·(0.3 + 0.4·τ − ι) (the joint-work step is in §7.3);
//	informal:      π += 0.01·(t_rate + 0.5·[in a joint case])·(1 − π),
//	               m += 0.02·(0.8 − m) − 0.03·T, clamped to [0, 1],
//	               drop-out with probability 0.002 + 0.02·(1 − m)² (its own stream);
//
// then, sequentially, Poisson(0.006·N_I·(0.5 + c)) recruits join (count and
// roles from the step's stream), drawn like the initial actors, each
// creating recruit_ties in-group ties.
func (m *Model) turnover() {
	m.turnoverPrepare()
	m.visit(len(m.formal)+len(m.informal), passChange, m.prefix(keyTurnover))
	m.turnoverApply()
}

// turnoverPrepare sizes the drop-out marks for this tick's actors.
func (m *Model) turnoverPrepare() {
	if n := len(m.formal) + len(m.informal); cap(m.gone) < n {
		m.gone = make([]bool, n, n+n/4)
	}
	m.gone = m.gone[:len(m.formal)+len(m.informal)]
}

// changeOf is turnover's compute pass for the k-th member (member): its
// own change and, for an informal party, its drop-out draw from its
// stream opened on g.
func (m *Model) changeOf(g *rng, k int) {
	p := &m.p
	id := m.member(k)
	a := &m.actors[id]
	if k < len(m.formal) {
		a.Iota = clamp(a.Iota+p.IotaRate*(0.3+0.4*m.tau[k]-a.Iota), 0, 1)
		return
	}
	inJoint := 0.0
	if a.joint > 0 {
		inJoint = 1
	}
	a.Pi = clamp(a.Pi+p.PiRate*(m.tRate+p.PiJoint*inJoint)*(1-a.Pi), 0, 1)
	a.M = clamp(a.M+p.MotivationRate*(p.MotivationEq-a.M)-p.MotivationThr*a.T, 0, 1)
	q := 1 - a.M
	m.gone[k] = g.open(m.passPre, uint64(m.ids[id])).float64() < p.DropoutBase+p.DropoutCoef*q*q
}

// turnoverApply is turnover's apply part, in id order: drop-outs, then
// recruitment.
func (m *Model) turnoverApply() {
	p := &m.p
	gone := m.scratchC[:0]
	for k, id := range m.informal {
		if m.gone[len(m.formal)+k] {
			m.gone[len(m.formal)+k] = false
			m.actors[id].Active = false
			gone = append(gone, id)
		}
	}
	m.scratchC = gone
	if len(gone) > 0 {
		m.dropOut(gone)
	}
	g := m.stepStream(keyTurnover)
	n := g.poisson(p.RecruitRate * float64(p.Informal) * (0.5 + p.CivilSociety))
	// The roles get a buffer of their own: createInGroupTies uses the
	// scratch lists, and the roles of the later recruits must survive it.
	roles := m.roles[:0]
	for range n {
		roles = append(roles, m.drawRole(g, SideInformal))
	}
	m.roles = roles
	for _, role := range roles {
		id := m.newActor(SideInformal, role)
		m.joinInformal(id)
		m.informalChanged(id)
		m.actors[id].Ties = m.tieSpace(p.RecruitTies + tieRoom(p.RecruitTies))
		m.createInGroupTies(id, p.RecruitTies)
	}
}

// actorPass is how Step runs the per-actor part of §7.5–§7.7 in one visit
// of each professional and active informal party: influence's new values
// (computed before, in influenceCompute) are written, then the actor's
// threat (threatOf) and its within-side change and drop-out draw
// (changeOf). Each of these reads and writes only the actor's own state
// (and the counts of countInvolvement, made first), so doing the three for
// one actor before the next gives exactly the values of the three steps
// run one after the other (TestActorPassEqualsSteps), while the actors'
// memory is read once instead of three times. Then the drop-outs and
// recruits of turnoverApply.
func (m *Model) actorPass() {
	m.countInvolvement()
	m.turnoverPrepare()
	m.visit(len(m.formal)+len(m.informal), passActors, m.prefix(keyTurnover))
	m.turnoverApply()
}

// dropOut lets the informal actors just marked inactive (gone, in id order)
// leave (docs/ODD.md §7.4, §7.7): their informal_only cases become unnoticed,
// their joint and intermediated cases formal_only, and their ties are
// removed. The leavers are marked in a bit set, so the pass over the cases
// does not read each handler's state.
func (m *Model) dropOut(gone []int32) {
	words := (len(m.actors) + 63) / 64
	if cap(m.leaving) < words {
		m.leaving = make([]uint64, words, words+words/4)
	}
	left := m.leaving[:words]
	clear(left)
	for _, id := range gone {
		left[id>>6] |= 1 << (id & 63)
	}
	for k := range m.cases {
		c := &m.cases[k]
		if c.I < 0 || left[c.I>>6]&(1<<(c.I&63)) == 0 {
			continue
		}
		if c.Mode == ModeInformalOnly {
			m.informalLoad(c.I, -1)
			c.I = -1
			c.Mode = ModeUnnoticed
		} else {
			m.dropInformal(int32(k))
		}
	}
	for _, id := range gone {
		if m.actors[id].Role == RoleSelfOrg {
			m.selfOrgIn--
		}
		m.removeAllTies(id)
		a := &m.actors[id]
		m.freeRings = append(m.freeRings, a.ring) // not needed after leaving
		a.Ties, a.ring = nil, -1
		m.informalChanged(id)
		m.leave(id)
	}
	isLeaving := func(id int32) bool { return left[id>>6]&(1<<(id&63)) != 0 }
	m.informal = slices.DeleteFunc(m.informal, isLeaving)
	m.present = slices.DeleteFunc(m.present, isLeaving)
}

// joinInformal adds a new informal actor to the active ones.
func (m *Model) joinInformal(id int32) {
	m.informal = append(m.informal, id)
	if m.actors[id].Role == RoleSelfOrg {
		m.selfOrgIn++
	}
}
