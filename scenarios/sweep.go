package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/internal/suggest"
	"github.com/hybridsim/hybridsim/sim"
)

// Designs are the sweep designs.
var Designs = []string{"grid", "lhs", "morris", "sobol"}

// Sweep is a checked sweep file: a base scenario, the variants to run, the
// parameters to vary, a design and the outputs to summarise.
type Sweep struct {
	File      string
	Source    string // the file's text
	Base      *Scenario
	Variants  []string
	Design    string
	Reps      int
	Seed      uint64
	Ticks     int // 0: the scenario's
	Samples   int // lhs: points; sobol: base sample N; morris: trajectories
	Levels    int // morris: grid levels p
	Bootstrap int // sobol: bootstrap resamples for the 95% intervals
	Params    []SweepParam
	Outputs   []SweepOutput
}

// SweepParam is one varied parameter: a key path ("area.civil_society",
// "model.epsilon0", or "intervention.wijktafel.attractiveness" for every
// intervention of that type), and a range or a list of values.
type SweepParam struct {
	Key      string
	Min, Max float64
	Values   []float64 // grid: the values; otherwise empty
	Steps    int       // grid with a range: this many evenly spaced values
	Int      bool      // the parameter takes whole numbers

	at int // its index among the file's [[parameters]], for messages
}

// SweepOutput is one summarised output: a metric's mean over the last
// Window ticks.
type SweepOutput struct {
	Metric sim.Metric
	Window int
}

// Name is the output's column name, "hybridisation_last52".
func (o SweepOutput) Name() string { return fmt.Sprintf("%s_last%d", o.Metric, o.Window) }

var sweepKeys = []string{"scenario", "variants", "design", "replications", "seed", "ticks", "samples", "levels", "bootstrap", "parameters", "outputs"}

// readInput reads the file of a sweep or calibration (kind) with the bound
// of every input (readfile.Regular), saying in words what was refused.
func readInput(path, kind string) ([]byte, error) {
	src, err := readfile.Regular(path, readfile.MaxInput)
	if err != nil {
		var big *readfile.TooBigError
		switch {
		case errors.Is(err, readfile.ErrNotRegular):
			err = fmt.Errorf("%s is not a %s file: only regular files are read (not a device, pipe or directory)", path, kind)
		case errors.As(err, &big):
			err = fmt.Errorf("%s is not a %s file: it is larger than 1 MiB", path, kind)
		}
		return nil, err
	}
	return src, nil
}

// LoadSweep reads and checks a sweep file. Errors name the file, line,
// column and key, and say what is allowed, as for scenarios.
func LoadSweep(path string) (*Sweep, error) {
	src, err := readInput(path, "sweep")
	if err != nil {
		return nil, err
	}
	return ParseSweep(path, src)
}

// ParseSweep reads a sweep from src; name is used in messages and to find
// a scenario file named relative to it.
func ParseSweep(name string, src []byte) (*Sweep, error) {
	return ParseSweepWithBase(name, src, nil)
}

// ParseSweepWithBase is ParseSweep with the base scenario given instead of
// loaded from the file's scenario key (merge uses the copy a shard keeps).
func ParseSweepWithBase(name string, src []byte, base *Scenario) (*Sweep, error) {
	return parseWithBase(base, func(l *loader) *Sweep { return l.parseSweep(name, src) })
}

// parseWithBase runs parse with a loader that takes base, if not nil, as
// the file's scenario, and returns what it read or every problem found.
func parseWithBase[T any](base *Scenario, parse func(*loader) *T) (*T, error) {
	l := &loader{base: base}
	x := parse(l)
	if err := l.err(); err != nil {
		return nil, err
	}
	return x, nil
}

// baseScenario reads the scenario key v of the sweep or calibration file
// name: the loader's base if it has one, else the preset or the scenario
// file (relative to name) that v names.
func (l *loader) baseScenario(f *file, name string, v any) *Scenario {
	ref := f.str("scenario", v)
	if l.base != nil {
		return l.base
	}
	if ref == "" {
		return nil
	}
	return l.load(ref, filepath.Dir(name), []string{name}, func(format string, args ...any) { f.problem("scenario", format, args...) })
}

