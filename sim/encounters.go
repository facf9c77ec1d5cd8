package sim

import "slices"

// encounters is docs/ODD.md §7.9: outside any intervention, professionals
// and informal parties run into each other in the neighbourhood (a shared
// client, the community centre, the school gate). After tie decay, each
// professional i has Poisson(λ_enc·(1.2 − u)·(0.5 + τ_i)) encounters, drawn
// from its own stream, each with an active informal party: with
// probability encounter_fof, when i has informal acquaintances, an informal
// acquaintance of one of them (an acquaintance of i drawn uniformly, then
// one of its in-group ties drawn uniformly); otherwise, or when that
// acquaintance has no in-group ties, any active informal party. Each
// encounter raises the tie by encounter_tie·(1 − tie) (a new tie starts at
// encounter_tie). Encounters change no regard and are not contacts.
//
// The encounters are drawn for every professional first (each from its own
// stream, reading only its own ties and its acquaintances' in-group ties,
// which encounters do not change), then applied in the professionals' id
// order, which fixes the order of the informal parties' tie lists. At most
// 16 encounters a professional a tick are kept (the mean is below 0.2 at
// the defaults).
func (m *Model) encounters() {
	p := &m.p
	if p.EncounterRate <= 0 || len(m.informal) == 0 {
		return
	}
	nf := len(m.formal)
	if cap(m.encounterN) < nf {
		m.encounterN = make([]int32, nf, 2*nf)
	}
	m.encounterN = m.encounterN[:nf]
	cnt := m.encounterN
	// Compute: each professional's encounters (a count, then up to
	// maxEncounters partners, kept in its own slots; encountersOf).
	m.encounterWith = slices.Grow(m.encounterWith[:0], nf*maxEncounters)[:nf*maxEncounters]
	with := m.encounterWith
	m.visit(nf, passEncounters, m.prefix(keyEncounter))
	// Apply, in the professionals' id order.
	for k, i := range m.formal {
		for _, j := range with[k*maxEncounters : k*maxEncounters+int(cnt[k])] {
			m.bumpTie(i, j, p.EncounterTie)
		}
	}
}

// encountersOf is encounters' compute pass for the k-th professional: its
// encounters, drawn from its stream opened on g.
func (m *Model) encountersOf(g *rng, k int) {
	p := &m.p
	i := m.formal[k]
	g.open(m.passPre, uint64(m.ids[i]))
	n := min(g.poisson(p.EncounterRate*(1.2-p.Urbanity)*(0.5+m.tau[k])), maxEncounters)
	m.encounterN[k] = int32(n)
	for e := range n {
		j := int32(-1)
		if g.float64() < p.EncounterFoF && m.crossN[i] > 0 {
			j = m.acquaintanceOfAcquaintance(g, i)
		}
		if j < 0 {
			j = m.informal[g.intN(len(m.informal))]
		}
		m.encounterWith[k*maxEncounters+e] = j
	}
}

// maxEncounters bounds a professional's encounters in one tick (the mean
// is below 0.2 at the defaults and below 2 at the largest encounter_rate).
const maxEncounters = 16

// acquaintanceOfAcquaintance draws one of professional i's informal
// acquaintances uniformly, then one of that party's informal acquaintances
// uniformly; −1 when the first has none.
func (m *Model) acquaintanceOfAcquaintance(g *rng, i int32) int32 {
	k := g.intN(int(m.crossN[i]))
	var j int32 = -1
	for _, t := range m.actors[i].Ties {
		if t.Side == SideInformal {
			if k == 0 {
				j = t.To
				break
			}
			k--
		}
	}
	in := 0
	for _, t := range m.actors[j].Ties {
		if t.Side == SideInformal {
			in++
		}
	}
	if in == 0 {
		return -1
	}
	k = g.intN(in)
	for _, t := range m.actors[j].Ties {
		if t.Side == SideInformal {
			if k == 0 {
				return t.To
			}
			k--
		}
	}
	return -1
}
