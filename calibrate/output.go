package calibrate

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/hybridsim/hybridsim/output"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Interval is a distribution's mean, sd and 5%, 50% and 95% quantiles.
type Interval struct {
	Mean, SD, P05, P50, P95 float64
}

// Summarise summarises x with weights w (nil: equal): the weighted mean and
// standard deviation, and the empirical weighted quantiles (gonum's
// stat.Quantile, stat.Empirical).
func Summarise(x, w []float64) Interval {
	type xw struct{ x, w float64 }
	pts := make([]xw, len(x))
	for i := range x {
		pts[i] = xw{x[i], 1}
		if w != nil {
			pts[i].w = w[i]
		}
	}
	slices.SortStableFunc(pts, func(a, b xw) int { return cmp.Compare(a.x, b.x) })
	xs, ws := make([]float64, len(x)), make([]float64, len(x))
	for i, p := range pts {
		xs[i], ws[i] = p.x, p.w
	}
	mean, v := stat.MeanVariance(xs, ws)
	if len(xs) < 2 {
		v = 0
	}
	q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, xs, ws) }
	return Interval{Mean: mean, SD: math.Sqrt(v), P05: q(0.05), P50: q(0.5), P95: q(0.95)}
}

// ParamSummary is the posterior of one parameter.
type ParamSummary struct {
	Key   string
	Prior scenarios.CalParam
	Interval
}

// TargetSummary is one target against the posterior predictive draws.
type TargetSummary struct {
	Target scenarios.Target
	Interval
}

// Params summarises each parameter over the final population, weighted.
func (r *Result) Params(c *scenarios.Calibration) []ParamSummary {
	post := r.Posterior()
	w := make([]float64, len(post.Particles))
	for i, p := range post.Particles {
		w[i] = p.Weight
	}
	var out []ParamSummary
	for j, cp := range c.Params {
		x := make([]float64, len(post.Particles))
		for i, p := range post.Particles {
			x[i] = p.Theta[j]
		}
		out = append(out, ParamSummary{Key: cp.Key, Prior: cp, Interval: Summarise(x, w)})
	}
	return out
}

// Targets summarises each target's posterior predictive draws.
func (r *Result) Targets(c *scenarios.Calibration) []TargetSummary {
	var out []TargetSummary
	for k, t := range c.Targets {
		x := make([]float64, len(r.Predictive))
		for i, p := range r.Predictive {
			x[i] = p.Stats[k]
		}
		out = append(out, TargetSummary{Target: t, Interval: Summarise(x, nil)})
	}
	return out
}

