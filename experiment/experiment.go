// Package experiment runs many runs of the model — scenarios × variants ×
// replications — on a pool of workers, and summarises them across
// replications. Replication r of every variant of a scenario with base
// seed s runs with (Seed s, Rep r), so variants are compared on common
// random numbers (the seed rules of every command are in sim.DeriveSeed's
// documentation), and results never depend on the number of workers or
// the order in which runs finish: one pool (Ordered) makes every command's
// runs.
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

// Job is one configuration of the model, run Reps times: replication r
// runs Config with Config.Rep = r, so on the streams of (Config.Seed, r)
// (the seed rules are in sim.DeriveSeed's documentation).
type Job struct {
	Scenario, Variant string // the runs' labels: the Output's groups and the tables' columns
	Config            sim.Config
	Reps              int
}

// Plan says what to run: a list of jobs, made from a scenario's variants
// (FromScenarios), from a sweep's design points or by hand, and how. The
// jobs of one scenario label come one after the other and have the same
// Reps (their effects are paired by replication).
type Plan struct {
	Jobs []Job
	// Scenarios, if set, are the scenarios the jobs were made from; the
	// Output carries them (the report reads them). A label without one
	// gets a scenario that has only that name.
	Scenarios []*scenarios.Scenario
	Workers   int // 0: all cores
	// Threads is the goroutines each run's order-free steps may use (0:
	// the cores left over when Workers runs go on at once, at least 1; a
	// plan of one run uses every core). The outputs do not depend on it.
	Threads int
	// Progress, if set, is called after each tick of every run and after
	// each run, one call at a time.
	Progress func(Progress)
	// EndState, if set, is given every finished run in the Output's order
	// (job, then replication), one call at a time, whatever the number of
	// workers; after the call the run's Result.Actors is released. A
	// caller that writes the end states as they come holds at most
	// endStateWindow(Workers) of them at once instead of all (a national
	// run's end state is some 200 MB). An error stops the plan.
	EndState func(r *Run) error
	// Network keeps each run's end-state tie network (sim.Config.Network)
	// in Result.Edges for EndState; it is released with the end state.
	Network bool
	// MaxSeries, if above 0, is the most memory in bytes the runs' time
	// series (kept for the summaries) may take; a larger plan is refused
	// before anything runs.
	MaxSeries int64
}

// FromScenarios makes the plan of the given variants (none: every
// variant) of each scenario: a job per scenario and variant, in that
// order, with the scenario's own replications, weeks, warm-up and seed —
// a command writes its flags into the scenario, once, so that the
// resolved scenario.toml reproduces the runs. Every variant of a
// scenario has its seed: replication r of each runs on the same streams
// (common random numbers).
func FromScenarios(ss []*scenarios.Scenario, variants []string) (Plan, error) {
	plan := Plan{Scenarios: ss}
	for _, s := range ss {
		names := s.VariantNames()
		if len(variants) > 0 {
			for _, v := range variants {
				if !slices.Contains(names, v) {
					return Plan{}, fmt.Errorf("scenario %s has no variant %q (variants: %s)", s.Name, v, strings.Join(names, ", "))
				}
			}
			names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !slices.Contains(variants, n) })
		}
		for _, v := range names {
			cfg, err := s.Config(v)
			if err != nil {
				return Plan{}, fmt.Errorf("%s/%s: %w", s.Name, v, err)
			}
			plan.Jobs = append(plan.Jobs, Job{Scenario: s.Name, Variant: v, Config: cfg, Reps: s.Replications})
		}
	}
	return plan, nil
}

// SeedRule says how the runs of a plan made from scenarios get their seeds
// (sim.DeriveSeed's documentation), for the manifest of run and compare.
const SeedRule = "run (scenario, variant, rep) of base seed s opens its random streams from the key splitmix64(s xor splitmix64(rep+1)), one stream per phase, tick, step and actor or case (docs/ODD.md §3.2); every variant of a replication opens the same streams"

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

// Output holds every run of a plan in a fixed order: job (scenario, then
// variant in the scenario's order), then replication.
type Output struct {
	Scenarios []*scenarios.Scenario
	Variants  [][]string // per scenario
	Runs      []Run
	Reps      []int // per scenario
}

