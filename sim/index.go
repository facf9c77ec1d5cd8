package sim

// The indexes that let the sequential steps find actors fast: professionals
// by load for intake, informal parties with free capacity, coordinators by
// load.

// intakeIndex keeps professionals in buckets by load (cases plus this
// tick's meeting slots, docs/ODD.md §8), one set of buckets for
// casework and hybrid workers and one for community workers, so that intake
// (docs/ODD.md §7.1) finds the least-loaded professional with free capacity in
// O(Lmax) instead of scanning everyone. All professionals share one
// capacity (caseload_relief changes it for all), so the lowest load/Lmax is
// the lowest load.
type intakeIndex struct {
	buckets [2][][]int32 // [community][load] → professionals
	pos     []int32      // per slot: position in its bucket
}

func community(r Role) int {
	if r == RoleCommunity {
		return 1
	}
	return 0
}

// indexAdd puts professional f into its bucket.
func (m *Model) indexAdd(f int32) {
	ix := &m.intakeIx
	for int(f) >= len(ix.pos) {
		ix.pos = append(ix.pos, -1)
	}
	a := &m.actors[f]
	c, l := community(a.Role), int(a.Load+int32(a.busy))
	for l >= len(ix.buckets[c]) {
		ix.buckets[c] = append(ix.buckets[c], nil)
	}
	ix.pos[f] = int32(len(ix.buckets[c][l]))
	ix.buckets[c][l] = append(ix.buckets[c][l], f)
}

// indexRemove takes professional f out of its bucket (by its current load).
func (m *Model) indexRemove(f int32) {
	ix := &m.intakeIx
	a := &m.actors[f]
	b := ix.buckets[community(a.Role)][a.Load+int32(a.busy)]
	k := ix.pos[f]
	last := b[len(b)-1]
	b[k] = last
	ix.pos[last] = k
	ix.buckets[community(a.Role)][a.Load+int32(a.busy)] = b[:len(b)-1]
}

// formalLoad changes professional f's load by d, keeping the index.
func (m *Model) formalLoad(f int32, d int32) {
	m.indexRemove(f)
	m.actors[f].Load += d
	m.indexAdd(f)
}

// reindex rebuilds the intake index and the free sets from the actors'
// loads, roles and activity (after tests set loads directly).
func (m *Model) reindex() {
	for _, j := range m.informal {
		m.informalChanged(j)
	}
	ix := &m.intakeIx
	for c := range ix.buckets {
		for l := range ix.buckets[c] {
			ix.buckets[c][l] = ix.buckets[c][l][:0]
		}
	}
	for _, f := range m.formal {
		m.indexAdd(f)
	}
	m.coordReindex()
}

// intakeProfessional returns the professional intake would choose: among
// casework and hybrid workers with free capacity, one with the lowest load,
// uniformly at random among equals; community workers only when all others
// are full; −1 when nobody has capacity.
func (m *Model) intakeProfessional(g *rng) int32 {
	lmax := int(m.lmaxFormal)
	for c := range 2 {
		bs := m.intakeIx.buckets[c]
		for l := 0; l < lmax && l < len(bs); l++ {
			if n := len(bs[l]); n > 0 {
				if n == 1 {
					return bs[l][0]
				}
				return bs[l][g.intN(n)]
			}
		}
	}
	return -1
}

// idSet is a set of actors (their slots) with O(1) add, remove and uniform draw.
type idSet struct {
	ids []int32
	pos []int32 // per slot: position in ids, or −1
}

func (s *idSet) has(id int32) bool { return int(id) < len(s.pos) && s.pos[id] >= 0 }

func (s *idSet) add(id int32) {
	for int(id) >= len(s.pos) {
		s.pos = append(s.pos, -1)
	}
	if s.pos[id] >= 0 {
		return
	}
	s.pos[id] = int32(len(s.ids))
	s.ids = append(s.ids, id)
}

func (s *idSet) remove(id int32) {
	if !s.has(id) {
		return
	}
	k := s.pos[id]
	last := s.ids[len(s.ids)-1]
	s.ids[k] = last
	s.pos[last] = k
	s.ids = s.ids[:len(s.ids)-1]
	s.pos[id] = -1
}

