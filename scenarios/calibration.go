package scenarios

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/internal/suggest"
	"github.com/hybridsim/hybridsim/sim"
)

// Priors are the prior distributions a calibration parameter may have.
var Priors = []string{"uniform", "normal"}

// Calibration is a checked calibration file: a base scenario, the
// parameters to fit with their priors, the targets (observed figures with
// their uncertainty) and the settings of the sequential Monte Carlo ABC
// (package calibrate).
type Calibration struct {
	File   string
	Source string // the file's text
	Base   *Scenario
	// Sweep holds the base scenario, the fitted parameters (key, range,
	// whole number or not) and the weeks per run; its Config gives a
	// particle's configuration, as for a sweep's design point.
	Sweep *Sweep

	Seed           uint64
	Particles      int     // N: simulated in generation 0; the population keeps Keep() of them
	Alpha          float64 // share of the particles kept each generation; the tolerance is that quantile of the distances
	Reps           int     // runs per particle, averaged
	MinAcceptance  float64 // stop when a generation accepts a smaller share of its proposals
	MaxGenerations int
	Predictive     int // posterior predictive draws

	Params  []CalParam
	Targets []Target
	// Patterns are the pattern numbers (docs/ODD.md §12) whose checks
	// (validate-model's) a particle must pass, on its own runs, to be
	// accepted; empty: none.
	Patterns []int
}

// Keep is the number of particles a generation keeps: ⌊α·N⌋.
func (c *Calibration) Keep() int { return int(math.Floor(c.Alpha * float64(c.Particles))) }

// CalParam is one fitted parameter: its key (as in sweep files) and its
// prior, uniform on [Min, Max] or normal (Mean, SD) truncated to [Min, Max].
// Min and Max default to the parameter's valid range.
type CalParam struct {
	Key      string
	Prior    string // "uniform" or "normal"
	Min, Max float64
	Mean, SD float64 // normal only
	Int      bool    // whole-number parameter: a run uses the value rounded
}

// Target is one observed figure: the mean over the last Window weeks of an
// output (in Variant), or, when Reference is set, the paired effect of
// Variant against Reference on that mean; with its observed Value and
// standard error SE (given, or from a range read as a 95% interval).
type Target struct {
	Name      string
	Metric    sim.Metric
	Window    int
	Variant   string
	Reference string // "" for a level; else the variant the effect is measured against
	Value, SE float64
}

// IsEffect reports whether the target is a paired effect.
func (t Target) IsEffect() bool { return t.Reference != "" }

// Limits of a calibration file: per generation, particles × variants ×
// replications runs, and the most runs over all generations.
const (
	MaxCalParticles = 100_000
	MaxCalRuns      = 100_000_000
)

var calKeys = []string{"scenario", "seed", "ticks", "particles", "alpha", "replications", "min_acceptance", "max_generations", "predictive", "patterns", "parameters", "targets"}

// StandardVariants are the variants pattern 5's checks compare.
var StandardVariants = []string{"baseline", "wijktafels", "social-reflection", "clear-end-goal", "all-three"}
var calParamKeys = []string{"key", "prior", "min", "max", "mean", "sd"}
var targetKeys = []string{"name", "metric", "window", "variant", "effect_of", "reference", "value", "se", "range"}

// LoadCalibration reads and checks a calibration file. Errors name the
// file, line, column and key and say what is allowed, as for scenarios.
func LoadCalibration(path string) (*Calibration, error) {
	src, err := readInput(path, "calibration")
	if err != nil {
		return nil, err
	}
	return ParseCalibration(path, src)
}

// ParseCalibration reads a calibration from src; name is used in messages
// and to find a scenario file named relative to it.
func ParseCalibration(name string, src []byte) (*Calibration, error) {
	return ParseCalibrationWithBase(name, src, nil)
}

// ParseCalibrationWithBase is ParseCalibration with the base scenario given
// instead of loaded from the file's scenario key (the shards and merges of
// a calibration use the copy its work directory keeps).
func ParseCalibrationWithBase(name string, src []byte, base *Scenario) (*Calibration, error) {
	return parseWithBase(base, func(l *loader) *Calibration { return l.parseCalibration(name, src) })
}

