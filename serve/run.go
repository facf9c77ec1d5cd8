package serve

import (
	"context"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// chartNames are the outputs the page charts, by name: hybridisation; the
// three sources (onbekendheid: the E–I index; onenigheid: conception
// distance and negative contacts; onbestemdheid: threat); the wij–zij gap
// per side; the households' outcomes; the modes of the cases. Names the
// model does not have (an older model without unmet_need, say) are left
// out.
var chartNames = []string{
	"hybridisation",
	"ei_index", "conception_distance", "negative_contacts", "threat_formal", "threat_informal",
	"wij_zij_gap_formal", "wij_zij_gap_informal",
	"unmet_need", "wait_weeks", "late_escalations",
	"mode_unnoticed", "mode_waiting", "mode_formal_only", "mode_informal_only", "mode_intermediated", "mode_joint",
}

// chartMetrics are the charted outputs this model has.
func chartMetrics() []sim.Metric { return sim.MetricsNamed(chartNames...) }

// comparison is one press of Run: the scenario built from the form, with
// its two variants.
type comparison struct {
	id        string
	scen      *scenarios.Scenario
	canonical string        // the scenario file that reproduces the comparison
	cfgs      [2]sim.Config // baseline, what-if
	reps      int
	session   string
	actors    int // at the start, the larger variant's

	networkActors int // Options.NetworkActors
}

var variantNames = [2]string{Baseline, WhatIf}

// netEvery is the number of weeks between network pictures.
func netEvery(weeks int) int { return max(4, weeks/40) }

// weekEvent is one week of the first replication, both variants, the
// charted outputs in the order of chartMetrics.
type weekEvent struct {
	Week   int          `json:"week"`
	Values [2][]rounded `json:"values"`
}

// netEvent is the tie network of the first replication of a variant: each
// actor's side (0 professional, 1 informal, 2 coordinator; −1 has left) and
// the ties as [a, b, strength×100].
type netEvent struct {
	Variant string     `json:"variant"`
	Week    int        `json:"week"`
	Sides   []int8     `json:"sides"`
	Edges   [][3]int32 `json:"edges"`
}

// band is the mean and the 5–95% band of one output of one variant, week
// by week.
type band struct {
	Mean []rounded `json:"mean"`
	P05  []rounded `json:"p05"`
	P95  []rounded `json:"p95"`
}

// effect is the paired difference of the what-if from the baseline over
// the last weeks (experiment.Effects).
type effect struct {
	Mean   rounded `json:"mean"`
	Lo     rounded `json:"lo"`
	Hi     rounded `json:"hi"`
	Window int     `json:"window"`
	N      int     `json:"n"`
}

// summaryEvent is the comparison over the replications finished so far.
type summaryEvent struct {
	N       int                `json:"n"`
	Reps    int                `json:"reps"`
	Bands   map[string][2]band `json:"bands"`   // output → baseline, what-if
	Effects map[string]effect  `json:"effects"` // output → what-if − baseline
	Done    bool               `json:"done"`
}

// rounded is a number sent to the page with six significant digits (the
// charts need no more; the data download has every digit).
type rounded float64

func (r rounded) MarshalJSON() ([]byte, error) {
	x := float64(r)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', 6, 64), nil
}

// repDone is one replication of both variants.
type repDone struct {
	rep int
	res [2]*sim.Result
}

// runRep runs replication rep of both variants week by week on the same
// random stream. With live set it sends each week's charted outputs and,
// every few weeks, the tie network; send returns false when the
// comparison has been cancelled.
func runRep(ctx context.Context, c *comparison, rep int, live bool, send func(any) bool) ([2]*sim.Result, error) {
	small := c.actors <= c.networkActors
	var cfgs [2]sim.Config
	for v := range 2 {
		cfgs[v] = c.cfgs[v]
		cfgs[v].Rep = uint64(rep)
		cfgs[v].Network = live && small
	}
	var ms [2]*sim.Model
	if sim.SameWarmup(cfgs[0], cfgs[1]) {
		// The variants' warm-up is the same (docs/ODD.md §3.1): warm one
		// model and continue both from copies of it, as 'hybridsim run'
		// does (byte-identical to runs of their own).
		w, err := sim.Warm(cfgs[0])
		if err != nil {
			return [2]*sim.Result{}, err
		}
		for v := range 2 {
			if ms[v], err = w.Fork(cfgs[v]); err != nil {
				return [2]*sim.Result{}, err
			}
		}
	} else {
		for v := range 2 {
			m, err := sim.New(cfgs[v])
			if err != nil {
				return [2]*sim.Result{}, err
			}
			ms[v] = m
		}
	}
	weeks := c.cfgs[0].Ticks
	metrics := chartMetrics()
	every := netEvery(weeks)
	// Reading a model's outputs (Result) copies every actor's state, so a
	// large area is read every few weeks, and each read sends all the weeks
	// since the last.
	read := 1
	if !small {
		read = every
	}
	// A model with a warm-up starts at a negative tick and records nothing
	// until tick 0 (docs/ODD.md §3.1); it is stepped there first.
	for ms[0].Tick() < 0 {
		if err := ctx.Err(); err != nil {
			return [2]*sim.Result{}, err
		}
		for v := range 2 {
			ms[v].Step()
		}
	}
	sent := 0
	for w := 0; w < weeks; w++ {
		if err := ctx.Err(); err != nil {
			return [2]*sim.Result{}, err
		}
		for v := range 2 {
			ms[v].Step()
		}
		if !live || ((w+1)%read != 0 && w != weeks-1) {
			continue
		}
		var rs [2]*sim.Result
		for v := range 2 {
			rs[v] = ms[v].Result()
		}
		for ; sent <= w; sent++ {
			ev := weekEvent{Week: sent}
			for v := range 2 {
				row := rs[v].Row(sent)
				ev.Values[v] = make([]rounded, len(metrics))
				for i, m := range metrics {
					ev.Values[v][i] = rounded(row[m])
				}
			}
			if !send(ev) {
				return [2]*sim.Result{}, ctx.Err()
			}
		}
		if small && ((w+1)%every == 0 || w == 0 || w == weeks-1) {
			for v := range 2 {
				if !send(network(variantNames[v], w, rs[v])) {
					return [2]*sim.Result{}, ctx.Err()
				}
			}
		}
	}
	var out [2]*sim.Result
	for v := range 2 {
		out[v] = ms[v].Result()
		out[v].Edges = nil
	}
	return out, nil
}

func network(variant string, week int, r *sim.Result) netEvent {
	ev := netEvent{Variant: variant, Week: week, Sides: make([]int8, len(r.Actors)), Edges: make([][3]int32, 0, len(r.Edges))}
	for i, a := range r.Actors {
		ev.Sides[i] = int8(a.Side)
		if !a.Active {
			ev.Sides[i] = -1
		}
	}
	for _, e := range r.Edges {
		if ev.Sides[e.A] >= 0 && ev.Sides[e.B] >= 0 {
			ev.Edges = append(ev.Edges, [3]int32{e.A, e.B, int32(math.Round(e.S * 100))})
		}
	}
	return ev
}

// execute runs the comparison's replications on experiment's pool with
// workers goroutines, the first one live, and hands every finished
// replication to done in the order they finish, one call at a time (so
// that the page's summary grows while the live replication is still
// going). It returns when all have finished, the context is cancelled or
// one fails; no goroutine outlives it.
func execute(ctx context.Context, c *comparison, workers int, send func(any) bool, done func(repDone)) error {
	var mu sync.Mutex // one done call at a time
	return experiment.Ordered(ctx, c.reps, workers, 0, func(ctx context.Context, rep int) (struct{}, error) {
		res, err := runRep(ctx, c, rep, rep == 0, send)
		if err != nil {
			return struct{}{}, err
		}
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() == nil { // nothing more after the first error or a cancel
			done(repDone{rep: rep, res: res})
		}
		return struct{}{}, nil
	}, nil)
}

// collected holds the finished replications of a comparison.
type collected struct {
	c    *comparison
	runs [][2]*sim.Result // by replication; nil while running
	n    int
}

// output arranges the finished replications as experiment.Execute would
// (variant by variant, replications in order), so that its summaries are
// those of 'hybridsim run' once every replication is in.
func (cl *collected) output() *experiment.Output {
	o := &experiment.Output{Scenarios: []*scenarios.Scenario{cl.c.scen}, Variants: [][]string{variantNames[:]}, Reps: []int{cl.n}}
	for v := range 2 {
		for rep, r := range cl.runs {
			if r[0] != nil {
				o.Runs = append(o.Runs, experiment.Run{Scenario: cl.c.scen.Name, Variant: variantNames[v], Rep: rep,
					Seed: cl.c.cfgs[v].Seed, Ticks: cl.c.cfgs[v].Ticks, Result: r[v]})
			}
		}
	}
	return o
}

// summary is the page's view of the summaries: the charted outputs' bands
// and the what-if's effects.
func summary(o *experiment.Output, all []experiment.Summary, reps int) summaryEvent {
	ev := summaryEvent{N: o.Reps[0], Reps: reps, Bands: map[string][2]band{}, Effects: map[string]effect{}, Done: o.Reps[0] == reps}
	metrics := chartMetrics()
	for _, s := range all {
		if !slices.Contains(metrics, s.Metric) {
			continue
		}
		v := slices.Index(variantNames[:], s.Variant)
		bs := ev.Bands[s.Metric.String()]
		bs[v].Mean = append(bs[v].Mean, rounded(s.Mean))
		bs[v].P05 = append(bs[v].P05, rounded(s.P05))
		bs[v].P95 = append(bs[v].P95, rounded(s.P95))
		ev.Bands[s.Metric.String()] = bs
	}
	for _, e := range o.Effects() {
		if slices.Contains(metrics, e.Metric) {
			ev.Effects[e.Metric.String()] = effect{Mean: rounded(e.Mean), Lo: rounded(e.Lo), Hi: rounded(e.Hi), Window: e.Window, N: e.N}
		}
	}
	return ev
}
