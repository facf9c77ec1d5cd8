package sim

// progress is MODEL.md 4.4. Each case's severity changes by its mode's Δs
// plus N(0, severity_noise), clamped to [0, 1]:
//
//	formal_only −0.040, joint −0.055, intermediated −0.0475,
//	informal_only −0.030 below s = 0.6 and +0.015 from it,
//	waiting and unnoticed +0.010.
//
// A case at s ≤ 0.10 is closed, in any mode; if an informal actor was
// involved (joint, intermediated), with probability 0.5 it goes on
// supporting the household and its a −= 0.02·(1+a). An informal_only or
// unnoticed case at s ≥ 0.85 escalates late to intake; one taken from an
// informal handler costs the receiving professional a −= 0.05·(1+a) (not
// when it lands in the waiting queue) and the handler is dropped.
func (m *Model) progress() {
	p := &m.p
	var dsOf [ModeClosed + 1]float64 // Δs by mode (a table: the modes come in random order)
	dsOf[ModeFormalOnly], dsOf[ModeJoint], dsOf[ModeIntermediated] = p.DsFormal, p.DsJoint, p.DsIntermediated
	dsOf[ModeInformalOnly], dsOf[ModeWaiting], dsOf[ModeUnnoticed] = p.DsInformal, p.DsUntreated, p.DsUntreated
	for _, ci := range m.shuffledCases() {
		c := &m.cases[ci]
		ds := dsOf[c.Mode]
		if c.Mode == ModeInformalOnly && c.S >= p.OutOfDepth {
			ds = p.DsOutOfDepth
		}
		c.S = clamp(c.S+ds+p.SeverityNoise*m.rng.NormFloat64(), 0, 1)
		c.Age++
		switch {
		case c.S <= p.CloseAt:
			m.close(ci)
		case c.S >= p.EscalateAt && (c.Mode == ModeInformalOnly || c.Mode == ModeUnnoticed):
			m.escalate(ci)
		}
	}
	m.compactCases()
}

// close ends case ci (MODEL.md 4.4).
func (m *Model) close(ci int32) {
	c := &m.cases[ci]
	involved := c.Mode == ModeJoint || c.Mode == ModeIntermediated
	if c.F >= 0 {
		m.formalLoad(c.F, -1)
	}
	if c.C >= 0 {
		m.coordLoad(c.C, -1)
	}
	if c.I >= 0 {
		m.informalLoad(c.I, -1)
		j := &m.actors[c.I]
		if involved && m.float64() < m.p.ContinueChance {
			j.A = clamp(j.A-m.p.Discontinuity*(1+j.A), -1, 1)
		}
	}
	c.F, c.I, c.C = -1, -1, -1
	c.Mode = ModeClosed
	m.closed++
}

// escalate sends case ci to intake as a late escalation (MODEL.md 4.4).
func (m *Model) escalate(ci int32) {
	c := &m.cases[ci]
	c.Late = true
	m.late++
	j := c.I
	if j >= 0 {
		m.informalLoad(j, -1)
		c.I = -1
	}
	f := m.intakeProfessional()
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

// compactCases removes closed cases, keeping the order of the rest.
func (m *Model) compactCases() {
	i := 0
	for i < len(m.cases) && m.cases[i].Mode != ModeClosed {
		i++ // the cases before the first closed one stay where they are
	}
	keep := m.cases[:i]
	for _, c := range m.cases[i:] {
		if c.Mode != ModeClosed {
			keep = append(keep, c)
		}
	}
	m.cases = keep
}
