package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/sim"
)

// networkVariants are the variants whose networks are drawn side by side:
// the reference and all-three (else the last variant).
func networkVariants(o *experiment.Output, si int) []string {
	vs := o.Variants[si]
	ref := o.Reference(si)
	out := []string{ref}
	switch {
	case slices.Contains(vs, "all-three") && ref != "all-three":
		out = append(out, "all-three")
	case len(vs) > 1 && vs[len(vs)-1] != ref:
		out = append(out, vs[len(vs)-1])
	}
	return out
}

// NetworkRun runs replication rep of variant v of scenario si again, with
// the end-state network kept (sim.Config.Network), as it was run in o: the
// same configuration, seed and weeks, so the same run (keeping the network
// draws nothing at random).
func NetworkRun(o *experiment.Output, si int, v string, rep int) (*sim.Result, error) {
	s := o.Scenarios[si]
	g := o.Group(s.Name, v)
	if rep >= len(g) {
		return nil, fmt.Errorf("%s/%s has no replication %d", s.Name, v, rep+1)
	}
	cfg, err := s.Config(v)
	if err != nil {
		return nil, err
	}
	cfg.Seed, cfg.Ticks, cfg.Rep, cfg.Network = g[rep].Seed, g[rep].Ticks, uint64(g[rep].Rep), true
	return sim.Run(cfg)
}

// maxNetworkNodes is the most actors a network chart draws; a larger area
// (scaled) gets no network chart, only the --network files.
const maxNetworkNodes = 2000

// networkChart draws the end-state tie network of replication 1 of the
// reference and all-three side by side: the chapter's two parallel worlds.
func networkChart(o *experiment.Output, si int, opt Options, size plots.Size, cap string) (*Chart, error) {
	l := lang.Lang(opt.Lang)
	s := o.Scenarios[si]
	if len(o.Group(s.Name, o.Reference(si))) == 0 {
		return nil, nil
	}
	if cfg, err := s.Config(o.Reference(si)); err != nil || cfg.Params.Professionals+cfg.Params.Informal+cfg.Params.Coordinators > maxNetworkNodes {
		return nil, nil // too many actors to draw as dots (a scaled or national area)
	}
	var panels []plots.NetPanel
	for _, v := range networkVariants(o, si) {
		r, err := NetworkRun(o, si, v, 0)
		if err != nil {
			return nil, fmt.Errorf("network of %s/%s: %w", s.Name, v, err)
		}
		np, ok := Layout(r)
		if !ok {
			return nil, nil // no picture rather than a wrong one
		}
		cross := 0
		for _, e := range np.Edges {
			if e.Cross {
				cross++
			}
		}
		np.Title = l.Sprintf("network_panel", l.Variant(v), cross, len(np.Edges))
		panels = append(panels, np)
	}
	title := fmt.Sprintf("%s — %s", l.UI("network_title"), s.Name)
	fig, err := plots.Network(title, panels, []string{l.UI("network_formal"), l.UI("network_informal"), l.UI("network_coordinator")}, l.UI("network_cross"), size, cap)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	return &Chart{Name: "network", Title: title, Caption: l.UI("cap_network"), Figure: fig}, nil
}

// Layout places the actors present at the end of a run (professionals,
// active informal parties, coordinators) with gonum's force-directed
// EadesR2 layout over their ties, each tie pulling by its strength. The
// start positions come from a fixed seed and the nodes are visited in id
// order, so the same run always gives the same picture. ok is false when
// the layout broke down (two nodes in one place, or a position that is not
// a number); the positions are then of no use.
func Layout(r *sim.Result) (plots.NetPanel, bool) {
	g := &tieGraph{index: map[int64]int{}, w: map[[2]int64]float64{}}
	for _, a := range r.Actors {
		if a.Active {
			g.index[int64(a.ID)] = len(g.nodes)
			g.nodes = append(g.nodes, simple.Node(a.ID))
			g.adj = append(g.adj, nil)
		}
	}
	var np plots.NetPanel
	for _, e := range r.Edges {
		i, okA := g.index[int64(e.A)]
		j, okB := g.index[int64(e.B)]
		if !okA || !okB {
			continue
		}
		g.adj[i] = append(g.adj[i], simple.Node(e.B))
		g.adj[j] = append(g.adj[j], simple.Node(e.A))
		g.w[[2]int64{int64(e.A), int64(e.B)}] = e.S
		g.w[[2]int64{int64(e.B), int64(e.A)}] = e.S
		np.Edges = append(np.Edges, plots.NetEdge{A: i, B: j, Cross: crossSides(r.Actors[e.A].Side, r.Actors[e.B].Side)})
	}
	// Small steps, many of them: with gonum's example values (rate 0.05)
	// the 1,000–2,000 ties of a default area overshoot and fling the nodes
	// onto a line.
	eades := layout.EadesR2{Repulsion: 1, Rate: 0.005, Updates: 300, Theta: 0.9, Src: rand.NewPCG(1, 2)}
	opt := layout.NewOptimizerR2(g, eades.Update)
	// Between steps, stop if two nodes have come to the same place or a
	// position is not a number: gonum's Barnes–Hut tree, built in the next
	// step, would subdivide without end (a stack overflow, not an error).
	for opt.Update() {
		if !distinctFinite(g.nodes, opt.Coord2) {
			break
		}
	}
	for _, n := range g.nodes {
		c := opt.Coord2(n.ID())
		np.X = append(np.X, c.X)
		np.Y = append(np.Y, c.Y)
		np.Group = append(np.Group, int(r.Actors[n.ID()].Side))
	}
	return np, distinctFinite(g.nodes, opt.Coord2)
}

// distinctFinite reports whether every node has a finite position of its
// own.
func distinctFinite(nodes []graph.Node, at func(int64) r2.Vec) bool {
	seen := make(map[r2.Vec]bool, len(nodes))
	for _, n := range nodes {
		c := at(n.ID())
		if math.IsNaN(c.X) || math.IsNaN(c.Y) || math.IsInf(c.X, 0) || math.IsInf(c.Y, 0) || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

// crossSides reports whether a tie joins a professional and an informal
// party (coordinators' ties are not between the worlds).
func crossSides(a, b sim.Side) bool {
	return (a == sim.SideFormal && b == sim.SideInformal) || (a == sim.SideInformal && b == sim.SideFormal)
}

// tieGraph is the tie network as a gonum weighted undirected graph whose
// nodes and neighbours are listed in id order (gonum's simple graphs list
// them in map order, which would make the layout differ from run to run).
type tieGraph struct {
	nodes []graph.Node
	adj   [][]graph.Node
	index map[int64]int
	w     map[[2]int64]float64
}

func (g *tieGraph) Node(id int64) graph.Node {
	if _, ok := g.index[id]; ok {
		return simple.Node(id)
	}
	return nil
}
func (g *tieGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }
func (g *tieGraph) From(id int64) graph.Nodes {
	i, ok := g.index[id]
	if !ok {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(g.adj[i])
}
func (g *tieGraph) HasEdgeBetween(x, y int64) bool { _, ok := g.w[[2]int64{x, y}]; return ok }
func (g *tieGraph) Edge(u, v int64) graph.Edge     { return g.WeightedEdge(u, v) }
func (g *tieGraph) WeightedEdge(u, v int64) graph.WeightedEdge {
	w, ok := g.w[[2]int64{u, v}]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: w}
}
func (g *tieGraph) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 1, true
	}
	w, ok := g.w[[2]int64{x, y}]
	return w, ok
}
