package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Intervention is one scheduled intervention of MODEL.md section 5. The
// concrete types are *Wijktafel, *SocialReflection, *EndGoal,
// *Intermediaries, *HybridWorkers, *Push, *CaseloadRelief and *Training;
// [NewIntervention] makes one with its defaults.
type Intervention interface {
	// Kind is the intervention's name in scenario files ("wijktafel", ...).
	Kind() string
	// Specs are the intervention's parameters, bound to it (see [Spec]).
	Specs() []Spec
	// Validate checks the parameters and their relations.
	Validate() error
}

// Perspectives are the end goals of MODEL.md 5.3 (Ponzoni 2012).
var Perspectives = []string{"none", "accessibility", "accessibility_plus", "civil_society"}

// Kinds lists the intervention kinds in the order in which they fire within
// a tick (MODEL.md 9).
var Kinds = []string{"end_goal", "push", "training", "hybrid_workers", "caseload_relief", "intermediaries", "wijktafel", "social_reflection"}

// NewIntervention returns an intervention of the given kind with the
// defaults of MODEL.md section 5.
func NewIntervention(kind string) (Intervention, error) {
	switch kind {
	case "wijktafel":
		return &Wijktafel{Start: 0, End: -1, Every: 4, AttendanceFormal: 0.3, AttendanceInformal: 0.3,
			Attractiveness: 0.5, CulturalSensitivity: -1, MeetingsPerAttendee: 3, Facilitated: true}, nil
	case "social_reflection":
		return &SocialReflection{Start: 0, End: -1, Every: 4, Coverage: 0.5, Facilitator: "coordinator"}, nil
	case "end_goal":
		return &EndGoal{At: 0, Perspective: "none", Clarity: 0.2, Support: 0, Participation: 0.5}, nil
	case "intermediaries":
		return &Intermediaries{At: 0, End: -1, Add: 0, Training: 0}, nil
	case "hybrid_workers":
		return &HybridWorkers{At: 0, Share: 0}, nil
	case "push":
		return &Push{At: 0, Level: 0.5}, nil
	case "caseload_relief":
		return &CaseloadRelief{At: 0, AddProfessionals: 0, Lmax: 0}, nil
	case "training":
		return &Training{At: 0, Rate: 0.2}, nil
	}
	return nil, fmt.Errorf("unknown intervention type %q (allowed: %s)", kind, strings.Join(sortedKinds(), ", "))
}

func sortedKinds() []string {
	k := slices.Clone(Kinds)
	sort.Strings(k)
	return k
}

// Wijktafel is a series of meetings between the worlds against onbekendheid
// (MODEL.md 5.1). It fires at Start, Start+Every, … while tick < End
// (End −1: to the end of the run).
type Wijktafel struct {
	Start, End, Every   int
	AttendanceFormal    float64 // att_F, 0–1; default 0.3
	AttendanceInformal  float64 // att_I, 0–1; default 0.3
	Attractiveness      float64 // 0–1; default 0.5
	CulturalSensitivity float64 // k_m, 0–1, or −1 for the area's k; default −1
	MeetingsPerAttendee int     // conversation slots; default 3
	Facilitated         bool    // coordinators present (+1 slot); default true
}

// SocialReflection is safe dialogue on joint cases against onenigheid
// (MODEL.md 5.2).
type SocialReflection struct {
	Start, End, Every int
	Coverage          float64 // share of recent joint pairs taken, 0–1; default 0.5
	Facilitator       string  // "coordinator" or "none"; default "coordinator"
}

// EndGoal sets a hybridisation model against onbestemdheid (MODEL.md 5.3).
type EndGoal struct {
	At            int
	Perspective   string  // none, accessibility, accessibility_plus, civil_society
	Clarity       float64 // 0–1; default 0.2
	Support       float64 // time and means, 0–1; default 0
	Participation float64 // share of the work floor involved, 0–1; default 0.5
}

// Intermediaries adds coordinators and trains them to introduce the handlers
// of intermediated cases to each other (MODEL.md 5.4).
type Intermediaries struct {
	At, End  int     // introductions run from At while tick < End (−1: to the end)
	Add      int     // coordinators added at At; default 0
	Training float64 // 0–1; default 0
}

