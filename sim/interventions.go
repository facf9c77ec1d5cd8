package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Intervention is one scheduled intervention (docs/ODD.md §8). The
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

// Perspectives are the end goals of docs/ODD.md §8.3: none, the
// accessibility and civil-society perspectives (Ponzoni 2012) and
// separation, co-existence with clear roles.
var Perspectives = []string{"none", "accessibility", "accessibility_plus", "civil_society", "separation"}

// Kinds lists the intervention kinds in the order in which they fire within
// a tick (docs/ODD.md §3).
var Kinds = []string{"end_goal", "push", "training", "hybrid_workers", "caseload_relief", "intermediaries", "wijktafel", "social_reflection"}

// NewIntervention returns an intervention of the given kind with the
// defaults of docs/ODD.md §8.
func NewIntervention(kind string) (Intervention, error) {
	switch kind {
	case "wijktafel":
		return &Wijktafel{Start: 0, End: -1, Every: 4, AttendanceFormal: 0.3, AttendanceInformal: 0.3,
			Attractiveness: 0.5, CulturalSensitivity: -1, MeetingsPerAttendee: 3, Facilitated: true, Cost: 2}, nil
	case "social_reflection":
		return &SocialReflection{Start: 0, End: -1, Every: 4, Coverage: 0.5, Facilitator: "coordinator", Cost: 2}, nil
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
// (docs/ODD.md §8.1). It fires at Start, Start+Every, … while tick < End
// (End −1: to the end of the run).
type Wijktafel struct {
	Start, End, Every   int
	AttendanceFormal    float64 // att_F, 0–1; default 0.3
	AttendanceInformal  float64 // att_I, 0–1; default 0.3
	Attractiveness      float64 // 0–1; default 0.5
	CulturalSensitivity float64 // k_m, 0–1, or −1 for the area's k; default −1
	MeetingsPerAttendee int     // conversation slots; default 3
	Facilitated         bool    // coordinators present (+1 slot); default true
	Cost                int     // case slots an attending professional gives up that tick; default 2
}

// SocialReflection is safe dialogue on joint cases against onenigheid
// (docs/ODD.md §8.2).
type SocialReflection struct {
	Start, End, Every int
	Coverage          float64 // share of recent joint pairs taken, 0–1; default 0.5
	Facilitator       string  // "coordinator" or "none"; default "coordinator"
	Cost              int     // case slots a taking-part professional gives up that tick; default 2
}

// EndGoal sets a hybridisation model against onbestemdheid (docs/ODD.md §8.3).
type EndGoal struct {
	At            int
	Perspective   string  // none, accessibility, accessibility_plus, civil_society, separation
	Clarity       float64 // 0–1; default 0.2
	Support       float64 // time and means, 0–1; default 0
	Participation float64 // share of the work floor involved, 0–1; default 0.5
}

// Intermediaries adds coordinators and trains them to introduce the handlers
// of intermediated cases to each other (docs/ODD.md §8.4).
type Intermediaries struct {
	At, End  int     // introductions run from At while tick < End (−1: to the end)
	Add      int     // coordinators added at At; default 0
	Training float64 // 0–1; default 0
}

// HybridWorkers turns a share of the casework professionals into hybrid
// workers (docs/ODD.md §8.4; Hoorn).
type HybridWorkers struct {
	At    int
	Share float64 // 0–1
}

// Push sets the policy's call for hybridisation P (docs/ODD.md §8.4).
type Push struct {
	At    int
	Level float64 // 0–1
}

// CaseloadRelief adds professionals and may change their capacity
// (docs/ODD.md §8.4).
type CaseloadRelief struct {
	At               int
	AddProfessionals int
	Lmax             int // new capacity of every professional; 0 leaves it
}

// Training sets the course rate t_rate of informal actors (docs/ODD.md §8.4).
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
	return Spec{Group: g, Key: k, Kind: KindInt, Min: lo, Max: hi, Unit: "", Section: "8", Meaning: m, i: i}
}
func fspec(g, k string, f *float64, lo, hi float64, m string) Spec {
	return Spec{Group: g, Key: k, Kind: KindFloat, Min: lo, Max: hi, Section: "8", Meaning: m, f: f}
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
		{Group: g, Key: "facilitated", Kind: KindBool, Section: "8.1", Meaning: "coordinators present as brokers (+1 slot)", b: &w.Facilitated},
		ispec(g, "cost", &w.Cost, 0, 100, "case slots an attending professional gives up that tick"),
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
		{Group: g, Key: "facilitator", Kind: KindString, Words: []string{"coordinator", "none"}, Section: "8.2", Meaning: "who facilitates", s: &r.Facilitator},
		ispec(g, "cost", &r.Cost, 0, 100, "case slots a taking-part professional gives up that tick"),
	}
}

