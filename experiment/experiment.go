// Package experiment runs many runs of the model — scenarios × variants ×
// replications — on a pool of workers, and summarises them across
// replications. It owns the seeds: replication r of every variant of a
// scenario with base seed s runs on sim.Stream(s, r), so variants are
// compared on common random numbers, and results never depend on the number
// of workers or the order in which runs finish.
package experiment

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/exp/stats"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Plan says what to run.
type Plan struct {
	Scenarios []*scenarios.Scenario
	Variants  []string // subset of variant names; empty: every variant
	Reps      int      // replications; 0: each scenario's own
	Ticks     int      // 0: each scenario's own
	Warmup    *int     // nil: each scenario's own (docs/ODD.md §3.1)
	Seed      *uint64  // nil: each scenario's own
	Workers   int      // 0: all cores
	// Threads is the goroutines each run's order-free steps may use (0:
	// the cores left over when Workers runs go on at once, at least 1; a
	// plan of one run uses every core). The outputs do not depend on it.
	Threads int
	// Progress, if set, is called after each tick of every run and after
	// each run, one call at a time.
	Progress func(Progress)
	// EndState, if set, is given every finished run in the Output's order
	// (scenario, variant, replication), one call at a time, whatever the
	// number of workers; after the call the run's Result.Actors is
	// released. A caller that writes the end states as they come holds at
	// most endStateWindow(Workers) of them at once instead of all (a
	// national run's end state is some 200 MB). An error stops the plan.
	EndState func(r *Run) error
	// Network keeps each run's end-state tie network (sim.Config.Network)
	// in Result.Edges for EndState; it is released with the end state.
	Network bool
	// MaxSeries, if above 0, is the most memory in bytes the runs' time
	// series (kept for the summaries) may take; a larger plan is refused
	// before anything runs.
	MaxSeries int64
}

// Progress is how far a plan is: runs finished, and weeks simulated over
// all runs (so that a plan of one long run shows progress too).
type Progress struct {
	Runs, TotalRuns   int
	Ticks, TotalTicks int64
}

// endStateWindow is how many runs may be started ahead of the first whose
// end state has not been handed over yet, when Plan.EndState is set.
func endStateWindow(workers int) int { return 2 * workers }

// Run is one finished run.
type Run struct {
	Scenario string
	Variant  string
	Rep      int
	Seed     uint64 // base seed; the run's streams derive from (Seed, Rep)
	Ticks    int
	Warmup   int
	Result   *sim.Result
}

// Output holds every run of a plan in a fixed order: scenario, then variant
// (in the scenario's order), then replication.
type Output struct {
	Scenarios []*scenarios.Scenario
	Variants  [][]string // per scenario
	Runs      []Run
	Reps      []int // per scenario
}