// WritePosterior writes posterior.csv: the final population, nearest
// first — particle, the generation that simulated it and its index there,
// weight (normalised to sum to 1), distance, the parameters, and the
// particle's simulated targets.
func (r *Result) WritePosterior(w io.Writer, c *scenarios.Calibration) error {
	cw := csv.NewWriter(w)
	head := []string{"particle", "generation", "index", "weight", "distance"}
	for _, p := range c.Params {
		head = append(head, p.Key)
	}
	for _, t := range c.Targets {
		head = append(head, t.Name)
	}
	cw.Write(head)
	post := r.Posterior()
	total := 0.0
	for _, p := range post.Particles {
		total += p.Weight
	}
	for i, p := range post.Particles {
		rec := []string{strconv.Itoa(i), strconv.Itoa(p.Generation), strconv.Itoa(p.Index), output.F(p.Weight / total), output.F(p.Distance)}
		for _, x := range p.Theta {
			rec = append(rec, output.F(x))
		}
		for _, x := range p.Stats {
			rec = append(rec, output.F(x))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteGenerations writes generations.csv: per generation its tolerance,
// acceptance rate, effective sample size and particles simulated.
func (r *Result) WriteGenerations(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"generation", "tolerance", "acceptance_rate", "ess", "particles_simulated"})
	for _, g := range r.Generations {
		cw.Write([]string{strconv.Itoa(g.Index), output.F(g.Tolerance), output.F(g.Acceptance), output.F(g.ESS), strconv.Itoa(g.Sims)})
	}
	cw.Flush()
	return cw.Error()
}

// WritePredictive writes predictive.csv: each posterior predictive draw's
// parameters and simulated targets.
func (r *Result) WritePredictive(w io.Writer, c *scenarios.Calibration) error {
	cw := csv.NewWriter(w)
	head := []string{"draw"}
	for _, p := range c.Params {
		head = append(head, p.Key)
	}
	for _, t := range c.Targets {
		head = append(head, t.Name)
	}
	cw.Write(head)
	for _, p := range r.Predictive {
		rec := []string{strconv.Itoa(p.Index)}
		for _, x := range p.Theta {
			rec = append(rec, output.F(x))
		}
		for _, x := range p.Stats {
			rec = append(rec, output.F(x))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// Calibrated returns the calibrated scenario — the base scenario with each
// fitted parameter at its posterior mean (whole-number parameters rounded)
// — as a TOML file that 'hybridsim run' runs, headed by a comment block
// with the posterior intervals and the targets.
func (r *Result) Calibrated(c *scenarios.Calibration) (string, error) {
	ps := r.Params(c)
	keys := make([]string, len(ps))
	means := make([]float64, len(ps))
	for i, p := range ps {
		keys[i], means[i] = p.Key, p.Mean
	}
	s, err := c.Base.With(keys, means)
	if err != nil {
		return "", err
	}
	s.Name = c.Base.Name + "-calibrated"
	s.Description = fmt.Sprintf("%s, calibrated by hybridsim calibrate to %d targets (parameters at their posterior means).", c.Base.Name, len(c.Targets))
	if c.Sweep.Ticks > 0 {
		s.Ticks = c.Sweep.Ticks
	}
	var b strings.Builder
	post := r.Posterior()
	fmt.Fprintf(&b, "# Calibrated by hybridsim calibrate from the calibration file %s\n", baseName(c.File))
	fmt.Fprintf(&b, "# (scenario %s, seed %d): ABC-SMC, %d generations, final tolerance %s,\n", c.Base.Name, c.Seed, len(r.Generations), short(post.Tolerance))
	fmt.Fprintf(&b, "# %d particles, effective sample size %.0f. Run it with: hybridsim run THIS-FILE\n#\n", len(post.Particles), post.ESS)
	fmt.Fprintf(&b, "# Parameters at their posterior mean; posterior sd and 90%% interval (5%%–95%%):\n")
	for _, p := range ps {
		prior := fmt.Sprintf("uniform %s–%s", short(p.Prior.Min), short(p.Prior.Max))
		if p.Prior.Prior == "normal" {
			prior = fmt.Sprintf("normal(%s, %s) on %s–%s", short(p.Prior.Mean), short(p.Prior.SD), short(p.Prior.Min), short(p.Prior.Max))
		}
		fmt.Fprintf(&b, "#   %-40s %-10s sd %-10s 90%% %s–%s   (prior %s)\n", p.Key, short(p.Mean), short(p.SD), short(p.P05), short(p.P95), prior)
	}
	fmt.Fprintf(&b, "#\n# Targets: observed ± se; posterior predictive mean and 90%% interval (%d draws):\n", len(r.Predictive))
	for _, t := range r.Targets(c) {
		fmt.Fprintf(&b, "#   %-40s %s ± %-10s predictive %s (%s–%s)\n", t.Target.Name, short(t.Target.Value), short(t.Target.SE), short(t.Mean), short(t.P05), short(t.P95))
	}
	canon := s.Canonical()
	b.WriteString("#\n" + canon[strings.IndexByte(canon, '\n')+1:])
	return b.String(), nil
}

// short writes a number with four significant digits.
func short(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

func baseName(path string) string { return filepath.Base(path) }

// Finish writes a finished calibration into dir, which appears only when
// complete (output.Replace; force as its --force): posterior.csv, generations.csv,
// predictive.csv, calibrated.toml, calibration.toml and scenario.toml, then
// whatever write adds (charts, manifest) and returns. Then the working
// directory is removed.
func (w *Work) Finish(dir string, force bool, write func(tmp string, res *Result) ([]string, error)) (*Result, error) {
	res, err := w.Result()
	if err != nil {
		return nil, err
	}
	c := w.Cal
	cal, err := res.Calibrated(c)
	if err != nil {
		return nil, fmt.Errorf("calibrated.toml: %w", err)
	}
	err = output.Replace(dir, force, func(tmp string) error {
		for _, f := range []struct {
			name  string
			write func(io.Writer) error
		}{
			{"posterior.csv", func(x io.Writer) error { return res.WritePosterior(x, c) }},
			{"generations.csv", res.WriteGenerations},
			{"predictive.csv", func(x io.Writer) error { return res.WritePredictive(x, c) }},
			{"calibrated.toml", func(x io.Writer) error { _, err := io.WriteString(x, cal); return err }},
			{"calibration.toml", func(x io.Writer) error { _, err := io.WriteString(x, c.Source); return err }},
			{"scenario.toml", func(x io.Writer) error { _, err := io.WriteString(x, c.Base.Canonical()); return err }},
		} {
			if err := output.Create(tmp, f.name, f.write); err != nil {
				return err
			}
		}
		if write != nil {
			if _, err := write(tmp, res); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := OnlyOurs(w.Dir); err != nil {
		return res, err
	}
	return res, os.RemoveAll(w.Dir)
}

// Method names the calibration method, for the manifest.
const Method = "ABC-SMC: adaptive population Monte Carlo (Lenormand et al. 2013) with Beaumont et al. (2009) weights and a Gaussian kernel of twice the weighted covariance"

// SeedRule says how a calibration's runs get their seeds, for the manifest.
const SeedRule = "generation g's particle k runs replication r of the model with base seed sim.DeriveSeed(sim.DeriveSeed(seed, g), k) and draws its proposal from sim.Stream(that seed, 2^40); the predictive draws use g = 2^20"

// FillManifest records the calibration c and its result in m: the file and
// its hash (Hash), the method and its settings, the generations made, the
// predictive draws, the seed and the seed rule.
func FillManifest(m *output.Manifest, c *scenarios.Calibration, res *Result) {
	m.CalibrationFile, m.CalibrationSHA256, m.Method = c.File, Hash(c), Method
	m.Particles, m.Alpha, m.MinAcceptance, m.MaxGenerations = c.Particles, c.Alpha, c.MinAcceptance, c.MaxGenerations
	m.Generations, m.PredictiveDraws = len(res.Generations), len(res.Predictive)
	m.Replications, m.Seed, m.SeedRule = c.Reps, new(c.Seed), SeedRule
}

// Files are the files Finish writes itself.
var Files = []string{"posterior.csv", "generations.csv", "predictive.csv", "calibrated.toml", "calibration.toml", "scenario.toml"}
