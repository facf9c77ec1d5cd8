package sim

import "math"

// isCross reports whether a tie between sides a and b crosses the worlds
// (formal–informal); coordinator ties never do.
func isCross(a, b Side) bool {
	return (a == SideFormal && b == SideInformal) || (a == SideInformal && b == SideFormal)
}

// tieIndex returns the position of b in a's tie list, or −1.
func (m *Model) tieIndex(a, b int32) int {
	for k, t := range m.actors[a].Ties {
		if t.To == b {
			return k
		}
	}
	return -1
}

// tieStrength returns the strength of the tie between a and b, 0 if none.
func (m *Model) tieStrength(a, b int32) float64 {
	if k := m.tieIndex(a, b); k >= 0 {
		return m.actors[a].Ties[k].S
	}
	return 0
}

// setTie sets the symmetric tie a–b to strength s, creating it if needed.
func (m *Model) setTie(a, b int32, s float64) {
	m.setTieAt(a, b, m.tieIndex(a, b), m.tieIndex(b, a), s)
}

// setTieAt is setTie with the positions k of b in a's list and j of a in
// b's list already known (−1 when absent).
func (m *Model) setTieAt(a, b int32, k, j int, s float64) {
	s = math.Min(s, 1)
	if k >= 0 {
		m.actors[a].Ties[k].S = s
	} else {
		m.appendTie(a, Tie{To: b, Side: m.actors[b].Side, S: s})
	}
	if j >= 0 {
		m.actors[b].Ties[j].S = s
	} else {
		m.appendTie(b, Tie{To: a, Side: m.actors[a].Side, S: s})
	}
	if m.actors[a].Side == m.actors[b].Side {
		if k < 0 && j < 0 { // a new tie, appended: the sums stay left-to-right sums
			m.actors[a].inSum += s
			m.actors[b].inSum += s
			m.markInSum(a)
			m.markInSum(b)
		} else {
			m.sumInGroup(a)
			m.sumInGroup(b)
		}
	}
}

// sumInGroup recomputes the sum of actor a's in-group tie strengths, in the
// order of its tie list (so it equals a fresh left-to-right sum exactly).
func (m *Model) sumInGroup(a int32) {
	x := &m.actors[a]
	x.inSum = 0
	for _, t := range x.Ties {
		if t.Side == x.Side {
			x.inSum += t.S
		}
	}
	m.markInSum(a)
}

// markInSum records in hasIn whether actor a's in-group tie sum is above 0.
func (m *Model) markInSum(a int32) {
	w, bit := &m.hasIn[a>>6], uint64(1)<<(a&63)
	if m.actors[a].inSum > 0 {
		*w |= bit
	} else {
		*w &^= bit
	}
}

// bumpTie applies tie += rate·(1 − tie), creating the tie from 0.
func (m *Model) bumpTie(a, b int32, rate float64) {
	k, j := m.tieIndex(a, b), m.tieIndex(b, a)
	s := 0.0
	if k >= 0 {
		s = m.actors[a].Ties[k].S
	}
	m.setTieAt(a, b, k, j, s+rate*(1-s))
}

// raiseTie applies tie = max(tie, min).
func (m *Model) raiseTie(a, b int32, min float64) {
	if s := m.tieStrength(a, b); s < min {
		m.setTie(a, b, min)
	}
}

// removeTieAt removes the tie at position k of a's list and its mirror.
func (m *Model) removeTieAt(a int32, k int) {
	m.removeTie(a, k)
	m.sumInGroup(a)
}

// removeTie is removeTieAt without recomputing a's own in-group sum (b's
// is recomputed).
func (m *Model) removeTie(a int32, k int) {
	ts := m.actors[a].Ties
	b := ts[k].To
	if isCross(m.actors[a].Side, ts[k].Side) {
		m.crossN[a]--
		m.crossN[b]--
	}
	ts[k] = ts[len(ts)-1]
	m.actors[a].Ties = ts[:len(ts)-1]
	if j := m.tieIndex(b, a); j >= 0 {
		bt := m.actors[b].Ties
		bt[j] = bt[len(bt)-1]
		m.actors[b].Ties = bt[:len(bt)-1]
	}
	// A swap-remove reorders the lists, so the sums are recomputed in list
	// order even when the removed tie was not in-group.
	m.sumInGroup(b)
}