func (l *loader) parseSweep(name string, src []byte) *Sweep {
	raw, f := l.decode(name, src, "sweep")
	if f == nil {
		return nil
	}
	sw := &Sweep{File: name, Source: string(src), Design: "grid", Reps: 1, Seed: 1, Samples: 16, Levels: 4, Bootstrap: 200}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := raw[k]
		switch k {
		case "scenario":
			sw.Base = l.baseScenario(f, name, v)
		case "variants":
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				f.problem(k, "must be a list of variant names, got %s", describe(v))
				continue
			}
			for _, x := range list {
				s, ok := x.(string)
				if !ok {
					f.problem(k, "must be a list of variant names, got %s", describe(v))
					break
				}
				sw.Variants = append(sw.Variants, s)
			}
		case "design":
			d := f.str(k, v)
			if !slices.Contains(Designs, d) {
				f.problem(k, "must be one of %s, got %q", strings.Join(Designs, ", "), d)
			}
			sw.Design = d
		case "replications":
			sw.Reps = f.int(k, v, 1, 1e6)
		case "seed":
			sw.Seed = uint64(f.int(k, v, 0, math.MaxInt64))
		case "ticks":
			sw.Ticks = f.int(k, v, 1, 1e6)
		case "samples":
			sw.Samples = f.int(k, v, 1, 1e7)
		case "levels":
			sw.Levels = f.int(k, v, 2, 1000)
		case "bootstrap":
			sw.Bootstrap = f.int(k, v, 0, 1e6)
		case "parameters":
			sw.Params = f.sweepParams(v)
		case "outputs":
			sw.Outputs = f.sweepOutputs(v)
		default:
			f.unknown(k, k, sweepKeys)
		}
	}
	if _, ok := raw["scenario"]; !ok {
		f.problem("scenario", "is missing: name a preset or a scenario file")
	}
	if _, ok := raw["parameters"]; !ok {
		f.problem("parameters", "is empty: add at least one [[parameters]] table with key and min/max (or values)")
	}
	if _, ok := raw["outputs"]; !ok {
		f.problem("outputs", "is empty: add at least one [[outputs]] table with a metric")
	}
	if sw.Base != nil {
		if len(sw.Variants) == 0 {
			sw.Variants = []string{sw.Base.Variants[0].Name}
		}
		for _, v := range sw.Variants {
			if _, ok := sw.Base.Variant(v); !ok {
				f.problem("variants", "names %q, which %s does not have (variants: %s)", v, sw.Base.Name, strings.Join(sw.Base.VariantNames(), ", "))
			}
		}
		for i := range sw.Params {
			f.checkRange(sw, &sw.Params[i])
		}
	}
	seen := map[string]int{}
	for _, p := range sw.Params {
		pp := fmt.Sprintf("parameters[%d]", p.at)
		if j, dup := seen[p.Key]; dup {
			f.problem(pp+".key", "%q is varied twice (also parameters[%d], line %d): give each parameter once", p.Key, j, f.at(fmt.Sprintf("parameters[%d].key", j)).line)
		} else {
			seen[p.Key] = p.at
		}
		if sw.Design == "grid" && len(p.Values) == 0 && p.Steps < 2 {
			f.problem(pp, "needs values = [...] or steps ≥ 2 for a grid design")
		}
		if sw.Design != "grid" && len(p.Values) > 0 {
			f.problem(pp+".values", "is for grid designs; a %s design needs min and max", sw.Design)
		}
	}
	// A typo such as steps = 1000000 on two parameters would otherwise make
	// the design (10^12 points) before anything could say so.
	if points, how := sw.points(); points > MaxSweepPoints {
		f.problem("design", "%q makes %s design points (%s); at most %d: use fewer steps or samples", sw.Design, bigCount(points), how, MaxSweepPoints)
	} else if nv := max(1, len(sw.Variants)); points*float64(nv*sw.Reps) > MaxSweepRuns {
		f.problem("replications", "would give %s runs (%.0f points × %d variants × %d replications); at most %d", bigCount(points*float64(nv*sw.Reps)), points, nv, sw.Reps, MaxSweepRuns)
	}
	return sw
}

