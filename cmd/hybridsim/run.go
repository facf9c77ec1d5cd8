package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/internal/suggest"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/report"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// runFlags are the flags shared by run and compare.
type runFlags struct {
	reps, ticks, workers int // reps, ticks: 0 when not given
	warmup               int // −1 when not given
	threads              int // 0 when not given
	scale                float64
	seed                 uint64
	seedSet              bool
	variants, out        string
	formats, lang, size  string
	quiet, noCharts      bool
	network              bool
	force                bool
}

func (f *runFlags) register(fs *flag.FlagSet) {
	intFlag(fs, &f.reps, "reps", 0, 1, scenarios.MaxReplications, "replications per variant `N` (default: the scenario's own)")
	seedFlag(fs, &f.seed, &f.seedSet, "base seed `S` (default: the scenario's own)")
	intFlag(fs, &f.ticks, "ticks", 0, 1, scenarios.MaxTicks, "weeks `N` to simulate and record (default: the scenario's own)")
	intFlag(fs, &f.threads, "threads", 0, 1, maxWorkers, "goroutines `N` of each run's tick (default: the cores left over after --workers; the outputs do not depend on it)")
	intFlag(fs, &f.warmup, "warmup", -1, 0, scenarios.MaxWarmup, "weeks `N` simulated before week 0, recording nothing (default: the scenario's own, 312; docs/ODD.md §3.1)")
	fs.StringVar(&f.variants, "variants", "", "comma-separated subset of variants (default: all)")
	positiveFloatFlag(fs, &f.scale, "scale", scenarios.MaxScale, "area size factor `F`: actors, households and added actors × F, initial cross-tie chance ÷ F\n(default: the scenario's own, usually 1; 6097.56 gives 10^6 actors from the default area)")
	fs.StringVar(&f.out, "out", "", "output directory (default: out/<scenario>)")
	intFlag(fs, &f.workers, "workers", runtime.NumCPU(), 1, maxWorkers, "runs in parallel `N` (default: all cores)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar and no summary on stdout")
	fs.StringVar(&f.formats, "format", "png,svg", "chart formats, comma-separated: png, svg, pdf")
	fs.StringVar(&f.lang, "lang", "en", "language of charts and report: en or nl")
	fs.StringVar(&f.size, "size", "default", "chart size: default (24×15 cm) or a4 (16×14 cm, fits an A4 page)")
	fs.BoolVar(&f.noCharts, "no-charts", false, "write data only, no charts or report")
	fs.BoolVar(&f.network, "network", false, "also write each run's end-state tie network as GraphML and GEXF in OUT/network/")
	fs.BoolVar(&f.force, "force", false, "replace --out even if it holds files hybridsim did not write (they are removed)")
}

// apply writes the flags into a scenario, so that its resolved
// scenario.toml reproduces the runs (and, the flags having the scenario
// keys' ranges, always loads again).
func (f *runFlags) apply(s *scenarios.Scenario) {
	if f.scale > 0 {
		s.Scale = f.scale
	}
	if f.reps > 0 {
		s.Replications = f.reps
	}
	if f.ticks > 0 {
		s.Ticks = f.ticks
	}
	if f.seedSet {
		s.Seed = f.seed
	}
	if f.warmup >= 0 {
		s.Warmup = f.warmup
	}
}

// maxWorkers bounds --workers (a typo such as 1000000 would start a
// million goroutines).
const maxWorkers = 4096

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f runFlags
	fs := newFlags("run", "[flags] [SCENARIO]", "Runs every variant × replication of SCENARIO (a preset name or a .toml file;\ndefault: the preset \"default\") and writes data, charts and report.html to --out.", stdout)
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("run takes one scenario, got %d (use compare for several)", fs.NArg())
	}
	ref := scenarios.DefaultPreset
	if fs.NArg() == 1 {
		ref = fs.Arg(0)
	}
	return execute(ctx, []string{ref}, f, append([]string{"run"}, args...), stdout, stderr)
}

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f runFlags
	fs := newFlags("compare", "[flags] SCENARIO...", "Runs several scenarios under the same variants (those they all have, or --variants)\nand writes one combined output with a scenario column.", stdout)
	f.register(fs)
	fs.Lookup("out").Usage = "output directory (default: out/<a>+<b>+…, the scenarios' names joined by +)"
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usagef("compare needs at least two scenarios, got %d", fs.NArg())
	}
	return execute(ctx, fs.Args(), f, append([]string{"compare"}, args...), stdout, stderr)
}

