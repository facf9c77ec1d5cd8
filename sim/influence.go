package sim

// influence is docs/ODD.md §7.5, an order-free and synchronous step: each
// professional and active informal party i picks one contact j from its
// own stream — one of its in-group ties with probability proportional to
// strength, or a random member of its side if it has none — and moves
// towards j's values as they were at the start of the step:
//
//	a_i += 0.05·(a_j − a_i), g_i += 0.05·(g_j − g_i), w_i += 0.05·(w_j − w_i).
//
// Coordinators take no part. The new values are computed for everyone
// first and then written, so no actor reads a value another has already
// changed this step. influence is the step on its own; Step runs its
// compute pass and then writes the values in actorPass, together with
// threat and within-side change, which read only the actor's own state.
func (m *Model) influence() {
	m.influenceCompute()
	for k := range len(m.formal) + len(m.informal) {
		m.influenceApply(k)
	}
}

// influenceCompute is influence's compute pass: each actor's partner and
// new values, from the values at the start of the step. Step writes them
// in its pass over the actors (actorPass), influence above in a loop of
// its own. It is two visits: the partners first (influenceOf), then the
// new values (influenceValues). A partner is anywhere in the actors'
// array, so in a large area its values are a read from far memory; in a
// loop that does nothing else, the processor has many such reads under
// way at once, where each visit of influenceOf would wait for its own.
func (m *Model) influenceCompute() {
	n := len(m.formal) + len(m.informal)
	if cap(m.next) < n {
		m.next = make([][3]float64, n, n+n/16)
		m.partner = make([]int32, n, n+n/16)
	}
	m.next, m.partner = m.next[:n], m.partner[:n]
	m.visit(n, passInfluence, m.prefix(keyInfluence))
	m.visit(n, passInfluenceValues, 0)
}

// influenceOf is influence's first compute pass for the k-th member
// (member): its partner, drawn from its stream opened on g (−1: none).
func (m *Model) influenceOf(g *rng, k int) {
	id := m.member(k)
	g.open(m.passPre, uint64(m.ids[id]))
	if m.hasIn[id>>6]&(1<<(id&63)) != 0 { // inSum > 0, kept by setTie and removeTie
		m.partner[k] = m.tiePartner(id, g.float64()*m.actors[id].inSum)
	} else {
		m.partner[k] = m.randomMember(g, id)
	}
}

// influenceValues is influence's second compute pass for the k-th member:
// its new values, moved towards its partner's.
func (m *Model) influenceValues(k int) {
	r := m.p.Influence
	a := &m.actors[m.member(k)]
	na, ng, nw := a.A, a.G, a.W
	if j := m.partner[k]; j >= 0 {
		b := &m.actors[j]
		na = clamp(a.A+r*(b.A-a.A), -1, 1)
		ng = clamp(a.G+r*(b.G-a.G), -1, 1)
		nw = clamp(a.W+r*(b.W-a.W), 0, 1)
	}
	m.next[k] = [3]float64{na, ng, nw}
}

// influenceApply writes the k-th member's new values computed by
// influenceCompute.
func (m *Model) influenceApply(k int) {
	a := &m.actors[m.member(k)]
	a.A, a.G, a.W = m.next[k][0], m.next[k][1], m.next[k][2]
}

// member is the k-th professional or active informal party: the
// professionals first, then the informal parties, each in id order.
func (m *Model) member(k int) int32 {
	if k < len(m.formal) {
		return m.formal[k]
	}
	return m.informal[k-len(m.formal)]
}

// tiePartner walks actor id's in-group ties to the one where the draw
// u ∈ [0, Σ strength) falls (the last in-group tie if rounding leaves u past
// the end).
func (m *Model) tiePartner(id int32, u float64) int32 {
	a := &m.actors[id]
	last := int32(-1)
	for _, t := range a.Ties {
		if t.Side != a.Side {
			continue
		}
		last = t.To
		if u < t.S {
			return t.To
		}
		u -= t.S
	}
	return last
}

// randomMember draws a random other member of id's side, or −1 when there
// is none (§7.5, for an actor without in-group ties).
func (m *Model) randomMember(g *rng, id int32) int32 {
	side := m.formal
	if m.actors[id].Side == SideInformal {
		side = m.informal
	}
	if len(side) < 2 {
		return -1
	}
	for {
		if c := side[g.intN(len(side))]; c != id {
			return c
		}
	}
}
