package sim

import "runtime"

// Result is what a run produced: every output of docs/ODD.md §9 at every
// tick, and each actor's end state.
type Result struct {
	Ticks  int
	Series []float64 // Ticks × NumMetrics, row by row; see Metrics
	Actors []ActorState
	// Setup is the outputs of the initial state, before the warm-up (one
	// row like Row's; the counted outputs are 0).
	Setup []float64
	// Edges is the end-state tie network, each tie once (A < B), in order
	// of A then of A's tie list; only when Config.Network is set.
	Edges []Edge
}

// Edge is one symmetric tie of the end-state network.
type Edge struct {
	A, B int32   // actor ids (indexes into Result.Actors), A < B
	S    float64 // strength in (0, 1]
}

// Row returns the outputs of tick t, indexed like Metrics.
func (r *Result) Row(t int) []float64 { return r.Series[t*NumMetrics : (t+1)*NumMetrics] }

// MeanLast is the mean of a metric over the last w ticks (all ticks when
// fewer), and the number of ticks used.
func (r *Result) MeanLast(metric Metric, w int) (float64, int) {
	w = min(w, r.Ticks)
	s := 0.0
	for t := r.Ticks - w; t < r.Ticks; t++ {
		s += r.Value(t, metric)
	}
	return s / float64(w), w
}

// Value returns output metric at tick t.
func (r *Result) Value(t int, metric Metric) float64 { return r.Series[t*NumMetrics+int(metric)] }

// ActorState is one actor's state at the end of a run (docs/ODD.md §9).
type ActorState struct {
	ID            int
	Side          Side
	Role          Role
	Active        bool
	W, A, G       float64
	X             [4]float64
	Iota, Pi, M   float64
	Ties          int // number of ties
	CrossTies     int // number of formal–informal ties
	CrossContacts int // cross-side encounters: joint work, guiding, meetings, reflection
}

// Result returns the outputs so far and the actors' current state.
func (m *Model) Result() *Result {
	if m.out != nil && m.out.Ticks == max(m.tick, 0) {
		return m.out
	}
	return m.endState(false)
}

// finish builds the end state after the last tick (Run) with as little
// memory as it can: the state that only stepping needs is released first,
// and each actor's ties are counted and then dropped before the end states
// are allocated. The model cannot step or report ties afterwards.
func (m *Model) finish() *Result {
	m.release()
	return m.endState(true)
}

// largeModel is the number of actors from which finish collects the
// released state before allocating the end state (some 30 MB of actors;
// below it the collection would cost more than the memory it saves).
const largeModel = 1 << 18

// endState records every actor's end state (docs/ODD.md §9), those present
// and those who left, in id order; dropTies counts the ties first and then
// releases them.
func (m *Model) endState(dropTies bool) *Result {
	counts := func(a *Actor) (ties, cross int) {
		for _, t := range a.Ties {
			if isCross(a.Side, t.Side) {
				cross++
			}
		}
		return len(a.Ties), cross
	}
	var edges []Edge
	if m.network {
		for _, s := range m.present {
			for _, t := range m.actors[s].Ties {
				if a, b := m.ids[s], m.ids[t.To]; a < b {
					edges = append(edges, Edge{A: a, B: b, S: t.S})
				}
			}
		}
	}
	var tc []int32
	if dropTies {
		tc = make([]int32, 2*len(m.actors))
		for _, s := range m.present {
			a := &m.actors[s]
			n, c := counts(a)
			tc[2*s], tc[2*s+1] = int32(n), int32(c)
			a.Ties = nil
		}
		if len(m.actors) >= largeModel {
			// The cases, indexes and ties just released are garbage; collect
			// them now, or the end state (120 bytes per actor, allocated at
			// once) would come on top of them: at 10^6 actors this keeps
			// the peak heap some 200 MB lower.
			runtime.GC()
		}
	}
	r := &Result{Ticks: max(m.tick, 0), Series: m.series, Setup: m.setup0, Edges: edges}
	r.Actors = make([]ActorState, m.nextID)
	for _, s := range m.present {
		a := &m.actors[s]
		id := m.ids[s]
		st := ActorState{ID: int(id), Side: a.Side, Role: a.Role, Active: a.Active, W: a.W, A: a.A, G: a.G,
			X: a.X, Iota: a.Iota, Pi: a.Pi, M: a.M, CrossContacts: int(a.CrossContacts)}
		if dropTies {
			st.Ties, st.CrossTies = int(tc[2*s]), int(tc[2*s+1])
		} else {
			st.Ties, st.CrossTies = counts(a)
		}
		r.Actors[id] = st
	}
	for _, b := range m.leavers.blocks {
		for k := range b {
			r.Actors[b[k].id] = b[k].state()
		}
	}
	m.out = r
	return r
}