// HybridWorkers turns a share of the casework professionals into hybrid
// workers (MODEL.md 5.4; Hoorn).
type HybridWorkers struct {
	At    int
	Share float64 // 0–1
}

// Push sets the policy's call for hybridisation P (MODEL.md 5.4).
type Push struct {
	At    int
	Level float64 // 0–1
}

// CaseloadRelief adds professionals and may change their capacity
// (MODEL.md 5.4).
type CaseloadRelief struct {
	At               int
	AddProfessionals int
	Lmax             int // new capacity of every professional; 0 leaves it
}

// Training sets the course rate t_rate of informal actors (MODEL.md 5.4).
type Training struct {
	At   int
	Rate float64 // 0–1
}

// Kind implements Intervention.
func (*Wijktafel) Kind() string { return "wijktafel" }

// Kind implements Intervention.
func (*SocialReflection) Kind() string { return "social_reflection" }

// Kind implements Intervention.
func (*EndGoal) Kind() string { return "end_goal" }

// Kind implements Intervention.
func (*Intermediaries) Kind() string { return "intermediaries" }

// Kind implements Intervention.
func (*HybridWorkers) Kind() string { return "hybrid_workers" }

// Kind implements Intervention.
func (*Push) Kind() string { return "push" }

// Kind implements Intervention.
func (*CaseloadRelief) Kind() string { return "caseload_relief" }

// Kind implements Intervention.
func (*Training) Kind() string { return "training" }

const maxTick = 1e6

func ispec(g, k string, i *int, lo, hi float64, m string) Spec {
	return Spec{Group: g, Key: k, Kind: KindInt, Min: lo, Max: hi, Unit: "", Section: "5", Meaning: m, i: i}
}
func fspec(g, k string, f *float64, lo, hi float64, m string) Spec {
	return Spec{Group: g, Key: k, Kind: KindFloat, Min: lo, Max: hi, Section: "5", Meaning: m, f: f}
}
func endSpec(g string, i *int) Spec {
	s := ispec(g, "end", i, 0, maxTick, "last tick (exclusive); −1 runs to the end")
	s.Auto = true
	return s
}

// Specs implements Intervention.
func (w *Wijktafel) Specs() []Spec {
	g := "wijktafel"
	k := fspec(g, "cultural_sensitivity", &w.CulturalSensitivity, 0, 1, "cultural sensitivity of the meetings; −1 takes the area's k")
	k.Auto = true
	return []Spec{
		ispec(g, "start", &w.Start, 0, maxTick, "first tick"),
		endSpec(g, &w.End),
		ispec(g, "every", &w.Every, 1, maxTick, "ticks between sessions"),
		fspec(g, "attendance_formal", &w.AttendanceFormal, 0, 1, "base attendance of professionals"),
		fspec(g, "attendance_informal", &w.AttendanceInformal, 0, 1, "base attendance of informal actors"),
		fspec(g, "attractiveness", &w.Attractiveness, 0, 1, "how attractive the meetings are to informal actors"),
		k,
		ispec(g, "meetings_per_attendee", &w.MeetingsPerAttendee, 0, 1000, "conversation slots of an attendee"),
		{Group: g, Key: "facilitated", Kind: KindBool, Section: "5.1", Meaning: "coordinators present as brokers (+1 slot)", b: &w.Facilitated},
	}
}

// Specs implements Intervention.
func (r *SocialReflection) Specs() []Spec {
	g := "social_reflection"
	return []Spec{
		ispec(g, "start", &r.Start, 0, maxTick, "first tick"),
		endSpec(g, &r.End),
		ispec(g, "every", &r.Every, 1, maxTick, "ticks between sessions"),
		fspec(g, "coverage", &r.Coverage, 0, 1, "chance that a recent joint pair takes part"),
		{Group: g, Key: "facilitator", Kind: KindString, Words: []string{"coordinator", "none"}, Section: "5.2", Meaning: "who facilitates", s: &r.Facilitator},
	}
}

// Specs implements Intervention.
func (e *EndGoal) Specs() []Spec {
	g := "end_goal"
	return []Spec{
		ispec(g, "at", &e.At, 0, maxTick, "tick from which the end goal holds"),
		{Group: g, Key: "perspective", Kind: KindString, Words: Perspectives, Section: "5.3", Meaning: "the hybridisation model", s: &e.Perspective},
		fspec(g, "clarity", &e.Clarity, 0, 1, "how clear the end goal is"),
		fspec(g, "support", &e.Support, 0, 1, "time and means given (randvoorwaarden)"),
		fspec(g, "participation", &e.Participation, 0, 1, "share of the work floor involved in choosing it"),
	}
}

