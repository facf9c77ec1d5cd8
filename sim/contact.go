package sim

import "math"

// jointContacts is docs/ODD.md §7.3, an order-free step: every joint case
// is one contact between its handlers i (formal) and j (informal), negative
// when
//
//	dist = ‖x_i − x_j‖₂ / 2 > (ε_i + ε_j)/2 + 0.1·q,
//
// positive otherwise, judged on the values at the start of the step. Per
// contact, at once: a positive one raises the tie by pos_tie·(1−tie), a
// negative one by neg_tie·(1−tie) and lowers j's motivation by
// neg_motivation; each informalises i by iota_joint (§7.7).
//
// One impression a week: the changes of regard and conceptions are computed
// per contact from the values at the start of the step — positive:
// Δa = s·pos_regard·(1−a) for both and Δx_i = learning·(x_j − x_i) and back;
// negative: Δa = −s·neg_regard·(1+a) for both (s = contact_scale) — and each
// actor's changes, together with those of the positive contacts of guidings
// accepted in step 3 (§7.2b), are averaged over its contacts of the tick and
// applied once, at the end of the step.
func (m *Model) jointContacts() {
	p := &m.p
	n := len(m.actors)
	if cap(m.cslot) < n {
		m.cslot = make([]int32, n, n+n/4)
	}
	m.cslot = m.cslot[:n]
	joint := m.casesIn(ModeJoint, false)
	if cap(m.posBuf) < len(joint) {
		m.posBuf = make([]bool, len(joint), 2*len(joint))
	}
	m.posBuf = m.posBuf[:len(joint)]
	pos := m.posBuf
	// Compute: each contact's sign, from the values at the start of the step.
	m.visit(len(joint), passContact, 0)
	// Apply, in a fixed order: the accepted guidings of step 3, then the
	// joint cases in index order.
	for _, pc := range m.pendingGuides {
		m.impression(pc.f, pc.i, true)
	}
	m.pendingGuides = m.pendingGuides[:0]
	for k, ci := range joint {
		c := &m.cases[ci]
		a, b := &m.actors[c.F], &m.actors[c.I]
		m.impression(c.F, c.I, pos[k])
		if pos[k] {
			m.posC++
			m.bumpTie(c.F, c.I, p.PosTie)
		} else {
			m.negC++
			m.bumpTie(c.F, c.I, p.NegTie)
			b.M = clamp(b.M-p.NegMotivation, 0, 1)
		}
		a.Iota = clamp(a.Iota+p.IotaJoint, 0, 1)
		a.CrossContacts++
		b.CrossContacts++
		m.rememberPair(c.F, c.I)
	}
	for s, id := range m.contacted {
		a, c := &m.actors[id], &m.csum[s]
		k := float64(c.n)
		a.A = clamp(a.A+c.dA/k, -1, 1)
		for d := range 4 {
			a.X[d] = clamp(a.X[d]+c.dX[d]/k, 0, 1)
		}
		m.cslot[id] = 0
	}
	m.contacted, m.csum = m.contacted[:0], m.csum[:0]
}

// contactSign is jointContacts' compute pass for the k-th joint case (in
// m.order, as casesIn left it): whether its contact is positive.
func (m *Model) contactSign(k int) {
	c := &m.cases[m.order[k]]
	a, b := &m.actors[c.F], &m.actors[c.I]
	m.posBuf[k] = conceptionDistance(a.X, b.X) <= (a.Eps+b.Eps)/2+m.p.ClarityMargin*m.q
}

