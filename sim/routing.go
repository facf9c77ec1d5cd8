package sim

// computeTau sets each professional's community time (docs/ODD.md §7.2):
// τ_i = base(role) · (1 − pressure·(1 − support)), base casework 0.1,
// hybrid 0.5, community 0.9, pressure the mean over professionals of
// min(load + meeting slots, Lmax)/Lmax (the slots of this tick's meetings
// count as used, §8).
func (m *Model) computeTau() {
	if cap(m.tau) < len(m.formal) {
		m.tau = make([]float64, len(m.formal), 2*len(m.formal))
	}
	m.tau = m.tau[:len(m.formal)]
	pr := 0.0
	for _, id := range m.formal {
		a := &m.actors[id]
		pr += float64(min(a.Load+int32(a.busy), a.Lmax)) / float64(a.Lmax)
	}
	if len(m.formal) > 0 {
		pr /= float64(len(m.formal))
	}
	m.pressure = pr
	f := 1 - pr*(1-m.support)
	for k, id := range m.formal {
		m.tau[k] = roleBase(m.actors[id].Role) * f
	}
}

func roleBase(r Role) float64 {
	switch r {
	case RoleHybrid:
		return 0.5
	case RoleCommunity:
		return 0.9
	}
	return 0.1
}

// route is docs/ODD.md §7.2, a sequential step: τ is computed, then (a)
// runs over the due formal_only cases in an order drawn from its own
// stream, then (b) over the informal_only cases in an order drawn from
// another. Each case's decisions come from its own stream.
func (m *Model) route() {
	m.computeTau()
	m.piValid = false
	for _, ci := range m.shuffledCasesIn(m.stepStream(keyInvolve), ModeFormalOnly, true) {
		m.cases[ci].NextConsider = int32(m.tick + m.p.InvolveEvery)
		m.considerInvolving(ci)
	}
	g := m.stepStream(keyGuide)
	for _, ci := range m.shuffledCasesIn(g, ModeInformalOnly, false) {
		m.considerGuiding(g, ci)
	}
}

func (m *Model) tauOf(f int32) float64 { return m.tau[m.actors[f].fidx] }

// hasRoom reports whether professional f can take a case this tick.
func (m *Model) hasRoom(f int32) bool {
	a := &m.actors[f]
	return a.Load+int32(a.busy) < a.Lmax
}

// considerInvolving is docs/ODD.md §7.2a. Professional i involves informal
// support with probability
//
//	P_inv = σ(−2 + 2·a_i + 1·τ_i − 2·s + 1·G_inv·q).
//
// The candidate for direct work is, among active informal parties with free
// capacity tied to i with strength ≥ θ, the one maximising tie·(0.5+π).
// With one, i goes direct with probability
//
//	P_direct = σ(b0 + 3·a_i + 2·tie)
//
// (trust decides the route): the case becomes joint. Otherwise, and when no
// tied party qualifies, the coordinator with the lowest load among those
// with capacity brokers the free informal party with the highest π: the
// case becomes intermediated. Either way the informal party counts a
// referral received.
func (m *Model) considerInvolving(ci int32) {
	p := &m.p
	c := &m.cases[ci]
	r := m.stream(keyInvolve, c.ID)
	i := c.F
	a := &m.actors[i]
	z := p.InvolveBias + p.InvolveRegard*a.A + p.InvolveTime*m.tauOf(i) + p.InvolveSev*c.S + p.InvolveGoal*m.gInv*m.q
	if r.float64() >= sigmoid(z) {
		return
	}
	best, bestV, bestTie := int32(-1), -1.0, 0.0
	left := m.crossN[i] // the informal acquaintances: the walk stops after the last
	for k := 0; left > 0 && k < len(a.Ties); k++ {
		t := &a.Ties[k]
		if t.Side != SideInformal { // the tie holds the other end's side: no need to read it
			continue
		}
		left--
		if t.S < p.Theta {
			continue
		}
		j := &m.actors[t.To]
		if !j.Active || j.Load >= j.Lmax {
			continue
		}
		if v := t.S * (0.5 + j.Pi); v > bestV {
			best, bestV, bestTie = t.To, v, t.S
		}
	}
	if best >= 0 && r.float64() < sigmoid(p.DirectBias+p.DirectRegard*a.A+p.DirectTie*bestTie) {
		m.assignInformal(ci, best)
		m.slot(&m.actors[best]).refers++
		c.Mode = ModeJoint
		m.refD++
		return
	}
	coord := m.brokeringCoordinator()
	if coord < 0 {
		return
	}
	best = m.highestFreePi()
	if best < 0 {
		return
	}
	m.assignInformal(ci, best)
	m.slot(&m.actors[best]).refers++
	c.C = coord
	m.coordLoad(coord, 1)
	c.Mode = ModeIntermediated
	m.refI++
}

