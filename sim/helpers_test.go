package sim

import (
	"math"
	"slices"
	"testing"
)

// small builds a model of 4 professionals, 6 informal actors and 1
// coordinator with no initial cross ties and no severity noise, then applies
// mut. Tests reach into its state directly.
func small(t *testing.T, mut func(*Params)) *Model {
	t.Helper()
	p := Defaults()
	p.Professionals, p.Informal, p.Coordinators = 4, 6, 1
	p.Households = 100
	p.InitialCrossTies = 0
	p.SeverityNoise = 0
	if mut != nil {
		mut(&p)
	}
	m, err := New(Config{Params: p, Ticks: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// addCase appends a case in the given mode with the given handlers and
// keeps the handlers' loads right.
func (m *Model) addCase(mode Mode, s float64, f, i, c int32) int32 {
	m.caseID++
	m.cases = append(m.cases, Case{ID: m.caseID, Mode: mode, S: s, F: f, I: i, C: c})
	if f >= 0 {
		m.formalLoad(f, 1)
	}
	if i >= 0 {
		m.informalLoad(i, 1)
	}
	if c >= 0 {
		m.coordLoad(c, 1)
	}
	return int32(len(m.cases) - 1)
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %.15g, want %.15g", what, got, want)
	}
}

// checkInvariants checks the conservation and range invariants of the model.
func checkInvariants(t *testing.T, m *Model) {
	t.Helper()
	if len(m.tieFree) > tieFreeMax {
		t.Fatalf("tick %d: %d free tie chunks kept, at most %d allowed", m.tick, len(m.tieFree), tieFreeMax)
	}
	loads := make([]int32, len(m.actors))
	// caseload_relief may lower capacity below a professional's current load:
	// the cases stay, new ones go elsewhere.
	lowered := false
	for _, iv := range m.ivs {
		if r, ok := iv.iv.(*CaseloadRelief); ok && r.Lmax > 0 && m.tick > iv.from {
			lowered = true
		}
	}
	for k, c := range m.cases {
		if c.Mode >= ModeClosed {
			t.Fatalf("tick %d: case %d has mode %v after compaction", m.tick, k, c.Mode)
		}
		want := map[Mode][3]bool{ // F, I, C present
			ModeUnnoticed: {false, false, false}, ModeWaiting: {false, false, false},
			ModeFormalOnly: {true, false, false}, ModeInformalOnly: {false, true, false},
			ModeIntermediated: {true, true, true}, ModeJoint: {true, true, false},
		}[c.Mode]
		for h, id := range []int32{c.F, c.I, c.C} {
			if (id >= 0) != want[h] {
				t.Fatalf("tick %d: case %d in mode %v has handlers F=%d I=%d C=%d", m.tick, k, c.Mode, c.F, c.I, c.C)
			}
			if id >= 0 {
				loads[id]++
			}
		}
		if c.I >= 0 && !m.actors[c.I].Active {
			t.Fatalf("tick %d: case %d held by inactive actor %d", m.tick, k, c.I)
		}
		if c.S < 0 || c.S > 1 || math.IsNaN(c.S) {
			t.Fatalf("severity %v out of range", c.S)
		}
	}
	for _, f := range m.formal {
		a := &m.actors[f]
		b := m.intakeIx.buckets[community(a.Role)]
		l := a.Load + int32(a.busy)
		if int(l) >= len(b) || m.intakeIx.pos[f] >= int32(len(b[l])) || b[l][m.intakeIx.pos[f]] != f {
			t.Fatalf("tick %d: professional %d (load %d) not in its intake bucket", m.tick, f, a.Load)
		}
	}
	for _, j := range m.informal {
		a := &m.actors[j]
		free := a.Active && a.Load < a.Lmax
		if m.freeAll.has(j) != free || m.freeSelfOrg.has(j) != (free && a.Role == RoleSelfOrg) {
			t.Fatalf("tick %d: informal actor %d (load %d/%d) wrongly in or out of the free sets", m.tick, j, a.Load, a.Lmax)
		}
	}
	selfOrg := 0
	for _, id := range m.informal {
		if m.actors[id].Role == RoleSelfOrg {
			selfOrg++
		}
	}
	if selfOrg != m.selfOrgIn {
		t.Fatalf("tick %d: %d active self_org actors, the kept count says %d", m.tick, selfOrg, m.selfOrgIn)
	}
	scan := int32(-1)
	for _, id := range m.coords {
		k := &m.actors[id]
		if k.Load < k.Lmax && (scan < 0 || k.Load < m.actors[scan].Load) {
			scan = id
		}
	}
	if got := m.brokeringCoordinator(); got != scan {
		t.Fatalf("tick %d: brokering coordinator %d, a scan gives %d", m.tick, got, scan)
	}
	if n := len(m.freeAll.ids); n > len(m.informal) {
		t.Fatalf("tick %d: %d free actors, %d informal", m.tick, n, len(m.informal))
	}
	// Each free set's positions and members agree, and each slot is in it
	// at most once.
	for name, set := range map[string]*idSet{"free": &m.freeAll, "free self_org": &m.freeSelfOrg} {
		for k, j := range set.ids {
			if int(j) >= len(set.pos) || set.pos[j] != int32(k) {
				t.Fatalf("tick %d: %s set: slot %d at %d, its position says otherwise", m.tick, name, j, k)
			}
		}
		for j, k := range set.pos {
			if k >= 0 && (int(k) >= len(set.ids) || set.ids[k] != int32(j)) {
				t.Fatalf("tick %d: %s set: slot %d has position %d, which holds another", m.tick, name, j, k)
			}
		}
	}
	// The reflection pairs and their index agree (rememberPair, prunePairs).
	if len(m.pairIdx) != len(m.pairs) {
		t.Fatalf("tick %d: %d pairs, %d in their index", m.tick, len(m.pairs), len(m.pairIdx))
	}
	for x, pc := range m.pairs {
		if y, ok := m.pairIdx[pairKey(m.ids[pc.f], pc.iid)]; !ok || y != int32(x) {
			t.Fatalf("tick %d: pair %d (%d–%d) not at its place in the index", m.tick, x, pc.f, pc.i)
		}
		// The informal party's slot still holds it (present, or left and
		// not yet compacted away), or is −1: it left and was compacted.
		if pc.i >= 0 && m.ids[pc.i] != pc.iid {
			t.Fatalf("tick %d: pair %d points at slot %d, which holds id %d, not %d", m.tick, x, pc.i, m.ids[pc.i], pc.iid)
		}
	}
	// The side lists and the present list hold every actor present exactly
	// once, each in id order (value_consensus and the outputs rely on it);
	// every other slot is free, and the present and the leavers are every
	// id given out, once.
	listed := make([]int, len(m.actors))
	for s, l := range [][]int32{m.formal, m.informal, m.coords, m.present} {
		for k, id := range l {
			if k > 0 && m.ids[l[k-1]] >= m.ids[id] {
				t.Fatalf("tick %d: list %d not in id order at %d", m.tick, s, k)
			}
			if s < 3 && m.actors[id].Side != Side(s) {
				t.Fatalf("tick %d: actor %d of side %v in list %d", m.tick, id, m.actors[id].Side, s)
			}
			listed[id]++
		}
	}
	for id := range m.actors {
		want := map[bool]int{true: 2, false: 0}[m.actors[id].Active]
		if listed[id] != want {
			t.Fatalf("tick %d: slot %d (active %v) is in %d side and present lists", m.tick, id, m.actors[id].Active, listed[id])
		}
		if id > 0 && m.ids[id-1] >= m.ids[id] {
			t.Fatalf("tick %d: slots %d and %d not in id order", m.tick, id-1, id)
		}
	}
	seen := make([]bool, m.nextID)
	for _, id := range m.present {
		seen[m.ids[id]] = true
	}
	for _, b := range m.leavers.blocks {
		for _, x := range b {
			if seen[x.id] {
				t.Fatalf("tick %d: id %d both present and left", m.tick, x.id)
			}
			seen[x.id] = true
		}
	}
	if k := slices.Index(seen, false); k >= 0 {
		t.Fatalf("tick %d: id %d neither present nor left", m.tick, k)
	}
	for id := range m.actors {
		a := &m.actors[id]
		if a.Load != loads[id] {
			t.Fatalf("tick %d: actor %d load %d, holds %d cases", m.tick, id, a.Load, loads[id])
		}
		if a.Load > a.Lmax && !(a.Side == SideFormal && lowered) {
			t.Fatalf("tick %d: actor %d load %d above capacity %d", m.tick, id, a.Load, a.Lmax)
		}
		in := func(v, lo, hi float64, name string) {
			if !(v >= lo && v <= hi) {
				t.Fatalf("tick %d: actor %d %s = %v outside [%v, %v]", m.tick, id, name, v, lo, hi)
			}
		}
		in(a.A, -1, 1, "a")
		in(a.G, -1, 1, "g")
		in(a.W, 0, 1, "w")
		in(a.M, 0, 1, "m")
		in(a.Pi, 0, 1, "π")
		in(a.Iota, 0, 1, "ι")
		for d := range 4 {
			in(a.X[d], 0, 1, "x")
		}
		fresh := 0.0
		for _, tie := range a.Ties {
			if tie.Side == a.Side {
				fresh += tie.S
			}
		}
		if fresh != a.inSum {
			t.Fatalf("tick %d: actor %d in-group sum %v, ties add up to %v", m.tick, id, a.inSum, fresh)
		}
		if has := m.hasIn[id>>6]&(1<<(id&63)) != 0; has != (fresh > 0) {
			t.Fatalf("tick %d: actor %d in-group sum %v but hasIn says %v", m.tick, id, fresh, has)
		}
		cross := int32(0)
		for _, tie := range a.Ties {
			if isCross(a.Side, tie.Side) {
				cross++
			}
		}
		if cross != m.crossN[id] {
			t.Fatalf("tick %d: actor %d has %d cross-side ties, crossN says %d", m.tick, id, cross, m.crossN[id])
		}
		for _, tie := range a.Ties {
			in(tie.S, 1e-9, 1, "tie")
			if s := m.tieStrength(tie.To, int32(id)); s != tie.S {
				t.Fatalf("tie %d–%d not symmetric: %v vs %v", id, tie.To, tie.S, s)
			}
			if !a.Active || !m.actors[tie.To].Active {
				t.Fatalf("tie %d–%d involves an inactive actor", id, tie.To)
			}
		}
	}
}