func (l *loader) parseCalibration(name string, src []byte) *Calibration {
	raw, f := l.decode(name, src, "calibration")
	if f == nil {
		return nil
	}
	c := &Calibration{File: name, Source: string(src), Seed: 1, Particles: 200, Alpha: 0.5, Reps: 2,
		MinAcceptance: 0.05, MaxGenerations: 10, Predictive: 100}
	sw := &Sweep{File: name, Source: string(src), Design: "calibration", Reps: 1}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := raw[k]
		switch k {
		case "scenario":
			c.Base = l.baseScenario(f, name, v)
		case "seed":
			c.Seed = uint64(f.int(k, v, 0, math.MaxInt64))
		case "ticks":
			sw.Ticks = f.int(k, v, 1, 1e6)
		case "particles":
			c.Particles = f.int(k, v, 4, MaxCalParticles)
		case "alpha":
			c.Alpha = f.fraction(k, v, "above 0 and below 1 (the share of particles kept each generation; 0.5 is usual)")
		case "replications":
			c.Reps = f.int(k, v, 1, 1000)
		case "min_acceptance":
			c.MinAcceptance = f.fraction(k, v, "above 0 and below 1 (stop when a generation accepts a smaller share of its new particles; 0.01–0.1 is usual)")
		case "max_generations":
			c.MaxGenerations = f.int(k, v, 1, 1000)
		case "predictive":
			c.Predictive = f.int(k, v, 1, MaxCalParticles)
		case "patterns":
			list, ok := v.([]any)
			if !ok {
				f.problem(k, "must be a list of pattern numbers from 1 to 10 (docs/ODD.md §12), got %s", describe(v))
				continue
			}
			for _, x := range list {
				n, isInt := x.(int64)
				if !isInt || n < 1 || n > 10 || slices.Contains(c.Patterns, int(n)) {
					f.problem(k, "must be a list of different pattern numbers from 1 to 10 (docs/ODD.md §12), got %s", describe(v))
					c.Patterns = nil
					break
				}
				c.Patterns = append(c.Patterns, int(n))
			}
			slices.Sort(c.Patterns)
		case "parameters":
			c.Params = f.calParams(v)
		case "targets":
			c.Targets = f.targets(v)
		default:
			f.unknown(k, k, calKeys)
		}
	}
	if _, ok := raw["scenario"]; !ok {
		f.problem("scenario", "is missing: name a preset or a scenario file")
	}
	if _, ok := raw["parameters"]; !ok {
		f.problem("parameters", "is empty: add at least one [[parameters]] table with key and prior")
	}
	if _, ok := raw["targets"]; !ok {
		f.problem("targets", "is empty: add at least one [[targets]] table with metric, value and se (or range)")
	}
	if keep := c.Keep(); keep < 2 || keep >= c.Particles {
		f.problem("alpha", "keeps %d of %d particles each generation; it must keep at least 2 and fewer than all: raise particles or change alpha", keep, c.Particles)
	}
	seen := map[string]int{}
	for i, p := range c.Params {
		if j, ok := seen[p.Key]; ok {
			f.problem(fmt.Sprintf("parameters[%d].key", i), "%q is fitted twice (also parameters[%d])", p.Key, j)
		}
		seen[p.Key] = i
	}
	names := map[string]int{}
	for i, t := range c.Targets {
		if j, ok := names[t.Name]; ok {
			f.problem(fmt.Sprintf("targets[%d]", i), "has the name %q of targets[%d]: give one of them another name", t.Name, j)
		}
		names[t.Name] = i
	}
	if c.Base == nil {
		return c
	}
	sw.Base = c.Base
	ticks := c.Base.Ticks
	if sw.Ticks > 0 {
		ticks = sw.Ticks
	}
	ref := referenceVariant(c.Base)
	if len(c.Patterns) > 0 {
		need := []string{"baseline"}
		if slices.Contains(c.Patterns, 5) {
			need = StandardVariants
		}
		for _, v := range need {
			if _, ok := c.Base.Variant(v); !ok {
				f.problem("patterns", "needs the variant %q in %s, which it does not have (pattern 5 compares %s; the others look at baseline)", v, c.Base.Name, strings.Join(StandardVariants, ", "))
				break
			}
		}
	}
	for i := range c.Targets {
		t := &c.Targets[i]
		tp := fmt.Sprintf("targets[%d]", i)
		if t.Variant == "" {
			t.Variant = ref
		}
		if t.Reference == "*" { // effect_of given without reference
			t.Reference = ref
		}
		for _, v := range []string{t.Variant, t.Reference} {
			if _, ok := c.Base.Variant(v); v != "" && !ok {
				msg := fmt.Sprintf("names the variant %q, which %s does not have (variants: %s)", v, c.Base.Name, strings.Join(c.Base.VariantNames(), ", "))
				if s := suggest.Nearest(v, c.Base.VariantNames()); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				f.problem(tp, "%s", msg)
			}
		}
		if t.IsEffect() && t.Variant == t.Reference {
			f.problem(tp+".effect_of", "is the reference variant %q itself: an effect needs another variant", t.Variant)
		}
		if t.Window > ticks {
			f.problem(tp+".window", "is %d weeks, longer than the %d weeks of a run", t.Window, ticks)
		}
	}
	for i := range c.Params {
		p := &c.Params[i]
		pp := fmt.Sprintf("parameters[%d]", i)
		spec, err := sw.keySpec(p.Key)
		if err != nil {
			f.problem(pp+".key", "%v", err)
			continue
		}
		p.Int = spec.Kind == sim.KindInt
		if kind, ok := strings.CutPrefix(p.Key, "intervention."); ok && len(c.Targets) > 0 {
			kind = strings.Split(kind, ".")[0]
			used := false
			for _, v := range c.Variants() {
				if cfg, err := c.Base.Config(v); err == nil {
					used = used || slices.ContainsFunc(cfg.Interventions, func(iv sim.Intervention) bool { return iv.Kind() == kind })
				}
			}
			if !used {
				f.problem(pp+".key", "names a %s parameter, but no variant the targets use (%s) has a %s intervention: fitting it would change nothing", kind, strings.Join(c.Variants(), ", "), kind)
				continue
			}
		}
		f.checkPrior(pp, p, spec)
		sw.Params = append(sw.Params, SweepParam{Key: p.Key, Min: p.Min, Max: p.Max, Int: p.Int})
	}
	c.Sweep = sw
	if runs := c.Runs(); runs > MaxCalRuns {
		f.problem("particles", "would give up to %s runs (%d particles × %d generations × %d runs per particle); at most %d", bigCount(runs), c.Particles, c.MaxGenerations, c.RunsPerParticle(), MaxCalRuns)
	}
	return c
}

