package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/report"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sweep"
)

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", "[flags] SWEEP.toml", "Runs a parameter sweep (grid, lhs, morris or sobol) and writes runs.csv, indices.csv,\na chart and manifest.json to --out. With --shard i/n it runs only its part into --out;\n'hybridsim merge' combines the parts.", stdout)
	out := fs.String("out", "", "output directory (default out/sweep-<file name>)")
	shard := fs.String("shard", "", "run only part i of n, as i/n (for a cluster array job)")
	resume := fs.Bool("resume", false, "complete an interrupted sweep without rerunning finished runs")
	var workers, maxReps int
	var target float64
	intFlag(fs, &workers, "workers", runtime.NumCPU(), 1, maxWorkers, "runs in parallel `N` (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	formats := fs.String("format", "png,svg", "chart formats")
	positiveFloatFlag(fs, &target, "target-halfwidth", math.Inf(1), "add replications (2×, 4×, …) until every output's 95% half-width is at most `H`")
	intFlag(fs, &maxReps, "max-reps", 256, 1, scenarios.MaxReplications, "cap `N` on replications for --target-halfwidth (default 256)")
	force := fs.Bool("force", false, "replace --out even if it holds files hybridsim did not write (they are removed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sweep needs one sweep file")
	}
	if target > 0 && (*shard != "" || *resume) {
		return usagef("--target-halfwidth goes without --shard and --resume")
	}
	si, sn, err := parseShard(*shard)
	if err != nil {
		return err
	}
	sw, err := scenarios.LoadSweep(fs.Arg(0))
	if err != nil {
		return err
	}
	opts, err := chartOptions(runFlags{formats: *formats, lang: "en", size: "default"})
	if err != nil {
		return err
	}
	dir, err := outDir(*out, "sweep-", fs.Arg(0))
	if err != nil {
		return err
	}
	for _, w := range sw.Idle() {
		fmt.Fprintf(stderr, "hybridsim: warning: %s\n", w)
	}
	p := sweep.NewPlan(sw)
	bar := newProgress(stderr, *quiet)
	opt := sweep.ShardOptions{Resume: *resume, Force: *force, Workers: workers, Progress: bar.update}
	if sn > 0 {
		opt.Dir, opt.Shard, opt.Shards = dir, si, sn
		return sweepShard(ctx, stdout, p, opt, bar, *quiet)
	}
	fin := finishSweep(append([]string{"sweep"}, args...), time.Now(), opts)
	if target > 0 {
		return sweepTarget(ctx, stdout, sw, dir, target, maxReps, opt, bar, fin)
	}
	return sweepAll(ctx, stdout, stderr, p, dir, opt, bar, fin, *quiet)
}

// sweepAll runs a whole sweep into dir, or completes an interrupted one
// (--resume), and says what it found.
func sweepAll(ctx context.Context, stdout, stderr io.Writer, p *sweep.Plan, dir string, opt sweep.ShardOptions, bar *progress, fin func(string, *sweep.Plan, sweep.Means) ([]string, error), quiet bool) error {
	var means sweep.Means
	err := sweep.Finish(ctx, p, dir, opt, func(tmp string, p *sweep.Plan, m sweep.Means) ([]string, error) {
		means = m
		return fin(tmp, p, m)
	})
	bar.done()
	if errors.Is(err, sweep.ErrComplete) {
		fmt.Fprintf(stdout, "hybridsim: the sweep in %s/ is complete already; nothing to resume\n", dir)
		return nil
	} else if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; the finished runs are kept in %s.partial: run the same command with --resume to complete it", dir)
	} else if err != nil {
		return err
	}
	sweepDone(stdout, stderr, p, means, fmt.Sprintf("sweep of %d design points, %d runs", len(p.Design.Points), p.Runs()), dir, quiet)
	return nil
}

// sweepDone tells where a finished sweep (or merge) is, its main result,
// and whether a Sobol sample looks too small.
func sweepDone(stdout, stderr io.Writer, p *sweep.Plan, m sweep.Means, what, dir string, quiet bool) {
	if w := sobolWarning(p, m); w != "" {
		fmt.Fprintf(stderr, "hybridsim: warning: %s\n", w)
	}
	if quiet {
		return
	}
	fmt.Fprintf(stdout, "hybridsim: %s written to %s/\n", what, dir)
	printSweepResult(stdout, p, m)
}

