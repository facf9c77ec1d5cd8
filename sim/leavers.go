package sim

// leaver is the end state of an informal party who left (docs/ODD.md §7.7,
// §9): what actors.csv lists for it, kept in 80 bytes instead of the
// 192-byte Actor whose slot a later actor reuses. A leaver has no ties
// (they were removed when it left), and ι is 0 for every informal party
// (ι is the professionals' working style; newActor sets it for them only).
type leaver struct {
	W, A, G, Pi, M float64
	X              [4]float64
	id             int32
	roleContacts   uint32 // role in the top 4 bits, cross-side contacts in the other 28
}

// contactBits is the width of a leaver's count of cross-side contacts
// (at most a few a week for an informal party: 2^28 is millions of years).
const contactBits = 28

// leaverLog holds the leavers in the order they left, in blocks of
// leaverBlock, so that the log grows without copying (and without the
// doubling of an append, which at national scale would hold two copies of
// some 200 MB at once).
type leaverLog struct {
	blocks [][]leaver
	n      int
}

const leaverBlock = 1 << 12

func (l *leaverLog) add(x leaver) {
	if k := len(l.blocks); k == 0 || len(l.blocks[k-1]) == cap(l.blocks[k-1]) {
		// Blocks double from 64 records to leaverBlock: a small area's
		// few leavers do not cost a large block.
		l.blocks = append(l.blocks, make([]leaver, 0, min(leaverBlock, max(64, l.n))))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, x)
	l.n++
}

// clone is a deep copy.
func (l *leaverLog) clone() leaverLog {
	c := leaverLog{blocks: make([][]leaver, len(l.blocks)), n: l.n}
	for k, b := range l.blocks {
		c.blocks[k] = append(make([]leaver, 0, cap(b)), b...)
	}
	return c
}

// leave records the end state of the actor in slot s, who is leaving; its
// slot stays empty until the next compaction.
func (m *Model) leave(s int32) {
	a := &m.actors[s]
	rc := uint32(a.Role)<<contactBits | min(uint32(a.CrossContacts), 1<<contactBits-1)
	m.leavers.add(leaver{W: a.W, A: a.A, G: a.G, Pi: a.Pi, M: a.M, X: a.X, id: m.ids[s], roleContacts: rc})
}

// state is the end state of a leaver.
func (x *leaver) state() ActorState {
	return ActorState{ID: int(x.id), Side: SideInformal, Role: Role(x.roleContacts >> contactBits), W: x.W, A: x.A, G: x.G, X: x.X,
		Pi: x.Pi, M: x.M, CrossContacts: int(x.roleContacts & (1<<contactBits - 1))}
}

// compactSlots lets maybeCompact compact (a variable so that a test can
// compare with a model in which every actor keeps the slot it got).
var compactSlots = true

// maybeCompact compacts the actors' array at the start of a tick (the
// first of Step's phases) once the empty slots are more than a sixteenth
// of the actors present and compactMin.
func (m *Model) maybeCompact() {
	if compactSlots && len(m.actors)-len(m.present) > len(m.present)/16+compactMin {
		m.compact()
	}
}

// compactMin is the number of empty slots below which maybeCompact never
// compacts: in a small area the memory of a few hundred empty slots is
// not worth a compaction every few weeks (a variable so that tests can
// compact small areas often).
var compactMin = 256

// compact moves the actors present down over the empty slots of those who
// left, keeping their order (so slot order stays id order), renumbers
// every reference to a slot, and packs the tie lists again. It runs
// between ticks, when no step holds a slot in its scratch state (the
// meeting slots of the last tick are released, the pending guides and
// contacts handled). Outputs do not change: nothing depends on slot
// numbers, only on ids and on the lists' order.
func (m *Model) compact() {
	n := len(m.present)
	old := len(m.actors)
	to := make([]int32, old) // old slot → new slot, −1 for an empty one
	for k := range to {
		to[k] = -1
	}
	for r, s := range m.present {
		to[s] = int32(r)
		if int(s) == r {
			continue
		}
		m.actors[r], m.ids[r], m.values[r], m.crossN[r] = m.actors[s], m.ids[s], m.values[s], m.crossN[s]
		bit := m.hasIn[s>>6] >> (s & 63) & 1
		m.hasIn[r>>6] = m.hasIn[r>>6]&^(1<<(r&63)) | bit<<(r&63)
		for _, pos := range [...][]int32{m.intakeIx.pos, m.freeAll.pos, m.freeSelfOrg.pos} {
			if r < len(pos) { // a position array grows to the highest slot added
				pos[r] = -1
				if int(s) < len(pos) {
					pos[r] = pos[s]
				}
			}
		}
	}
	clear(m.actors[n:old])
	m.actors, m.ids, m.values, m.crossN = m.actors[:n], m.ids[:n], m.values[:n], m.crossN[:n]
	for k := n; k < min(old, 64*len(m.hasIn)); k++ {
		m.hasIn[k>>6] &^= 1 << (k & 63)
	}
	m.hasIn = m.hasIn[:(n+63)/64]
	m.intakeIx.pos = m.intakeIx.pos[:min(n, len(m.intakeIx.pos))]
	m.freeAll.pos = m.freeAll.pos[:min(n, len(m.freeAll.pos))]
	m.freeSelfOrg.pos = m.freeSelfOrg.pos[:min(n, len(m.freeSelfOrg.pos))]
	if len(m.cslot) > n {
		m.cslot = m.cslot[:n]
	}

	remap := func(l []int32) {
		for k, s := range l {
			l[k] = to[s]
		}
	}
	for k := range m.actors {
		ts := m.actors[k].Ties
		for j := range ts {
			ts[j].To = to[ts[j].To]
		}
	}
	for k := range m.cases {
		c := &m.cases[k]
		for _, h := range []*int32{&c.F, &c.I, &c.C} {
			if *h >= 0 {
				*h = to[*h]
			}
		}
	}
	remap(m.formal)
	remap(m.informal)
	remap(m.coords)
	for r := range m.present {
		m.present[r] = int32(r)
	}
	for c := range m.intakeIx.buckets {
		for _, b := range m.intakeIx.buckets[c] {
			remap(b)
		}
	}
	remap(m.freeAll.ids)
	remap(m.freeSelfOrg.ids)
	for k := range m.pairs {
		pc := &m.pairs[k]
		pc.f = to[pc.f]
		if pc.i >= 0 {
			pc.i = to[pc.i] // −1 once the informal party has left (prunePairs)
		}
	}
	m.packTies()
}