// execute loads the scenarios, runs them and writes the output directory;
// args is the whole command line after "hybridsim", for the manifest.
func execute(ctx context.Context, refs []string, f runFlags, args []string, stdout, stderr io.Writer) error {
	opts, err := chartOptions(f)
	if err != nil {
		return err
	}
	ss, err := loadScenarios(refs, f)
	if err != nil {
		return err
	}
	plan, err := runPlan(ss, f, stderr)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		if out, err = defaultOut(ss); err != nil {
			return err
		}
	}
	j := &runJob{ctx: ctx, ss: ss, plan: plan, f: f, opts: opts, args: args, started: time.Now().UTC(), bar: newProgress(stderr, f.quiet)}
	j.bar.lang = lang.Lang(opts.Lang)
	if j.bar.on {
		j.plan.Progress = j.bar.plan
	}
	err = output.Replace(out, f.force, j.fill)
	var kept *output.KeptError
	switch {
	case errors.Is(j.runErr, context.Canceled):
		return fmt.Errorf("interrupted; nothing was written to %s", out)
	case j.runErr != nil:
		return j.runErr
	case errors.As(err, &kept):
		return err
	case err != nil:
		return fmt.Errorf("writing %s: %w (nothing was written there)", out, err)
	}
	if !f.quiet {
		printSummary(stdout, lang.Lang(opts.Lang), j.res, j.effects, out, j.files)
	}
	return nil
}

// loadScenarios loads every scenario (reporting every problem of every one
// at once) and writes the flags into them; their names must differ, as
// each one's files in the output are named after it.
func loadScenarios(refs []string, f runFlags) ([]*scenarios.Scenario, error) {
	var ss []*scenarios.Scenario
	var bad scenarios.Error
	for _, r := range refs {
		s, err := scenarios.Load(r)
		if err != nil {
			if se, ok := err.(*scenarios.Error); ok {
				bad.Problems = append(bad.Problems, se.Problems...)
			} else {
				bad.Problems = append(bad.Problems, scenarios.Problem{File: r, Msg: err.Error()})
			}
			continue
		}
		f.apply(s)
		ss = append(ss, s)
	}
	if len(bad.Problems) > 0 {
		return nil, &bad
	}
	for i, s := range ss {
		for _, o := range ss[:i] {
			if o.Name == s.Name {
				return nil, fmt.Errorf("%s and %s are both named %q; give one of them another name = \"...\" (compare names its files and table rows after the scenarios)", o.File, s.File, s.Name)
			}
		}
	}
	return ss, nil
}

// runPlan makes the plan of run or compare: the variants (--variants, or
// those the scenarios share), with a warning for each intervention that
// starts after the run ends.
// The scenarios have the flags --reps, --ticks, --seed, --warmup and
// --scale written in already (runFlags.apply), the one place they are
// resolved.
func runPlan(ss []*scenarios.Scenario, f runFlags, stderr io.Writer) (experiment.Plan, error) {
	var variants []string
	if f.variants != "" {
		variants = strings.Split(f.variants, ",")
		if err := checkVariants(ss, variants); err != nil {
			return experiment.Plan{}, err
		}
	} else if len(ss) > 1 {
		variants = commonVariants(ss)
		if len(variants) == 0 {
			return experiment.Plan{}, fmt.Errorf("the scenarios share no variant name; choose with --variants")
		}
	}
	for _, s := range ss {
		for _, w := range s.Inert(variants) {
			fmt.Fprintf(stderr, "hybridsim: warning: %s: %s\n", s.Name, w)
		}
	}
	plan, err := experiment.FromScenarios(ss, variants)
	plan.Workers, plan.Threads, plan.MaxSeries = f.workers, f.threads, maxSeries
	return plan, err
}

// defaultOut is out/NAME, or out/A+B+… for several scenarios.
func defaultOut(ss []*scenarios.Scenario) (string, error) {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return output.Path("out", strings.Join(names, "+"))
}

