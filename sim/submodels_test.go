package sim

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

// Focused tests: one rule of docs/ODD.md §7 or §8 each, on a hand-built
// state of the small model.

func TestRoleCountsLargestRemainder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		shares []float64
		want   []int
	}{
		{"default professionals", 40, []float64{0.7, 0.2, 0.1}, []int{28, 8, 4}},
		{"remainders", 10, []float64{0.33, 0.33, 0.34}, []int{3, 3, 4}},
		{"one actor", 1, []float64{0.7, 0.2, 0.1}, []int{1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := largestRemainder(tc.n, tc.shares)
			for k := range got {
				if got[k] != tc.want[k] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	// The default informal population with d = 0.3: 75, 37 or 38, 22 or 23, 15.
	m := small(t, func(p *Params) { p.Informal = 150 })
	var n [8]int
	for _, id := range m.informal {
		n[m.actors[id].Role]++
	}
	if n[RoleVolunteer] != 75 || n[RoleExpert] != 15 || n[RoleResidentOrg]+n[RoleSelfOrg] != 60 {
		t.Errorf("informal roles %v", n)
	}
}

func TestSelfOrgShareScalesWithMigrantShare(t *testing.T) {
	m := small(t, func(p *Params) { p.MigrantShare = 0.6 })
	s := m.informalShares()
	near(t, "self_org share at d=0.6", s[2], 0.3)
	near(t, "sum of shares", s[0]+s[1]+s[2]+s[3], 1)
	near(t, "volunteer share", s[0], 0.5*0.7/0.85)
}

func TestNegativeContact(t *testing.T) {
	m := small(t, nil)
	i, j := m.formal[0], m.informal[0]
	a, b := &m.actors[i], &m.actors[j]
	a.A, b.A, b.M = 0.2, -0.4, 0.7
	m.negativeNow(i, j)
	near(t, "a_i", a.A, 0.2-0.05*1.2)
	near(t, "a_j", b.A, -0.4-0.05*0.6)
	near(t, "m_j", b.M, 0.65)
	near(t, "tie", m.tieStrength(i, j), 0.05)
	if m.negC != 1 || m.posC != 0 {
		t.Errorf("counters neg %d pos %d", m.negC, m.posC)
	}
}

// TestOneImpressionAWeek checks docs/ODD.md §7.3's averaging: professional
// f has two joint cases this tick, a positive one with i1 and a negative
// one with i2, and an accepted guiding's positive contact with i3 from step
// 3. Its regard and conceptions change once, by the mean of the three
// contacts' changes computed from the values at the start of step 4; each
// partner's by its one contact; ties and motivation per contact.
func TestOneImpressionAWeek(t *testing.T) {
	m := small(t, nil)
	f, i1, i2, i3 := m.formal[0], m.informal[0], m.informal[1], m.informal[2]
	a := &m.actors[f]
	a.A, a.X, a.Eps = 0.2, [4]float64{0.5, 0.5, 0.5, 0.5}, 0.3
	for k, id := range []int32{i1, i2, i3} {
		b := &m.actors[id]
		b.A, b.M, b.Eps = -0.4, 0.7, 0.3
		b.X = [4]float64{0.5, 0.5, 0.5, 0.5}
		if k == 1 {
			b.X = [4]float64{1, 1, 1, 1} // dist 0.5 > 0.3 + 0.1·q: negative
		}
		if k == 2 {
			b.X = [4]float64{0.9, 0.5, 0.5, 0.5}
		}
	}
	m.q = 0
	m.addCase(ModeJoint, 0.5, f, i1, -1)
	m.addCase(ModeJoint, 0.5, f, i2, -1)
	m.guideContact(f, i3)
	near(t, "guiding's tie applies at once", m.tieStrength(f, i3), 0.1)
	near(t, "guiding's regard waits for step 4", a.A, 0.2)
	m.jointContacts()
	dPos, dNeg := 0.02*(1-0.2), -0.05*(1+0.2)
	near(t, "a_f (mean of three contacts)", a.A, 0.2+(2*dPos+dNeg)/3)
	l := m.p.Learning
	near(t, "x_f[0] (mean of three)", a.X[0], 0.5+(0+l*(0.9-0.5))/3)
	near(t, "a_i1", m.actors[i1].A, -0.4+0.02*1.4)
	near(t, "a_i2", m.actors[i2].A, -0.4-0.05*0.6)
	near(t, "x_i3[0]", m.actors[i3].X[0], 0.9+l*(0.5-0.9))
	near(t, "m_i2 per contact", m.actors[i2].M, 0.65)
	near(t, "tie f–i2", m.tieStrength(f, i2), 0.05)
	if m.posC != 2 || m.negC != 1 {
		t.Errorf("counters pos %d neg %d, want 2 and 1", m.posC, m.negC)
	}
	if a.CrossContacts != 3 {
		t.Errorf("cross contacts %d, want 3", a.CrossContacts)
	}
	// The averaging buffers are clean for the next tick.
	m.jointContacts()
	if len(m.contacted) != 0 || len(m.csum) != 0 || m.cslot[f] != 0 {
		t.Fatal("contact sums not cleared")
	}
}

// TestContactScaleScalesRegardSteps: contact_scale 0.5 halves the regard
// step of a negative contact (and nothing else).
func TestContactScaleScalesRegardSteps(t *testing.T) {
	m := small(t, func(p *Params) { p.ContactScale = 0.5 })
	i, j := m.formal[0], m.informal[0]
	m.actors[i].A, m.actors[j].A = 0.2, -0.4
	m.negativeNow(i, j)
	near(t, "a_i", m.actors[i].A, 0.2-0.5*0.05*1.2)
	near(t, "tie", m.tieStrength(i, j), 0.05)
}

func TestJointContactThreshold(t *testing.T) {
	// dist = ‖x_i−x_j‖/2; with one dimension apart by 0.8, dist = 0.4.
	for _, tc := range []struct {
		name     string
		eps, q   float64
		positive bool
	}{
		{"tolerant enough", 0.41, 0, true},
		{"too far apart", 0.39, 0, false},
		{"a clear end goal settles it", 0.39, 0.2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := small(t, nil)
			f, i := m.formal[0], m.informal[0]
			m.actors[f].X = [4]float64{0.1, 0.5, 0.5, 0.5}
			m.actors[i].X = [4]float64{0.9, 0.5, 0.5, 0.5}
			m.actors[f].Eps, m.actors[i].Eps = tc.eps, tc.eps
			m.q = tc.q
			m.addCase(ModeJoint, 0.5, f, i, -1)
			iota := m.actors[f].Iota
			m.jointContacts()
			if got := m.posC == 1; got != tc.positive || m.posC+m.negC != 1 {
				t.Fatalf("positive %d negative %d, want positive=%v", m.posC, m.negC, tc.positive)
			}
			near(t, "ι after a joint contact", m.actors[f].Iota, iota+0.002)
		})
	}
}

func TestTieDecay(t *testing.T) {
	m := small(t, nil)
	f, i, i2 := m.formal[0], m.informal[0], m.informal[1]
	c := m.coords[0]
	m.setTie(f, i, 0.3)
	m.setTie(f, i2, 0.055)
	in := m.actors[f].Ties[0]
	m.setTie(c, i, 0.5)
	m.decayTies()
	near(t, "cross tie", m.tieStrength(f, i), 0.29)
	near(t, "mirror", m.tieStrength(i, f), 0.29)
	if m.tieStrength(f, i2) != 0 || m.tieStrength(i2, f) != 0 {
		t.Errorf("tie below 0.05 not removed: %v", m.tieStrength(f, i2))
	}
	near(t, "within-side tie", m.tieStrength(f, in.To), in.S)
	near(t, "coordinator tie", m.tieStrength(c, i), 0.5)
}

func TestLateEscalationFromInformalHandler(t *testing.T) {
	m := small(t, nil)
	j := m.informal[0]
	ci := m.addCase(ModeInformalOnly, 0.845, -1, j, -1) // +0.8·0.015: out of depth
	for _, f := range m.formal[1:] {
		m.actors[f].Load = m.actors[f].Lmax // only formal[0] has room
	}
	m.reindex()
	f := m.formal[0]
	if m.actors[f].Role == RoleCommunity {
		t.Skip("layout changed")
	}
	m.actors[f].A = 0.2
	m.progress()
	if len(m.cases) != 1 {
		t.Fatalf("cases %d", len(m.cases))
	}
	c := m.cases[0]
	if !c.Late || c.Mode != ModeFormalOnly || c.F != f || c.I != -1 {
		t.Fatalf("case after escalation: %+v", c)
	}
	if m.actors[j].Load != 0 || m.late != 1 {
		t.Errorf("informal load %d, late %d", m.actors[j].Load, m.late)
	}
	near(t, "receiving professional's a", m.actors[f].A, 0.2-0.05*1.2)
	_ = ci
}

func TestLateEscalationToQueueHasNoPenalty(t *testing.T) {
	m := small(t, nil)
	for _, f := range m.formal {
		m.actors[f].Load = m.actors[f].Lmax
		m.actors[f].A = 0.1
	}
	m.reindex()
	m.addCase(ModeUnnoticed, 0.845, -1, -1, -1) // +0.8·0.010 → 0.853
	m.progress()
	if c := m.cases[0]; c.Mode != ModeWaiting || !c.Late {
		t.Fatalf("case %+v", c)
	}
	for _, f := range m.formal {
		near(t, "a", m.actors[f].A, 0.1)
	}
}

func TestSeverityByMode(t *testing.T) {
	m := small(t, nil)
	f, i, c := m.formal[0], m.informal[0], m.coords[0]
	for _, tc := range []struct {
		mode    Mode
		s, want float64
	}{
		// pace 0.8 times the table of docs/ODD.md §7.4
		{ModeFormalOnly, 0.5, 0.5 - 0.8*0.04},
		{ModeJoint, 0.5, 0.5 - 0.8*0.055},
		{ModeIntermediated, 0.5, 0.5 - 0.8*0.0475},
		{ModeInformalOnly, 0.5, 0.5 - 0.8*0.03},
		{ModeInformalOnly, 0.6, 0.6 + 0.8*0.015},
		{ModeWaiting, 0.5, 0.5 + 0.8*0.01},
		{ModeUnnoticed, 0.5, 0.5 + 0.8*0.01},
	} {
		m.cases = m.cases[:0]
		for id := range m.actors {
			m.actors[id].Load = 0
		}
		m.reindex()
		var F, I, C int32 = -1, -1, -1
		switch tc.mode {
		case ModeFormalOnly:
			F = f
		case ModeJoint:
			F, I = f, i
		case ModeIntermediated:
			F, I, C = f, i, c
		case ModeInformalOnly:
			I = i
		}
		m.addCase(tc.mode, tc.s, F, I, C)
		m.progress()
		near(t, tc.mode.String(), m.cases[0].S, tc.want)
	}
}

func TestClosingReleasesHandlersAndCostsContinuity(t *testing.T) {
	// With continue_chance 1 the informal actor always goes on after closing.
	m := small(t, func(p *Params) { p.ContinueChance = 1 })
	f, i, c := m.formal[0], m.informal[0], m.coords[0]
	m.actors[i].A = 0
	m.addCase(ModeIntermediated, 0.13, f, i, c) // −0.8·0.0475 → 0.092
	m.progress()
	if len(m.cases) != 0 || m.closed != 1 {
		t.Fatalf("case not closed: %v", m.cases)
	}
	for _, h := range []int32{f, i, c} {
		if m.actors[h].Load != 0 {
			t.Errorf("actor %d load %d after closing", h, m.actors[h].Load)
		}
	}
	near(t, "a_j after discontinuity", m.actors[i].A, -0.02)
}

func TestMigrantDeclineRate(t *testing.T) {
	// Seed 7, one run of 40,000 explicit requests from migrant households
	// (d = 1, no silent cases, k = 0.2): the share that declines formal help
	// must be 0.5·(1−k) = 0.4 within 0.01 (about 4 standard errors).
	p := Defaults()
	p.MigrantShare, p.CulturalSensitivity = 1, 0.2
	p.SilentRate, p.ExplicitRate, p.Households = 0, 1, 40000
	m, err := New(Config{Params: p, Ticks: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	m.arrive()
	declined := 0 // a declined request becomes silent
	for _, c := range m.cases {
		if c.Silent {
			declined++
		}
	}
	got := float64(declined) / float64(len(m.cases))
	if len(m.cases) < 39000 || math.Abs(got-0.4) > 0.01 {
		t.Errorf("declined %.4f of %d requests, want 0.40 ± 0.01", got, len(m.cases))
	}
}

func TestIntakeChoosesLowestLoadAndQueues(t *testing.T) {
	m := small(t, func(p *Params) { p.Professionals = 10 }) // 7 casework, 2 community, 1 hybrid
	var cw, com []int32
	for _, id := range m.formal {
		if m.actors[id].Role == RoleCommunity {
			com = append(com, id)
		} else {
			cw = append(cw, id)
		}
	}
	for k, id := range cw {
		m.actors[id].Load = int32(5 + k)
	}
	m.reindex()
	g := m.stepStream(keyArrival)
	if got := m.intakeProfessional(g); got != cw[0] {
		t.Fatalf("intake chose %d, want the least loaded %d", got, cw[0])
	}
	for _, id := range cw {
		m.actors[id].Load = m.actors[id].Lmax
	}
	m.reindex()
	if got := m.intakeProfessional(g); got != com[0] && got != com[1] {
		t.Fatalf("intake chose %d with casework full, want a community worker", got)
	}
	for _, id := range com {
		m.actors[id].Load = m.actors[id].Lmax
	}
	m.reindex()
	if m.intakeProfessional(g) != -1 {
		t.Fatal("intake found capacity where there is none")
	}
	// Waiting cases are served first come, first served.
	a := m.addCase(ModeWaiting, 0.5, -1, -1, -1)
	b := m.addCase(ModeWaiting, 0.5, -1, -1, -1)
	m.cases[a].seq, m.cases[b].seq = 2, 1
	m.formalLoad(cw[0], -1)
	m.tick = 3
	m.cases[b].waitFrom = 1
	m.serveQueue(g)
	if m.cases[b].Mode != ModeFormalOnly || m.cases[a].Mode != ModeWaiting {
		t.Errorf("queue not first come first served: %v %v", m.cases[a].Mode, m.cases[b].Mode)
	}
	if m.waitN != 1 || m.waitSum != 2 {
		t.Errorf("waited %d weeks over %d cases, want 2 over 1", m.waitSum, m.waitN)
	}
	// A meeting's slots count as load for intake: the least-loaded
	// professional, charged 2 slots, is no longer the least loaded.
	for _, id := range m.formal {
		m.actors[id].Load = 0
	}
	m.cases = m.cases[:0]
	m.reindex()
	for _, id := range cw[1:] {
		m.formalLoad(id, 1)
	}
	m.charge(cw[0], 2)
	if got := m.intakeProfessional(g); got == cw[0] || m.actors[got].Role == RoleCommunity {
		t.Fatalf("intake chose %d, charged 2 slots; want another casework professional", got)
	}
	m.releaseBusy()
	if got := m.intakeProfessional(g); got != cw[0] {
		t.Fatalf("after the tick intake chose %d, want %d again", got, cw[0])
	}
}

func TestInvolvementDirectThenIntermediated(t *testing.T) {
	// A professional with a = 1 and bias +10 always involves (P_inv ≈ 1)
	// and, with b0 = +10, always goes direct when a tied party qualifies.
	m := small(t, func(p *Params) { p.InvolveBias = 10; p.DirectBias = 10 })
	f := m.formal[0]
	m.actors[f].A = 1
	weak, strong := m.informal[0], m.informal[1]
	m.setTie(f, weak, 0.3) // below θ = 0.4
	m.setTie(f, strong, 0.6)
	m.actors[strong].Pi = 0
	m.computeTau()
	ci := m.addCase(ModeFormalOnly, 0.5, f, -1, -1)
	m.considerInvolving(ci)
	if c := m.cases[ci]; c.Mode != ModeJoint || c.I != strong || m.refD != 1 {
		t.Fatalf("direct referral: %+v", c)
	}
	// Without a tie ≥ θ, the coordinator brokers the free actor with the highest π.
	f2 := m.formal[1]
	m.actors[f2].A = 1
	best := m.informal[3]
	m.actors[best].Pi = 0.9
	ci2 := m.addCase(ModeFormalOnly, 0.5, f2, -1, -1)
	m.considerInvolving(ci2)
	if c := m.cases[ci2]; c.Mode != ModeIntermediated || c.I != best || c.C != m.coords[0] || m.refI != 1 {
		t.Fatalf("intermediated referral: %+v", c)
	}
	if r := m.referralShare(&m.actors[best]); r != 1 {
		t.Errorf("r_j = %v, want 1 (one case taken, one referral)", r)
	}
	// Low trust: with b0 = −10 a qualifying tie is not used; the
	// coordinator brokers instead.
	m.p.DirectBias = -10
	f3 := m.formal[2]
	m.actors[f3].A = 1
	m.setTie(f3, m.informal[4], 0.9)
	ci3 := m.addCase(ModeFormalOnly, 0.5, f3, -1, -1)
	m.considerInvolving(ci3)
	if c := m.cases[ci3]; c.Mode != ModeIntermediated {
		t.Fatalf("with P_direct ≈ 0 the case is %v, want intermediated", c.Mode)
	}
}

// TestDirectRouteRate: P_direct = σ(b0 + 3·a + 2·tie) with b0 = −1.5,
// a = 0, tie = 0.5 is σ(−0.5) = 0.3775; over 2000 cases (each its own
// stream, seed 1) the direct share must be within 0.035 (about 3 s.e.).
func TestDirectRouteRate(t *testing.T) {
	m := small(t, func(p *Params) {
		p.InvolveBias = 20
		p.LmaxInformal = 10000
		p.LmaxFormal = 10000
		p.LmaxCoordinator = 10000
	})
	f, j := m.formal[0], m.informal[0]
	m.actors[f].A = 0
	m.actors[j].Pi = 0
	m.setTie(f, j, 0.5)
	m.computeTau()
	direct := 0
	const n = 2000
	for range n {
		ci := m.addCase(ModeFormalOnly, 0.5, f, -1, -1)
		m.considerInvolving(ci)
		if m.cases[ci].Mode == ModeJoint {
			direct++
		}
	}
	if got := float64(direct) / n; math.Abs(got-sigmoid(-0.5)) > 0.035 {
		t.Errorf("direct share %.3f, want %.3f ± 0.035", got, sigmoid(-0.5))
	}
}

// guideOnce runs one guiding of an informal_only case by an informal actor
// tied 0.9 to professional 0, whose regard is a, and returns the model.
func guideOnce(t *testing.T, seed uint64, a, stay float64) (*Model, Case) {
	p := Defaults()
	p.Professionals, p.Informal, p.Coordinators = 4, 6, 1
	p.InitialCrossTies, p.GuideBias, p.CulturalSensitivity = 0, 20, 1
	m, err := New(Config{Params: p, Ticks: 1, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	f, j := m.formal[0], m.informal[0]
	m.setTie(f, j, 0.9)
	m.actors[f].A = a
	m.actors[j].Pi = 0
	m.pStay = stay
	ci := m.addCase(ModeInformalOnly, 0.5, -1, j, -1)
	m.considerGuiding(m.stepStream(keyGuide), ci)
	if m.guided != 1 || m.cases[ci].F != f {
		t.Fatalf("guided %d to %d, want professional %d", m.guided, m.cases[ci].F, f)
	}
	return m, m.cases[ci]
}

func TestGuidingOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a, stay  float64
		accepted bool
		want     Mode
	}{
		{"taken seriously and stays", 0.5, 1, true, ModeJoint},
		{"taken seriously, hands over", 0.5, 0, true, ModeFormalOnly},
		{"not taken seriously", -0.5, 1, false, ModeFormalOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Find a seed with the wanted acceptance draw, then check its outcome.
			for seed := uint64(1); seed < 100; seed++ {
				m, c := guideOnce(t, seed, tc.a, tc.stay)
				if (m.guidedAcc == 1) != tc.accepted {
					continue
				}
				if c.Mode != tc.want || (c.I == m.informal[0]) != (tc.want == ModeJoint) {
					t.Fatalf("mode %v, informal handler %d", c.Mode, c.I)
				}
				if tc.accepted && (m.posC != 1 || m.negC != 0) || !tc.accepted && (m.negC != 1 || m.posC != 0) {
					t.Fatalf("contacts: positive %d negative %d", m.posC, m.negC)
				}
				checkInvariants(t, m)
				return
			}
			t.Fatal("no seed gave the wanted draw")
		})
	}
}

func TestGuidingAcceptanceRate(t *testing.T) {
	// Seeds 1–2000, one guiding each, professional regard a = 0.25, π = 0:
	// taken seriously with σ(2·0.25) = 0.6225, within 0.035 (about 3 s.e.).
	acc := 0
	const n = 2000
	for seed := uint64(1); seed <= n; seed++ {
		m, _ := guideOnce(t, seed, 0.25, 0.3)
		acc += m.guidedAcc
	}
	if got := float64(acc) / n; math.Abs(got-sigmoid(0.5)) > 0.035 {
		t.Errorf("accepted %.3f, want %.3f ± 0.035", got, sigmoid(0.5))
	}
}

// TestInfluenceMovesTowardsPartner: two professionals whose only in-group
// tie is to each other, a = g = w = 0 and 1. Influence is synchronous
// (docs/ODD.md §7.5): each moves 5% towards the other's values from before
// the step, so f ends at 0.05 and g at 0.95 whatever the order.
func TestInfluenceMovesTowardsPartner(t *testing.T) {
	m := small(t, nil)
	f, g := m.formal[0], m.formal[1]
	for _, x := range []int32{f, g} {
		for len(m.actors[x].Ties) > 0 {
			m.removeTieAt(x, 0)
		}
	}
	m.setTie(f, g, 0.5)
	if got := m.tiePartner(f, 0.25); got != g {
		t.Fatalf("partner %d, want %d", got, g)
	}
	a, b := &m.actors[f], &m.actors[g]
	a.A, a.G, a.W = 0, 0, 0
	b.A, b.G, b.W = 1, 1, 1
	m.formal = []int32{f, g}
	m.informal = nil
	m.influence()
	for _, v := range [][2]float64{{a.A, b.A}, {a.G, b.G}, {a.W, b.W}} {
		near(t, "f", v[0], 0.05)
		near(t, "g", v[1], 0.95)
	}
}

func TestThreatFormula(t *testing.T) {
	m := small(t, nil)
	m.push, m.q = 0.5, 0.2
	f := m.formal[0]
	rr := m.p.RegardReturn
	i := m.informal[0]
	a := &m.actors[f]
	a.W, a.W0, a.A, a.A0, a.G, a.G0 = 0.5, 0.5, 0, 0, 0.5, 0.5
	m.addCase(ModeJoint, 0.5, f, i, -1)
	m.addCase(ModeFormalOnly, 0.5, f, -1, -1) // ρ = 1/2
	m.threat()
	T := 0.5 * 0.8 * (0.5 + 0.5*0.5)
	near(t, "T", a.T, T)
	w := 0.5 + 0.05*(T*0.5)
	near(t, "w", a.W, w)
	near(t, "a", a.A, -0.02*w*T)
	near(t, "g", a.G, 0.5+0.02*w*T*0.5)
	// Regard relaxes towards the prior at r_rel = regard_return (0.07).
	a.A, a.G, a.W = -0.5, 0.9, 0.5
	m.push = 0
	m.threat()
	near(t, "a relaxes", a.A, -0.5+rr*0.5)
	near(t, "g relaxes", a.G, 0.9+rr*(0.5-0.9))
	// Under separation the fluid-boundary term is halved (§8.3).
	m.setEndGoal("separation", 0.2, 0)
	m.push = 0.5
	m.threat()
	near(t, "T under separation", a.T, 0.5*0.8*(0.5+0.25*0.5))
}

func TestEndGoalLowersThreat(t *testing.T) {
	m := small(t, nil)
	eg := &EndGoal{Perspective: "civil_society", Clarity: 1, Participation: 1}
	m.ivs = []scheduled{{iv: eg}}
	m.applyInterventions()
	near(t, "q", m.q, 1)
	if m.gInv != 1 || m.aGoal != 0.3 || m.pStay != 0.6 {
		t.Errorf("civil_society sets G_inv %v A %v p_stay %v", m.gInv, m.aGoal, m.pStay)
	}
	m.threat()
	for _, id := range m.formal {
		if m.actors[id].T != 0 {
			t.Fatalf("threat %v with q = 1", m.actors[id].T)
		}
	}
}

func TestTurnoverDropOutReleasesCases(t *testing.T) {
	m := small(t, func(p *Params) { p.DropoutBase = 1; p.RecruitRate = 0 })
	f, j, j2 := m.formal[0], m.informal[0], m.informal[1]
	a := m.addCase(ModeInformalOnly, 0.5, -1, j, -1)
	b := m.addCase(ModeJoint, 0.5, f, j2, -1)
	m.computeTau()
	m.turnover()
	if len(m.informal) != 0 {
		t.Fatalf("%d informal actors left, want none", len(m.informal))
	}
	if m.cases[a].Mode != ModeUnnoticed || m.cases[b].Mode != ModeFormalOnly || m.cases[b].F != f {
		t.Fatalf("cases after drop-out: %+v %+v", m.cases[a], m.cases[b])
	}
	if len(m.actors[j].Ties) != 0 {
		t.Error("a dropped-out actor keeps ties")
	}
	checkInvariants(t, m)
}

func TestInformalisationAndProtoProfessionalisation(t *testing.T) {
	m := small(t, func(p *Params) { p.DropoutBase, p.DropoutCoef, p.RecruitRate = 0, 0, 0 })
	f, j := m.formal[0], m.informal[0]
	m.actors[f].Iota = 0.2
	m.actors[j].Pi, m.actors[j].M, m.actors[j].T = 0.1, 0.7, 0.2
	m.addCase(ModeJoint, 0.5, f, j, -1)
	m.computeTau()
	m.countInvolvement()
	tau := m.tau[m.actors[f].fidx]
	m.turnover()
	near(t, "ι", m.actors[f].Iota, 0.2+0.01*(0.3+0.4*tau-0.2))
	near(t, "π", m.actors[j].Pi, 0.1+0.01*(0.2+0.5)*0.9)
	near(t, "m", m.actors[j].M, 0.7+0.02*0.1-0.03*0.2)
}

func TestWijktafelPairsAndTies(t *testing.T) {
	// Everyone attends (attendance 1, τ raised by support 1, motivation 1):
	// 4 professionals and 6 informal actors with 3+1 slots each form at most
	// 4·4 = 16 pairs, each pair at most once.
	m := small(t, nil)
	m.support = 1
	for _, id := range m.informal {
		m.actors[id].M = 1
		m.actors[id].Role = RoleVolunteer
	}
	for _, id := range m.formal {
		m.actors[id].Role = RoleCommunity
	}
	m.reindex()
	w := &Wijktafel{Every: 1, End: -1, AttendanceFormal: 1, AttendanceInformal: 1, Attractiveness: 0.5,
		CulturalSensitivity: -1, MeetingsPerAttendee: 3, Facilitated: true, Cost: 2}
	m.wijktafel(w)
	pairs, contacts := 0, 0
	for _, f := range m.formal {
		for _, i := range m.informal {
			if s := m.tieStrength(f, i); s > 0 {
				pairs++
				near(t, "tie after one meeting", s, 0.3)
			}
		}
		contacts += int(m.actors[f].CrossContacts)
	}
	if pairs != contacts || pairs < 12 || pairs > 16 {
		t.Errorf("%d pairs met, %d contacts; want 12–16 distinct pairs", pairs, contacts)
	}
	for _, id := range m.informal {
		if m.actors[id].M != 1 { // 1 + 0.02, clamped
			t.Errorf("motivation %v", m.actors[id].M)
		}
	}
	for _, id := range m.formal {
		if m.actors[id].busy != 2 {
			t.Errorf("professional %d gave up %d slots, want the cost 2", id, m.actors[id].busy)
		}
	}
}

// TestWijktafelCosts: an attending informal party already at capacity
// loses motivation instead of gaining it, and pressure counts the
// professionals' meeting slots as used (docs/ODD.md §8).
func TestWijktafelCosts(t *testing.T) {
	m := small(t, nil)
	for _, id := range m.informal {
		m.actors[id].M = 0.5
	}
	for _, id := range m.formal {
		m.actors[id].Role = RoleCommunity // attends with 0.5+0.5·0.9
	}
	m.reindex()
	full := m.informal[0]
	m.addCase(ModeInformalOnly, 0.5, -1, full, -1)
	m.addCase(ModeInformalOnly, 0.5, -1, full, -1) // at Lmax 2
	w := &Wijktafel{Every: 1, End: -1, AttendanceFormal: 1, AttendanceInformal: 1, Attractiveness: 1,
		CulturalSensitivity: -1, MeetingsPerAttendee: 1, Cost: 5}
	m.support = 1
	m.wijktafel(w)
	attended := 0
	for _, id := range m.informal {
		if m.actors[id].M != 0.5 {
			attended++
		}
	}
	if attended == 0 {
		t.Skip("no informal party attended with this seed")
	}
	if got := m.actors[full].M; got != 0.48 && got != 0.5 {
		t.Errorf("full attendee's motivation %v, want 0.48 (or 0.5 when absent)", got)
	}
	m.computeTau()
	charged := 0
	for _, id := range m.formal {
		if b := m.actors[id].busy; b == 5 {
			charged++
		} else if b != 0 {
			t.Fatalf("professional %d charged %d slots, want 0 or 5", id, b)
		}
	}
	if charged == 0 {
		t.Fatal("no professional attended")
	}
	near(t, "pressure counts the meeting's slots", m.pressure, float64(charged)*5/20/float64(len(m.formal)))
	m.releaseBusy()
	m.computeTau()
	near(t, "pressure after the tick", m.pressure, 0)
}

func TestSocialReflectionCompromise(t *testing.T) {
	m := small(t, nil)
	f, i := m.formal[0], m.informal[0]
	a, b := &m.actors[f], &m.actors[i]
	a.X, b.X = [4]float64{0, 0, 0, 0}, [4]float64{1, 1, 1, 1}
	a.Eps, b.Eps, a.A, b.A, a.W, b.W = 0.69, 0.3, 0, 0, 0.5, 0.5
	m.tick = 5
	m.rememberPair(f, i)
	m.tick = 8
	m.p.ReflectionFail = 0
	m.reflect(&SocialReflection{Every: 4, End: -1, Coverage: 1, Facilitator: "coordinator", Cost: 2})
	near(t, "x_i", a.X[0], 0.15)
	near(t, "x_j", b.X[0], 0.85)
	near(t, "ε capped", a.Eps, 0.7)
	near(t, "ε", b.Eps, 0.32)
	near(t, "a", a.A, 0.03)
	near(t, "w", a.W, 0.49)
	if a.busy != 2 {
		t.Errorf("the professional gave up %d slots, want 2", a.busy)
	}
	// A pair whose last contact is older than the window does not reflect.
	m.tick = 30
	m.reflect(&SocialReflection{Every: 4, End: -1, Coverage: 1, Facilitator: "none"})
	near(t, "x_i unchanged", a.X[0], 0.15)
}

func TestIntermediariesIntroduce(t *testing.T) {
	m := small(t, nil)
	f, i, c := m.formal[0], m.informal[0], m.coords[0]
	ci := m.addCase(ModeIntermediated, 0.5, f, i, c)
	m.introduce(1)
	if got := m.cases[ci]; got.Mode != ModeJoint || got.C != -1 || m.actors[c].Load != 0 {
		t.Fatalf("after introduction: %+v", got)
	}
	near(t, "tie", m.tieStrength(f, i), 0.3)
	m.ivs = []scheduled{{iv: &Intermediaries{At: 0, End: -1, Add: 2}}}
	m.applyInterventions()
	if len(m.coords) != 3 || len(m.actors[m.coords[2]].Ties) != 4+6 {
		t.Errorf("coordinators %d, ties of the new one %d", len(m.coords), len(m.actors[m.coords[2]].Ties))
	}
}

func TestHybridWorkersAndCaseloadRelief(t *testing.T) {
	m := small(t, func(p *Params) { p.Professionals = 10 })
	m.ivs = []scheduled{{iv: &HybridWorkers{Share: 0.4}}, {iv: &CaseloadRelief{AddProfessionals: 3, Lmax: 25}}}
	m.applyInterventions()
	var hybrid int
	for _, id := range m.formal[:10] {
		if m.actors[id].Role == RoleHybrid {
			hybrid++
		}
	}
	// 7 casework, 1 hybrid at start; round(0.4·7) = 3 become hybrid.
	if hybrid != 4 {
		t.Errorf("%d hybrid workers, want 4", hybrid)
	}
	if len(m.formal) != 13 {
		t.Fatalf("%d professionals, want 13", len(m.formal))
	}
	for _, id := range m.formal {
		if m.actors[id].Lmax != 25 {
			t.Fatalf("Lmax %d", m.actors[id].Lmax)
		}
	}
}

func TestPeriodicSchedule(t *testing.T) {
	var got []int
	for tk := range 20 {
		if periodic(tk, 2, 2, 15, 4) {
			got = append(got, tk)
		}
	}
	want := []int{2, 6, 10, 14}
	// A standing arrangement from the warm-up's first tick (−10) keeps
	// the schedule counted from its start.
	var early []int
	for tk := -10; tk < 3; tk++ {
		if periodic(tk, -10, 2, -1, 4) {
			early = append(early, tk)
		}
	}
	if !slices.Equal(early, []int{-10, -6, -2, 2}) {
		t.Fatalf("standing schedule fires at %v, want [-10 -6 -2 2]", early)
	}
	if len(got) != len(want) {
		t.Fatalf("fires at %v, want %v", got, want)
	}
	for k := range got {
		if got[k] != want[k] {
			t.Fatalf("fires at %v, want %v", got, want)
		}
	}
}

// TestHighestFreePiMatchesScan checks the coordinator's choice (docs/ODD.md
// §7.2a) against a plain scan over many calls in one tick, with equal π
// values (lowest id wins) and actors filling up between calls (seed 5).
func TestHighestFreePiMatchesScan(t *testing.T) {
	m := small(t, func(p *Params) { p.Informal = 300; p.LmaxInformal = 2 })
	r := rand.New(rand.NewPCG(5, 5))
	for _, id := range m.informal {
		m.actors[id].Pi = float64(r.IntN(20)) / 20 // many equal values
	}
	scan := func() int32 {
		best := int32(-1)
		for _, id := range m.informal {
			a := &m.actors[id]
			if a.Load < a.Lmax && (best < 0 || a.Pi > m.actors[best].Pi) {
				best = id
			}
		}
		return best
	}
	for call := 0; ; call++ {
		got, want := m.highestFreePi(), scan()
		if got != want {
			t.Fatalf("call %d: highestFreePi = %d, scan gives %d", call, got, want)
		}
		if got < 0 {
			if call < 600 {
				t.Fatalf("ran out after %d calls, want 600", call)
			}
			return
		}
		m.informalLoad(got, 1)
	}
}

// TestCasesInFilters checks casesIn against a plain filter of the cases by
// mode (and due), for every mode, on a run's cases after 40 ticks (seed 3;
// NextConsider set to a mix of past, present and future ticks so that due
// matters).
func TestCasesInFilters(t *testing.T) {
	m, err := New(Config{Params: Defaults(), Ticks: 60, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		m.Step()
	}
	for k := range m.cases {
		m.cases[k].NextConsider = int32(m.tick - 1 + k%3)
	}
	for mode := range ModeClosed {
		for _, due := range []bool{false, true} {
			got := slices.Clone(m.casesIn(mode, due))
			var want []int32
			for ci, c := range m.cases {
				if c.Mode == mode && (!due || int(c.NextConsider) <= m.tick) {
					want = append(want, int32(ci))
				}
			}
			if !slices.Equal(got, want) || (mode == ModeFormalOnly && len(want) == 0) {
				t.Fatalf("mode %v due %v: got %d cases %v, want %d %v", mode, due, len(got), got, len(want), want)
			}
		}
	}
}

// TestQueueRenumbering starts the queue numbers of the default area with
// 10 professionals instead of 40 (so that cases wait; seed 4, 60 warm-up
// and 100 recorded weeks) 40 below the largest 32-bit number, so that they
// run out and the waiting cases are renumbered, and expects the same
// result as a run that starts from 0. It also guards the size of a case
// (48 bytes; the national run holds two million).
func TestQueueRenumbering(t *testing.T) {
	p := Defaults()
	p.Professionals = 10
	cfg := Config{Params: p, Warmup: 60, Ticks: 100, Seed: 4}
	want, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.seq = math.MaxInt32 - 40
	got := m.Continue(nil)
	if m.seq > math.MaxInt32/2 {
		t.Fatalf("the queue numbers were never renumbered (last %d)", m.seq)
	}
	if !reflect.DeepEqual(runBytes(t, cfg, got), runBytes(t, cfg, want)) {
		t.Error("renumbering the queue changed the result")
	}
	if size := unsafe.Sizeof(Case{}); size != 48 {
		t.Errorf("Case is %d bytes, want 48", size)
	}
}

// TestRecruitsKeepTheirRoles runs a small, fast-changing informal side (12
// informal parties, drop-out base 0.05, recruitment 0.05; seeds 0–7, the
// default warm-up and 1,000 weeks), in which a tick often brings several
// recruits and a recruit's in-group ties often need the exact scan of
// createInGroupTies. Every actor's role must be one of its side's: the
// roles of a tick's recruits were kept in a scratch list that the scan
// overwrote, so later recruits of the tick got actor numbers as roles.
func TestRecruitsKeepTheirRoles(t *testing.T) {
	p := Defaults()
	p.Informal, p.DropoutBase, p.RecruitRate = 12, 0.05, 0.05
	for seed := range uint64(8) {
		r, err := Run(Config{Params: p, Warmup: DefaultWarmup, Ticks: 1000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range r.Actors {
			lo, hi := RoleCasework, RoleExpert
			switch a.Side {
			case SideFormal:
				hi = RoleHybrid
			case SideInformal:
				lo = RoleVolunteer
			case SideCoordinator:
				lo = RoleCoordinator
				hi = lo
			}
			if a.Role < lo || a.Role > hi {
				t.Fatalf("seed %d: actor %d of side %v has role %d", seed, a.ID, a.Side, a.Role)
			}
		}
	}
}
