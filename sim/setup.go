package sim

import "math"

// The initial state (docs/ODD.md §5): the population, its initial values
// and its ties.

// setup creates the population and its ties (docs/ODD.md §2, §2.2, §5).
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

// expectedSlots is the initial population and a margin for the slots of
// those who left until the next compaction (maybeCompact), so that the
// actors' array is seldom copied as it grows.
func expectedSlots(p *Params) int {
	n := p.Professionals + p.Informal + p.Coordinators
	return n + n/8 + 16
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
// others are rescaled to fill the rest (docs/ODD.md §2).
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

// largestRemainder turns shares into counts summing to n (docs/ODD.md §5):
// each role gets the floor of its quota, and what is left goes one by one
// to the largest remainders. Remainders equal within 10⁻⁹ go to the role
// with the smaller share first (so a small role is not starved by rounding:
// 12 professionals are 8 casework, 3 community, 1 hybrid), then to the
// earlier role.
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
		counts[i] = int(math.Floor(q + 1e-9))
		rem[i] = q - float64(counts[i])
		left -= counts[i]
	}
	for ; left > 0; left-- {
		best := -1
		for i := range rem {
			if rem[i] < 0 {
				continue
			}
			if best < 0 || rem[i] > rem[best]+1e-9 || (math.Abs(rem[i]-rem[best]) <= 1e-9 && shares[i] < shares[best]) {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// drawRole draws a role with the shares, for recruits and added
// professionals (docs/ODD.md §7.7, §8.4).
func (m *Model) drawRole(g *rng, side Side) Role {
	p := &m.p
	if side == SideFormal {
		w := [3]float64{p.ShareCasework, p.ShareCommunity, p.ShareHybrid}
		return RoleCasework + Role(g.pick(w[:]))
	}
	w := m.informalShares()
	return RoleVolunteer + Role(g.pick(w[:]))
}

// newActor appends an actor with the next id and initial values drawn
// from its own stream (docs/ODD.md §2, §5): w, a, g, x[0..3], v, then π and
// m for informal actors. Coordinators have fixed w and a and sit at the
// midpoint of the sides' conception means. It returns the actor's slot,
// the last one.
func (m *Model) newActor(side Side, role Role) int32 {
	p := &m.p
	u := p.Urbanity
	id := m.nextID
	m.nextID++
	r := m.stream(keyActor, int64(id))
	a := Actor{Side: side, Role: role, Active: true, Eps: p.Epsilon0, ring: -1, ringLast: minTick}
	if side == SideCoordinator {
		a.W, a.A = p.CoordIdentity, p.CoordRegard
		a.G = clamp(0.5+0.2*u+0.15*r.norm(), -1, 1)
		for d := range 4 {
			a.X[d] = (p.MuFormal[d] + p.MuInformal[d]) / 2
		}
		a.Lmax = int32(p.LmaxCoordinator)
	} else {
		a.W = clamp(0.4+0.3*u+0.1*r.norm(), 0, 1)
		a.A = clamp(0.1-0.3*u+0.2*r.norm(), -1, 1)
		a.G = clamp(0.5+0.2*u+0.15*r.norm(), -1, 1)
		mu := &p.MuFormal
		if side == SideInformal {
			mu = &p.MuInformal
		}
		for d := range 4 {
			a.X[d] = clamp(mu[d]+p.ConceptionSD*r.norm(), 0, 1)
		}
	}
	v := clamp(p.ValueMean+p.ValueSD*r.norm(), 0, 1)
	switch side {
	case SideFormal:
		a.Iota = p.Iota0
		a.Lmax = int32(p.LmaxFormal)
	case SideInformal:
		a.Pi = 0.3 * r.float64()
		a.M = 0.6 + 0.3*r.float64()
		a.Lmax = int32(p.LmaxInformal)
		a.ring = m.newRing()
	}
	a.W0, a.A0, a.G0 = a.W, a.A, a.G
	s := int32(len(m.actors))
	m.actors = append(m.actors, a)
	m.ids = append(m.ids, id)
	m.values = append(m.values, v)
	m.crossN = append(m.crossN, 0)
	if len(m.actors) > 64*len(m.hasIn) {
		m.hasIn = append(m.hasIn, 0)
	}
	m.present = append(m.present, s) // the highest id so far: last in id order
	return s
}

// newRing returns a cleared referral history (docs/ODD.md §7.6), reusing
// one of an actor who left when there is one.
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
		m.rings[int(at)+k] = refSlot{tick: minTick}
	}
	return at
}

// minTick marks an empty referral-history slot (ticks are negative in the
// warm-up, so −1 will not do).
const minTick = -1 << 31

// ringOf returns actor a's referral history.
func (m *Model) ringOf(a *Actor) []refSlot {
	return m.rings[a.ring : int(a.ring)+m.p.ReferralWindow]
}
