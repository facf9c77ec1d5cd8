package sim

// influence is MODEL.md 4.5: each formal and active informal actor, in a
// shuffled order, picks one in-group tie with probability proportional to
// its strength (a random member of its side if it has none) and moves
// towards that partner's current values:
//
//	a_i += 0.05·(a_j − a_i), g_i += 0.05·(g_j − g_i), w_i += 0.05·(w_j − w_i).
//
// Coordinators take no part.
//
// A partner depends only on the actor's ties, which this step does not
// change, and on its draw, so the work is done in three passes with the
// outputs of drawing each partner just before its update: the draws in the
// shuffled order (u ∈ [0, 1), or the random member at once for an actor
// without in-group ties: hasIn says which, so this pass does not read the
// actors), the walks along the tie lists in id order to u·Σ in-group
// strength (the lists lie in memory in about that order), then the updates
// in the shuffled order.
func (m *Model) influence() {
	r := m.p.Influence
	o := append(append(m.scratchA[:0], m.formal...), m.informal...)
	m.shuffle32(o)
	m.scratchA = o
	n := len(m.actors)
	if cap(m.partner) < n {
		m.partner = make([]int32, n+n/4)
		m.draw = make([]float64, n+n/4)
	}
	pt, draw := m.partner[:n], m.draw[:n]
	for _, id := range o {
		if m.hasIn[id>>6]&(1<<(id&63)) != 0 { // inSum > 0, kept by setTie and removeTieAt
			draw[id] = m.float64()
		} else {
			draw[id] = -1
			pt[id] = m.randomMember(id)
		}
	}
	for _, side := range [2][]int32{m.formal, m.informal} {
		for _, id := range side {
			if draw[id] >= 0 {
				pt[id] = m.tiePartner(id, draw[id]*m.actors[id].inSum)
			}
		}
	}
	for _, id := range o {
		partner := pt[id]
		if partner < 0 {
			continue
		}
		a, b := &m.actors[id], &m.actors[partner]
		a.A = clamp(a.A+r*(b.A-a.A), -1, 1)
		a.G = clamp(a.G+r*(b.G-a.G), -1, 1)
		a.W = clamp(a.W+r*(b.W-a.W), 0, 1)
	}
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
// is none (4.5, for an actor without in-group ties).
func (m *Model) randomMember(id int32) int32 {
	side := m.formal
	if m.actors[id].Side == SideInformal {
		side = m.informal
	}
	if len(side) < 2 {
		return -1
	}
	for {
		if c := side[m.intN(len(side))]; c != id {
			return c
		}
	}
}
