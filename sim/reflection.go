package sim

import "math"

// reflect holds one social reflection session (docs/ODD.md §8.2, against
// onenigheid). Each pair (professional, informal party) that had a
// joint-work or guiding contact in the last reflection_window ticks takes
// part with probability coverage; its professional gives up cost case slots
// this tick (§8). A session goes wrong with probability p_fail
// (reflection_fail with a coordinator facilitating and coordinators present,
// reflection_fail_unfacilitated otherwise): no compromise and no gain in
// tolerance, and for both a −= 0.03·(1+a), w += 0.01 (a conversation that
// confirmed the stereotypes). A session that goes well: conceptions
// compromise, x_i += μ·(x_j − x_i) and back (μ = reflection_mu, or
// reflection_mu_coordinator when a coordinator facilitates); for both
// ε += 0.02 (at most epsilon_cap), a += 0.03·(1−a), w −= 0.01.
//
// Pairs are taken in an order drawn from the session's own stream, which
// also gives every draw (a sequential step, §3.2).
func (m *Model) reflect(r *SocialReflection) {
	p := &m.p
	if r.Coverage <= 0 {
		return
	}
	mu, fail := p.ReflectionMu, p.ReflectionFailNone
	if r.Facilitator == "coordinator" && len(m.coords) > 0 {
		mu, fail = p.ReflectionMuCoord, p.ReflectionFail
	}
	m.prunePairs()
	g := m.stepStream(keyReflection)
	order := m.scratchB[:0]
	for k := range m.pairs {
		order = append(order, int32(k))
	}
	g.shuffle32(order)
	m.scratchB = order
	charged := m.scratchC[:0]
	for _, k := range order {
		pc := m.pairs[k]
		if g.float64() >= r.Coverage {
			continue
		}
		failed := g.float64() < fail
		a, b := &m.actors[pc.f], &m.actors[pc.i]
		if !b.Active {
			continue
		}
		if a.slots != -1 { // charge each professional once per session
			a.slots = -1
			charged = append(charged, pc.f)
			m.charge(pc.f, r.Cost)
		}
		if failed {
			for _, x := range []*Actor{a, b} {
				x.A = clamp(x.A-0.03*(1+x.A), -1, 1)
				x.W = clamp(x.W+0.01, 0, 1)
				x.CrossContacts++
			}
			continue
		}
		for d := range 4 {
			xa, xb := a.X[d], b.X[d]
			a.X[d] = clamp(xa+mu*(xb-xa), 0, 1)
			b.X[d] = clamp(xb+mu*(xa-xb), 0, 1)
		}
		for _, x := range []*Actor{a, b} {
			x.Eps = math.Min(x.Eps+0.02, p.EpsilonCap)
			x.A = clamp(x.A+0.03*(1-x.A), -1, 1)
			x.W = clamp(x.W-0.01, 0, 1)
			x.CrossContacts++
		}
	}
	for _, f := range charged {
		m.actors[f].slots = 0
	}
	m.scratchC = charged
}