// impression adds one contact's changes of regard and conceptions, from
// the current values, to both partners' sums (jointContacts applies them).
func (m *Model) impression(i, j int32, positive bool) {
	p := &m.p
	a, b := &m.actors[i], &m.actors[j]
	si, sj := m.contactSlot(i), m.contactSlot(j)
	ci, cj := &m.csum[si], &m.csum[sj] // after both appends: a pointer taken before could go stale
	if positive {
		ci.dA += p.ContactScale * p.PosRegard * (1 - a.A)
		cj.dA += p.ContactScale * p.PosRegard * (1 - b.A)
		for d := range 4 {
			e := b.X[d] - a.X[d]
			ci.dX[d] += p.Learning * e
			cj.dX[d] -= p.Learning * e
		}
		return
	}
	ci.dA -= p.ContactScale * p.NegRegard * (1 + a.A)
	cj.dA -= p.ContactScale * p.NegRegard * (1 + b.A)
}

// contactSlot counts one more contact of actor id this tick and returns
// the place of its sums in m.csum, made on its first contact (the actors
// are listed in m.contacted in that order; cslot holds each one's place
// + 1).
func (m *Model) contactSlot(id int32) int32 {
	s := m.cslot[id]
	if s == 0 {
		m.contacted = append(m.contacted, id)
		m.csum = append(m.csum, contactSums{})
		s = int32(len(m.csum))
		m.cslot[id] = s
	}
	m.csum[s-1].n++
	return s - 1
}

// contactSums are one actor's summed changes of this tick's contacts
// (§7.3: one impression a week).
type contactSums struct {
	dA float64
	dX [4]float64
	n  int32
}

// guideContact is the positive contact of a guiding taken seriously
// (docs/ODD.md §7.2b): counted and its tie gain applied now, its regard and
// conception changes left to step 4's averaging.
func (m *Model) guideContact(i, j int32) {
	m.posC++
	m.bumpTie(i, j, m.p.PosTie)
	m.actors[i].CrossContacts++
	m.actors[j].CrossContacts++
	m.rememberPair(i, j)
	m.pendingGuides = append(m.pendingGuides, pairContact{f: i, i: j})
}

// negativeNow is the negative contact of a guiding not taken seriously
// (docs/ODD.md §7.2b), applied at once: a −= s·neg_regard·(1+a) for both,
// tie += neg_tie·(1−tie), m_j −= neg_motivation.
func (m *Model) negativeNow(i, j int32) {
	p := &m.p
	a, b := &m.actors[i], &m.actors[j]
	m.negC++
	a.A = clamp(a.A-p.ContactScale*p.NegRegard*(1+a.A), -1, 1)
	b.A = clamp(b.A-p.ContactScale*p.NegRegard*(1+b.A), -1, 1)
	m.bumpTie(i, j, p.NegTie)
	b.M = clamp(b.M-p.NegMotivation, 0, 1)
	a.CrossContacts++
	b.CrossContacts++
	m.rememberPair(i, j)
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

// rememberPair records that professional f and informal party i had a
// contact this tick (for social reflection, docs/ODD.md §8.2).
// The index knows a pair by its actors' ids, which compaction does not
// change; compaction renumbers the slots f and i (i becomes −1 when the
// informal party has left).
func (m *Model) rememberPair(f, i int32) {
	k := pairKey(m.ids[f], m.ids[i])
	if x, ok := m.pairIdx[k]; ok {
		m.pairs[x].last = int32(m.tick)
		return
	}
	m.pairIdx[k] = int32(len(m.pairs))
	m.pairs = append(m.pairs, pairContact{f: f, i: i, last: int32(m.tick), iid: m.ids[i]})
}

// prunePairs forgets pairs whose last contact is older than the reflection
// window or whose informal party has left, keeping the order of the rest.
func (m *Model) prunePairs() {
	keep := m.pairs[:0]
	for _, pc := range m.pairs {
		if int(pc.last) >= m.tick-m.p.ReflectionWindow && pc.i >= 0 && m.actors[pc.i].Active {
			keep = append(keep, pc)
		}
	}
	m.pairs = keep
	clear(m.pairIdx)
	for x, pc := range m.pairs {
		m.pairIdx[pairKey(m.ids[pc.f], pc.iid)] = int32(x)
	}
}