// Specs implements Intervention.
func (n *Intermediaries) Specs() []Spec {
	g := "intermediaries"
	return []Spec{
		ispec(g, "at", &n.At, 0, maxTick, "tick of the change"),
		endSpec(g, &n.End),
		ispec(g, "add", &n.Add, 0, 1e6, "coordinators added"),
		fspec(g, "training", &n.Training, 0, 1, "training of coordinators to introduce handlers"),
	}
}

// Specs implements Intervention.
func (h *HybridWorkers) Specs() []Spec {
	return []Spec{
		ispec("hybrid_workers", "at", &h.At, 0, maxTick, "tick of the change"),
		fspec("hybrid_workers", "share", &h.Share, 0, 1, "share of casework professionals who become hybrid"),
	}
}

// Specs implements Intervention.
func (p *Push) Specs() []Spec {
	return []Spec{
		ispec("push", "at", &p.At, 0, maxTick, "tick of the change"),
		fspec("push", "level", &p.Level, 0, 1, "the call for hybridisation P"),
	}
}

// Specs implements Intervention.
func (c *CaseloadRelief) Specs() []Spec {
	return []Spec{
		ispec("caseload_relief", "at", &c.At, 0, maxTick, "tick of the change"),
		ispec("caseload_relief", "add_professionals", &c.AddProfessionals, 0, 1e6, "professionals added"),
		ispec("caseload_relief", "lmax", &c.Lmax, 0, 1e4, "new caseload capacity; 0 leaves it"),
	}
}

// Specs implements Intervention.
func (t *Training) Specs() []Spec {
	return []Spec{
		ispec("training", "at", &t.At, 0, maxTick, "tick of the change"),
		fspec("training", "rate", &t.Rate, 0, 1, "course rate t_rate"),
	}
}

func validateSpecs(iv Intervention) error {
	var errs []error
	for _, s := range iv.Specs() {
		if s.Kind == KindFloat || s.Kind == KindInt {
			if err := s.check(s.Float()); err != nil {
				errs = append(errs, fmt.Errorf("%s %w", s.Path(), err))
			}
		}
		if s.Kind == KindString {
			// Checked, not set: runs of one variant share its interventions
			// and validate them at the same time (New), so validating must
			// not write.
			if err := s.checkWord(*s.s); err != nil {
				errs = append(errs, fmt.Errorf("%s %w", s.Path(), err))
			}
		}
	}
	return errors.Join(errs...)
}

func validatePeriod(kind string, start, end int) error {
	if end >= 0 && end <= start {
		return fmt.Errorf("%s.end (%d) must be after %s.start (%d), or −1", kind, end, kind, start)
	}
	return nil
}

// Validate implements Intervention.
func (w *Wijktafel) Validate() error {
	return errors.Join(validateSpecs(w), validatePeriod("wijktafel", w.Start, w.End))
}

// Validate implements Intervention.
func (r *SocialReflection) Validate() error {
	return errors.Join(validateSpecs(r), validatePeriod("social_reflection", r.Start, r.End))
}

// Validate implements Intervention.
func (e *EndGoal) Validate() error { return validateSpecs(e) }

// Validate implements Intervention.
func (n *Intermediaries) Validate() error {
	var err error
	if n.End >= 0 && n.End <= n.At {
		err = fmt.Errorf("intermediaries.end (%d) must be after intermediaries.at (%d), or −1", n.End, n.At)
	}
	return errors.Join(validateSpecs(n), err)
}

// Validate implements Intervention.
func (h *HybridWorkers) Validate() error { return validateSpecs(h) }

// Validate implements Intervention.
func (p *Push) Validate() error { return validateSpecs(p) }

// Validate implements Intervention.
func (c *CaseloadRelief) Validate() error { return validateSpecs(c) }

// Validate implements Intervention.
func (t *Training) Validate() error { return validateSpecs(t) }

// periodic reports whether a periodic intervention fires at tick t.
func periodic(t, start, end, every int) bool {
	return t >= start && (end < 0 || t < end) && (t-start)%every == 0
}

