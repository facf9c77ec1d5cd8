package sim

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
// Professionals are visited in id order: an encounter changes only a tie
// of its own professional, so the order changes no value, and the id order
// fixes the order of the informal parties' tie lists.
func (m *Model) encounters() {
	p := &m.p
	if p.EncounterRate <= 0 || len(m.informal) == 0 {
		return
	}
	base := p.EncounterRate * (1.2 - p.Urbanity)
	for k, i := range m.formal {
		g := m.stream(keyEncounter, int64(i))
		n := g.poisson(base * (0.5 + m.tau[k]))
		for range n {
			j := int32(-1)
			if g.float64() < p.EncounterFoF && m.crossN[i] > 0 {
				j = m.acquaintanceOfAcquaintance(g, i)
			}
			if j < 0 {
				j = m.informal[g.intN(len(m.informal))]
			}
			m.bumpTie(i, j, p.EncounterTie)
		}
	}
}

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
