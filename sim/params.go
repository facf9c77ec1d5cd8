package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Params holds every parameter and coefficient of the model (docs/ODD.md §2
// and the constants of §7–§8). The zero value is not useful:
// start from [Defaults]. Each field's meaning, range and default are listed
// in [Specs], which is also what the scenario loader and `hybridsim odd` read.
type Params struct {
	// Area (docs/ODD.md §2).
	Urbanity            float64 // u, 0–1; default 0.5
	CivilSociety        float64 // c, 0–1; default 0.5
	MigrantShare        float64 // d, 0–1; default 0.3
	CulturalSensitivity float64 // k, 0–1; default 0.5
	Households          int     // ≥ 1; default 5000
	ExplicitRate        float64 // λe per household per week; default 0.002
	SilentRate          float64 // λs per household per week; default 0.0010
	InitialCrossTies    float64 // p×, 0–1, or −1 for 0.02·(1.5−u); default −1
	CrossTiesScale      float64 // factor on p×, ≥ 0; default 1 (De Baarsjes 0.3)

	// Population (docs/ODD.md §2).
	Professionals     int     // N_F; default 12 (one wijkteam)
	Informal          int     // N_I; default 150
	Coordinators      int     // N_C; default 2
	ShareCasework     float64 // default 0.7
	ShareCommunity    float64 // default 0.2
	ShareHybrid       float64 // default 0.1
	ShareVolunteer    float64 // default 0.5
	ShareResidentOrg  float64 // default 0.25
	ShareSelfOrg      float64 // at d = 0.3; scales with d/0.3; default 0.15
	ShareExpert       float64 // default 0.1
	InGroupTies       int     // ties each actor creates at set-up; default 6
	CoordTiesFormal   int     // coordinator ties to professionals; default 10
	CoordTiesInformal int     // coordinator ties to informal actors; default 30
	LmaxFormal        int     // default 20
	LmaxInformal      int     // default 2
	LmaxCoordinator   int     // default 30

	// Initial states (docs/ODD.md §2, §2.1).
	MuFormal       [4]float64 // conception means, formal; default 0.30 0.35 0.45 0.30
	MuInformal     [4]float64 // conception means, informal; default 0.60 0.70 0.60 0.65
	ConceptionSD   float64    // within-side sd; default 0.2
	Epsilon0       float64    // initial tolerance ε; default 0.37
	Iota0          float64    // initial informality ι of professionals; default 0.2
	CoordIdentity  float64    // coordinators' w; default 0.2
	CoordRegard    float64    // coordinators' a; default 0.5
	ValueMean      float64    // mean of v; default 0.8
	ValueSD        float64    // sd of v; default 0.08
	TieStrengthMin float64    // initial tie strength U(min, max); default 0.3
	TieStrengthMax float64    // default 0.8
	CoordTie       float64    // coordinator tie strength; default 0.5

	// Policy context at baseline (docs/ODD.md §7.6, §7.7).
	Push         float64 // P, call for hybridisation, 0–1; default 0.5
	Clarity      float64 // q without an end goal, 0–1; default 0.2
	TrainingRate float64 // t_rate, 0–1; default 0.2

	// Routing (docs/ODD.md §7.2).
	Theta          float64 // minimum tie strength for a direct referral; default 0.4
	DirectBias     float64 // b0 of P_direct; default −1.5
	DirectRegard   float64 // default 3
	DirectTie      float64 // default 2
	InvolveEvery   int     // ticks between involvement considerations; default 4
	InvolveBias    float64 // default −2
	InvolveRegard  float64 // default 2
	InvolveTime    float64 // default 1
	InvolveSev     float64 // default −2
	InvolveGoal    float64 // default 1
	GuideBias      float64 // default −2
	GuideGap       float64 // default 6
	GuideRegard    float64 // default 1.5
	GuideTie       float64 // default 2
	GuideGoal      float64 // default 1
	MigrantDecline float64 // declines formal help w.p. this·(1−k); default 0.5
	MigrantDropout float64 // guided migrant household drops out w.p. this·(1−k); default 0.3

	// Contact (docs/ODD.md §7.3).
	PosRegard      float64 // default 0.02
	ContactScale   float64 // factor on the per-contact regard steps; default 1
	NegRegard      float64 // default 0.05
	PosTie         float64 // default 0.1
	NegTie         float64 // default 0.05
	Learning       float64 // default 0.001
	NegMotivation  float64 // default 0.05
	ClarityMargin  float64 // default 0.1
	LatePenalty    float64 // default 0.05
	Discontinuity  float64 // default 0.02
	ContinueChance float64 // default 0.5

	// Case progression (docs/ODD.md §7.4).
	DsFormal        float64 // default −0.040
	DsJoint         float64 // default −0.055
	DsIntermediated float64 // default −0.0475
	DsInformal      float64 // default −0.030
	DsOutOfDepth    float64 // default +0.015
	DsUntreated     float64 // default +0.010
	SeverityNoise   float64 // default 0.01
	OutOfDepth      float64 // default 0.6
	EscalateAt      float64 // default 0.85
	CloseAt         float64 // default 0.10
	Pace            float64 // factor on every Δs and the noise sd; default 0.8

	// Influence and threat (docs/ODD.md §7.5, §7.6).
	Influence      float64 // default 0.05
	ThreatRate     float64 // default 0.05
	ThreatReturn   float64 // default 0.2
	RegardReturn   float64 // r_rel; default 0.07
	RegardThreat   float64 // default 0.02
	ReferralWindow int     // default 12

	// Within-side change and turnover (docs/ODD.md §7.7).
	IotaRate       float64 // default 0.01
	IotaJoint      float64 // default 0.002
	PiRate         float64 // default 0.01
	PiJoint        float64 // default 0.5
	MotivationRate float64 // default 0.02
	MotivationEq   float64 // default 0.8
	MotivationThr  float64 // default 0.03
	DropoutBase    float64 // default 0.002
	DropoutCoef    float64 // default 0.02
	RecruitRate    float64 // default 0.006
	RecruitTies    int     // default 12

	// Ties and everyday encounters (docs/ODD.md §7.8, §7.9).
	TieDecay      float64 // default 0.01
	TieMin        float64 // default 0.05
	EncounterRate float64 // λ_enc; default 0.03
	EncounterFoF  float64 // chance a partner comes from acquaintances of acquaintances; default 0.5
	EncounterTie  float64 // tie gain of an encounter; default 0.15

	// Interventions (docs/ODD.md §8).
	EpsilonCap         float64 // default 0.7
	ReflectionWindow   int     // default 12
	IntroductionRate   float64 // default 0.05
	ReflectionMu       float64 // default 0.1
	ReflectionMuCoord  float64 // default 0.15
	ReflectionFail     float64 // p_fail with a coordinator facilitating; default 0.1
	ReflectionFailNone float64 // p_fail without; default 0.6
}

// Defaults returns the model's default parameters (docs/ODD.md §11).
func Defaults() Params {
	return Params{
		Urbanity: 0.5, CivilSociety: 0.5, MigrantShare: 0.3, CulturalSensitivity: 0.5,
		Households: 5000, ExplicitRate: 0.002, SilentRate: 0.0010,
		InitialCrossTies: -1, CrossTiesScale: 1,

		Professionals: 12, Informal: 150, Coordinators: 2,
		ShareCasework: 0.7, ShareCommunity: 0.2, ShareHybrid: 0.1,
		ShareVolunteer: 0.5, ShareResidentOrg: 0.25, ShareSelfOrg: 0.15, ShareExpert: 0.1,
		InGroupTies: 6, CoordTiesFormal: 10, CoordTiesInformal: 30,
		LmaxFormal: 20, LmaxInformal: 2, LmaxCoordinator: 30,

		MuFormal:     [4]float64{0.30, 0.35, 0.45, 0.30},
		MuInformal:   [4]float64{0.60, 0.70, 0.60, 0.65},
		ConceptionSD: 0.2, Epsilon0: 0.37, Iota0: 0.2,
		CoordIdentity: 0.2, CoordRegard: 0.5, ValueMean: 0.8, ValueSD: 0.08,
		TieStrengthMin: 0.3, TieStrengthMax: 0.8, CoordTie: 0.5,

		Push: 0.5, Clarity: 0.2, TrainingRate: 0.2,

		Theta: 0.4, InvolveEvery: 4, DirectBias: -1.5, DirectRegard: 3, DirectTie: 2,
		InvolveBias: -2, InvolveRegard: 2, InvolveTime: 1, InvolveSev: -2, InvolveGoal: 1,
		GuideBias: -2, GuideGap: 6, GuideRegard: 1.5, GuideTie: 2, GuideGoal: 1,
		MigrantDecline: 0.5, MigrantDropout: 0.3,

		ContactScale: 1,
		PosRegard:    0.02, NegRegard: 0.05, PosTie: 0.1, NegTie: 0.05, Learning: 0.001,
		NegMotivation: 0.05, ClarityMargin: 0.1, LatePenalty: 0.05, Discontinuity: 0.02,
		ContinueChance: 0.5,

		DsFormal: -0.040, DsJoint: -0.055, DsIntermediated: -0.0475, DsInformal: -0.030,
		DsOutOfDepth: 0.015, DsUntreated: 0.010, SeverityNoise: 0.01,
		OutOfDepth: 0.6, EscalateAt: 0.85, CloseAt: 0.10, Pace: 0.8,

		Influence: 0.05, ThreatRate: 0.05, ThreatReturn: 0.2, RegardReturn: 0.07,
		RegardThreat: 0.02, ReferralWindow: 12,

		IotaRate: 0.01, IotaJoint: 0.002, PiRate: 0.01, PiJoint: 0.5,
		MotivationRate: 0.02, MotivationEq: 0.8, MotivationThr: 0.03,
		DropoutBase: 0.002, DropoutCoef: 0.02, RecruitRate: 0.006, RecruitTies: 12,

		TieDecay: 0.01, TieMin: 0.05, EncounterRate: 0.03, EncounterFoF: 0.5, EncounterTie: 0.15,

		EpsilonCap: 0.7, ReflectionWindow: 12, IntroductionRate: 0.05,
		ReflectionMu: 0.1, ReflectionMuCoord: 0.15, ReflectionFail: 0.1, ReflectionFailNone: 0.6,
	}
}

// Kind is the type of a parameter's value.
type Kind uint8

// The kinds of parameter values.
const (
	KindFloat  Kind = iota // a number
	KindInt                // a whole number
	KindVec4               // four numbers, one per conception dimension
	KindBool               // true or false (interventions only)
	KindString             // one of a list of words (interventions only)
)

// Spec describes one parameter: its key in scenario files, its meaning,
// allowed range and the docs/ODD.md section it comes from. Specs are the single
// source for validation, scenario keys and the ODD parameter tables.
type Spec struct {
	Group   string   // scenario table: "area", "population" or "model"
	Key     string   // key within the group, snake_case
	Kind    Kind     // value kind
	Min     float64  // smallest allowed value
	Max     float64  // largest allowed value (+Inf: unbounded)
	Auto    bool     // −1 is also allowed and means "derive" (see Meaning)
	Words   []string // allowed words for KindString
	Unit    string   // unit, or "" for dimensionless
	Section string   // docs/ODD.md section
	Meaning string   // one line

	f *float64
	i *int
	v *[4]float64
	b *bool
	s *string
}

// Path is the spec's full key path, "group.key".
func (s Spec) Path() string { return s.Group + "." + s.Key }

// Float reads the value as a number (for KindFloat and KindInt; a KindBool is
// 0 or 1).
func (s Spec) Float() float64 {
	switch {
	case s.f != nil:
		return *s.f
	case s.i != nil:
		return float64(*s.i)
	case s.b != nil:
		if *s.b {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// Value returns the value as an int, float64, [4]float64, bool or string.
func (s Spec) Value() any {
	switch {
	case s.f != nil:
		return *s.f
	case s.i != nil:
		return *s.i
	case s.v != nil:
		return *s.v
	case s.b != nil:
		return *s.b
	case s.s != nil:
		return *s.s
	}
	return nil
}

// Allowed describes the allowed values in words, for error messages and docs.
func (s Spec) Allowed() string {
	switch s.Kind {
	case KindBool:
		return "true or false"
	case KindString:
		return "one of " + strings.Join(s.Words, ", ")
	}
	var r string
	switch {
	case math.IsInf(s.Max, 1) && s.Kind == KindInt:
		r = "a whole number ≥ " + num(s.Min)
	case math.IsInf(s.Max, 1):
		r = "≥ " + num(s.Min)
	case s.Kind == KindInt:
		r = "a whole number from " + num(s.Min) + " to " + num(s.Max)
	default:
		r = "from " + num(s.Min) + " to " + num(s.Max)
	}
	if s.Kind == KindVec4 {
		r = "four numbers, each " + r
	}
	if s.Auto {
		r = "−1 (derive) or " + r
	}
	return r
}

// Set stores v after checking it against the range: a float64 or int for a
// number (KindFloat, KindInt; an int parameter takes a whole float64), a
// []float64 of length 4 or a [4]float64 for KindVec4, a bool for KindBool,
// a string for KindString. The error says what is allowed and shows v, with
// %v for a value of any other type (a file format's reader converts its own
// types first, and may pass a fmt.Stringer that says how its value reads).
func (s Spec) Set(v any) error {
	switch s.Kind {
	case KindFloat, KindInt:
		var x float64
		switch t := v.(type) {
		case float64:
			x = t
		case int:
			x = float64(t)
		default:
			return fmt.Errorf("must be a number (%s), got %v", s.Allowed(), describe(v))
		}
		if s.Kind == KindInt && x != math.Trunc(x) {
			return fmt.Errorf("must be %s, got %v", s.Allowed(), x)
		}
		if err := s.check(x); err != nil {
			return err
		}
		if s.f != nil {
			*s.f = x
		} else {
			*s.i = int(x)
		}
	case KindVec4:
		var xs []float64
		switch t := v.(type) {
		case []float64:
			xs = t
		case [4]float64:
			xs = t[:]
		default:
			return fmt.Errorf("must be %s, got %v", s.Allowed(), describe(v))
		}
		if len(xs) != 4 {
			return fmt.Errorf("must be %s, got %d numbers", s.Allowed(), len(xs))
		}
		for _, x := range xs {
			if err := s.check(x); err != nil {
				return err
			}
		}
		copy(s.v[:], xs)
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("must be true or false, got %v", describe(v))
		}
		*s.b = b
	case KindString:
		w, ok := v.(string)
		if !ok {
			return fmt.Errorf("must be %s, got %v", s.Allowed(), describe(v))
		}
		if err := s.checkWord(w); err != nil {
			return err
		}
		*s.s = w
	}
	return nil
}

// checkWord reports whether w is one of the words a string parameter allows.
func (s Spec) checkWord(w string) error {
	for _, a := range s.Words {
		if a == w {
			return nil
		}
	}
	return fmt.Errorf("must be %s, got %q", s.Allowed(), w)
}

func (s Spec) check(x float64) error {
	if s.Auto && x == -1 {
		return nil
	}
	if math.IsNaN(x) || x < s.Min || x > s.Max {
		return fmt.Errorf("must be %s, got %v", s.Allowed(), x)
	}
	return nil
}

// num formats a number without exponent.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func describe(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", t)
	case bool:
		return fmt.Sprintf("%v", t)
	case []float64:
		return fmt.Sprintf("a list %v", t)
	}
	return fmt.Sprintf("%v", v)
}

// Specs returns the parameter specs bound to p: Set writes into p and Value
// reads from it. The order is that of the documentation.
func (p *Params) Specs() []Spec {
	fl := func(g, k string, f *float64, lo, hi float64, unit, sec, m string) Spec {
		return Spec{Group: g, Key: k, Kind: KindFloat, Min: lo, Max: hi, Unit: unit, Section: sec, Meaning: m, f: f}
	}
	in := func(g, k string, i *int, lo, hi float64, unit, sec, m string) Spec {
		return Spec{Group: g, Key: k, Kind: KindInt, Min: lo, Max: hi, Unit: unit, Section: sec, Meaning: m, i: i}
	}
	ve := func(g, k string, v *[4]float64, sec, m string) Spec {
		return Spec{Group: g, Key: k, Kind: KindVec4, Min: 0, Max: 1, Section: sec, Meaning: m, v: v}
	}
	cross := fl("area", "initial_cross_ties", &p.InitialCrossTies, 0, 1, "", "2", "chance that a formal–informal pair already knows each other; −1 derives it as 0.02·(1.5−u)")
	cross.Auto = true
	const m = "model"
	return []Spec{
		fl("area", "urbanity", &p.Urbanity, 0, 1, "", "2", "big-city anonymity and weight of problems (u)"),
		fl("area", "civil_society", &p.CivilSociety, 0, 1, "", "2", "activity and reach of local civil society (c)"),
		fl("area", "migrant_share", &p.MigrantShare, 0, 1, "", "2", "share of households with a migrant background (d)"),
		fl("area", "cultural_sensitivity", &p.CulturalSensitivity, 0, 1, "", "2", "cultural sensitivity of the formal side as seen by migrant households (k)"),
		in("area", "households", &p.Households, 1, 1e8, "households", "2", "households in the area"),
		fl("area", "explicit_rate", &p.ExplicitRate, 0, 1, "per household per week", "2", "new explicit help requests (λe)"),
		fl("area", "silent_rate", &p.SilentRate, 0, 1, "per household per week", "2", "new silent problems, stille problematiek (λs)"),
		cross,
		fl("area", "cross_ties_scale", &p.CrossTiesScale, 0, 10, "", "10", "factor on initial_cross_ties (De Baarsjes 0.3: the team lacks overview)"),

		in("population", "professionals", &p.Professionals, 1, 1e7, "actors", "2", "neighbourhood-team professionals (N_F)"),
		in("population", "informal", &p.Informal, 1, 1e7, "actors", "2", "informal actors (N_I)"),
		in("population", "coordinators", &p.Coordinators, 0, 1e6, "actors", "2", "coordinators, the intermediaries (N_C)"),
		fl("population", "share_casework", &p.ShareCasework, 0, 1, "", "2", "role share of casework professionals"),
		fl("population", "share_community", &p.ShareCommunity, 0, 1, "", "2", "role share of community workers"),
		fl("population", "share_hybrid", &p.ShareHybrid, 0, 1, "", "2", "role share of hybrid workers"),
		fl("population", "share_volunteer", &p.ShareVolunteer, 0, 1, "", "2", "role share of volunteers (rescaled with self_org)"),
		fl("population", "share_resident_org", &p.ShareResidentOrg, 0, 1, "", "2", "role share of resident organisations (rescaled with self_org)"),
		fl("population", "share_self_org", &p.ShareSelfOrg, 0, 1, "", "2", "role share of self-organisations at d = 0.3; scales with d/0.3"),
		fl("population", "share_expert", &p.ShareExpert, 0, 1, "", "2", "role share of experts by experience (rescaled with self_org)"),
		in("population", "in_group_ties", &p.InGroupTies, 0, 1000, "ties", "2.2", "in-group ties each actor creates at set-up"),
		in("population", "coordinator_ties_formal", &p.CoordTiesFormal, 0, 1e6, "ties", "2.2", "ties of a coordinator to professionals"),
		in("population", "coordinator_ties_informal", &p.CoordTiesInformal, 0, 1e6, "ties", "2.2", "ties of a coordinator to informal actors"),
		in("population", "lmax_formal", &p.LmaxFormal, 1, 1e4, "cases", "2", "caseload capacity of a professional"),
		in("population", "lmax_informal", &p.LmaxInformal, 1, 1e4, "cases", "2", "case capacity of an informal actor"),
		in("population", "lmax_coordinator", &p.LmaxCoordinator, 1, 1e5, "cases", "2", "brokered cases a coordinator can hold"),

		ve(m, "mu_formal", &p.MuFormal, "2.1", "conception means of professionals (escalate, experience, community, architect)"),
		ve(m, "mu_informal", &p.MuInformal, "2.1", "conception means of informal actors"),
		fl(m, "conception_sd", &p.ConceptionSD, 0, 1, "", "2.1", "within-side sd of conceptions"),
		fl(m, "epsilon0", &p.Epsilon0, 0, 1, "", "7.3", "initial tolerance of disagreement ε0 (calibrated)"),
		fl(m, "iota0", &p.Iota0, 0, 1, "", "2", "initial informality of working style ι (Purmerend 0.35)"),
		fl(m, "coordinator_identity", &p.CoordIdentity, 0, 1, "", "2", "coordinators' identification w"),
		fl(m, "coordinator_regard", &p.CoordRegard, -1, 1, "", "2", "coordinators' out-group regard a"),
		fl(m, "value_mean", &p.ValueMean, 0, 1, "", "2", "mean agreement with the general values v"),
		fl(m, "value_sd", &p.ValueSD, 0, 1, "", "2", "sd of v"),
		fl(m, "tie_strength_min", &p.TieStrengthMin, 0, 1, "", "2.2", "initial tie strength, lower bound"),
		fl(m, "tie_strength_max", &p.TieStrengthMax, 0, 1, "", "2.2", "initial tie strength, upper bound"),
		fl(m, "coordinator_tie", &p.CoordTie, 0, 1, "", "2.2", "strength of a coordinator's ties"),

		fl(m, "push", &p.Push, 0, 1, "", "7.6", "policy's call for hybridisation P"),
		fl(m, "clarity", &p.Clarity, 0, 1, "", "7.6", "effective clarity q of the end goal before any end_goal intervention"),
		fl(m, "training_rate", &p.TrainingRate, 0, 1, "", "7.7", "course rate t_rate of proto-professionalisation"),

		fl(m, "theta", &p.Theta, 0, 1, "", "7.2", "minimum tie strength θ for calling someone directly (involving or guiding)"),
		fl(m, "direct_bias", &p.DirectBias, -20, 20, "", "7.2", "intercept b0 of P_direct, the chance of going direct rather than through a coordinator"),
		fl(m, "direct_regard", &p.DirectRegard, -20, 20, "", "7.2", "weight of out-group regard in P_direct"),
		fl(m, "direct_tie", &p.DirectTie, -20, 20, "", "7.2", "weight of the tie's strength in P_direct"),
		in(m, "involve_every", &p.InvolveEvery, 1, 1000, "ticks", "7.2", "ticks between considerations of involving informal support"),
		fl(m, "involve_bias", &p.InvolveBias, -20, 20, "", "7.2", "intercept of P_inv"),
		fl(m, "involve_regard", &p.InvolveRegard, -20, 20, "", "7.2", "weight of out-group regard in P_inv"),
		fl(m, "involve_time", &p.InvolveTime, -20, 20, "", "7.2", "weight of community time in P_inv"),
		fl(m, "involve_severity", &p.InvolveSev, -20, 20, "", "7.2", "weight of severity in P_inv"),
		fl(m, "involve_goal", &p.InvolveGoal, -20, 20, "", "7.2", "weight of G_inv·q in P_inv"),
		fl(m, "guide_bias", &p.GuideBias, -20, 20, "", "7.2", "intercept of P_guide"),
		fl(m, "guide_gap", &p.GuideGap, -20, 20, "", "7.2", "weight of severity above own escalation point in P_guide"),
		fl(m, "guide_regard", &p.GuideRegard, -20, 20, "", "7.2", "weight of out-group regard in P_guide"),
		fl(m, "guide_tie", &p.GuideTie, -20, 20, "", "7.2", "weight of the strongest tie to a professional in P_guide"),
		fl(m, "guide_goal", &p.GuideGoal, -20, 20, "", "7.2", "weight of A·q in P_guide"),
		fl(m, "migrant_decline", &p.MigrantDecline, 0, 1, "", "7.1", "migrant household declines formal help w.p. this·(1−k)"),
		fl(m, "migrant_dropout", &p.MigrantDropout, 0, 1, "", "7.2", "guided migrant household drops out w.p. this·(1−k)"),

		fl(m, "contact_scale", &p.ContactScale, 0, 1, "", "7.3", "factor on the per-contact regard steps of joint work and guiding"),
		fl(m, "pos_regard", &p.PosRegard, 0, 1, "", "7.3", "regard gain of a positive contact"),
		fl(m, "neg_regard", &p.NegRegard, 0, 1, "", "7.3", "regard loss of a negative contact"),
		fl(m, "pos_tie", &p.PosTie, 0, 1, "", "7.3", "tie gain of a positive contact"),
		fl(m, "neg_tie", &p.NegTie, 0, 1, "", "7.3", "tie gain of a negative contact"),
		fl(m, "learning", &p.Learning, 0, 1, "", "7.3", "conception learning of a positive contact"),
		fl(m, "neg_motivation", &p.NegMotivation, 0, 1, "", "7.3", "motivation loss of an informal actor in a negative contact"),
		fl(m, "clarity_margin", &p.ClarityMargin, 0, 1, "", "7.3", "extra tolerance 0.1·q from a clear end goal"),
		fl(m, "late_penalty", &p.LatePenalty, 0, 1, "", "7.4", "regard loss of a professional receiving a late escalation"),
		fl(m, "discontinuity", &p.Discontinuity, 0, 1, "", "7.4", "regard loss of an informal actor left to continue after closing"),
		fl(m, "continue_chance", &p.ContinueChance, 0, 1, "", "7.4", "chance that the informal actor goes on after closing"),

		fl(m, "ds_formal", &p.DsFormal, -1, 1, "per tick", "7.4", "severity change, formal_only"),
		fl(m, "ds_joint", &p.DsJoint, -1, 1, "per tick", "7.4", "severity change, joint"),
		fl(m, "ds_intermediated", &p.DsIntermediated, -1, 1, "per tick", "7.4", "severity change, intermediated"),
		fl(m, "ds_informal", &p.DsInformal, -1, 1, "per tick", "7.4", "severity change, informal_only below out_of_depth"),
		fl(m, "ds_out_of_depth", &p.DsOutOfDepth, -1, 1, "per tick", "7.4", "severity change, informal_only at or above out_of_depth"),
		fl(m, "ds_untreated", &p.DsUntreated, -1, 1, "per tick", "7.4", "severity change, waiting and unnoticed"),
		fl(m, "severity_noise", &p.SeverityNoise, 0, 1, "", "7.4", "sd of the severity noise"),
		fl(m, "out_of_depth", &p.OutOfDepth, 0, 1, "", "7.4", "severity from which an informal actor alone is out of depth"),
		fl(m, "escalate_at", &p.EscalateAt, 0, 1, "", "7.4", "severity of a late escalation"),
		fl(m, "close_at", &p.CloseAt, 0, 1, "", "7.4", "severity at which a case is closed"),
		fl(m, "pace", &p.Pace, 0, 2, "", "7.4", "pace of support: factor on every severity change and on the noise sd"),

		fl(m, "influence", &p.Influence, 0, 1, "", "7.5", "in-group influence rate"),
		fl(m, "threat_rate", &p.ThreatRate, 0, 1, "", "7.6", "rate of identification change under threat"),
		fl(m, "threat_return", &p.ThreatReturn, 0, 10, "", "7.6", "pull of identification back to its initial value"),
		fl(m, "regard_return", &p.RegardReturn, 0, 1, "", "7.6", "pull of regard back to its initial value"),
		fl(m, "regard_threat", &p.RegardThreat, 0, 1, "", "7.6", "distinction under threat (out-group down, in-group up)"),
		in(m, "referral_window", &p.ReferralWindow, 1, 1000, "ticks", "7.6", "window of r_j, the share of referrals received"),

		fl(m, "iota_rate", &p.IotaRate, 0, 1, "", "7.7", "rate of informalisation of professionals"),
		fl(m, "iota_joint", &p.IotaJoint, 0, 1, "", "7.7", "informalisation per joint-work contact"),
		fl(m, "pi_rate", &p.PiRate, 0, 1, "", "7.7", "rate of proto-professionalisation"),
		fl(m, "pi_joint", &p.PiJoint, 0, 10, "", "7.7", "extra proto-professionalisation while in a joint case"),
		fl(m, "motivation_rate", &p.MotivationRate, 0, 1, "", "7.7", "pull of motivation to its equilibrium"),
		fl(m, "motivation_eq", &p.MotivationEq, 0, 1, "", "7.7", "equilibrium motivation"),
		fl(m, "motivation_threat", &p.MotivationThr, 0, 1, "", "7.7", "motivation loss per unit of threat"),
		fl(m, "dropout_base", &p.DropoutBase, 0, 1, "per tick", "7.7", "base drop-out chance"),
		fl(m, "dropout_coef", &p.DropoutCoef, 0, 1, "per tick", "7.7", "drop-out chance per (1−m)²"),
		fl(m, "recruit_rate", &p.RecruitRate, 0, 1, "per N_I per tick", "7.7", "recruitment rate, times (0.5 + c)"),
		in(m, "recruit_ties", &p.RecruitTies, 0, 1000, "ties", "7.7", "in-group ties a recruit or added professional creates"),

		fl(m, "tie_decay", &p.TieDecay, 0, 1, "per tick", "7.8", "decay of a cross-side tie"),
		fl(m, "tie_min", &p.TieMin, 0, 1, "", "7.8", "strength below which a cross-side tie disappears"),
		fl(m, "encounter_rate", &p.EncounterRate, 0, 1, "per tick", "7.9", "everyday encounters of a professional, times (1.2 − u)·(0.5 + τ)"),
		fl(m, "encounter_fof", &p.EncounterFoF, 0, 1, "", "7.9", "chance an encounter is with an acquaintance of an informal acquaintance"),
		fl(m, "encounter_tie", &p.EncounterTie, 0, 1, "", "7.9", "tie gain of an everyday encounter (a new tie starts at this strength)"),

		fl(m, "epsilon_cap", &p.EpsilonCap, 0, 1, "", "8.2", "highest tolerance social reflection can reach"),
		in(m, "reflection_window", &p.ReflectionWindow, 1, 1000, "ticks", "8.2", "pairs with joint contact in this many past ticks reflect"),
		fl(m, "introduction_rate", &p.IntroductionRate, 0, 1, "per tick", "8.4", "introduction chance per intermediated case, times training"),
		fl(m, "reflection_mu", &p.ReflectionMu, 0, 1, "", "8.2", "compromise step of social reflection"),
		fl(m, "reflection_mu_coordinator", &p.ReflectionMuCoord, 0, 1, "", "8.2", "compromise step when a coordinator facilitates"),
		fl(m, "reflection_fail", &p.ReflectionFail, 0, 1, "", "8.2", "chance a reflection session goes wrong when a coordinator facilitates"),
		fl(m, "reflection_fail_unfacilitated", &p.ReflectionFailNone, 0, 1, "", "8.2", "chance a reflection session goes wrong without a facilitator"),
	}
}

// Spec returns the spec of the parameter at path ("group.key") bound to p.
func (p *Params) Spec(path string) (Spec, bool) {
	for _, s := range p.Specs() {
		if s.Path() == path {
			return s, true
		}
	}
	return Spec{}, false
}

// Validate checks every parameter against its range and the few relations
// between them. The error names each field, its value and what is allowed.
func (p Params) Validate() error {
	var errs []error
	for _, s := range p.Specs() {
		switch s.Kind {
		case KindVec4:
			for _, x := range s.Value().([4]float64) {
				if err := s.check(x); err != nil {
					errs = append(errs, fmt.Errorf("%s %w", s.Path(), err))
					break
				}
			}
		default:
			if err := s.check(s.Float()); err != nil {
				errs = append(errs, fmt.Errorf("%s %w", s.Path(), err))
			}
		}
	}
	if p.TieStrengthMin > p.TieStrengthMax {
		errs = append(errs, fmt.Errorf("model.tie_strength_min (%g) must not exceed model.tie_strength_max (%g)", p.TieStrengthMin, p.TieStrengthMax))
	}
	if p.ShareCasework+p.ShareCommunity+p.ShareHybrid <= 0 {
		errs = append(errs, errors.New("population.share_casework, share_community and share_hybrid must not all be 0"))
	}
	if p.ShareVolunteer+p.ShareResidentOrg+p.ShareExpert+p.ShareSelfOrg <= 0 {
		errs = append(errs, errors.New("population informal role shares must not all be 0"))
	}
	return errors.Join(errs...)
}
