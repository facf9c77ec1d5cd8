package sim

// The state of a run: sides, roles, modes, ties, actors and cases
// (docs/ODD.md §2).

// Side is the world an actor belongs to.
type Side uint8

// The sides.
const (
	SideFormal      Side = iota // neighbourhood-team professionals
	SideInformal                // volunteers, resident and self-organisations, experts by experience
	SideCoordinator             // intermediaries between the worlds
)

var sideNames = [...]string{"formal", "informal", "coordinator"}

func (s Side) String() string { return sideNames[s] }

// Role is an actor's role within its side (docs/ODD.md §2).
type Role uint8

// The roles.
const (
	RoleCasework Role = iota
	RoleCommunity
	RoleHybrid
	RoleVolunteer
	RoleResidentOrg
	RoleSelfOrg
	RoleExpert
	RoleCoordinator
)

var roleNames = [...]string{"casework", "community", "hybrid", "volunteer", "resident_org", "self_org", "expert", "coordinator"}

func (r Role) String() string { return roleNames[r] }

// Mode is how a case is being handled (docs/ODD.md §2).
type Mode uint8

// The modes. ModeClosed marks a case that is helped and gone.
const (
	ModeUnnoticed Mode = iota
	ModeWaiting
	ModeFormalOnly
	ModeInformalOnly
	ModeIntermediated
	ModeJoint
	ModeClosed
)

var modeNames = [...]string{"unnoticed", "waiting", "formal_only", "informal_only", "intermediated", "joint", "closed"}

func (m Mode) String() string { return modeNames[m] }

// Tie is one end of a symmetric acquaintance tie.
type Tie struct {
	To   int32   // the other actor
	Side Side    // the other actor's side (kept here: the hot loops read it)
	S    float64 // strength in (0, 1]
}

// Actor is one professional, informal party or coordinator (docs/ODD.md §2).
type Actor struct {
	// The fields read by in-group influence (4.5) come first, so that one
	// cache line holds what a visit needs, and the struct is three cache
	// lines exactly, so that in the actors' array (allocated on a page) the
	// first line of every actor is one line (TestActorLayout).
	Side     Side
	Role     Role
	Active   bool       // informal actors leave by drop-out; everyone else stays
	ringLast int32      // informal: the last tick written in its referral history; −1 none (fits the padding)
	A, G     float64    // out-group regard, in-group regard
	W        float64    // identification with one's side
	Ties     []Tie      // acquaintance ties
	inSum    float64    // sum of the in-group ties' strengths (4.5)
	X        [4]float64 // conceptions (docs/ODD.md §2.1)

	W0, A0, G0 float64 // initial values (docs/ODD.md §7.6)
	Eps        float64 // tolerance of disagreement
	Iota       float64 // formal: informality of working style
	Pi         float64 // informal: proto-professionalisation
	M          float64 // informal: motivation
	T          float64 // identity threat of the last tick

	Load, Lmax    int32 // cases held; capacity
	CrossContacts int32 // cross-side encounters so far

	ring     int32 // informal: first slot of its referral history in Model.rings; −1 none
	slots    int16 // wijktafel conversation slots left; −1 marks a professional already charged by a reflection session
	busy     int16 // formal: case slots taken by meetings this tick (docs/ODD.md §8)
	joint    int32 // informal: joint cases held (this tick's count)
	involved int32 // formal: cases held with informal involvement
	fidx     int32 // formal: index in Model.formal; coordinator: index in Model.coords
}

type refSlot struct {
	tick          int32
	taken, refers uint16
}

// Case is one household's problem (docs/ODD.md §2).
type Case struct {
	ID           int64   // arrival number, the key of the case's random streams
	S            float64 // severity
	F, I, C      int32   // formal handler, informal handler, coordinator; −1 none
	Mode         Mode
	Migrant      bool
	Silent       bool
	Late         bool
	Age          int32
	NextConsider int32 // tick of the next involvement consideration (4.2a)
	seq          int32 // place in the waiting queue
	waitFrom     int32 // tick it joined the waiting queue
}

type pairContact struct {
	f, i int32 // slots of the professional and the informal party
	last int32
	iid  int32 // the informal party's id (rememberPair)
}
