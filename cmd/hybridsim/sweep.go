package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

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
	workers := fs.Int("workers", runtime.NumCPU(), "runs in parallel")
	quiet := fs.Bool("quiet", false, "no progress bar")
	formats := fs.String("format", "png,svg", "chart formats")
	target := fs.Float64("target-halfwidth", 0, "add replications (2×, 4×, …) until every output's 95% half-width is at most this")
	maxReps := fs.Int("max-reps", 256, "cap on replications for --target-halfwidth")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sweep needs one sweep file")
	}
	if *target < 0 || (*target > 0 && (*shard != "" || *resume)) {
		return usagef("--target-halfwidth must be > 0 and goes without --shard and --resume")
	}
	sw, err := scenarios.LoadSweep(fs.Arg(0))
	if err != nil {
		return err
	}
	opts, err := chartOptions(runFlags{formats: *formats, lang: "en", size: "default"})
	if err != nil {
		return err
	}
	if *workers < 1 {
		return usagef("--workers must be ≥ 1")
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "sweep-"+strings.TrimSuffix(filepath.Base(fs.Arg(0)), ".toml"))
	}
	p := sweep.NewPlan(sw)
	bar := newProgress(stderr, *quiet)
	opt := sweep.ShardOptions{Resume: *resume, Workers: *workers, Progress: bar.update}
	if *shard != "" {
		var i, n int
		if _, err := fmt.Sscanf(*shard, "%d/%d", &i, &n); err != nil || n < 1 || i < 1 || i > n {
			return usagef("--shard must be i/n with 1 ≤ i ≤ n, got %q", *shard)
		}
		opt.Dir, opt.Shard, opt.Shards = dir, i, n
		err := sweep.RunShard(ctx, p, opt)
		bar.done()
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; the finished runs are kept in %s: run the same command with --resume to complete it", dir)
		} else if err != nil {
			return err
		}
		if err := keepSweep(dir, sw); err != nil {
			return err
		}
		if !*quiet {
			fmt.Fprintf(stdout, "hybridsim: shard %d/%d of %d runs written to %s/; combine with 'hybridsim merge --out DIR SHARD-DIRS...'\n", i, n, p.Runs(), dir)
		}
		return nil
	}
	started := time.Now().UTC()
	if *target > 0 {
		res, err := sweep.Target(ctx, sw, dir, *target, *maxReps, opt, finishSweep(append([]string{"sweep"}, args...), started, opts))
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
		fmt.Fprintf(stdout, "hybridsim: target half-width %g %s: %d replications, largest 95%% half-width %.4g; written to %s/\n", *target, word, res.Reps, res.HalfWidth, dir)
		return nil
	}
	err = sweep.Finish(ctx, p, dir, opt, finishSweep(append([]string{"sweep"}, args...), started, opts))
	bar.done()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; the finished runs are kept in %s.partial: run the same command with --resume to complete it", dir)
	} else if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "hybridsim: sweep of %d design points, %d runs written to %s/\n", len(p.Design.Points), p.Runs(), dir)
	}
	return nil
}

// keepSweep stores the sweep file and its resolved base scenario in a shard
// directory, so that merge needs nothing else.
func keepSweep(dir string, sw *scenarios.Sweep) error {
	if err := os.WriteFile(filepath.Join(dir, "sweep.toml"), []byte(sw.Source), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "scenario.toml"), []byte(sw.Base.Canonical()), 0o644)
}

// finishSweep writes the chart and manifest of a merged sweep.
func finishSweep(args []string, started time.Time, opts report.Options) func(string, *sweep.Plan, sweep.Means) ([]string, error) {
	return func(tmp string, p *sweep.Plan, m sweep.Means) ([]string, error) {
		files, err := report.SweepCharts(tmp, p, m, opts)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		man := map[string]any{
			"tool": "hybridsim", "version": versionString(), "go_version": runtime.Version(),
			"command_line": append([]string{"hybridsim"}, args...),
			"sweep_file":   p.Sweep.File, "sweep_sha256": p.Hash(), "design": p.Sweep.Design,
			"points": len(p.Design.Points), "runs": p.Runs(), "replications": p.Sweep.Reps, "seed": p.Sweep.Seed,
			"seed_rule": "run (point, variant, rep) uses sim.Stream(sim.DeriveSeed(sweep seed, point), rep); variants of a point share it",
			"started":   started.Format(time.RFC3339), "finished": time.Now().UTC().Format(time.RFC3339),
		}
		names := []string{"runs.csv"}
		if p.Sweep.Design == "morris" || p.Sweep.Design == "sobol" {
			names = append(names, "indices.csv")
		}
		man["files"] = append(append(names, "sweep.toml", "scenario.toml", "manifest.json"), files...)
		if err := os.WriteFile(filepath.Join(tmp, "sweep.toml"), []byte(p.Sweep.Source), 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(tmp, "scenario.toml"), []byte(p.Sweep.Base.Canonical()), 0o644); err != nil {
			return nil, err
		}
		return files, output.WriteFile(filepath.Join(tmp, "manifest.json"), func(w io.Writer) error {
			e := json.NewEncoder(w)
			e.SetIndent("", "  ")
			return e.Encode(man)
		})
	}
}

func cmdMerge(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("merge", "--out DIR SHARD-DIR...", "Combines the shard directories of one sweep (every shard 1 … n of one split) into DIR:\nthe same files, byte for byte, as the unsplit sweep.", stdout)
	out := fs.String("out", "", "output directory (required)")
	formats := fs.String("format", "png,svg", "chart formats")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return usagef("merge needs --out and at least one shard directory")
	}
	first := fs.Arg(0)
	src, err := os.ReadFile(filepath.Join(first, "sweep.toml"))
	if err != nil {
		return fmt.Errorf("%s is not a shard directory (no sweep.toml): %w", first, err)
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
	if err := sweep.Merge(ctx, p, fs.Args(), *out, finishSweep(append([]string{"merge"}, args...), time.Now().UTC(), opts)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "hybridsim: %d shards merged into %s/\n", fs.NArg(), *out)
	return nil
}