// Execute runs the plan. The first failing run stops it with its error.
func Execute(ctx context.Context, plan Plan) (*Output, error) {
	out := &Output{Scenarios: plan.Scenarios}
	type job struct {
		idx  int
		cfg  *sim.Config // the variant's, shared: a worker copies it and sets the replication
		warm int         // the variant's warm-up group: variants that share their warm-up (−1: none)
	}
	// First each scenario's variants and their configurations (few), so
	// that a plan too large to keep is refused before its runs are listed.
	type variant struct {
		scenario, name string
		reps           int
		cfg            sim.Config
		warm, sharers  int // warm-up group (−1: runs its own) and how many variants share it
	}
	var vs []variant
	var runs, series int64
	for _, s := range plan.Scenarios {
		names := s.VariantNames()
		if len(plan.Variants) > 0 {
			for _, v := range plan.Variants {
				if !slices.Contains(names, v) {
					return nil, fmt.Errorf("scenario %s has no variant %q (variants: %s)", s.Name, v, strings.Join(names, ", "))
				}
			}
			names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !slices.Contains(plan.Variants, n) })
		}
		reps := s.Replications
		if plan.Reps > 0 {
			reps = plan.Reps
		}
		out.Variants = append(out.Variants, names)
		out.Reps = append(out.Reps, reps)
		for _, v := range names {
			cfg, err := s.Config(v)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", s.Name, v, err)
			}
			if plan.Ticks > 0 {
				cfg.Ticks = plan.Ticks
			}
			if plan.Seed != nil {
				cfg.Seed = *plan.Seed
			}
			cfg.Network = plan.Network
			if plan.Warmup != nil {
				cfg.Warmup = *plan.Warmup
			}
			vs = append(vs, variant{scenario: s.Name, name: v, reps: reps, cfg: cfg})
			runs += int64(reps)
			series += int64(reps) * int64(cfg.Ticks) * int64(sim.NumMetrics) * 8
		}
	}
	if plan.MaxSeries > 0 && series > plan.MaxSeries {
		return nil, fmt.Errorf("%d runs would keep %.1f GiB of weekly outputs in memory for the summaries, more than the %.1f GiB allowed: use fewer replications, weeks or variants, or 'hybridsim sweep', which keeps only a summary of each run",
			runs, float64(series)/(1<<30), float64(plan.MaxSeries)/(1<<30))
	}
	// Variants of one scenario whose warm-up is the same (sim.SameWarmup:
	// the same parameters and standing arrangements) warm each replication
	// up once and continue from copies (docs/ODD.md §3.1), when the area
	// is small enough to keep a warmed model per replication in memory.
	for i := range vs {
		vs[i].warm = -1
	}
	for i := range vs {
		if vs[i].warm >= 0 || !shareable(vs[i].cfg) {
			continue
		}
		n := 1
		for j := i + 1; j < len(vs); j++ {
			if vs[j].scenario == vs[i].scenario && vs[j].warm < 0 && sim.SameWarmup(vs[i].cfg, vs[j].cfg) {
				vs[j].warm = i
				n++
			}
		}
		if n > 1 {
			vs[i].warm = i
			for j := i; j < len(vs); j++ {
				if vs[j].warm == i {
					vs[j].sharers = n
				}
			}
		}
	}
	jobs := make([]job, 0, runs)
	out.Runs = make([]Run, 0, runs)
	for i := range vs {
		v := &vs[i]
		for r := range v.reps {
			jobs = append(jobs, job{idx: len(out.Runs), cfg: &v.cfg, warm: v.warm})
			out.Runs = append(out.Runs, Run{Scenario: v.scenario, Variant: v.name, Rep: r, Seed: v.cfg.Seed, Ticks: v.cfg.Ticks, Warmup: v.cfg.Warmup})
		}
	}
	workers := plan.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	threads := plan.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU()/max(1, min(workers, len(jobs))))
	}
	var (
		done       atomic.Int64 // runs finished
		ticks      atomic.Int64 // weeks simulated, over all runs
		totalTicks int64
		pmu        sync.Mutex // one Progress call at a time
	)
	// report calls plan.Progress; both counts are read under the lock, so
	// that the reports never go back.
	report := func() {
		pmu.Lock()
		plan.Progress(Progress{Runs: int(done.Load()), TotalRuns: len(jobs), Ticks: ticks.Load(), TotalTicks: totalTicks})
		pmu.Unlock()
	}
	for i, r := range out.Runs {
		totalTicks += int64(r.Ticks)
		if w := jobs[i].warm; w < 0 || vs[w].name == r.Variant { // a shared warm-up counts once
			totalTicks += int64(r.Warmup)
		}
	}
	// The warmed models of the shared warm-ups, by (group, replication),
	// each kept until every variant of its group has forked it.
	type warmKey struct{ group, rep int }
	type warmEntry struct {
		ready chan struct{}
		m     *sim.Model
		err   error
		left  int
	}
	var warmMu sync.Mutex
	warmed := map[warmKey]*warmEntry{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan job)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex // guards firstErr, finished and handed
		firstErr error
		finished = make([]bool, len(jobs))
		handed   int           // runs given to plan.EndState so far, in order
		handMu   sync.Mutex    // one plan.EndState call at a time
		slots    chan struct{} // with EndState: a slot per run started and not yet handed over
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	if plan.EndState != nil {
		slots = make(chan struct{}, endStateWindow(workers))
	}
	// handOver gives plan.EndState every finished run that follows the
	// last one handed over, in order. Whoever finishes a run calls it after
	// marking the run finished, so no run is left waiting.
	handOver := func() {
		handMu.Lock()
		defer handMu.Unlock()
		for {
			mu.Lock()
			i := handed
			ready := i < len(jobs) && finished[i] && firstErr == nil
			mu.Unlock()
			if !ready {
				return
			}
			if err := plan.EndState(&out.Runs[i]); err != nil {
				fail(err)
				return
			}
			out.Runs[i].Result.Actors, out.Runs[i].Result.Edges = nil, nil
			mu.Lock()
			handed++
			mu.Unlock()
			<-slots
		}
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				cfg := *j.cfg
				cfg.Rep = uint64(out.Runs[j.idx].Rep)
				cfg.Threads = threads
				if plan.Progress != nil {
					cfg.OnTick = func(int) { ticks.Add(1); report() }
				}
				var res *sim.Result
				var err error
				if j.warm < 0 {
					res, err = sim.Run(cfg)
				} else {
					k := warmKey{j.warm, out.Runs[j.idx].Rep}
					warmMu.Lock()
					e := warmed[k]
					first := e == nil
					if first {
						e = &warmEntry{ready: make(chan struct{}), left: vs[j.warm].sharers}
						warmed[k] = e
					}
					warmMu.Unlock()
					if first {
						e.m, e.err = sim.Warm(cfg)
						close(e.ready)
					} else {
						select {
						case <-e.ready:
						case <-ctx.Done():
							continue
						}
					}
					var m *sim.Model
					if err = e.err; err == nil {
						m, err = e.m.Fork(cfg)
					}
					warmMu.Lock()
					if e.left--; e.left == 0 {
						delete(warmed, k)
					}
					warmMu.Unlock()
					if err == nil {
						res = m.Continue(func(int) {
							if plan.Progress != nil {
								ticks.Add(1)
								report()
							}
						})
					}
				}
				if err != nil {
					fail(fmt.Errorf("%s/%s rep %d: %w", out.Runs[j.idx].Scenario, out.Runs[j.idx].Variant, out.Runs[j.idx].Rep, err))
					continue
				}
				out.Runs[j.idx].Result = res
				done.Add(1)
				mu.Lock()
				finished[j.idx] = true
				mu.Unlock()
				if plan.Progress != nil {
					report()
				}
				if plan.EndState != nil {
					handOver()
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		if slots != nil {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				break feed
			}
		}
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if plan.EndState != nil && handed != len(jobs) {
		return nil, fmt.Errorf("internal error: %d of %d end states handed over", handed, len(jobs))
	}
	return out, nil
}