// runJob is one run or compare being made: its inputs, and what the runs
// gave once done.
type runJob struct {
	ctx     context.Context
	ss      []*scenarios.Scenario
	plan    experiment.Plan
	f       runFlags
	opts    report.Options
	args    []string
	started time.Time
	bar     *progress

	res     *experiment.Output
	effects []experiment.Effect
	files   []string // in the manifest's order
	runErr  error    // the runs' own error, apart from writing
}

// fill runs the plan inside the temporary output directory dir, so that
// actors.csv (and --network's files) are written as the runs finish, in
// their fixed order, and no run's end state is kept longer than that; a
// failed or interrupted run removes the directory like any other failure.
func (j *runJob) fill(dir string) error {
	ap, err := output.Path(dir, "actors.csv")
	if err != nil {
		return err
	}
	af, err := os.Create(ap)
	if err != nil {
		return err
	}
	defer af.Close() // the actors task closes it and reports that error
	actors := output.NewActorsTable(af)
	j.plan.EndState = actors.Add
	var netFiles []string
	if j.f.network {
		j.plan.Network = true
		j.plan.EndState = func(r *experiment.Run) error {
			names, err := output.WriteNetwork(dir, r)
			netFiles = append(netFiles, names...)
			if err != nil {
				return err
			}
			return actors.Add(r)
		}
	}
	j.res, j.runErr = experiment.Execute(j.ctx, j.plan)
	j.bar.done()
	if j.runErr != nil {
		return j.runErr
	}
	j.effects = j.res.Effects()
	closeActors := &task{names: []string{"actors.csv"}, run: func() error {
		if err := actors.Close(); err != nil {
			return err
		}
		return af.Close()
	}}
	return j.write(dir, closeActors, &task{names: netFiles, run: func() error { return nil }})
}

// task writes some files of an output; names are known before it runs or
// set by it.
type task struct {
	names []string
	run   func() error
}

// write writes the output's other files and the manifest. The files are
// independent of each other, so they are written at the same time (each
// on its own goroutine); the manifest lists them in a fixed order, and the
// first error in that order is the one reported.
func (j *runJob) write(dir string, done ...*task) error {
	res, effects := j.res, j.effects
	file := func(name string, fn func(io.Writer) error) *task {
		return &task{names: []string{name}, run: func() error { return output.Create(dir, name, fn) }}
	}
	tasks := append([]*task{
		file("timeseries.csv", func(w io.Writer) error { return output.TimeSeries(w, res) }),
		file("summary.csv", func(w io.Writer) error { return output.Summary(w, res.Summaries()) }),
		file("effects.csv", func(w io.Writer) error { return output.Effects(w, effects) }),
	}, done...)
	man := output.NewManifest(versionString(), j.args, j.started)
	man.AddRuns(res)
	man.SeedRule = experiment.SeedRule
	for i, s := range j.ss {
		name := "scenario.toml"
		if len(j.ss) > 1 {
			name = "scenario-" + s.Name + ".toml"
		}
		tasks = append(tasks, file(name, text(s.Canonical())))
		man.Scenarios[i].ResolvedFile = name
	}
	if !j.f.noCharts {
		tasks = append(tasks, j.charts(dir, &man))
	}
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Go(func() { errs[i] = t.run() })
	}
	wg.Wait()
	for _, t := range tasks {
		j.files = append(j.files, t.names...)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	j.files = append(j.files, "manifest.json")
	man.Files = j.files
	return man.Write(dir)
}

// charts is the task that draws the charts and writes report.html.
func (j *runJob) charts(dir string, man *output.Manifest) *task {
	t := &task{}
	t.run = func() error {
		cs, err := report.Charts(j.res, j.effects, j.opts)
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		for _, c := range cs {
			for _, x := range j.opts.Formats {
				if _, err := output.Path(dir, c.Name+"."+x); err != nil {
					return fmt.Errorf("charts: %w", err)
				}
			}
		}
		names, err := report.WriteCharts(dir, cs, j.opts.Formats)
		t.names = names
		if err != nil {
			return fmt.Errorf("charts: %w", err)
		}
		t.names = append(t.names, "report.html")
		if err := output.Create(dir, "report.html", func(w io.Writer) error { return report.HTML(w, j.res, j.effects, cs, man, j.opts.Lang) }); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	}
	return t
}

// maxSeries is the most memory run and compare let the runs' time series
// take (the default 210 runs take 9 MB; a typo such as --reps 1000000
// would need hundreds of GB and fail only when memory runs out).
const maxSeries = 4 << 30

