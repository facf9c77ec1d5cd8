package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hybridsim/hybridsim/calibrate"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/report"
	"github.com/hybridsim/hybridsim/scenarios"
)

func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "[flags] CAL.toml", "Fits a scenario's parameters to observed figures (ABC by sequential Monte Carlo) and writes\n"+
		"posterior.csv, generations.csv, predictive.csv, calibrated.toml, charts and manifest.json to --out.\n"+
		"On a cluster: run every --shard i/n of the next generation, then --merge; repeat until\n"+
		"--out holds manifest.json (deploy/slurm/calibrate.sh does this on Slurm). The working files\n"+
		"are kept in OUT.partial meanwhile.", stdout)
	out := fs.String("out", "", "output directory (default out/calibrate-<file name>)")
	shard := fs.String("shard", "", "simulate only part i of n of the next generation, as i/n (a cluster array task)")
	merge := fs.Bool("merge", false, "merge the finished shards of the next generation; write --out when the calibration ends")
	resume := fs.Bool("resume", false, "continue an interrupted calibration from its finished generations")
	var workers int
	intFlag(fs, &workers, "workers", runtime.NumCPU(), 1, maxWorkers, "particles simulated in parallel `N` (default: all cores)")
	force := fs.Bool("force", false, "replace --out even if it holds files hybridsim did not write (they are removed)")
	quiet := fs.Bool("quiet", false, "no progress and no summary")
	formats := fs.String("format", "png,svg", "chart formats")
	lng := fs.String("lang", "en", "language of charts and terminal: en or nl")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("calibrate needs one calibration file")
	}
	if *shard != "" && *merge {
		return usagef("--shard and --merge go in separate steps: first every shard, then one merge")
	}
	var si, sn int
	if *shard != "" {
		var err error
		if si, sn, err = parseShard(*shard); err != nil {
			return err
		}
	}
	opts, err := chartOptions(runFlags{formats: *formats, lang: *lng, size: "default"})
	if err != nil {
		return err
	}
	c, err := scenarios.LoadCalibration(fs.Arg(0))
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = output.Path("out", "calibrate-"+scenarios.SafeName(strings.TrimSuffix(filepath.Base(fs.Arg(0)), ".toml"))); err != nil {
			return err
		}
	}
	// --out is checked before anything runs (and again when it is written).
	if err := output.Check(dir, *force); err != nil {
		return err
	}
	w := calibrate.NewWork(filepath.Clean(dir)+".partial", c)
	started := time.Now().UTC()
	say := func(format string, a ...any) {
		if !*quiet {
			fmt.Fprintf(stdout, format, a...)
		}
	}
	l := lang.Lang(opts.Lang)
	generationLine := func(g *calibrate.Generation) {
		say("%s\n", l.Sprintf("cal_generation", g.Index, sig(l, g.Tolerance), l.Num(g.Acceptance, 3), l.Num(g.ESS, 0), len(g.Particles)))
	}
	bar := newProgress(stderr, *quiet)
	// The bar counts runs: a particle is RunsPerParticle of them.
	rpp := c.RunsPerParticle()
	runs := func(done, total int) { bar.update(done*rpp, total*rpp) }
	finish := func() error {
		res, err := w.Finish(dir, *force, finishCalibration(append([]string{"calibrate"}, args...), started, c, opts))
		if err != nil {
			return err
		}
		if !*quiet {
			printCalibration(stdout, l, c, res)
			fmt.Fprintf(stdout, "hybridsim: %s\n", l.Sprintf("cal_written", dir, filepath.Join(dir, "calibrated.toml")))
		}
		return nil
	}
	switch {
	case *shard != "":
		i, n := si, sn
		st, err := w.RunShard(ctx, i, n, workers, runs)
		bar.done()
		if err != nil {
			return interrupted(err, "nothing of this shard was kept: run it again")
		}
		if st.Done {
			say("hybridsim: the calibration in %s is finished: run --merge to write %s\n", w.Dir, dir)
			return nil
		}
		say("hybridsim: shard %d/%d of %s written to %s/; when every shard is done: hybridsim calibrate --merge --out %s %s\n", i, n, st, w.Dir, dir, fs.Arg(0))
		return nil
	case *merge:
		if _, err := os.Stat(w.Dir); err != nil {
			return fmt.Errorf("no calibration in progress in %s (run the shards of its first generation with --shard i/n first): %w", w.Dir, err)
		}
		if err := w.Init(); err != nil {
			return err
		}
		st, gen, err := w.Merge()
		if err != nil {
			return err
		}
		if gen != nil {
			generationLine(gen)
		}
		next, _, err := w.Next()
		if err != nil {
			return err
		}
		if !next.Done {
			say("hybridsim: %s merged; next: %s (run its shards, then --merge)\n", st, next)
			return nil
		}
		return finish()
	}
	if err := w.Init(); err != nil {
		return err
	}
	if w.Started() && !*resume {
		return fmt.Errorf("%s holds an interrupted calibration: rerun with --resume to continue it, or remove it", w.Dir)
	}
	say("hybridsim: %s\n", l.Sprintf("cal_start", len(c.Params), len(c.Targets), c.Particles, c.RunsPerParticle(), c.Reps, len(c.Variants())))
	err = w.Run(ctx, workers, func(g *calibrate.Generation) { bar.done(); generationLine(g) }, func(_ calibrate.Stage, done, total int) { runs(done, total) })
	bar.done()
	if err != nil {
		return interrupted(err, fmt.Sprintf("the finished generations are kept in %s: run the same command with --resume to continue", w.Dir))
	}
	return finish()
}