// The largest sweep a file may ask for: design points, and runs (points ×
// variants × replications; at 150 runs a second 10^8 runs take a week).
const (
	MaxSweepPoints = 10_000_000
	MaxSweepRuns   = 100_000_000
)

// Idle lists the varied intervention parameters that do nothing in some of
// the sweep's variants, because the variant has no intervention of that
// kind ("intervention.wijktafel.attractiveness does nothing in variant
// baseline: it has no wijktafel"): there any difference along that axis is
// noise between design points, not an effect.
func (sw *Sweep) Idle() []string {
	var out []string
	for _, p := range sw.Params {
		kind, ok := strings.CutPrefix(p.Key, "intervention.")
		if !ok {
			continue
		}
		kind, _, _ = strings.Cut(kind, ".")
		var idle []string
		for _, v := range sw.Variants {
			cfg, err := sw.Base.Config(v)
			if err == nil && !slices.ContainsFunc(cfg.Interventions, func(iv sim.Intervention) bool { return iv.Kind() == kind }) {
				idle = append(idle, v)
			}
		}
		if len(idle) > 0 {
			out = append(out, fmt.Sprintf("%s does nothing in variant %s: no %s intervention there, so its differences along that axis are noise between design points", p.Key, strings.Join(idle, ", "), kind))
		}
	}
	return out
}

// Size says how large the sweep is: "N design points (how), M runs" —
// points × variants × replications — as hybridsim validate prints it.
func (sw *Sweep) Size() string {
	points, how := sw.points()
	runs := points * float64(max(1, len(sw.Variants))*sw.Reps)
	return fmt.Sprintf("%s design points (%s), %s runs", bigCount(points), how, bigCount(runs))
}

// points is the number of design points the sweep makes, and how.
func (sw *Sweep) points() (float64, string) {
	k := float64(len(sw.Params))
	switch sw.Design {
	case "grid":
		n := 1.0
		var sizes []string
		for _, p := range sw.Params {
			m := p.Steps
			if len(p.Values) > 0 {
				m = len(p.Values)
			}
			n *= float64(max(m, 1))
			sizes = append(sizes, strconv.Itoa(m))
		}
		return n, "grid " + strings.Join(sizes, " × ")
	case "morris":
		return float64(sw.Samples) * (k + 1), fmt.Sprintf("%d trajectories × (%d parameters + 1)", sw.Samples, len(sw.Params))
	case "sobol":
		return float64(sw.Samples) * (k + 2), fmt.Sprintf("samples %d × (%d parameters + 2)", sw.Samples, len(sw.Params))
	}
	return float64(sw.Samples), fmt.Sprintf("samples %d", sw.Samples)
}

// bigCount writes a count for a message: exact up to a billion, else as a
// power of ten.
func bigCount(x float64) string {
	if x < 1e9 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return fmt.Sprintf("about 10^%.0f", math.Floor(math.Log10(x)))
}

// paramTable is one table of a sweep or calibration file's [[parameters]]
// as paramTables read it.
type paramTable[P any] struct {
	P    P      // what read made of its entries
	key  string // its key, "group.name"
	at   int    // its index among the tables
	path string // "parameters[i]", for messages
	ok   bool   // reading it reported no problem
}

// paramTables reads the [[parameters]] tables of a sweep or calibration
// file: key = "group.name" in each, and every other entry (in key order)
// by read into a copy of zero; read reports whether it knows the entry,
// and an unknown one is reported with the nearest of known. A table
// without key is reported and left out.
func paramTables[P any](f *file, v any, known []string, zero P, read func(p *P, k, kp string, x any) bool) []paramTable[P] {
	list, ok := f.tables("parameters", v)
	if !ok {
		return nil
	}
	var out []paramTable[P]
	for i, tbl := range list {
		t := paramTable[P]{P: zero, at: i, path: fmt.Sprintf("parameters[%d]", i)}
		before := len(f.l.problems)
		for _, k := range slices.Sorted(maps.Keys(tbl)) {
			kp := t.path + "." + k
			switch {
			case k == "key":
				t.key = f.str(kp, tbl[k])
			case !read(&t.P, k, kp, tbl[k]):
				f.unknown(kp, k, known)
			}
		}
		if t.key == "" {
			f.problem(t.path, "needs key = \"group.name\" (for example \"area.civil_society\")")
			continue
		}
		t.ok = len(f.l.problems) == before
		out = append(out, t)
	}
	return out
}