// Specs implements Intervention.
func (e *EndGoal) Specs() []Spec {
	g := "end_goal"
	return []Spec{
		ispec(g, "at", &e.At, 0, maxTick, "tick from which the end goal holds"),
		{Group: g, Key: "perspective", Kind: KindString, Words: Perspectives, Section: "8.3", Meaning: "the hybridisation model", s: &e.Perspective},
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

// firstTick is the tick at which an intervention first acts: its at or
// start.
func firstTick(iv Intervention) int {
	switch v := iv.(type) {
	case *Wijktafel:
		return v.Start
	case *SocialReflection:
		return v.Start
	case *EndGoal:
		return v.At
	case *Intermediaries:
		return v.At
	case *HybridWorkers:
		return v.At
	case *Push:
		return v.At
	case *CaseloadRelief:
		return v.At
	case *Training:
		return v.At
	}
	return 0
}

// periodic reports whether a periodic intervention that may act from tick
// from, with its schedule counted from start, fires at tick t: at start,
// start ± every, … from from on, while t < end (−1: no end). A standing
// arrangement with start 0 runs through the warm-up on that schedule.
func periodic(t, from, start, end, every int) bool {
	return t >= from && (end < 0 || t < end) && mod(t-start, every) == 0
}

// applyInterventions is step 1 of the schedule (docs/ODD.md §3, §8): the
// interventions that act at this tick, in the order of Kinds. A one-shot
// intervention acts at its first tick (scheduled.from).
func (m *Model) applyInterventions() {
	t := m.tick
	for _, s := range m.ivs {
		if t != s.from {
			continue
		}
		switch v := s.iv.(type) {
		case *EndGoal:
			m.setEndGoal(v.Perspective, v.Clarity*(0.5+0.5*v.Participation), v.Support)
		case *Push:
			m.push = v.Level
		case *Training:
			m.tRate = v.Rate
		case *HybridWorkers:
			m.makeHybrid(v.Share)
		case *CaseloadRelief:
			m.relieveCaseload(v.AddProfessionals, v.Lmax)
		case *Intermediaries:
			for range v.Add {
				m.addCoordinator()
			}
			m.coordReindex()
		}
	}
	// Introductions run after every addition (docs/ODD.md §3).
	for _, s := range m.ivs {
		if v, ok := s.iv.(*Intermediaries); ok && t >= s.from && (v.End < 0 || t < v.End) && v.Training > 0 {
			m.introduce(m.p.IntroductionRate * v.Training)
		}
	}
	for _, s := range m.ivs {
		if v, ok := s.iv.(*Wijktafel); ok && periodic(t, s.from, v.Start, v.End, v.Every) {
			m.wijktafel(v)
		}
	}
	for _, s := range m.ivs {
		if v, ok := s.iv.(*SocialReflection); ok && periodic(t, s.from, v.Start, v.End, v.Every) {
			m.reflect(v)
		}
	}
}

// makeHybrid turns round(share·n) randomly chosen casework professionals
// into hybrid workers (docs/ODD.md §8.4).
func (m *Model) makeHybrid(share float64) {
	var cw []int32
	for _, id := range m.formal {
		if m.actors[id].Role == RoleCasework {
			cw = append(cw, id)
		}
	}
	n := int(math.Round(share * float64(len(cw))))
	m.stepStream(keyHybrid).shuffle32(cw)
	for _, id := range cw[:n] {
		m.actors[id].Role = RoleHybrid // same intake bucket as casework
	}
}

// relieveCaseload adds professionals and sets every professional's capacity
// (docs/ODD.md §8.4). Added professionals draw their role with the shares
// and create recruit_ties in-group ties.
func (m *Model) relieveCaseload(add, lmax int) {
	g := m.stepStream(keyRelief)
	roles := make([]Role, add)
	for k := range roles {
		roles[k] = m.drawRole(g, SideFormal)
	}
	for _, r := range roles {
		id := m.addProfessional(r)
		m.createInGroupTies(id, m.p.RecruitTies)
	}
	if lmax > 0 {
		m.lmaxFormal = int32(lmax)
		for _, id := range m.formal {
			m.actors[id].Lmax = int32(lmax)
		}
	}
}

// addCoordinator adds one coordinator with its ties (docs/ODD.md §2.2,
// §8.4).
func (m *Model) addCoordinator() {
	id := m.newActor(SideCoordinator, RoleCoordinator)
	m.actors[id].fidx = int32(len(m.coords))
	m.coords = append(m.coords, id)
	m.createCoordinatorTies(id) // the caller rebuilds the coordinators' index
}

// introduce gives each intermediated case, with probability p drawn from
// the case's own stream, an introduction by its coordinator: the handlers'
// tie becomes at least 0.3 and the case becomes joint (docs/ODD.md §8.4).
// The cases are visited in index order: an introduction changes only its
// own case, one tie and one coordinator's load, so the order does not
// matter.
func (m *Model) introduce(p float64) {
	for _, ci := range m.casesIn(ModeIntermediated, false) {
		c := &m.cases[ci]
		if m.stream(keyIntroduce, c.ID).float64() >= p {
			continue
		}
		m.raiseTie(c.F, c.I, 0.3)
		m.coordLoad(c.C, -1)
		c.C = -1
		c.Mode = ModeJoint
	}
}

// charge takes cost case slots from professional f for this tick (a
// meeting, docs/ODD.md §8): f's free capacity for intake and guiding is
// lower, and pressure and τ count the slots as used, until the tick ends.
func (m *Model) charge(f int32, cost int) {
	if cost <= 0 {
		return
	}
	a := &m.actors[f]
	if a.busy == 0 {
		m.busyF = append(m.busyF, f)
	}
	m.indexRemove(f)
	a.busy = int16(min(int(a.busy)+cost, 1<<14)) // at most Lmax counts anyway
	m.indexAdd(f)
}

// releaseBusy gives the professionals their meeting slots back at the end
// of the tick.
func (m *Model) releaseBusy() {
	for _, f := range m.busyF {
		m.indexRemove(f)
		m.actors[f].busy = 0
		m.indexAdd(f)
	}
	m.busyF = m.busyF[:0]
}