// checkVariants checks --variants against every scenario: a name it does
// not have is a usage error with the nearest name suggested.
func checkVariants(ss []*scenarios.Scenario, names []string) error {
	for _, s := range ss {
		for _, v := range names {
			if _, ok := s.Variant(v); ok {
				continue
			}
			msg := fmt.Sprintf("--variants: scenario %s has no variant %q", s.Name, v)
			if near := suggest.Nearest(v, s.VariantNames()); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return usagef("%s; its variants: %s", msg, strings.Join(s.VariantNames(), ", "))
		}
	}
	return nil
}

func commonVariants(ss []*scenarios.Scenario) []string {
	var common []string
	for _, v := range ss[0].VariantNames() {
		all := true
		for _, s := range ss[1:] {
			if _, ok := s.Variant(v); !ok {
				all = false
			}
		}
		if all {
			common = append(common, v)
		}
	}
	return common
}

// printSummary tells the user where the files are and the headline effects,
// in the report's language.
func printSummary(w io.Writer, l lang.Lang, res *experiment.Output, effects []experiment.Effect, out string, files []string) {
	runs := l.Sprintf("sum_runs", len(res.Runs))
	if len(res.Runs) == 1 {
		runs = l.UI("sum_run")
	}
	fmt.Fprintln(w, l.Sprintf("sum_written", runs, out))
	sort.Strings(files)
	fmt.Fprintln(w, l.Sprintf("sum_files", strings.Join(files, ", ")))
	for si, s := range res.Scenarios {
		ref := res.Reference(si)
		g := res.Group(s.Name, ref)
		xs, weeks := make([]float64, len(g)), 0
		for i, r := range g {
			xs[i], weeks = experiment.LastMean(r.Result, sim.Hybridisation)
		}
		mean := stats.Mean(xs)
		reps := l.Sprintf("story_reps", len(g))
		if len(g) == 1 {
			reps = l.UI("story_rep")
		}
		fmt.Fprintf(w, "\n%s\n", l.Sprintf("sum_head", s.Name, weeks, reps))
		fmt.Fprintf(w, "  %-20s %s\n", l.Variant(ref), l.Num(mean, 3))
		for _, e := range effects {
			if e.Scenario == s.Name && e.Metric == sim.Hybridisation {
				if e.N > 1 {
					fmt.Fprintf(w, "  %-20s %s  %s\n", l.Variant(e.Variant), l.Signed(e.Mean, 3), l.Sprintf("sum_ci", l.Signed(e.Lo, 3), l.Signed(e.Hi, 3)))
				} else {
					fmt.Fprintf(w, "  %-20s %s  %s\n", l.Variant(e.Variant), l.Signed(e.Mean, 3), l.UI("sum_one"))
				}
			}
		}
	}
	if slices.Contains(files, "report.html") {
		fmt.Fprintf(w, "\n%s\n", l.Sprintf("sum_open", filepath.Join(out, "report.html")))
	}
}

// progress is a bar on stderr while runs are going, when stderr is a
// terminal; silent otherwise.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
	lang  lang.Lang // the words of the bar; English unless set
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

// update shows runs done of total (a sweep).
func (p *progress) update(done, total int) {
	p.show(float64(done)/float64(total), done, total, done == total)
}

// plan shows a plan's progress by the weeks simulated, so that one long
// run (a national one takes minutes) moves the bar too.
func (p *progress) plan(x experiment.Progress) {
	p.show(float64(x.Ticks)/float64(max(x.TotalTicks, 1)), x.Runs, x.TotalRuns, x.Runs == x.TotalRuns)
}

func (p *progress) show(frac float64, done, total int, last bool) {
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && !last) {
		return
	}
	p.last = time.Now()
	const width = 30
	n := min(width, int(width*frac))
	el := time.Since(p.start)
	left := "…"
	if frac > 0 {
		left = (time.Duration(float64(el) * (1 - frac) / frac)).Round(100 * time.Millisecond).String()
		if p.lang == lang.NL {
			left = strings.ReplaceAll(left, ".", ",") // 2,3s
		}
	}
	fmt.Fprintf(p.w, "\r[%s%s] %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), p.lang.Sprintf("progress", done, total, p.lang.Num(100*frac, 0), left))
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