// freeInformal returns a random active informal actor with free capacity,
// a self_org one if selfOrgFirst and any is free; −1 if none (docs/ODD.md
// §7.1). The free actors are kept in sets, updated whenever an informal
// actor's load or activity changes (informalChanged), so a draw costs O(1).
func (m *Model) freeInformal(g *rng, selfOrgFirst bool) int32 {
	if selfOrgFirst && len(m.freeSelfOrg.ids) > 0 {
		return m.freeSelfOrg.ids[g.intN(len(m.freeSelfOrg.ids))]
	}
	if n := len(m.freeAll.ids); n > 0 {
		return m.freeAll.ids[g.intN(n)]
	}
	return -1
}

// informalChanged puts informal actor j into or out of the free sets after
// a change of its load or activity.
func (m *Model) informalChanged(j int32) {
	a := &m.actors[j]
	if a.Active && a.Load < a.Lmax {
		m.freeAll.add(j)
		if a.Role == RoleSelfOrg {
			m.freeSelfOrg.add(j)
		}
		return
	}
	m.freeAll.remove(j)
	m.freeSelfOrg.remove(j)
}

// informalLoad changes informal actor j's load by d, keeping the free sets.
func (m *Model) informalLoad(j int32, d int32) {
	m.actors[j].Load += d
	m.informalChanged(j)
}

// coordIndex finds the coordinator who brokers (docs/ODD.md §7.2a): among
// those with capacity the lowest load, the first in id order among equals.
// It is a tournament tree over the coordinators in id order (m.coords):
// each node holds the better of its two children, so the root is the
// answer and a change of load costs O(log n) instead of a scan of every
// coordinator per referral.
type coordIndex struct {
	tree []int32 // 1-based heap layout; a node holds a position in m.coords, −1 none
	size int     // leaves (a power of two)
}

// coordBetter reports whether coordinator position a brokers before b.
func (m *Model) coordBetter(a, b int32) bool {
	if a < 0 || b < 0 {
		return a >= 0
	}
	x, y := &m.actors[m.coords[a]], &m.actors[m.coords[b]]
	fa, fb := x.Load < x.Lmax, y.Load < y.Lmax
	if fa != fb {
		return fa
	}
	if x.Load != y.Load {
		return x.Load < y.Load
	}
	return a < b
}

// coordReindex rebuilds the tree from the coordinators' loads.
func (m *Model) coordReindex() {
	ix := &m.coordIx
	ix.size = 1
	for ix.size < len(m.coords) {
		ix.size *= 2
	}
	ix.tree = make([]int32, 2*ix.size)
	for k := range ix.size {
		ix.tree[ix.size+k] = -1
		if k < len(m.coords) {
			ix.tree[ix.size+k] = int32(k)
		}
	}
	for k := ix.size - 1; k >= 1; k-- {
		ix.tree[k] = m.coordWinner(ix.tree[2*k], ix.tree[2*k+1])
	}
}

func (m *Model) coordWinner(a, b int32) int32 {
	if m.coordBetter(b, a) {
		return b
	}
	return a
}

// coordLoad changes coordinator id's load by d, keeping the tree.
func (m *Model) coordLoad(id int32, d int32) {
	m.actors[id].Load += d
	ix := &m.coordIx
	k := (ix.size + int(m.actors[id].fidx)) / 2
	for ; k >= 1; k /= 2 {
		ix.tree[k] = m.coordWinner(ix.tree[2*k], ix.tree[2*k+1])
	}
}

// brokeringCoordinator returns the coordinator who brokers, or −1 when none
// has capacity.
func (m *Model) brokeringCoordinator() int32 {
	if len(m.coords) == 0 {
		return -1
	}
	k := m.coordIx.tree[1]
	if k < 0 {
		return -1
	}
	if a := &m.actors[m.coords[k]]; a.Load >= a.Lmax {
		return -1
	}
	return m.coords[k]
}