// considerGuiding is docs/ODD.md §7.2b. Informal handler j guides the
// household to professional help with probability
//
//	P_guide = σ(−2 + 6·(s − x_j[0]) + 1.5·a_j + 2·F_j + 1·A·q),
//
// F_j j's strongest tie to a professional. The professional is that one if
// F_j ≥ θ and it has room, else intake's choice (drawn with g); with none,
// guiding fails. Taken seriously (probability σ(2·a_i + π_j)): a positive
// contact, whose tie gain applies now and whose regard and conception
// changes join the pair's contacts of step 4 (§7.3), and j stays on the case
// (joint) with probability p_stay, else hands over. Not taken seriously:
// formal_only without j, and a negative contact applied at once. A migrant
// household then drops out of formal help with probability
// migrant_dropout·(1−k), back to informal_only with j.
func (m *Model) considerGuiding(g *rng, ci int32) {
	p := &m.p
	c := &m.cases[ci]
	r := m.stream(keyGuide, c.ID)
	j := c.I
	aj := &m.actors[j]
	fj, strongest := 0.0, int32(-1)
	left := m.crossN[j] // the professionals j knows: the walk stops after the last
	for k := 0; left > 0 && k < len(aj.Ties); k++ {
		if t := &aj.Ties[k]; t.Side == SideFormal {
			left--
			if t.S > fj {
				fj, strongest = t.S, t.To
			}
		}
	}
	z := p.GuideBias + p.GuideGap*(c.S-aj.X[0]) + p.GuideRegard*aj.A + p.GuideTie*fj + p.GuideGoal*m.aGoal*m.q
	if r.float64() >= sigmoid(z) {
		return
	}
	i := int32(-1)
	if fj >= p.Theta && m.hasRoom(strongest) {
		i = strongest
	} else {
		i = m.intakeProfessional(g)
	}
	if i < 0 {
		return // guiding failed: no capacity
	}
	m.guided++
	m.assignFormal(ci, i)
	ai := &m.actors[i]
	if r.float64() < sigmoid(2*ai.A+aj.Pi) {
		m.guidedAcc++
		m.guideContact(i, j)
		if r.float64() < m.pStay {
			c.Mode = ModeJoint
		} else {
			m.dropInformal(ci)
		}
	} else {
		m.dropInformal(ci)
		m.negativeNow(i, j)
	}
	if c.Migrant && r.float64() < p.MigrantDropout*(1-p.CulturalSensitivity) {
		m.formalLoad(c.F, -1)
		c.F = -1
		if c.I < 0 {
			c.I = j
			m.informalLoad(j, 1)
		}
		c.Mode = ModeInformalOnly
	}
}

// dropInformal removes the informal handler (and a coordinator) from case ci,
// which becomes formal_only.
func (m *Model) dropInformal(ci int32) {
	c := &m.cases[ci]
	if c.I >= 0 {
		m.informalLoad(c.I, -1)
		c.I = -1
	}
	if c.C >= 0 {
		m.coordLoad(c.C, -1)
		c.C = -1
	}
	c.Mode = ModeFormalOnly
}

// highestFreePi returns the active informal actor with free capacity and
// the highest π (the lowest id among equals), or −1. The first call of a
// tick scans, keeping the (π, id) pairs of the actors with free capacity;
// from the second on, those pairs are made a heap once (linear time) and
// actors that have become full are popped off its top (π does not change
// and informal loads only grow during step 4.2a), so many referrals in a
// large area cost one scan, one heap and a few pops rather than a scan
// each.
func (m *Model) highestFreePi() int32 {
	if !m.piValid {
		m.piValid = true
		h := m.piHeap[:0]
		best, bestPi := int32(-1), -1.0
		for _, id := range m.informal {
			if j := &m.actors[id]; j.Load < j.Lmax {
				h = append(h, piPair{j.Pi, id, m.ids[id]})
				if j.Pi > bestPi {
					best, bestPi = id, j.Pi
				}
			}
		}
		m.piHeap, m.piBuilt = h, false
		return best
	}
	h := m.piHeap
	if !m.piBuilt {
		m.piBuilt = true
		for k := len(h)/2 - 1; k >= 0; k-- {
			piDown(h, k)
		}
	}
	for len(h) > 0 {
		if j := &m.actors[h[0].id]; j.Load < j.Lmax {
			break
		}
		n := len(h) - 1
		h[0] = h[n]
		h = h[:n]
		piDown(h, 0)
	}
	m.piHeap = h
	if len(h) == 0 {
		return -1
	}
	return h[0].id
}

type piPair struct {
	pi  float64
	id  int32 // the actor's slot
	key int32 // its id
}

// piFirst orders the π heap: higher π first, then the lower id.
func piFirst(a, b piPair) bool { return a.pi > b.pi || (a.pi == b.pi && a.key < b.key) }

// piDown restores the heap order below position k.
func piDown(h []piPair, k int) {
	for {
		c := 2*k + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && piFirst(h[c+1], h[c]) {
			c++
		}
		if !piFirst(h[c], h[k]) {
			return
		}
		h[k], h[c] = h[c], h[k]
		k = c
	}
}