func (f *file) sweepParams(v any) []SweepParam {
	tables := paramTables(f, v, []string{"key", "min", "max", "values", "steps"},
		SweepParam{Min: math.NaN(), Max: math.NaN()},
		func(p *SweepParam, k, kp string, x any) bool {
			switch k {
			case "min", "max":
				n, ok := f.finite(kp, x)
				if !ok {
					n = math.NaN()
				}
				if k == "min" {
					p.Min = n
				} else {
					p.Max = n
				}
			case "values":
				list, ok := x.([]any)
				if !ok || len(list) == 0 {
					f.problem(kp, "must be a list of numbers, got %s", describe(x))
					break
				}
				for _, e := range list {
					n, ok := number(e)
					if !ok {
						f.problem(kp, "must be a list of finite numbers, got %s", describe(x))
						break
					}
					p.Values = append(p.Values, n)
				}
			case "steps":
				p.Steps = f.int(kp, x, 2, 1e6)
			default:
				return false
			}
			return true
		})
	var out []SweepParam
	for _, t := range tables {
		p := t.P
		p.Key, p.at = t.key, t.at
		if len(p.Values) == 0 {
			if math.IsNaN(p.Min) || math.IsNaN(p.Max) || p.Min >= p.Max {
				f.problem(t.path, "needs min < max (or values = [...]), got min %v, max %v", p.Min, p.Max)
				continue
			}
		} else {
			p.Min, p.Max = slices.Min(p.Values), slices.Max(p.Values)
		}
		out = append(out, p)
	}
	return out
}

func (f *file) sweepOutputs(v any) []SweepOutput {
	list, ok := f.tables("outputs", v)
	if !ok {
		return nil
	}
	var out []SweepOutput
	for i, tbl := range list {
		op := fmt.Sprintf("outputs[%d]", i)
		o := SweepOutput{Window: 52}
		ok := true
		for _, k := range slices.Sorted(maps.Keys(tbl)) {
			kp := op + "." + k
			switch k {
			case "metric":
				name := f.str(kp, tbl[k])
				m, found := sim.MetricByName(name)
				if !found {
					msg := fmt.Sprintf("names no output %q", name)
					if s := suggest.Nearest(name, sim.Metrics[:]); s != "" {
						msg += fmt.Sprintf(" (did you mean %s?)", s)
					}
					f.problem(kp, "%s", msg)
					ok = false
				}
				o.Metric = m
			case "window":
				o.Window = f.int(kp, tbl[k], 1, 1e6)
			default:
				f.unknown(kp, k, []string{"metric", "window"})
				ok = false
			}
		}
		if _, has := tbl["metric"]; !has {
			f.problem(op, "needs metric = one of the outputs (for example \"hybridisation\")")
			ok = false
		}
		if ok {
			out = append(out, o)
		}
	}
	return out
}

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, !math.IsInf(t, 0) && !math.IsNaN(t)
	case int64:
		return float64(t), true
	}
	return 0, false
}

// checkRange checks a parameter's key against the scenario, marks a
// whole-number parameter, and checks every value the design can take —
// min, max and each of values — against the parameter's own range (and,
// for a whole-number parameter, that they are whole), so that a sweep
// never fails half-way on a value it could have refused before running.
func (f *file) checkRange(sw *Sweep, p *SweepParam) {
	pp := fmt.Sprintf("parameters[%d]", p.at)
	sp, err := sw.keySpec(p.Key)
	if err != nil {
		f.problem(pp+".key", "%v", err)
		return
	}
	p.Int = sp.Kind == sim.KindInt
	check := func(key string, x float64) {
		if err := sp.Set(x); err != nil {
			f.problem(key, "does not fit %s, which %v", p.Key, err)
		}
	}
	if len(p.Values) > 0 {
		for _, x := range p.Values {
			check(pp+".values", x)
		}
		return
	}
	check(pp+".min", p.Min)
	check(pp+".max", p.Max)
}

