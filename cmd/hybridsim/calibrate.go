package main

import (
	"context"
	"fmt"
	"io"
	"math"
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
	step := calibrate.Step{Merge: *merge, Resume: *resume, Workers: workers}
	var err error
	if step.Shard, step.Shards, err = parseShard(*shard); err != nil {
		return err
	}
	opts, err := chartOptions(runFlags{formats: *formats, lang: *lng, size: "default"})
	if err != nil {
		return err
	}
	c, err := scenarios.LoadCalibration(fs.Arg(0))
	if err != nil {
		return err
	}
	dir, err := outDir(*out, "calibrate-", fs.Arg(0))
	if err != nil {
		return err
	}
	w := calibrate.NewWork(filepath.Clean(dir)+".partial", c)
	l := lang.Lang(opts.Lang)
	bar := newProgress(stderr, *quiet)
	res, err := w.Do(ctx, step, dir, *force, finishCalibration(append([]string{"calibrate"}, args...), time.Now().UTC(), c, opts), calibrationHooks(stdout, bar, l, c, *quiet))
	bar.done()
	if err != nil || *quiet {
		return err
	}
	printStep(stdout, l, c, res, step, w.Dir, dir, fs.Arg(0))
	return nil
}

// printStep says what a calibration step did: the result, or what to run
// next (work: the working directory; dir: --out; file: the calibration).
func printStep(stdout io.Writer, l lang.Lang, c *scenarios.Calibration, res calibrate.Outcome, step calibrate.Step, work, dir, file string) {
	switch {
	case res.Result != nil:
		printCalibration(stdout, l, c, res.Result)
		fmt.Fprintf(stdout, "hybridsim: %s\n", l.Sprintf("cal_written", dir, filepath.Join(dir, "calibrated.toml")))
	case res.NothingLeft:
		fmt.Fprintf(stdout, "hybridsim: the calibration in %s is finished: run --merge to write %s\n", work, dir)
	case step.Merge:
		fmt.Fprintf(stdout, "hybridsim: %s merged; next: %s (run its shards, then --merge)\n", res.Stage, res.Next)
	default:
		fmt.Fprintf(stdout, "hybridsim: shard %d/%d of %s written to %s/; when every shard is done: hybridsim calibrate --merge --out %s %s\n", step.Shard, step.Shards, res.Stage, work, dir, file)
	}
}

// calibrationHooks show a calibration's progress: the bar counts runs (a
// particle is RunsPerParticle of them), and a line is printed when it
// starts and after each generation, unless quiet.
func calibrationHooks(stdout io.Writer, bar *progress, l lang.Lang, c *scenarios.Calibration, quiet bool) calibrate.Hooks {
	rpp := c.RunsPerParticle()
	say := func(format string, a ...any) {
		if !quiet {
			fmt.Fprintf(stdout, format, a...)
		}
	}
	return calibrate.Hooks{
		Start: func() {
			say("hybridsim: %s\n", l.Sprintf("cal_start", len(c.Params), len(c.Targets), c.Particles, rpp, c.Reps, len(c.Variants())))
		},
		Generation: func(g *calibrate.Generation) {
			bar.done()
			say("%s\n", l.Sprintf("cal_generation", g.Index, sig(l, g.Tolerance), l.Num(g.Acceptance, 3), l.Num(g.ESS, 0), len(g.Particles)))
		},
		Particles: func(done, total int) { bar.update(done*rpp, total*rpp) },
	}
}

// outDir is --out, or out/PREFIXNAME for the file NAME.toml or
// PREFIXNAME.toml (sweep-grid.toml: out/sweep-grid, not
// out/sweep-sweep-grid).
func outDir(out, prefix, file string) (string, error) {
	if out != "" {
		return out, nil
	}
	name := scenarios.SafeName(strings.TrimSuffix(filepath.Base(file), ".toml"))
	return output.Path("out", prefix+strings.TrimPrefix(name, prefix))
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
