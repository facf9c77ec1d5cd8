package sim

// progress is docs/ODD.md §7.4. Order-free part, in index order: each
// case's severity changes by pace times its mode's Δs plus
// N(0, pace·severity_noise) from the case's own stream, clamped to [0, 1]:
//
//	formal_only −0.040, joint −0.055, intermediated −0.0475,
//	informal_only −0.030 below s = 0.6 and +0.015 from it,
//	waiting and unnoticed +0.010 (each times pace).
//
// A case at s ≤ 0.10 is closed, in any mode; if an informal party was
// involved (joint, intermediated), with probability 0.5 (the case's stream)
// it goes on supporting the household and its a −= 0.02·(1+a). Then the
// sequential part: the informal_only and unnoticed cases at s ≥ 0.85
// escalate late to intake, in an order drawn from the step's stream; one
// taken from an informal handler costs the receiving professional
// a −= 0.05·(1+a) (not when it lands in the waiting queue) and the handler
// is dropped.
func (m *Model) progress() {
	p := &m.p
	m.dsOf[ModeFormalOnly], m.dsOf[ModeJoint], m.dsOf[ModeIntermediated] = p.DsFormal, p.DsJoint, p.DsIntermediated
	m.dsOf[ModeInformalOnly], m.dsOf[ModeWaiting], m.dsOf[ModeUnnoticed] = p.DsInformal, p.DsUntreated, p.DsUntreated
	n := len(m.cases)
	if cap(m.cont) < n {
		m.cont = make([]bool, n, n+n/4)
	}
	m.cont = m.cont[:n]
	cont := m.cont
	// Compute: each case's new severity and, for one that closes with an
	// informal party involved, whether that party goes on (progressOf).
	m.visit(n, passProgress, m.prefix(keyProgress))
	// Apply, in index order: closings, which leave the list at once (the
	// others keep their order); then the late escalations' intake, in an
	// order drawn from the step's stream. The late cases are listed by
	// their place in the shortened list: the same cases in the same order
	// as their old places, so the shuffle picks the same order.
	late := m.scratchB[:0]
	w := 0
	for ci := range m.cases {
		c := &m.cases[ci]
		if c.S <= p.CloseAt {
			m.close(int32(ci), cont[ci])
			continue
		}
		if c.S >= p.EscalateAt && (c.Mode == ModeInformalOnly || c.Mode == ModeUnnoticed) {
			late = append(late, int32(w))
		}
		if w != ci {
			m.cases[w] = *c
		}
		w++
	}
	m.cases = m.cases[:w]
	g := m.stepStream(keyEscalate)
	g.shuffle32(late)
	for _, ci := range late {
		m.escalate(g, ci)
	}
	m.scratchB = late
}

// progressOf is progress's compute pass for case ci, its draws from the
// case's stream opened on g.
func (m *Model) progressOf(g *rng, ci int) {
	p := &m.p
	c := &m.cases[ci]
	ds := m.dsOf[c.Mode]
	if c.Mode == ModeInformalOnly && c.S >= p.OutOfDepth {
		ds = p.DsOutOfDepth
	}
	r := g.open(m.passPre, uint64(c.ID))
	c.S = clamp(c.S+p.Pace*ds+p.Pace*p.SeverityNoise*r.norm(), 0, 1)
	c.Age++
	m.cont[ci] = c.S <= p.CloseAt && c.I >= 0 && (c.Mode == ModeJoint || c.Mode == ModeIntermediated) && r.float64() < p.ContinueChance
}

// close ends case ci (docs/ODD.md §7.4); cont says that its informal
// party goes on supporting the household.
func (m *Model) close(ci int32, cont bool) {
	c := &m.cases[ci]
	if c.F >= 0 {
		m.formalLoad(c.F, -1)
	}
	if c.C >= 0 {
		m.coordLoad(c.C, -1)
	}
	if c.I >= 0 {
		m.informalLoad(c.I, -1)
		if j := &m.actors[c.I]; cont {
			j.A = clamp(j.A-m.p.Discontinuity*(1+j.A), -1, 1)
		}
	}
	c.F, c.I, c.C = -1, -1, -1
	c.Mode = ModeClosed
	m.closed++
	m.ageSum += int(c.Age)
}

// escalate sends case ci to intake as a late escalation (docs/ODD.md
// §7.4), intake's ties broken with g.
func (m *Model) escalate(g *rng, ci int32) {
	c := &m.cases[ci]
	c.Late = true
	m.late++
	j := c.I
	if j >= 0 {
		m.informalLoad(j, -1)
		c.I = -1
	}
	f := m.intakeProfessional(g)
	if f < 0 {
		m.enqueue(ci)
		return
	}
	m.assignFormal(ci, f)
	if j >= 0 {
		a := &m.actors[f]
		a.A = clamp(a.A-m.p.LatePenalty*(1+a.A), -1, 1)
	}
}