// removeAllTies removes every tie of a (drop-out, docs/ODD.md §7.7); a's own
// in-group sum is 0 at the end, not recomputed after each tie.
func (m *Model) removeAllTies(a int32) {
	for len(m.actors[a].Ties) > 0 {
		m.removeTie(a, len(m.actors[a].Ties)-1)
	}
	m.actors[a].inSum = 0
	m.markInSum(a)
}

// createInGroupTies gives actor id n new ties of strength
// U(tie_strength_min, tie_strength_max) to random active members of its own
// side it is not yet tied to (docs/ODD.md §2.2, §7.7), as many as there
// are, drawn from the actor's own stream.
func (m *Model) createInGroupTies(id int32, n int) {
	p := &m.p
	g := m.stream(keyInGroupTies, int64(m.ids[id]))
	side := m.formal
	if m.actors[id].Side == SideInformal {
		side = m.informal
	}
	for range n {
		if len(m.actors[id].Ties) >= len(side)-1 && !m.hasUntied(id, side) {
			return
		}
		var to int32 = -1
		for range 32 { // rejection sampling; an exact scan when it keeps failing
			c := side[g.intN(len(side))]
			if c != id && m.tieIndex(id, c) < 0 {
				to = c
				break
			}
		}
		if to < 0 {
			cand := m.scratchC[:0]
			for _, c := range side {
				if c != id && m.tieIndex(id, c) < 0 {
					cand = append(cand, c)
				}
			}
			m.scratchC = cand
			if len(cand) == 0 {
				return
			}
			to = cand[g.intN(len(cand))]
		}
		// id is not tied to to, so (ties being symmetric) to is not tied to
		// id: no need to look either end up.
		m.setTieAt(id, to, -1, -1, p.TieStrengthMin+(p.TieStrengthMax-p.TieStrengthMin)*g.float64())
	}
}

func (m *Model) hasUntied(id int32, side []int32) bool {
	for _, c := range side {
		if c != id && m.tieIndex(id, c) < 0 {
			return true
		}
	}
	return false
}

// DerivedCrossTies is the default initial cross-tie chance
// p× = 0.02·(1.5 − u) of an area with urbanity u (docs/ODD.md §2.2).
func DerivedCrossTies(u float64) float64 { return 0.02 * (1.5 - u) }

// createCrossTies gives each formal–informal pair a tie of strength
// U(min, max) with probability p× (docs/ODD.md §2.2), from the set-up's
// cross-tie stream. Pairs are visited in
// order, skipping ahead by geometric draws, so the cost is proportional to
// the number of ties made, not of pairs.
func (m *Model) createCrossTies() {
	p := &m.p
	px := p.InitialCrossTies
	if px < 0 {
		px = DerivedCrossTies(p.Urbanity)
	}
	px = clamp(px*p.CrossTiesScale, 0, 1)
	nf, ni := len(m.formal), len(m.informal)
	total := nf * ni
	if px <= 0 || total == 0 {
		return
	}
	g := m.stepStream(keyCrossTies)
	logq := math.Log1p(-px)
	k := -1
	for {
		if px >= 1 {
			k++
		} else {
			k += 1 + int(math.Floor(math.Log(1-g.float64())/logq))
		}
		if k >= total || k < 0 {
			return
		}
		f, i := m.formal[k/ni], m.informal[k%ni]
		m.setTie(f, i, p.TieStrengthMin+(p.TieStrengthMax-p.TieStrengthMin)*g.float64())
	}
}

// createCoordinatorTies ties coordinator id to coordinator_ties_formal random
// professionals and coordinator_ties_informal random active informal actors,
// strength coordinator_tie (docs/ODD.md §2.2), from the coordinator's own
// stream.
func (m *Model) createCoordinatorTies(id int32) {
	g := m.stream(keyCoordTies, int64(m.ids[id]))
	for _, grp := range []struct {
		side []int32
		n    int
	}{{m.formal, m.p.CoordTiesFormal}, {m.informal, m.p.CoordTiesInformal}} {
		n := min(grp.n, len(grp.side))
		// A partial Fisher–Yates shuffle of a copy of the side draws n
		// distinct members; only the swapped positions of the copy are
		// kept, so a coordinator costs O(n), not the size of the side.
		var moved virtualSwaps
		for k := range n {
			j := k + g.intN(len(grp.side)-k)
			vk, vj := moved.at(grp.side, k), moved.at(grp.side, j)
			moved.set(k, vj)
			moved.set(j, vk)
			m.setTie(id, vj, m.p.CoordTie)
		}
	}
}