// interrupted says what is kept when a calibration was interrupted.
func interrupted(err error, kept string) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; %s", kept)
	}
	return err
}

// printCalibration prints the posterior of each parameter and a line per
// target: observed, posterior predictive mean and 90% interval.
func printCalibration(w io.Writer, l lang.Lang, c *scenarios.Calibration, res *calibrate.Result) {
	fmt.Fprintf(w, "\n%-40s %20s %12s   %s\n", l.UI("cal_parameter"), l.UI("cal_prior"), l.UI("cal_posterior"), l.UI("cal_interval90"))
	for _, p := range res.Params(c) {
		prior := sig(l, p.Prior.Min) + " – " + sig(l, p.Prior.Max)
		if p.Prior.Prior == "normal" {
			prior = "N(" + sig(l, p.Prior.Mean) + "; " + sig(l, p.Prior.SD) + ")"
		}
		fmt.Fprintf(w, "%-40s %20s %12s   %s – %s\n", p.Key, prior, sig(l, p.Mean), sig(l, p.P05), sig(l, p.P95))
	}
	fmt.Fprintf(w, "\n%-40s %20s %12s   %s\n", l.UI("cal_target"), l.UI("cal_observed_se"), l.UI("cal_predictive_mean"), l.UI("cal_interval90"))
	for _, t := range res.Targets(c) {
		outside := ""
		if t.Target.Value < t.P05 || t.Target.Value > t.P95 {
			outside = "  " + l.UI("cal_outside")
		}
		fmt.Fprintf(w, "%-40s %20s %12s   %s – %s%s\n", t.Target.Name, sig(l, t.Target.Value)+" ± "+sig(l, t.Target.SE), sig(l, t.Mean), sig(l, t.P05), sig(l, t.P95), outside)
	}
	fmt.Fprintln(w)
	if post := res.Posterior(); math.IsInf(post.Tolerance, 1) {
		fmt.Fprintf(w, "warning: fewer than %d particles passed the patterns %v, so the posterior holds some that fail them (distance +Inf in posterior.csv): use more particles or generations\n\n", len(post.Particles), c.Patterns)
	}
}

// sig writes x to four significant digits in the language's way.
func sig(l lang.Lang, x float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return l.Float(r)
}

// finishCalibration writes the charts and manifest of a finished
// calibration.
func finishCalibration(args []string, started time.Time, c *scenarios.Calibration, opts report.Options) func(string, *calibrate.Result) ([]string, error) {
	return func(tmp string, res *calibrate.Result) ([]string, error) {
		files, err := report.CalibrationCharts(tmp, c, res, opts)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		man := output.NewManifest(versionString(), args, started)
		calibrate.FillManifest(&man, c, res)
		man.Files = append(append(append([]string{}, calibrate.Files...), files...), "manifest.json")
		return files, man.Write(tmp)
	}
}
