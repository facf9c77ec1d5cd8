package sim

// wijktafel holds one session of docs/ODD.md §8.1 (against onbekendheid).
//
// Attendance, each actor from its own stream: a professional with
// probability att_F·(0.5+0.5·τ); an informal party with
// att_I·m·(0.5+attractiveness), times (0.5+0.5·k_m) for self_org members.
// An attending professional gives up cost case slots this tick (§8); an
// informal attendee gains m += 0.02, or loses m −= 0.02 when its load is
// already at capacity (one obligation too many).
//
// Pairs are then formed one at a time from the session's own stream: a
// random formal and a random informal attendee that both have a slot left
// and have not met this session. Each pair: tie += 0.3·(1−tie) and a
// conversation, positive with probability 0.8 (0.5+0.4·k_m with a self_org
// member): a += 0.01·(1−a) for both; else a −= 0.025·(1+a).
func (m *Model) wijktafel(w *Wijktafel) {
	p := &m.p
	km := w.CulturalSensitivity
	if km < 0 {
		km = p.CulturalSensitivity
	}
	m.computeTau()
	slots := w.MeetingsPerAttendee
	if w.Facilitated && len(m.coords) > 0 {
		slots++
	}
	fa, ia := m.scratchA[:0], m.scratchB[:0]
	for k, id := range m.formal {
		if m.stream(keyWijktafel, int64(m.ids[id])).float64() < w.AttendanceFormal*(0.5+0.5*m.tau[k]) {
			fa = append(fa, id)
		}
	}
	for _, id := range m.informal {
		a := &m.actors[id]
		pr := w.AttendanceInformal * a.M * (0.5 + w.Attractiveness)
		if a.Role == RoleSelfOrg {
			pr *= 0.5 + 0.5*km
		}
		if m.stream(keyWijktafel, int64(m.ids[id])).float64() < pr {
			ia = append(ia, id)
		}
	}
	for _, id := range fa {
		m.charge(id, w.Cost)
	}
	for _, id := range ia {
		a := &m.actors[id]
		if a.Load >= a.Lmax {
			a.M = clamp(a.M-0.02, 0, 1)
		} else {
			a.M = clamp(a.M+0.02, 0, 1)
		}
	}
	m.scratchA, m.scratchB = fa, ia
	if slots == 0 || len(fa) == 0 || len(ia) == 0 {
		return
	}
	for _, id := range fa {
		m.actors[id].slots = int16(slots)
	}
	for _, id := range ia {
		m.actors[id].slots = int16(slots)
	}
	g := m.stepStream(keyWijktafel)
	met := m.metPairs
	clear(met)
	cand := m.scratchC[:0]
	for len(fa) > 0 && len(ia) > 0 {
		fk := g.intN(len(fa))
		f := fa[fk]
		// Rejection first (cheap when few pairs have met), then an exact scan.
		var ik = -1
		for range 8 {
			k := g.intN(len(ia))
			if _, seen := met[pairKey(f, ia[k])]; !seen {
				ik = k
				break
			}
		}
		if ik < 0 {
			cand = cand[:0]
			for k, i := range ia {
				if _, seen := met[pairKey(f, i)]; !seen {
					cand = append(cand, int32(k))
				}
			}
			if len(cand) == 0 { // f has met every informal attendee left
				fa[fk] = fa[len(fa)-1]
				fa = fa[:len(fa)-1]
				continue
			}
			ik = int(cand[g.intN(len(cand))])
		}
		i := ia[ik]
		met[pairKey(f, i)] = struct{}{}
		m.meet(g, f, i, km)
		if m.actors[f].slots--; m.actors[f].slots == 0 {
			fa[fk] = fa[len(fa)-1]
			fa = fa[:len(fa)-1]
		}
		if m.actors[i].slots--; m.actors[i].slots == 0 {
			ia[ik] = ia[len(ia)-1]
			ia = ia[:len(ia)-1]
		}
	}
	m.scratchC = cand
}

// meet is one wijktafel conversation between professional f and informal
// party i (docs/ODD.md §8.1).
func (m *Model) meet(g *rng, f, i int32, km float64) {
	m.bumpTie(f, i, 0.3)
	pPos := 0.8
	if m.actors[i].Role == RoleSelfOrg {
		pPos = 0.5 + 0.4*km
	}
	af, ai := &m.actors[f], &m.actors[i]
	if g.float64() < pPos {
		af.A = clamp(af.A+0.01*(1-af.A), -1, 1)
		ai.A = clamp(ai.A+0.01*(1-ai.A), -1, 1)
	} else {
		af.A = clamp(af.A-0.025*(1+af.A), -1, 1)
		ai.A = clamp(ai.A-0.025*(1+ai.A), -1, 1)
	}
	af.CrossContacts++
	ai.CrossContacts++
}