// virtualSwaps is a copy of a list in which only a few positions differ
// from the original: the swapped ones.
type virtualSwaps struct{ pos, val []int32 }

func (v *virtualSwaps) at(orig []int32, i int) int32 {
	for k := len(v.pos) - 1; k >= 0; k-- {
		if int(v.pos[k]) == i {
			return v.val[k]
		}
	}
	return orig[i]
}

func (v *virtualSwaps) set(i int, x int32) {
	v.pos = append(v.pos, int32(i))
	v.val = append(v.val, x)
}

// decayTies is docs/ODD.md §7.8, an order-free step: every formal–informal tie loses tie_decay per
// tick and disappears below tie_min. Within-side and coordinator ties are
// kept up by routine contact.
//
// Both ends of a tie hold the same strength, so each end is lowered on its
// own list (the informal ends first, in one pass), then the professionals'
// lists are walked in order and the ties that fell below tie_min are
// removed from both ends. No end is looked up in another actor's list
// except for a removal.
func (m *Model) decayTies() {
	p := &m.p
	// crossN says how many cross-side ties each list holds: a walk stops
	// after the last of them.
	m.visit(len(m.informal), passDecay, 0) // compute: each informal end, on its own list (decayEnd)
	// Apply, in the professionals' id order: their ends, and the removals.
	for _, f := range m.formal {
		left := m.crossN[f]
		a := &m.actors[f]
		for k := 0; left > 0 && k < len(a.Ties); {
			t := &a.Ties[k]
			if t.Side != SideInformal {
				k++
				continue
			}
			left-- // seen; a removal moves an unseen tie to k
			s := t.S - p.TieDecay
			if s < p.TieMin {
				m.removeTieAt(f, k) // the last tie moves to k: look at k again
				continue
			}
			t.S = s
			k++
		}
	}
	m.maybeRepackTies()
}

// decayEnd is decayTies' compute pass for the k-th active informal party:
// its formal–informal ties lose tie_decay on its own list.
func (m *Model) decayEnd(k int) {
	j := m.informal[k]
	left := m.crossN[j]
	if left == 0 {
		return
	}
	ts := m.actors[j].Ties
	for k := range ts {
		if ts[k].Side == SideFormal {
			ts[k].S -= m.p.TieDecay
			if left--; left == 0 {
				break
			}
		}
	}
}

// appendTie appends t to a's list, counting the lists that had to move out
// of the packed tie array (packTies).
func (m *Model) appendTie(a int32, t Tie) {
	x := &m.actors[a]
	if len(x.Ties) == cap(x.Ties) && m.phase != phaseSetup {
		// At set-up every list grows from nothing and is packed at the
		// end: there Go's append lets the outgrown arrays be collected at
		// once, where chunks would keep them until the packing (at 10^6
		// actors, some 100 MiB more at the peak).
		if cap(x.Ties) > 0 {
			m.tieMoves++
		}
		x.Ties = append(m.tieSpace(2*len(x.Ties)+1), x.Ties...)
	}
	if isCross(x.Side, t.Side) {
		m.crossN[a]++
	}
	x.Ties = append(x.Ties, t)
}

// tieSpace returns an empty tie list with room for c ties, cut from the
// model's current chunk of tie memory, so that recruits and outgrown lists
// do not each cost an allocation. A used-up chunk is followed by a free one
// (recycleChunks), or else a new one of tieChunkSize ties. A list's old
// room stays unused until the next packing (packTies), which moves every
// list into the blocks' arrays and so frees the chunks for the next
// interval: in steady state, in areas up to about 2·10^4 actors, the ticks
// between two packings allocate no tie memory (TestTicksAllocateNothing).
func (m *Model) tieSpace(c int) []Tie {
	l := len(m.tieChunk)
	if l+c > cap(m.tieChunk) {
		if c > tieChunkSize { // a list longer than a chunk: an array of its own, never reused
			return make([]Tie, 0, c)
		}
		if k := len(m.tieFree) - 1; k >= 0 {
			m.tieChunk, m.tieFree = m.tieFree[k], m.tieFree[:k]
		} else {
			m.tieChunk = make([]Tie, 0, tieChunkSize)
		}
		m.tieUsed, l = append(m.tieUsed, m.tieChunk[:0]), 0
	}
	m.tieChunk = m.tieChunk[:l+c]
	return m.tieChunk[l : l : l+c]
}