// shareLimit is the largest area (actors at set-up) whose warmed models
// are kept to share a warm-up: at most one per replication of a scenario
// is kept at once, some 2 MB per thousand actors.
var shareLimit = 20000

// shareable reports whether a variant's warm-up may be shared.
func shareable(cfg sim.Config) bool {
	p := cfg.Params
	return cfg.Warmup > 0 && p.Professionals+p.Informal+p.Coordinators <= shareLimit
}

// Group returns the runs of one scenario and variant, by replication.
func (o *Output) Group(scenario, variant string) []Run {
	var g []Run
	for _, r := range o.Runs {
		if r.Scenario == scenario && r.Variant == variant {
			g = append(g, r)
		}
	}
	return g
}

// Summary is one metric of one variant at one tick, across replications.
type Summary struct {
	Scenario, Variant string
	Tick              int
	Metric            sim.Metric
	Mean, SD          float64
	P05, P50, P95     float64
	N                 int
}

// Summaries summarises every metric at every tick across replications,
// ordered by scenario, variant, tick and metric. SD is the sample standard
// deviation (0 for one replication); quantiles as golang.org/x/exp/stats.
func (o *Output) Summaries() []Summary {
	n := 0
	for si, s := range o.Scenarios {
		for _, v := range o.Variants[si] {
			if g := o.Group(s.Name, v); len(g) > 0 {
				n += g[0].Result.Ticks * int(sim.NumMetrics)
			}
		}
	}
	out := make([]Summary, 0, n) // allocated once: there are tens of thousands
	for si, s := range o.Scenarios {
		for _, v := range o.Variants[si] {
			g := o.Group(s.Name, v)
			if len(g) == 0 {
				continue
			}
			ticks := g[0].Result.Ticks
			xs := make([]float64, len(g))
			for t := range ticks {
				for k := range sim.NumMetrics {
					for i, r := range g {
						xs[i] = r.Result.Value(t, sim.Metric(k))
					}
					out = append(out, summarise(s.Name, v, t, sim.Metric(k), xs))
				}
			}
		}
	}
	return out
}