// applyInterventions is step 1 of the schedule (MODEL.md 3, 5): the
// interventions that fire at tick t, in the order of MODEL.md 9.
func (m *Model) applyInterventions() {
	t := m.tick
	for _, iv := range m.ivs {
		switch v := iv.(type) {
		case *EndGoal:
			if t == v.At {
				m.setEndGoal(v.Perspective, v.Clarity*(0.5+0.5*v.Participation), v.Support)
			}
		case *Push:
			if t == v.At {
				m.push = v.Level
			}
		case *Training:
			if t == v.At {
				m.tRate = v.Rate
			}
		case *HybridWorkers:
			if t == v.At {
				m.makeHybrid(v.Share)
			}
		case *CaseloadRelief:
			if t == v.At {
				m.relieveCaseload(v.AddProfessionals, v.Lmax)
			}
		case *Intermediaries:
			if t == v.At {
				for range v.Add {
					m.addCoordinator()
				}
				m.coordReindex()
			}
		}
	}
	// Introductions run after every addition (MODEL.md 9).
	for _, iv := range m.ivs {
		if v, ok := iv.(*Intermediaries); ok && t >= v.At && (v.End < 0 || t < v.End) && v.Training > 0 {
			m.introduce(m.p.IntroductionRate * v.Training)
		}
	}
	for _, iv := range m.ivs {
		switch v := iv.(type) {
		case *Wijktafel:
			if periodic(t, v.Start, v.End, v.Every) {
				m.wijktafel(v)
			}
		}
	}
	for _, iv := range m.ivs {
		switch v := iv.(type) {
		case *SocialReflection:
			if periodic(t, v.Start, v.End, v.Every) {
				m.reflect(v)
			}
		}
	}
}

// setEndGoal applies MODEL.md 5.3: the perspective sets G_inv, A and p_stay;
// q is the effective clarity; support enters τ.
func (m *Model) setEndGoal(perspective string, q, support float64) {
	m.q, m.support = q, support
	switch perspective {
	case "accessibility":
		m.gInv, m.aGoal, m.pStay = 0, 1, 0.2
	case "accessibility_plus":
		m.gInv, m.aGoal, m.pStay = 0.5, 1, 0.4
	case "civil_society":
		m.gInv, m.aGoal, m.pStay = 1, 0.3, 0.6
	default:
		m.gInv, m.aGoal, m.pStay = 0, 0.5, 0.3
	}
}

// makeHybrid turns round(share·n) randomly chosen casework professionals
// into hybrid workers (MODEL.md 5.4).
func (m *Model) makeHybrid(share float64) {
	var cw []int32
	for _, id := range m.formal {
		if m.actors[id].Role == RoleCasework {
			cw = append(cw, id)
		}
	}
	n := int(math.Round(share * float64(len(cw))))
	m.shuffle32(cw)
	for _, id := range cw[:n] {
		m.actors[id].Role = RoleHybrid // same intake bucket as casework
	}
}

// relieveCaseload adds professionals and sets every professional's capacity
// (MODEL.md 5.4). Added professionals draw their role with the shares and
// create RecruitTies in-group ties.
func (m *Model) relieveCaseload(add, lmax int) {
	for range add {
		id := m.addProfessional(m.drawRole(SideFormal))
		m.createInGroupTies(id, m.p.RecruitTies)
	}
	if lmax > 0 {
		m.lmaxFormal = int32(lmax)
		for _, id := range m.formal {
			m.actors[id].Lmax = int32(lmax)
		}
	}
}

// addCoordinator adds one coordinator with its ties (MODEL.md 2.2, 5.4).
func (m *Model) addCoordinator() {
	id := m.newActor(SideCoordinator, RoleCoordinator)
	m.actors[id].fidx = int32(len(m.coords))
	m.coords = append(m.coords, id)
	m.createCoordinatorTies(id) // the caller rebuilds the coordinators' index
}

// introduce gives each intermediated case, with probability p, an
// introduction by its coordinator: the handlers' tie becomes at least 0.3
// and the case becomes joint (MODEL.md 5.4).
func (m *Model) introduce(p float64) {
	for _, ci := range m.shuffledCases() {
		c := &m.cases[ci]
		if c.Mode != ModeIntermediated || m.float64() >= p {
			continue
		}
		m.raiseTie(c.F, c.I, 0.3)
		m.coordLoad(c.C, -1)
		c.C = -1
		c.Mode = ModeJoint
	}
}