// sweepShard runs one shard of a sweep into opt.Dir and keeps the sweep
// file and its scenario beside it, for merge.
func sweepShard(ctx context.Context, stdout io.Writer, p *sweep.Plan, opt sweep.ShardOptions, bar *progress, quiet bool) error {
	err := sweep.RunShard(ctx, p, opt)
	bar.done()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; the finished runs are kept in %s: run the same command with --resume to complete it", opt.Dir)
	} else if err != nil {
		return err
	}
	if err := keepSweep(opt.Dir, p.Sweep); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(stdout, "hybridsim: shard %d/%d of %d runs written to %s/; combine with 'hybridsim merge --out DIR SHARD-DIRS...'\n", opt.Shard, opt.Shards, p.Runs(), opt.Dir)
	}
	return nil
}

// sweepTarget runs a sweep with more and more replications until the
// target half-width is reached (sweep.Target) and says what it reached.
func sweepTarget(ctx context.Context, stdout io.Writer, sw *scenarios.Sweep, dir string, target float64, maxReps int, opt sweep.ShardOptions, bar *progress, fin func(string, *sweep.Plan, sweep.Means) ([]string, error)) error {
	res, err := sweep.Target(ctx, sw, dir, target, maxReps, opt, fin)
	bar.done()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; nothing was written to %s", dir)
	} else if err != nil {
		return err
	}
	word := "reached"
	if !res.Reached {
		word = "NOT reached (cap --max-reps)"
	}
	fmt.Fprintf(stdout, "hybridsim: target half-width %g %s: %d replications, largest 95%% half-width %.4g; written to %s/\n", target, word, res.Reps, res.HalfWidth, dir)
	return nil
}

// keepSweep stores the sweep file and its resolved base scenario in a shard
// directory, so that merge needs nothing else.
func keepSweep(dir string, sw *scenarios.Sweep) error {
	if err := output.Create(dir, "sweep.toml", text(sw.Source)); err != nil {
		return err
	}
	return output.Create(dir, "scenario.toml", text(sw.Base.Canonical()))
}

// text writes s.
func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// finishSweep writes the chart and manifest of a merged sweep.
func finishSweep(args []string, started time.Time, opts report.Options) func(string, *sweep.Plan, sweep.Means) ([]string, error) {
	return func(tmp string, p *sweep.Plan, m sweep.Means) ([]string, error) {
		files, err := report.SweepCharts(tmp, p, m, opts)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		man := output.NewManifest(versionString(), args, started)
		p.FillManifest(&man)
		names := []string{"runs.csv"}
		if p.Sweep.Design == "morris" || p.Sweep.Design == "sobol" {
			names = append(names, "indices.csv")
		}
		man.Files = append(append(names, "sweep.toml", "scenario.toml", "manifest.json"), files...)
		if err := output.Create(tmp, "sweep.toml", text(p.Sweep.Source)); err != nil {
			return nil, err
		}
		if err := output.Create(tmp, "scenario.toml", text(p.Sweep.Base.Canonical())); err != nil {
			return nil, err
		}
		return files, man.Write(tmp)
	}
}

func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "--out DIR SHARD-DIR...", "Combines the shard directories of one sweep (every shard 1 … n of one split) into DIR:\nthe same files, byte for byte, as the unsplit sweep.", stdout)
	out := fs.String("out", "", "output directory (required)")
	formats := fs.String("format", "png,svg", "chart formats")
	force := fs.Bool("force", false, "replace --out even if it holds files hybridsim did not write (they are removed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return usagef("merge needs --out and at least one shard directory")
	}
	if err := output.Check(*out, *force); err != nil {
		return err
	}
	first := fs.Arg(0)
	src, err := readfile.Regular(filepath.Join(first, "sweep.toml"), readfile.MaxInput)
	if err != nil {
		return fmt.Errorf("%s is not a finished shard directory (no sweep.toml): %w", first, err)
	}
	base, err := scenarios.Load(filepath.Join(first, "scenario.toml"))
	if err != nil {
		return err
	}
	sw, err := scenarios.ParseSweepWithBase(filepath.Join(first, "sweep.toml"), src, base)
	if err != nil {
		return err
	}
	opts, err := chartOptions(runFlags{formats: *formats, lang: "en", size: "default"})
	if err != nil {
		return err
	}
	p := sweep.NewPlan(sw)
	var means sweep.Means
	fin := finishSweep(append([]string{"merge"}, args...), time.Now(), opts)
	if err := sweep.Merge(ctx, p, fs.Args(), *out, *force, func(tmp string, p *sweep.Plan, m sweep.Means) ([]string, error) {
		means = m
		return fin(tmp, p, m)
	}); err != nil {
		return err
	}
	sweepDone(stdout, stderr, p, means, fmt.Sprintf("%d shards merged", fs.NArg()), *out, false)
	return nil
}