func summarise(scenario, variant string, tick int, m sim.Metric, xs []float64) Summary {
	mean, sd := stats.MeanAndStdDev(xs)
	if len(xs) < 2 {
		sd = 0
	}
	q := stats.Quantiles(xs, 0.05, 0.5, 0.95)
	return Summary{Scenario: scenario, Variant: variant, Tick: tick, Metric: m, Mean: mean, SD: sd,
		P05: q[0], P50: q[1], P95: q[2], N: len(xs)}
}

// Effect is a variant's paired difference from the reference variant in the
// mean of one metric over the last Window ticks.
type Effect struct {
	Scenario, Variant, Reference string
	Metric                       sim.Metric
	Window                       int
	Mean, SD, Lo, Hi             float64 // Lo, Hi: 95% interval of the mean difference
	N                            int
}

// EffectWindow is the number of final ticks effects are measured over.
const EffectWindow = 52

// Reference is the variant effects are measured against: "baseline" when
// the scenario has one, else its first variant.
func (o *Output) Reference(si int) string {
	if slices.Contains(o.Variants[si], "baseline") {
		return "baseline"
	}
	return o.Variants[si][0]
}

// Effects computes, for each variant other than the reference and each
// metric, the per-replication difference d_r = mean_last(variant, r) −
// mean_last(reference, r) over the last EffectWindow ticks (all ticks when
// fewer), its mean and a 95% interval mean ± t(0.975, n−1)·sd/√n. Because
// both share replication r's random stream, the difference is paired.
func (o *Output) Effects() []Effect {
	var out []Effect
	for si, s := range o.Scenarios {
		ref := o.Reference(si)
		base := o.Group(s.Name, ref)
		for _, v := range o.Variants[si] {
			if v == ref {
				continue
			}
			g := o.Group(s.Name, v)
			for k := range sim.NumMetrics {
				d := make([]float64, len(g))
				w := 0
				for i := range g {
					var a, b float64
					a, w = LastMean(g[i].Result, sim.Metric(k))
					b, _ = LastMean(base[i].Result, sim.Metric(k))
					d[i] = a - b
				}
				e := Effect{Scenario: s.Name, Variant: v, Reference: ref, Metric: sim.Metric(k), Window: w, N: len(d)}
				e.Mean, e.SD = stats.MeanAndStdDev(d)
				e.Lo, e.Hi = TInterval(d)
				if len(d) <= 1 {
					e.SD = 0
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// LastMean is the mean of a metric over the last EffectWindow ticks of a run
// (all ticks when fewer), and the window used.
func LastMean(r *sim.Result, m sim.Metric) (float64, int) { return r.MeanLast(m, EffectWindow) }

// TInterval is the 95% t-interval of the mean of xs: mean ± HalfWidth(xs);
// for one value, that value twice; for none, NaN.
func TInterval(xs []float64) (lo, hi float64) {
	switch len(xs) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return xs[0], xs[0]
	}
	h := HalfWidth(xs)
	mean := stats.Mean(xs)
	return mean - h, mean + h
}

// HalfWidth is the half-width of the 95% t-interval of the mean of xs:
// t(0.975, n−1)·sd/√n, sd the sample standard deviation
// (golang.org/x/exp/stats); 0 for one value, NaN for none.
func HalfWidth(xs []float64) float64 {
	switch len(xs) {
	case 0:
		return math.NaN()
	case 1:
		return 0
	}
	_, sd := stats.MeanAndStdDev(xs)
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975) * sd / math.Sqrt(float64(len(xs)))
}