// tieChunkSize is the number of ties in a chunk of tieSpace (16 KiB).
const tieChunkSize = 1024

// packTies copies the actors' tie lists into arrays in slot order, one
// array (arena) per block of tieBlock slots, with room for a few more ties
// each, so that the steps that walk many actors' ties (§7.5, §7.8, §9) read
// memory in order instead of one scattered slice per actor. Lists keep their
// order, so no output changes. It runs at set-up and whenever many lists
// have outgrown their room (maybeRepackTies).
//
// A block whose lists still fit in its arena, using at least 15/16 of it
// (less 16 KiB, for small areas), is packed back into it, through a
// scratch copy of one block, so that a repacking allocates little; a block
// that has grown or shrunk more gets a new arena with 1/32 more room than
// it needs (arenas that kept their largest size grew by some 130 MB in the
// national run). At 10^6 actors
// the arenas hold some 250 MB: allocating them afresh at every repacking
// made as much garbage at once, on top of the live heap.
func (m *Model) packTies() {
	defer m.recycleChunks() // every list in a chunk is packed below
	nb := (len(m.actors) + tieBlock - 1) / tieBlock
	for len(m.tieArenas) < nb {
		m.tieArenas = append(m.tieArenas, nil)
	}
	clear(m.tieArenas[nb:]) // blocks a compaction emptied
	m.tieArenas = m.tieArenas[:nb]
	for b := range nb {
		block := m.actors[b*tieBlock : min((b+1)*tieBlock, len(m.actors))]
		n := 0
		for k := range block {
			if l := len(block[k].Ties); l > 0 {
				n += l + tieRoom(l)
			}
		}
		arena := m.tieArenas[b]
		if n <= cap(arena) && n >= cap(arena)-cap(arena)/16-tieChunkSize {
			if cap(m.tieBuf) < n {
				m.tieBuf = make([]Tie, n)
			}
			layTies(block, m.tieBuf[:n], true)
			copy(arena[:n], m.tieBuf[:n])
		} else {
			arena = make([]Tie, n, n+n/32)
			layTies(block, arena, true)
		}
		layTies(block, arena[:cap(arena)], false)
		m.tieArenas[b] = arena[:cap(arena)]
	}
	m.tieMoves = 0
}

// recycleChunks returns the chunks cut since the last packing, whose lists
// packTies has just moved into the blocks' arrays, to the free ones
// (tieSpace), keeping at most tieFreeMax. A packing interval (some 15
// ticks) uses 23 to 33 chunks at 10^4 actors, so areas up to about 2·10^4
// actors allocate no tie memory between packings; larger ones reuse the
// 1 MiB kept and allocate the rest, as before. Keeping more would raise a
// national run's peak heap: at 10^6 actors an interval uses some 35–50 MiB
// of chunks, more than the margin to the 1 GiB budget.
func (m *Model) recycleChunks() {
	m.tieFree = append(m.tieFree, m.tieUsed[:min(len(m.tieUsed), max(tieFreeMax-len(m.tieFree), 0))]...)
	clear(m.tieUsed)
	m.tieUsed, m.tieChunk = m.tieUsed[:0], nil
}

// tieFreeMax is the most free chunks the model keeps (1 MiB).
const tieFreeMax = 64

// layTies lays the tie lists of block out one after the other in arena,
// each with its room: copying them there (copyTies), or pointing the lists
// at their places (their ties already there).
func layTies(block []Actor, arena []Tie, copyTies bool) {
	off := 0
	for k := range block {
		x := &block[k]
		l := len(x.Ties)
		if l == 0 {
			x.Ties = nil
			continue
		}
		c := l + tieRoom(l)
		if copyTies {
			copy(arena[off:], x.Ties)
		} else {
			x.Ties = arena[off : off+l : off+c]
		}
		off += c
	}
}

// tieBlock is the number of actors whose tie lists share one array.
const tieBlock = 1 << 14

// tieRoom is the spare room a packed list of l ties gets.
func tieRoom(l int) int { return 1 + l/8 }

// maybeRepackTies packs the tie lists again once a sixteenth of the actors'
// lists have outgrown their room since the last packing.
func (m *Model) maybeRepackTies() {
	if m.tieMoves > len(m.actors)/16 {
		m.packTies()
	}
}