// wijktafel holds one session of MODEL.md 5.1. Attendance: a professional
// with att_F·(0.5+0.5·τ); an informal actor with att_I·m·(0.5+attractiveness),
// times (0.5+0.5·k_m) for self_org members. Pairs are formed one at a time
// from a random formal and a random informal attendee with slots left who
// have not met this session; each pair: tie += 0.3·(1−tie) and a contact,
// positive with probability 0.8 (0.5+0.4·k_m for a self_org member).
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
		if m.float64() < w.AttendanceFormal*(0.5+0.5*m.tau[k]) {
			fa = append(fa, id)
		}
	}
	for _, id := range m.informal {
		a := &m.actors[id]
		pr := w.AttendanceInformal * a.M * (0.5 + w.Attractiveness)
		if a.Role == RoleSelfOrg {
			pr *= 0.5 + 0.5*km
		}
		if m.float64() < pr {
			ia = append(ia, id)
			a.M = clamp(a.M+0.02, 0, 1)
		}
	}
	m.scratchA, m.scratchB = fa, ia
	if slots == 0 || len(fa) == 0 || len(ia) == 0 {
		return
	}
	for _, id := range fa {
		m.actors[id].slots = int32(slots)
	}
	for _, id := range ia {
		m.actors[id].slots = int32(slots)
	}
	met := m.metPairs
	clear(met)
	cand := m.scratchC[:0]
	for len(fa) > 0 && len(ia) > 0 {
		fk := m.intN(len(fa))
		f := fa[fk]
		// Rejection first (cheap when few pairs have met), then an exact scan.
		var ik = -1
		for range 8 {
			k := m.intN(len(ia))
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
			ik = int(cand[m.intN(len(cand))])
		}
		i := ia[ik]
		met[pairKey(f, i)] = struct{}{}
		m.meet(f, i, km)
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
// actor i (MODEL.md 5.1).
func (m *Model) meet(f, i int32, km float64) {
	m.bumpTie(f, i, 0.3)
	pPos := 0.8
	if m.actors[i].Role == RoleSelfOrg {
		pPos = 0.5 + 0.4*km
	}
	af, ai := &m.actors[f], &m.actors[i]
	if m.float64() < pPos {
		af.A = clamp(af.A+0.01*(1-af.A), -1, 1)
		ai.A = clamp(ai.A+0.01*(1-ai.A), -1, 1)
	} else {
		af.A = clamp(af.A-0.025*(1+af.A), -1, 1)
		ai.A = clamp(ai.A-0.025*(1+ai.A), -1, 1)
	}
	af.CrossContacts++
	ai.CrossContacts++
}

// reflect holds one social reflection session (MODEL.md 5.2): each pair that
// had a joint-work contact in the last ReflectionWindow ticks takes part with
// probability coverage: conceptions compromise by μ, ε += 0.02 (capped),
// a += 0.03·(1−a), w −= 0.01, for both.
func (m *Model) reflect(r *SocialReflection) {
	p := &m.p
	if r.Coverage <= 0 {
		return // nobody takes part: no draws, so the stream stays the baseline's
	}
	mu := p.ReflectionMu
	if r.Facilitator == "coordinator" && len(m.coords) > 0 {
		mu = p.ReflectionMuCoord
	}
	m.prunePairs()
	for _, pc := range m.pairs {
		if m.float64() >= r.Coverage {
			continue
		}
		a, b := &m.actors[pc.f], &m.actors[pc.i]
		if !b.Active {
			continue
		}
		for d := range 4 {
			xa, xb := a.X[d], b.X[d]
			a.X[d] = clamp(xa+mu*(xb-xa), 0, 1)
			b.X[d] = clamp(xb+mu*(xa-xb), 0, 1)
		}
		for _, x := range []*Actor{a, b} {
			x.Eps = math.Min(x.Eps+0.02, p.EpsilonCap)
			x.A = clamp(x.A+0.03*(1-x.A), -1, 1)
			x.W = clamp(x.W-0.01, 0, 1)
			x.CrossContacts++
		}
	}
}