// Execute runs the plan on the pool (Ordered). The first failing run stops
// it with its error.
func Execute(ctx context.Context, plan Plan) (*Output, error) {
	out, err := layout(plan)
	if err != nil {
		return nil, err
	}
	jobs := plan.Jobs
	var runs, series int64
	for _, j := range jobs {
		runs += int64(j.Reps)
		series += int64(j.Reps) * int64(j.Config.Ticks) * int64(sim.NumMetrics) * 8
	}
	if plan.MaxSeries > 0 && series > plan.MaxSeries {
		return nil, fmt.Errorf("%d runs would keep %.1f GiB of weekly outputs in memory for the summaries, more than the %.1f GiB allowed: use fewer replications, weeks or variants, or 'hybridsim sweep', which keeps only a summary of each run",
			runs, float64(series)/(1<<30), float64(plan.MaxSeries)/(1<<30))
	}
	warm, shared := warmGroups(jobs)
	// job[k] is run k's job.
	job := make([]int, 0, runs)
	out.Runs = make([]Run, 0, runs)
	for i, j := range jobs {
		for r := range j.Reps {
			job = append(job, i)
			out.Runs = append(out.Runs, Run{Scenario: j.Scenario, Variant: j.Variant, Rep: r, Seed: j.Config.Seed, Ticks: j.Config.Ticks, Warmup: j.Config.Warmup})
		}
	}
	workers := plan.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	threads := plan.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU()/max(1, min(workers, len(out.Runs))))
	}
	prog := &progress{report: plan.Progress, totalRuns: len(out.Runs)}
	for k, r := range out.Runs {
		prog.totalTicks += int64(r.Ticks)
		if g := warm[job[k]]; g < 0 || g == job[k] { // a shared warm-up counts once
			prog.totalTicks += int64(r.Warmup)
		}
	}
	// simulate makes run k, warming up on its own or from its group's
	// shared warm-up.
	simulate := func(ctx context.Context, k int) (*sim.Result, error) {
		cfg := jobs[job[k]].Config
		cfg.Rep = uint64(out.Runs[k].Rep)
		cfg.Threads = threads
		cfg.Network = plan.Network
		if plan.Progress != nil {
			cfg.OnTick = prog.tick
		}
		if g := warm[job[k]]; g >= 0 {
			return shared.run(ctx, g, cfg, prog.tick)
		}
		return sim.Run(cfg)
	}
	err = Ordered(ctx, len(out.Runs), workers, window(plan, workers),
		func(ctx context.Context, k int) (*sim.Result, error) {
			res, err := simulate(ctx, k)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				r := out.Runs[k]
				return nil, fmt.Errorf("%s/%s rep %d: %w", r.Scenario, r.Variant, r.Rep, err)
			}
			prog.run()
			return res, nil
		},
		func(k int, res *sim.Result) error {
			out.Runs[k].Result = res
			if plan.EndState == nil {
				return nil
			}
			if err := plan.EndState(&out.Runs[k]); err != nil {
				return err
			}
			res.Actors, res.Edges = nil, nil
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// progress counts a plan's finished runs and simulated weeks for
// Plan.Progress (report; nil: no reports).
type progress struct {
	report      func(Progress)
	totalRuns   int
	totalTicks  int64
	mu          sync.Mutex   // one report at a time
	runs, ticks atomic.Int64 // done so far
}

// tick counts a simulated week; run counts a finished run. Both report.
func (p *progress) tick(int) { p.ticks.Add(1); p.send() }
func (p *progress) run()     { p.runs.Add(1); p.send() }

// send reports; both counts are read under the lock, so that the reports
// never go back.
func (p *progress) send() {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	p.report(Progress{Runs: int(p.runs.Load()), TotalRuns: p.totalRuns, Ticks: p.ticks.Load(), TotalTicks: p.totalTicks})
	p.mu.Unlock()
}

// window is how many runs may be started ahead of the first not yet
// delivered: endStateWindow(workers) when end states are handed over (each
// holds its end state until then), else no bound (every run's time series
// is kept anyway).
func window(plan Plan, workers int) int {
	if plan.EndState != nil {
		return endStateWindow(workers)
	}
	return 0
}

// layout is the Output's frame of a plan: its scenarios in the order of
// the jobs' labels, and each one's variants and replications.
func layout(plan Plan) (*Output, error) {
	out := &Output{}
	for _, j := range plan.Jobs {
		si := len(out.Scenarios) - 1
		if si < 0 || out.Scenarios[si].Name != j.Scenario {
			for _, s := range out.Scenarios {
				if s.Name == j.Scenario {
					return nil, fmt.Errorf("the jobs of scenario %s are not one after the other", j.Scenario)
				}
			}
			s := &scenarios.Scenario{Name: j.Scenario}
			if k := slices.IndexFunc(plan.Scenarios, func(s *scenarios.Scenario) bool { return s.Name == j.Scenario }); k >= 0 {
				s = plan.Scenarios[k]
			}
			out.Scenarios = append(out.Scenarios, s)
			out.Variants = append(out.Variants, nil)
			out.Reps = append(out.Reps, j.Reps)
			si++
		}
		if j.Reps != out.Reps[si] {
			return nil, fmt.Errorf("scenario %s: variant %s has %d replications, another %d: a scenario's variants are paired by replication", j.Scenario, j.Variant, j.Reps, out.Reps[si])
		}
		out.Variants[si] = append(out.Variants[si], j.Variant)
	}
	if len(out.Scenarios) == 0 {
		out.Scenarios = plan.Scenarios // a plan without jobs (no scenario had the variants)
	}
	return out, nil
}

// warmGroups finds the jobs of one scenario whose warm-up is the same
// (sim.SameWarmup: the same parameters and standing arrangements): they
// warm each replication up once and continue from copies (docs/ODD.md
// §3.1), when the area is small enough to keep a warmed model per
// replication in memory. warm[i] is job i's group — the first job of it —
// or −1 when it warms up on its own.
func warmGroups(jobs []Job) (warm []int, shared *warmups) {
	warm = make([]int, len(jobs))
	for i := range warm {
		warm[i] = -1
	}
	shared = &warmups{sharers: map[int]int{}, warmed: map[warmKey]*warmEntry{}}
	for i := range jobs {
		if warm[i] >= 0 || !shareable(jobs[i].Config) {
			continue
		}
		n := 1
		for j := i + 1; j < len(jobs); j++ {
			if jobs[j].Scenario == jobs[i].Scenario && warm[j] < 0 && sim.SameWarmup(jobs[i].Config, jobs[j].Config) {
				warm[j] = i
				n++
			}
		}
		if n > 1 {
			warm[i] = i
			shared.sharers[i] = n
		}
	}
	return warm, shared
}

// warmups are the shared warm-ups of a plan being made: the warmed model
// of each (group, replication), made by the group's first run to come and
// kept until every job of the group has forked it, so at most one per
// replication in progress is held.
type warmups struct {
	sharers map[int]int // group → its number of jobs
	mu      sync.Mutex  // guards warmed and the entries' left
	warmed  map[warmKey]*warmEntry
}

type warmKey struct{ group, rep int }

type warmEntry struct {
	ready chan struct{} // closed when m and err are set
	m     *sim.Model
	err   error
	left  int // forks still to come
}

// run makes replication cfg.Rep of a job of group g: the group's first run
// to come warms the model up, the others wait for it (or for ctx); each
// forks the warmed model with its own configuration and continues it.
func (w *warmups) run(ctx context.Context, g int, cfg sim.Config, onTick func(int)) (*sim.Result, error) {
	key := warmKey{g, int(cfg.Rep)}
	w.mu.Lock()
	e := w.warmed[key]
	first := e == nil
	if first {
		e = &warmEntry{ready: make(chan struct{}), left: w.sharers[g]}
		w.warmed[key] = e
	}
	w.mu.Unlock()
	if first {
		e.m, e.err = sim.Warm(cfg)
		close(e.ready)
	} else {
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var m *sim.Model
	err := e.err
	if err == nil {
		m, err = e.m.Fork(cfg)
	}
	w.mu.Lock()
	if e.left--; e.left == 0 {
		delete(w.warmed, key)
	}
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return m.Continue(onTick), nil
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
