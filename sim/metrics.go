package sim

import (
	"math"
	"sync"
)

// Metric indexes one output of docs/ODD.md §9 in a Result row.
type Metric int

// The outputs, in the order of their columns.
const (
	Hybridisation Metric = iota
	DirectShare
	ModeUnnoticedCount
	ModeWaitingCount
	ModeFormalOnlyCount
	ModeInformalOnlyCount
	ModeIntermediatedCount
	ModeJointCount
	EIIndex
	WijZijGapFormal
	WijZijGapInformal
	OutgroupRegardFormal
	OutgroupRegardInformal
	IdentificationFormal
	IdentificationInformal
	ConceptionDistance
	ConceptionSpreadFormal
	ConceptionSpreadInformal
	ValueConsensus
	ThreatFormal
	ThreatInformal
	NegativeContacts
	PositiveContacts
	ReferralsDirect
	ReferralsIntermediated
	Guided
	GuidedAccepted
	LateEscalations
	Closed
	Unnoticed
	InformalActive
	InformalMotivation
	CommunityTime
	InformalityFormal
	ProtoprofInformal
	CaseloadPressure
	UnmetNeed
	WaitWeeks
	TimeToClose
	JointOfHandled
	NumMetrics = iota
)

// Metrics are the output names of docs/ODD.md §9, indexed by Metric.
var Metrics = [NumMetrics]string{
	"hybridisation", "direct_share",
	"mode_unnoticed", "mode_waiting", "mode_formal_only", "mode_informal_only", "mode_intermediated", "mode_joint",
	"ei_index", "wij_zij_gap_formal", "wij_zij_gap_informal",
	"outgroup_regard_formal", "outgroup_regard_informal",
	"identification_formal", "identification_informal",
	"conception_distance", "conception_spread_formal", "conception_spread_informal",
	"value_consensus", "threat_formal", "threat_informal",
	"negative_contacts", "positive_contacts",
	"referrals_direct", "referrals_intermediated", "guided", "guided_accepted",
	"late_escalations", "closed", "unnoticed",
	"informal_active", "informal_motivation", "community_time",
	"informality_formal", "protoprof_informal",
	"caseload_pressure", "unmet_need", "wait_weeks", "time_to_close", "joint_of_handled",
}

func (k Metric) String() string { return Metrics[k] }

// MetricsNamed returns the metrics of the given output names, in their
// order, leaving out names that are no metric.
func MetricsNamed(names ...string) []Metric {
	var ms []Metric
	for _, n := range names {
		if m, ok := MetricByName(n); ok {
			ms = append(ms, m)
		}
	}
	return ms
}

// MetricByName returns the metric with the given output name.
func MetricByName(name string) (Metric, bool) {
	for k, n := range Metrics {
		if n == name {
			return Metric(k), true
		}
	}
	return 0, false
}

