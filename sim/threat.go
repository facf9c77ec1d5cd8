package sim

// threat is docs/ODD.md §7.6, an order-free step. With P the call for
// hybridisation, q the end goal's effective clarity and φ the weight of
// fluid boundaries (0.5; 0.25 under the separation end goal, §8.3):
//
//	formal:   T = P·(1−q)·(0.5 + φ·ρ_i), ρ_i the share of i's cases with informal involvement;
//	informal: T = P·(1−q)·(0.5 + φ·r_j), r_j referrals ÷ cases taken in ticks t−11 … t.
//
// Then w += 0.05·(T·(1−w) − 0.2·(w−w0)), a += r_rel·(a0−a) − 0.02·w·T·(1+a),
// g += r_rel·(g0−g) + 0.02·w·T·(1−g), with the w just computed (r_rel =
// regard_return).
func (m *Model) threat() {
	m.countInvolvement()
	m.visit(len(m.formal)+len(m.informal), passThreat, 0)
}

// threatOf is threat for the k-th member (member): T from the actor's own
// counts, then applyThreat.
func (m *Model) threatOf(k int) {
	base := m.push * (1 - m.q)
	a := &m.actors[m.member(k)]
	if k < len(m.formal) {
		rho := 0.0
		if a.Load > 0 {
			rho = float64(a.involved) / float64(a.Load)
		}
		m.applyThreat(a, base*(0.5+m.fluid*rho))
		return
	}
	m.applyThreat(a, base*(0.5+m.fluid*m.referralShare(a)))
}

func (m *Model) applyThreat(a *Actor, t float64) {
	p := &m.p
	a.T = t
	a.W = clamp(a.W+p.ThreatRate*(t*(1-a.W)-p.ThreatReturn*(a.W-a.W0)), 0, 1)
	a.A = clamp(a.A+p.RegardReturn*(a.A0-a.A)-p.RegardThreat*a.W*t*(1+a.A), -1, 1)
	a.G = clamp(a.G+p.RegardReturn*(a.G0-a.G)+p.RegardThreat*a.W*t*(1-a.G), -1, 1)
}

// referralShare is r_j: referrals received ÷ cases taken on in the last
// referral_window ticks including this one; 0 if none (docs/ODD.md §7.6).
func (m *Model) referralShare(a *Actor) float64 {
	from := int32(m.tick - m.p.ReferralWindow + 1)
	if a.ringLast < from {
		return 0 // nothing in the window: no need to read the history
	}
	taken, refs := 0, 0
	for _, s := range m.ringOf(a) {
		if s.tick >= from {
			taken += int(s.taken)
			refs += int(s.refers)
		}
	}
	if taken == 0 {
		return 0
	}
	return float64(refs) / float64(taken)
}

// countInvolvement sets, from the current cases, each professional's number
// of cases with informal involvement and each informal actor's number of
// joint cases.
func (m *Model) countInvolvement() {
	for _, id := range m.formal {
		m.actors[id].involved = 0
	}
	for _, id := range m.informal {
		m.actors[id].joint = 0
	}
	for k := range m.cases {
		c := &m.cases[k]
		if c.Mode == ModeJoint || c.Mode == ModeIntermediated {
			m.actors[c.F].involved++
		}
		if c.Mode == ModeJoint {
			m.actors[c.I].joint++
		}
	}
}