// keySpec finds the parameter a sweep key names — group.name of the
// scenario's parameters, or intervention.TYPE.KEY — as a Spec on scratch
// storage (its Set checks a value and changes nothing of the sweep's), or
// says why there is none.
func (sw *Sweep) keySpec(key string) (sim.Spec, error) {
	p := sw.Base.Params
	if sp, ok := p.Spec(key); ok {
		if sp.Kind != sim.KindFloat && sp.Kind != sim.KindInt {
			return sp, fmt.Errorf("names %s, which is not a single number", key)
		}
		return sp, nil
	}
	parts := strings.Split(key, ".")
	if len(parts) != 3 || parts[0] != "intervention" {
		var known []string
		for _, s := range p.Specs() {
			known = append(known, s.Path())
		}
		msg := fmt.Sprintf("names no parameter %q: use group.name (area, population, model) or intervention.TYPE.KEY", key)
		if s := suggest.Nearest(key, known); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return sim.Spec{}, errors.New(msg)
	}
	iv, err := sim.NewIntervention(parts[1])
	if err != nil {
		return sim.Spec{}, err
	}
	for _, s := range iv.Specs() {
		if s.Key == parts[2] && (s.Kind == sim.KindFloat || s.Kind == sim.KindInt) {
			return s, nil
		}
	}
	return sim.Spec{}, fmt.Errorf("intervention type %s has no number %q", parts[1], parts[2])
}

// Config returns the configuration of one variant at one design point
// (values in the parameters' own units, in the order of Params). An
// intervention key sets that parameter on every intervention of its type.
func (sw *Sweep) Config(variant string, point []float64) (sim.Config, error) {
	cfg, err := sw.Base.Config(variant)
	if err != nil {
		return cfg, err
	}
	// Interventions are shared pointers: copy the ones a key touches.
	for i, p := range sw.Params {
		x := point[i]
		if p.Int {
			x = math.Round(x)
		}
		if sp, ok := cfg.Params.Spec(p.Key); ok {
			if err := sp.Set(x); err != nil {
				return cfg, fmt.Errorf("%s %v", p.Key, err)
			}
			continue
		}
		parts := strings.Split(p.Key, ".")
		for k, iv := range cfg.Interventions {
			if iv.Kind() != parts[1] {
				continue
			}
			c := cloneIntervention(iv)
			for _, s := range c.Specs() {
				if s.Key == parts[2] {
					if err := s.Set(x); err != nil {
						return cfg, fmt.Errorf("%s %v", p.Key, err)
					}
				}
			}
			cfg.Interventions[k] = c
		}
	}
	if err := cfg.Params.Validate(); err != nil {
		return cfg, err
	}
	if sw.Ticks > 0 {
		cfg.Ticks = sw.Ticks
	}
	return cfg, nil
}

func cloneIntervention(iv sim.Intervention) sim.Intervention {
	c, _ := sim.NewIntervention(iv.Kind())
	cs := c.Specs()
	for i, s := range iv.Specs() {
		_ = cs[i].Set(s.Value())
	}
	return c
}

// IsSweepFile reports whether the file at ref is a sweep file rather than a
// scenario: it has a sweep's own top-level keys (scenario, parameters,
// outputs, design) and none of a scenario's tables. A preset, or a file
// that cannot be read or parsed, is not.
func IsSweepFile(ref string) bool {
	_, ok := fileKeys(ref)
	return ok
}

// fileKeys returns the top-level keys of the file at ref and whether it
// is a sweep (or calibration) file as IsSweepFile says; the file is read
// and parsed once for both kinds of test.
func fileKeys(ref string) (map[string]any, bool) {
	if IsPreset(ref) {
		return nil, false
	}
	src, err := readfile.Regular(ref, readfile.MaxInput)
	if err != nil {
		return nil, false
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, false
	}
	for _, k := range []string{"variants", "extends", "area", "population", "model", "interventions"} {
		if _, ok := raw[k]; ok {
			if _, isList := raw[k].([]any); !(k == "variants" && isList) {
				return nil, false
			}
		}
	}
	for _, k := range []string{"scenario", "parameters", "outputs", "design"} {
		if _, ok := raw[k]; ok {
			return raw, true
		}
	}
	return nil, false
}