// record appends this tick's outputs (docs/ODD.md §9). Means over an empty set
// are 0; informal means are over active informal actors; value_consensus is
// over everyone present (coordinators included, drop-outs not); the E–I index leaves coordinator ties out; spreads are
// population standard deviations.
func (m *Model) record() {
	var row [NumMetrics]float64
	var modes [ModeClosed]int
	for k := range m.cases {
		modes[m.cases[k].Mode]++
	}
	active := len(m.cases)
	if active > 0 {
		row[Hybridisation] = float64(modes[ModeJoint]) / float64(active)
	}
	if d := modes[ModeJoint] + modes[ModeIntermediated]; d > 0 {
		row[DirectShare] = float64(modes[ModeJoint]) / float64(d)
	}
	for k := range ModeClosed {
		row[ModeUnnoticedCount+Metric(k)] = float64(modes[k])
	}

	// E and I (the E–I index) are the strengths of every formal and
	// informal actor's ties, coordinator ties left out. With more than one
	// thread and a large area they are summed on a goroutine of their own
	// while this one makes the other sums: each sum still adds its values
	// in its one fixed order, so the outputs do not depend on the threads.
	parallel := m.threads > 1 && len(m.formal)+len(m.informal) >= parallelMin
	if parallel {
		if m.tieWG == nil {
			m.tieWG = new(sync.WaitGroup)
		}
		m.tieWG.Go(m.tieSums)
	} else {
		m.tieSums()
	}

	// Each accumulator below adds the same values in the same order as a
	// separate loop per output would; the loops are only merged so that the
	// actors are read twice rather than once per output.
	var mf, mi [4]float64
	var sm, sp, st, si float64
	for s, side := range [][]int32{m.formal, m.informal} {
		var sa, sg, sw, sth, sx, n float64
		var mean, v [4]float64
		for _, id := range side {
			a := &m.actors[id]
			sa += a.A
			sg += a.G
			sw += a.W
			sth += a.T
			for d := range 4 {
				mean[d] += a.X[d]
			}
			if s == 0 {
				si += a.Iota
			} else {
				sm += a.M
				sp += a.Pi
			}
			n++
		}
		if n > 0 {
			for d := range 4 {
				mean[d] /= n
			}
			for _, id := range side {
				x := &m.actors[id].X
				for d := range 4 {
					e := x[d] - mean[d]
					v[d] += e * e
				}
			}
			for d := range 4 {
				sx += math.Sqrt(v[d] / n)
			}
			row[WijZijGapFormal+Metric(s)] = (sg - sa) / n
			row[OutgroupRegardFormal+Metric(s)] = sa / n
			row[IdentificationFormal+Metric(s)] = sw / n
			row[ThreatFormal+Metric(s)] = sth / n
			row[ConceptionSpreadFormal+Metric(s)] = sx / 4
		}
		if s == 0 {
			mf = mean
		} else {
			mi = mean
		}
	}
	row[ConceptionDistance] = conceptionDistance(mf, mi)
	if parallel {
		m.tieWG.Wait()
	}
	if e, in := m.ei[0], m.ei[1]; e+in > 0 {
		row[EIIndex] = (e - in) / (e + in)
	}

	// value_consensus: everyone present, in id order.
	sv, nv := 0.0, len(m.present)
	for _, s := range m.present {
		sv += m.values[s]
	}
	if nv > 0 {
		row[ValueConsensus] = sv / float64(nv)
	}

	row[NegativeContacts] = float64(m.negC)
	row[PositiveContacts] = float64(m.posC)
	row[ReferralsDirect] = float64(m.refD)
	row[ReferralsIntermediated] = float64(m.refI)
	row[Guided] = float64(m.guided)
	row[GuidedAccepted] = float64(m.guidedAcc)
	row[LateEscalations] = float64(m.late)
	row[Closed] = float64(m.closed)
	row[Unnoticed] = float64(modes[ModeUnnoticed])

	row[InformalActive] = float64(len(m.informal))
	if n := float64(len(m.informal)); n > 0 {
		row[InformalMotivation] = sm / n
		row[ProtoprofInformal] = sp / n
	}
	for k := range m.formal {
		st += m.tau[k]
	}
	if n := float64(len(m.formal)); n > 0 {
		row[CommunityTime] = st / n
		row[InformalityFormal] = si / n
	}
	row[CaseloadPressure] = m.pressure
	if active > 0 {
		row[UnmetNeed] = float64(modes[ModeWaiting]+modes[ModeUnnoticed]) / float64(active)
	}
	if m.waitN > 0 {
		row[WaitWeeks] = float64(m.waitSum) / float64(m.waitN)
	}
	if m.closed > 0 {
		row[TimeToClose] = float64(m.ageSum) / float64(m.closed)
	}
	if h := modes[ModeFormalOnly] + modes[ModeJoint] + modes[ModeIntermediated]; h > 0 {
		row[JointOfHandled] = float64(modes[ModeJoint]) / float64(h)
	}
	m.series = append(m.series, row[:]...)
}

// tieSums sets m.ei to E and I of the E–I index: the summed strengths of
// the professionals' and then the active informal parties' ties to the
// other world and to their own side, each list in its order (coordinator
// ties left out).
func (m *Model) tieSums() {
	var e, in float64
	for s, side := range [2][]int32{m.formal, m.informal} {
		// Per other end's side, whether a tie counts for I (same side) or
		// E (the other world): weights 1 or 0, so that the sums need no
		// branch per tie. Adding 0·s (+0) leaves a sum's bits as they are,
		// so E and I are the same numbers as sums over the counted ties.
		var wIn, wE [SideCoordinator + 1]float64
		wIn[s], wE[1-s] = 1, 1
		for _, id := range side {
			for _, t := range m.actors[id].Ties {
				in += wIn[t.Side] * t.S
				e += wE[t.Side] * t.S
			}
		}
	}
	m.ei = [2]float64{e, in}
}
