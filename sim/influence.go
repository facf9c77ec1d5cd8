package sim

// influence is MODEL.md 4.5: each formal and active informal actor, in a
// shuffled order, picks one in-group tie with probability proportional to
// its strength (a random member of its side if it has none) and moves
// towards that partner's current values:
//
//	a_i += 0.05·(a_j − a_i), g_i += 0.05·(g_j − g_i), w_i += 0.05·(w_j − w_i).
//
// Coordinators take no part.
func (m *Model) influence() {
	r := m.p.Influence
	o := append(append(m.scratchA[:0], m.formal...), m.informal...)
	m.shuffle32(o)
	m.scratchA = o
	// The partners are drawn first, in the same order: a draw depends only on
	// the actor's ties, which this step does not change, so the outputs are
	// those of drawing each partner just before its update. Two passes let
	// the processor fetch many actors' ties at once in a large area.
	pt := m.scratchB[:0]
	for _, id := range o {
		pt = append(pt, m.inGroupPartner(id))
	}
	m.scratchB = pt
	for k, id := range o {
		partner := pt[k]
		if partner < 0 {
			continue
		}
		a := &m.actors[id]
		b := &m.actors[partner]
		a.A = clamp(a.A+r*(b.A-a.A), -1, 1)
		a.G = clamp(a.G+r*(b.G-a.G), -1, 1)
		a.W = clamp(a.W+r*(b.W-a.W), 0, 1)
	}
}

// inGroupPartner draws the partner of MODEL.md 4.5, or −1 when the actor is
// alone on its side.
func (m *Model) inGroupPartner(id int32) int32 {
	a := &m.actors[id]
	if sum := a.inSum; sum > 0 { // kept up to date by setTie and removeTieAt
		u := m.float64() * sum
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
	side := m.formal
	if a.Side == SideInformal {
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