// RunsPerParticle is the runs one particle takes: replications × the
// variants the targets need, and for patterns the runs their checks need
// (baseline; every variant for pattern 5; three pressure variants for 6).
func (c *Calibration) RunsPerParticle() int {
	n := len(c.Variants())
	switch {
	case slices.Contains(c.Patterns, 5):
		n += len(c.Base.Variants)
	case len(c.Patterns) > 0:
		n++
	}
	if slices.Contains(c.Patterns, 6) {
		n += 3
	}
	return c.Reps * n
}

// Runs is the most runs the calibration can make: every generation and the
// posterior predictive draws.
func (c *Calibration) Runs() float64 {
	return float64(c.Particles*c.MaxGenerations+c.Predictive) * float64(c.RunsPerParticle())
}

// Variants lists the variants the targets need, in the scenario's order.
func (c *Calibration) Variants() []string {
	var out []string
	for _, v := range c.Base.VariantNames() {
		for _, t := range c.Targets {
			if (t.Variant == v || t.Reference == v) && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// referenceVariant is "baseline" when the scenario has it, else its first
// variant (as experiment.Output.Reference).
func referenceVariant(s *Scenario) string {
	if _, ok := s.Variant("baseline"); ok {
		return "baseline"
	}
	return s.Variants[0].Name
}

// fraction reads a number strictly between 0 and 1.
func (f *file) fraction(path string, v any, allowed string) float64 {
	x, ok := number(v)
	if !ok || !(x > 0 && x < 1) {
		f.problem(path, "must be a number %s, got %s", allowed, describe(v))
		return 0.5
	}
	return x
}

// finite reads a finite number.
func (f *file) finite(path string, v any) (float64, bool) {
	x, ok := number(v)
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		f.problem(path, "must be a finite number, got %s", describe(v))
		return 0, false
	}
	return x, true
}

func (f *file) calParams(v any) []CalParam {
	tables := paramTables(f, v, calParamKeys, CalParam{Min: math.NaN(), Max: math.NaN(), Mean: math.NaN(), SD: math.NaN()},
		func(p *CalParam, k, kp string, x any) bool {
			switch k {
			case "prior":
				p.Prior = f.str(kp, x)
				if !slices.Contains(Priors, p.Prior) {
					msg := fmt.Sprintf("must be one of %s, got %q", strings.Join(Priors, ", "), p.Prior)
					if s := suggest.Nearest(p.Prior, Priors); s != "" {
						msg += fmt.Sprintf(" (did you mean %s?)", s)
					}
					f.problem(kp, "%s", msg)
				}
			case "min":
				p.Min, _ = f.finite(kp, x)
			case "max":
				p.Max, _ = f.finite(kp, x)
			case "mean":
				p.Mean, _ = f.finite(kp, x)
			case "sd":
				p.SD, _ = f.finite(kp, x)
			default:
				return false
			}
			return true
		})
	var out []CalParam
	for _, t := range tables {
		if t.P.Prior == "" {
			f.problem(t.path, "needs prior = one of %s", strings.Join(Priors, ", "))
			continue
		}
		if t.ok {
			t.P.Key = t.key
			out = append(out, t.P)
		}
	}
	return out
}

// checkPrior checks a prior against the parameter's valid range and fills
// in a missing bound with it.
func (f *file) checkPrior(pp string, p *CalParam, spec sim.Spec) {
	valid := fmt.Sprintf("the valid range of %s (%s)", p.Key, spec.Allowed())
	for _, b := range []struct {
		key string
		x   *float64
	}{{"min", &p.Min}, {"max", &p.Max}} {
		if math.IsNaN(*b.x) {
			if p.Prior == "uniform" {
				f.problem(pp, "needs %s: a uniform prior needs min and max (within %s)", b.key, valid)
				return
			}
			*b.x = spec.Min
			if b.key == "max" {
				*b.x = spec.Max
			}
			continue
		}
		if *b.x < spec.Min || *b.x > spec.Max {
			f.problem(pp+"."+b.key, "is %s, outside %s: the prior must lie within it", g(*b.x), valid)
			return
		}
	}
	if !(p.Min < p.Max) {
		f.problem(pp, "needs min < max, got min %s, max %s", g(p.Min), g(p.Max))
		return
	}
	switch p.Prior {
	case "uniform":
		for _, k := range []string{"mean", "sd"} {
			if x := map[string]float64{"mean": p.Mean, "sd": p.SD}[k]; !math.IsNaN(x) {
				f.problem(pp+"."+k, "is for a normal prior; a uniform prior has only min and max")
			}
		}
	case "normal":
		switch {
		case math.IsNaN(p.Mean) || math.IsNaN(p.SD):
			f.problem(pp, "needs mean and sd: a normal prior (truncated to min … max, by default %s)", valid)
		case p.SD <= 0:
			f.problem(pp+".sd", "must be above 0, got %s", g(p.SD))
		case p.Mean < p.Min || p.Mean > p.Max:
			f.problem(pp+".mean", "is %s, outside the prior's range %s … %s (by default %s)", g(p.Mean), g(p.Min), g(p.Max), valid)
		}
	}
}

func (f *file) targets(v any) []Target {
	list, ok := f.tables("targets", v)
	if !ok {
		return nil
	}
	var out []Target
	for i, tbl := range list {
		tp := fmt.Sprintf("targets[%d]", i)
		t := Target{Window: 52, Value: math.NaN(), SE: math.NaN()}
		lo, hi := math.NaN(), math.NaN()
		ok := true
		metric := ""
		for _, k := range slices.Sorted(maps.Keys(tbl)) {
			kp := tp + "." + k
			switch k {
			case "name":
				t.Name = f.str(kp, tbl[k])
			case "metric":
				metric = f.str(kp, tbl[k])
				m, found := sim.MetricByName(metric)
				if !found {
					msg := fmt.Sprintf("names no output %q (the outputs are the columns of timeseries.csv)", metric)
					if s := suggest.Nearest(metric, sim.Metrics[:]); s != "" {
						msg += fmt.Sprintf("; did you mean %s?", s)
					}
					f.problem(kp, "%s", msg)
					ok = false
				}
				t.Metric = m
			case "window":
				t.Window = f.int(kp, tbl[k], 1, 1e6)
			case "variant":
				t.Variant = f.str(kp, tbl[k])
			case "effect_of":
				t.Variant = f.str(kp, tbl[k])
				if t.Reference == "" {
					t.Reference = "*"
				}
			case "reference":
				t.Reference = f.str(kp, tbl[k])
			case "value":
				t.Value, _ = f.finite(kp, tbl[k])
			case "se":
				x, good := f.finite(kp, tbl[k])
				if good && x <= 0 {
					f.problem(kp, "must be above 0, got %s: an observed figure without uncertainty cannot be matched by a model with noise; give its standard error (or a range)", g(x))
					ok = false
				}
				t.SE = x
			case "range":
				l, isList := tbl[k].([]any)
				var a, b float64
				var okA, okB bool
				if isList && len(l) == 2 {
					a, okA = number(l[0])
					b, okB = number(l[1])
				}
				switch {
				case !okA || !okB:
					f.problem(kp, "must be two numbers [low, high] (read as a 95%% interval), got %s", describe(tbl[k]))
					ok = false
				case !(a < b):
					f.problem(kp, "must have low < high, got [%s, %s]: a range of zero width is no uncertainty", g(a), g(b))
					ok = false
				default:
					lo, hi = a, b
				}
			default:
				f.unknown(kp, k, targetKeys)
				ok = false
			}
		}
		if _, has := tbl["metric"]; !has {
			f.problem(tp, "needs metric = one of the outputs (for example \"informal_active\")")
			ok = false
		}
		_, hasVariant := tbl["variant"]
		if _, hasEffect := tbl["effect_of"]; hasEffect && hasVariant {
			f.problem(tp+".variant", "goes with a level; an effect names its variant with effect_of only")
			ok = false
		}
		if _, hasRef := tbl["reference"]; hasRef {
			if _, hasEffect := tbl["effect_of"]; !hasEffect {
				f.problem(tp+".reference", "is for an effect: add effect_of = \"VARIANT\"")
				ok = false
			}
		}
		_, hasSE := tbl["se"]
		_, hasRange := tbl["range"]
		switch {
		case hasSE && hasRange:
			f.problem(tp, "has both se and range: give one (a range [low, high] is read as a 95%% interval, se = (high − low)/3.92)")
			ok = false
		case !hasSE && !hasRange && ok:
			f.problem(tp, "needs the uncertainty of the observed value: se = … or range = [low, high]")
			ok = false
		case hasRange && !math.IsNaN(lo):
			if _, hasValue := tbl["value"]; !hasValue {
				t.Value = (lo + hi) / 2
			} else if t.Value < lo || t.Value > hi {
				f.problem(tp+".value", "is %s, outside its range [%s, %s]", g(t.Value), g(lo), g(hi))
				ok = false
			}
			t.SE = (hi - lo) / (2 * 1.959963984540054)
		}
		if _, hasValue := tbl["value"]; !hasValue && !hasRange {
			f.problem(tp, "needs value = the observed figure")
			ok = false
		}
		if t.Name == "" && ok {
			t.Name = fmt.Sprintf("%s_last%d", metric, t.Window)
			if t.Reference != "" {
				t.Name = fmt.Sprintf("%s_effect_%s_last%d", metric, t.Variant, t.Window)
			}
		}
		if ok {
			out = append(out, t)
		}
	}
	return out
}

// With returns a copy of the scenario with the given parameters set: a
// group.name key in its parameters, an intervention.TYPE.KEY key in every
// intervention of that type (its own and its variants'). Whole-number
// parameters are rounded.
func (s *Scenario) With(keys []string, values []float64) (*Scenario, error) {
	c := *s
	c.Interventions = slices.Clone(s.Interventions)
	c.Variants = slices.Clone(s.Variants)
	for i := range c.Variants {
		c.Variants[i].Interventions = slices.Clone(c.Variants[i].Interventions)
	}
	set := func(sp sim.Spec, x float64) error {
		if sp.Kind == sim.KindInt {
			x = math.Round(x)
		}
		return sp.Set(x)
	}
	for i, key := range keys {
		if sp, ok := c.Params.Spec(key); ok {
			if err := set(sp, values[i]); err != nil {
				return nil, fmt.Errorf("%s %v", key, err)
			}
			continue
		}
		parts := strings.Split(key, ".")
		if len(parts) != 3 || parts[0] != "intervention" {
			return nil, fmt.Errorf("no parameter %q", key)
		}
		lists := [][]sim.Intervention{c.Interventions}
		for _, v := range c.Variants {
			lists = append(lists, v.Interventions)
		}
		for _, list := range lists {
			for k, iv := range list {
				if iv.Kind() != parts[1] {
					continue
				}
				cl := cloneIntervention(iv)
				for _, sp := range cl.Specs() {
					if sp.Key == parts[2] {
						if err := set(sp, values[i]); err != nil {
							return nil, fmt.Errorf("%s %v", key, err)
						}
					}
				}
				list[k] = cl
			}
		}
	}
	if err := c.Params.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// g writes a number for a message, as short as it reads back.
func g(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// IsCalibrationFile reports whether ref names a calibration file rather
// than a scenario or a sweep: a file with a sweep's kind of top-level keys
// (IsSweepFile) that has targets.
func IsCalibrationFile(ref string) bool {
	raw, ok := fileKeys(ref)
	_, targets := raw["targets"]
	return ok && targets
}
