package sim

import "math"

// jointContacts is MODEL.md 4.3: each tick every joint case is one contact
// between its handlers i (formal) and j (informal), negative when
//
//	dist = ‖x_i − x_j‖₂ / 2 > (ε_i + ε_j)/2 + 0.1·q,
//
// positive otherwise. Each such contact also informalises the professional
// by iota_joint (MODEL.md 4.7).
func (m *Model) jointContacts() {
	for _, ci := range m.shuffledCasesIn(ModeJoint, false) {
		c := &m.cases[ci]
		a, b := &m.actors[c.F], &m.actors[c.I]
		pos := conceptionDistance(a.X, b.X) <= (a.Eps+b.Eps)/2+m.p.ClarityMargin*m.q
		m.contact(c.F, c.I, pos)
		a.Iota = clamp(a.Iota+m.p.IotaJoint, 0, 1)
	}
}

// conceptionDistance is ‖x − y‖₂ / 2, in [0, 1] for x, y in [0, 1]⁴.
func conceptionDistance(x, y [4]float64) float64 {
	s := 0.0
	for d := range 4 {
		e := x[d] - y[d]
		s += e * e
	}
	return math.Sqrt(s) / 2
}

// contact applies one joint-work or guiding contact between professional i
// and informal actor j (MODEL.md 4.3):
//
//	positive: a += 0.02·(1−a) for both; tie += 0.1·(1−tie);
//	          x_i += 0.01·(x_j−x_i) and back, from the values before the step;
//	negative: a −= 0.05·(1+a) for both; tie += 0.05·(1−tie); m_j −= 0.05.
//
// The pair is remembered for social reflection (MODEL.md 5.2).
func (m *Model) contact(i, j int32, positive bool) {
	p := &m.p
	a, b := &m.actors[i], &m.actors[j]
	if positive {
		m.posC++
		a.A = clamp(a.A+p.PosRegard*(1-a.A), -1, 1)
		b.A = clamp(b.A+p.PosRegard*(1-b.A), -1, 1)
		m.bumpTie(i, j, p.PosTie)
		for d := range 4 {
			xi, xj := a.X[d], b.X[d]
			a.X[d] = clamp(xi+p.Learning*(xj-xi), 0, 1)
			b.X[d] = clamp(xj+p.Learning*(xi-xj), 0, 1)
		}
	} else {
		m.negC++
		a.A = clamp(a.A-p.NegRegard*(1+a.A), -1, 1)
		b.A = clamp(b.A-p.NegRegard*(1+b.A), -1, 1)
		m.bumpTie(i, j, p.NegTie)
		b.M = clamp(b.M-p.NegMotivation, 0, 1)
	}
	a.CrossContacts++
	b.CrossContacts++
	m.rememberPair(i, j)
}

// rememberPair records that professional f and informal actor i had a
// joint-work contact this tick.
func (m *Model) rememberPair(f, i int32) {
	k := pairKey(f, i)
	if x, ok := m.pairIdx[k]; ok {
		m.pairs[x].last = int32(m.tick)
		return
	}
	m.pairIdx[k] = int32(len(m.pairs))
	m.pairs = append(m.pairs, pairContact{f: f, i: i, last: int32(m.tick)})
}

// prunePairs forgets pairs whose last contact is older than the reflection
// window or whose informal actor has left, keeping the order of the rest.
func (m *Model) prunePairs() {
	keep := m.pairs[:0]
	for _, pc := range m.pairs {
		if int(pc.last) >= m.tick-m.p.ReflectionWindow && m.actors[pc.i].Active {
			keep = append(keep, pc)
		}
	}
	m.pairs = keep
	clear(m.pairIdx)
	for x, pc := range m.pairs {
		m.pairIdx[pairKey(pc.f, pc.i)] = int32(x)
	}
}
