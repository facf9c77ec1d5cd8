// Package scenarios reads hybridsim scenario files (TOML) and holds the
// embedded presets. It is the only package that imports the TOML library.
//
// Loading is strict: unknown keys, wrong types and out-of-range values are
// errors that name the file, line, column and key, say what is allowed and,
// for unknown keys, suggest the nearest known key. Every problem of a file is
// reported at once.
package scenarios

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/internal/suggest"
	"github.com/hybridsim/hybridsim/sim"
)

//go:embed *.toml
var presetFS embed.FS

// DefaultPreset is the scenario `hybridsim run` uses without arguments.
const DefaultPreset = "default"

// Scenario is a resolved scenario: its extends chain applied, every value
// checked.
type Scenario struct {
	Name          string
	Description   string
	File          string // where it was read: a path, or "preset:NAME"
	Ticks         int
	Warmup        int // ticks stepped before tick 0 (docs/ODD.md §3.1)
	Replications  int
	Seed          uint64
	Scale         float64 // area size factor (sim.Scale); 1 is the area as described
	Params        sim.Params
	Interventions []sim.Intervention // standing arrangements: in force in the warm-up and every variant
	Variants      []Variant
	// Origins says, for each parameter path set anywhere in the chain,
	// where its value comes from ("preset:hoorn line 12").
	Origins map[string]string
}

// Variant is a named policy variant: parameter overrides and interventions
// added to the scenario's own.
type Variant struct {
	Name          string
	Description   string
	Set           []Setting
	Interventions []sim.Intervention
}

// Setting is one parameter override of a variant.
type Setting struct {
	Path   string // "area.explicit_rate"
	Value  any
	Origin string
}

// Problem is one fault in a scenario file.
type Problem struct {
	File      string
	Line, Col int    // 0 when unknown
	Key       string // key path, "" for the whole file
	Msg       string
}

func (p Problem) Error() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	if p.Key != "" {
		return fmt.Sprintf("%s: %s %s", loc, p.Key, p.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, p.Msg)
}

// Error lists every problem found in a scenario and the files it extends.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.Error()
	}
	return strings.Join(s, "\n")
}

// Presets lists the embedded presets by name, sorted.
func Presets() []string {
	ents, _ := fs.ReadDir(presetFS, ".")
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// PresetSource returns the text of an embedded preset.
func PresetSource(name string) ([]byte, bool) {
	b, err := presetFS.ReadFile(name + ".toml")
	return b, err == nil
}

// IsPreset reports whether ref names an embedded preset rather than a file.
func IsPreset(ref string) bool {
	_, ok := PresetSource(ref)
	return ok && !strings.ContainsAny(ref, `/\`) && !strings.HasSuffix(ref, ".toml")
}

// Load reads a scenario: ref is a preset name or a file path.
func Load(ref string) (*Scenario, error) {
	l := &loader{}
	s := l.load(ref, "", nil, nil)
	if err := l.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// err returns the problems found, sorted by file and position, or nil.
func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(l.problems, func(a, b Problem) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return &Error{Problems: l.problems}
}

// Parse reads a scenario from src; name is used in messages and relative
// extends are resolved against its directory.
func Parse(name string, src []byte) (*Scenario, error) {
	l := &loader{}
	s := l.parse(name, filepath.Dir(name), src, nil)
	if err := l.err(); err != nil {
		return nil, err
	}
	return s, nil
}

type loader struct {
	problems []Problem
	base     *Scenario // a sweep's base scenario given, not loaded
}

func (l *loader) add(p Problem) { l.problems = append(l.problems, p) }

// load reads ref (a preset or a path relative to dir) with stack the chain
// of files that extend it, for cycle detection; from reports a problem at
// the extends key that named ref (nil for the file given by the user).
func (l *loader) load(ref, dir string, stack []string, from func(format string, args ...any)) *Scenario {
	if from == nil {
		from = func(format string, args ...any) { l.add(Problem{File: ref, Msg: fmt.Sprintf(format, args...)}) }
	}
	var src []byte
	var name, base string
	if IsPreset(ref) {
		src, _ = PresetSource(ref)
		name, base = "preset:"+ref, ""
	} else {
		path := ref
		if dir != "" && !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		b, err := readfile.Regular(path, readfile.MaxInput)
		if err != nil {
			var big *readfile.TooBigError
			switch {
			case errors.Is(err, fs.ErrNotExist):
				from("names no such file or preset %q (presets: %s)", ref, strings.Join(Presets(), ", "))
			case errors.Is(err, readfile.ErrNotRegular):
				from("names %s, which is not a scenario file: only regular files are read (not a device, pipe or directory)", path)
			case errors.As(err, &big):
				from("names %s, which is not a scenario file: it is larger than 1 MiB", path)
			default:
				from("%v", err)
			}
			return nil
		}
		src, name, base = b, path, filepath.Dir(path)
	}
	if slices.Contains(stack, name) {
		from("makes a cycle: %s → %s", strings.Join(stack, " → "), name)
		return nil
	}
	return l.parse(name, base, src, stack)
}

var topKeys = []string{"name", "description", "extends", "ticks", "warmup", "replications", "seed", "scale", "area", "population", "model", "interventions", "variants"}
var variantKeys = []string{"name", "description", "area", "population", "model", "interventions"}
var groups = []string{"area", "population", "model"}

// parse checks one file and applies it over its parent.
func (l *loader) parse(name, dir string, src []byte, stack []string) *Scenario {
	raw, f := l.decode(name, src, "scenario")
	if f == nil {
		return nil
	}
	stack = append(stack, name)

	s := &Scenario{Ticks: 156, Warmup: sim.DefaultWarmup, Replications: 30, Seed: 1, Scale: 1, Params: sim.Defaults(), Origins: map[string]string{}}
	if ext, ok := raw["extends"]; ok {
		ref, isStr := ext.(string)
		if !isStr || ref == "" {
			f.problem("extends", "must be a preset name or a file path, got %s", describe(ext))
		} else if parent := l.load(ref, dir, stack, func(format string, args ...any) { f.problem("extends", format, args...) }); parent != nil {
			*s = *parent
			s.Origins = maps.Clone(parent.Origins)
			s.Interventions = slices.Clone(parent.Interventions)
			s.Variants = slices.Clone(parent.Variants)
		} else {
			return nil
		}
	}
	s.File = name
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := raw[k]
		switch k {
		case "name":
			s.Name = f.ident(k, v)
		case "description":
			s.Description = f.str(k, v)
		case "extends":
		case "ticks":
			s.Ticks = f.int(k, v, 1, MaxTicks)
		case "warmup":
			s.Warmup = f.int(k, v, 0, MaxWarmup)
		case "replications":
			s.Replications = f.int(k, v, 1, MaxReplications)
		case "seed":
			s.Seed = uint64(f.int(k, v, 0, MaxSeed))
		case "scale":
			s.Scale = f.scale(k, v)
		case "area", "population", "model":
			f.params(k, k, v, &s.Params, s.Origins)
		case "interventions":
			s.Interventions = append(s.Interventions, f.interventions(k, v)...)
		case "variants":
			for _, nv := range f.variants(v) {
				if i := slices.IndexFunc(s.Variants, func(x Variant) bool { return x.Name == nv.Name }); i >= 0 {
					s.Variants[i] = nv
				} else {
					s.Variants = append(s.Variants, nv)
				}
			}
		default:
			f.unknown(k, k, topKeys)
		}
	}
	if s.Name == "" {
		// A name taken from the file name is made into a valid one.
		s.Name = SafeName(strings.TrimSuffix(filepath.Base(strings.TrimPrefix(name, "preset:")), ".toml"))
	}
	if len(s.Variants) == 0 {
		f.problem("variants", "is empty: add at least one [[variants]] table with a name (for example name = \"baseline\")")
	}
	if err := s.Params.Validate(); err != nil {
		for _, e := range strings.Split(err.Error(), "\n") {
			l.add(Problem{File: name, Msg: e})
		}
	}
	for _, v := range s.Variants {
		if _, err := s.Config(v.Name); err != nil {
			l.add(Problem{File: name, Key: "variants." + v.Name, Msg: err.Error()})
		}
	}
	return s
}

// decode parses TOML into a map, reporting a syntax error with the line and
// a marker under the fault, and prepares the key positions for messages.
// A file that is not text, or is not named *.toml and does not parse, is
// "not a scenario file" (kind: scenario or sweep): its contents are not
// quoted, so that extends = "/etc/passwd" shows nothing of that file.
func (l *loader) decode(name string, src []byte, kind string) (map[string]any, *file) {
	if !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0 {
		l.add(Problem{File: name, Msg: fmt.Sprintf("is not a %s file: it is not text (%s files are TOML, usually named *.toml)", kind, kind)})
		return nil, nil
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		var pe toml.ParseError
		if !strings.HasPrefix(name, "preset:") && !strings.HasSuffix(strings.ToLower(name), ".toml") {
			msg := fmt.Sprintf("is not a %s file: it is not TOML (%s files are TOML, usually named *.toml)", kind, kind)
			if errors.As(err, &pe) {
				l.add(Problem{File: name, Line: pe.Position.Line, Col: pe.Position.Col, Msg: msg})
			} else {
				l.add(Problem{File: name, Msg: msg})
			}
			return nil, nil
		}
		if errors.As(err, &pe) {
			l.add(Problem{File: name, Line: pe.Position.Line, Col: pe.Position.Col,
				Msg: "syntax error: " + pe.Message + "\n" + indent(positionSnippet(pe))})
			// A key given twice is reported, and the file read on without
			// that line, so that its other problems are reported too.
			lines := strings.Split(string(src), "\n")
			if n := pe.Position.Line - 1; strings.Contains(pe.Message, "has already been defined") && n >= 0 && n < len(lines) &&
				!strings.HasPrefix(strings.TrimSpace(lines[n]), "[") && strings.Contains(lines[n], "=") {
				lines[n] = "#"
				return l.decode(name, []byte(strings.Join(lines, "\n")), kind)
			}
		} else {
			l.add(Problem{File: name, Msg: err.Error()})
		}
		return nil, nil
	}
	return raw, &file{l: l, name: name, pos: keyPositions(string(src))}
}

// file is the checking state of one file.
type file struct {
	l    *loader
	name string
	pos  map[string]pos
}

// at finds the position of a key path, falling back to its parents.
func (f *file) at(path string) pos {
	for p := path; p != ""; {
		if x, ok := f.pos[p]; ok {
			return x
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return pos{}
}

func (f *file) problem(path, format string, args ...any) {
	x := f.at(path)
	f.l.add(Problem{File: f.name, Line: x.line, Col: x.col, Key: path, Msg: fmt.Sprintf(format, args...)})
}

func (f *file) unknown(path, key string, known []string) {
	msg := "is not a known key"
	if s := suggest.Nearest(key, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	} else {
		msg += fmt.Sprintf(" (known here: %s)", strings.Join(known, ", "))
	}
	f.problem(path, "%s", msg)
}

func (f *file) str(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		f.problem(path, "must be text in quotes, got %s", describe(v))
	}
	return s
}

// Limits of a scenario's run length and replications, shared with the
// flags that override them (--ticks, --reps).
const (
	MaxTicks        = 1_000_000
	MaxWarmup       = 100_000 // docs/ODD.md §3.1
	MaxReplications = 1_000_000
	MaxSeed         = math.MaxInt64
)

// MaxName is the most characters a scenario or variant name may have.
const MaxName = 64

// CheckName checks a scenario or variant name. A name is an identifier,
// never a path: it becomes part of file names in an output directory and
// a text cell of the CSV tables. It consists of letters, digits, spaces,
// ".", "_" and "-"; it does not start with a dot or with "=", "+", "-" or
// "@" (so that it is never a hidden file, a command-line flag or a
// spreadsheet formula), does not begin or end with a space, and has at
// most MaxName characters.
func CheckName(s string) error {
	const rule = `must be letters, digits, spaces, ".", "_" and "-", not starting with ".", "-", "+", "=" or "@", of at most 64 characters`
	bad := s == "" || utf8.RuneCountInString(s) > MaxName || strings.TrimSpace(s) != s || strings.ContainsRune(".-+=@", rune(s[0]))
	for _, r := range s {
		if !nameRune(r) {
			bad = true
		}
	}
	if !bad {
		return nil
	}
	if safe := SafeName(s); safe != s {
		return fmt.Errorf("%s (a name, never a path), got %q (did you mean %q?)", rule, s, safe)
	}
	return fmt.Errorf("%s (a name, never a path), got %q", rule, s)
}

func nameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '.' || r == '_' || r == '-'
}

// SafeName makes a valid name (CheckName) out of any text: other
// characters become "-", runs of "-" one, leading dots, signs and spaces
// are dropped, and it is cut to MaxName characters; "scenario" if nothing
// is left.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !nameRune(r) {
			r = '-'
		}
		if r == '-' && strings.HasSuffix(b.String(), "-") {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimLeft(b.String(), ".-+=@ ")
	if r := []rune(out); len(r) > MaxName {
		out = string(r[:MaxName])
	}
	out = strings.TrimRight(out, " -")
	if out == "" {
		return "scenario"
	}
	return out
}

// ident reads a scenario or variant name (CheckName).
func (f *file) ident(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		f.problem(path, "must be text in quotes, got %s", describe(v))
		return ""
	}
	if err := CheckName(s); err != nil {
		f.problem(path, "%v", err)
		return SafeName(s)
	}
	return s
}

func (f *file) int(path string, v any, lo, hi float64) int {
	n, ok := v.(int64)
	if !ok || float64(n) < lo || float64(n) > hi {
		allowed := fmt.Sprintf("a whole number from %.0f to %.0f", lo, hi)
		if hi >= 1e18 {
			allowed = fmt.Sprintf("a whole number ≥ %.0f", lo)
		}
		f.problem(path, "must be %s, got %s", allowed, describe(v))
		return int(lo)
	}
	return int(n)
}

// MaxScale is the largest area size factor a scenario or --scale accepts.
const MaxScale = 100000

// scale checks an area size factor: a number in (0, MaxScale].
func (f *file) scale(path string, v any) float64 {
	var x float64
	switch n := v.(type) {
	case int64:
		x = float64(n)
	case float64:
		x = n
	default:
		x = math.NaN()
	}
	if !(x > 0 && x <= MaxScale) {
		f.problem(path, "must be a number above 0 and at most %d (1: the area as described; 6097.56: 10^6 actors from the default area), got %s", MaxScale, describe(v))
		return 1
	}
	return x
}

// params applies a table of parameters of one group to p.
func (f *file) params(path, group string, v any, p *sim.Params, origins map[string]string) []Setting {
	tbl, ok := v.(map[string]any)
	if !ok {
		f.problem(path, "must be a table ([%s]), got %s", group, describe(v))
		return nil
	}
	var known []string
	for _, s := range p.Specs() {
		if s.Group == group {
			known = append(known, s.Key)
		}
	}
	var set []Setting
	for _, k := range slices.Sorted(maps.Keys(tbl)) {
		kp := path + "." + k
		spec, ok := p.Spec(group + "." + k)
		if !ok {
			f.unknownParam(kp, group, k, known, p)
			continue
		}
		if err := spec.Set(goValue(tbl[k])); err != nil {
			f.problem(kp, "%v", err)
			continue
		}
		x := f.at(kp)
		origin := fmt.Sprintf("%s line %d", f.name, x.line)
		if origins != nil {
			origins[spec.Path()] = origin
		}
		set = append(set, Setting{Path: spec.Path(), Value: spec.Value(), Origin: origin})
	}
	return set
}

// unknownParam reports an unknown parameter key, pointing to another group
// when the key, or failing that a key close to it, lives there and nothing
// in its own group is close.
func (f *file) unknownParam(path, group, key string, known []string, p *sim.Params) {
	for _, g := range groups {
		if _, ok := p.Spec(g + "." + key); ok && g != group {
			f.problem(path, "is not in [%s] (did you mean [%s] %s?)", group, g, key)
			return
		}
	}
	if suggest.Nearest(key, known) == "" {
		var elsewhere, their []string
		for _, s := range p.Specs() {
			if s.Group != group {
				elsewhere, their = append(elsewhere, s.Key), append(their, s.Group)
			}
		}
		if k := suggest.Nearest(key, elsewhere); k != "" {
			g := their[slices.Index(elsewhere, k)]
			f.problem(path, "is not a known key of [%s] (did you mean [%s] %s?)", group, g, k)
			return
		}
	}
	f.unknown(path, key, known)
}

// interventions reads an array of intervention tables.
func (f *file) interventions(path string, v any) []sim.Intervention {
	list, ok := f.tables(path, v)
	if !ok {
		return nil
	}
	var out []sim.Intervention
	for i, tbl := range list {
		ip := fmt.Sprintf("%s[%d]", path, i)
		typ, ok := tbl["type"].(string)
		if !ok {
			f.problem(ip, "needs type = one of %s", strings.Join(sim.Kinds, ", "))
			continue
		}
		iv, err := sim.NewIntervention(typ)
		if err != nil {
			kinds := slices.Clone(sim.Kinds)
			msg := fmt.Sprintf("unknown intervention type %q (allowed: %s)", typ, strings.Join(kinds, ", "))
			if s := suggest.Nearest(typ, kinds); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			f.problem(ip+".type", "%s", msg)
			continue
		}
		specs := iv.Specs()
		var known []string
		for _, s := range specs {
			known = append(known, s.Key)
		}
		bad := false
		for _, k := range slices.Sorted(maps.Keys(tbl)) {
			if k == "type" {
				continue
			}
			kp := ip + "." + k
			i := slices.IndexFunc(specs, func(s sim.Spec) bool { return s.Key == k })
			if i < 0 {
				f.unknown(kp, k, append(known, "type"))
				bad = true
				continue
			}
			if err := specs[i].Set(goValue(tbl[k])); err != nil {
				f.problem(kp, "%v", err)
				bad = true
			}
		}
		if bad {
			continue
		}
		if err := iv.Validate(); err != nil {
			for _, e := range strings.Split(err.Error(), "\n") {
				f.problem(ip, "(%s) %s", typ, e)
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// tables reads an array of tables at path, or reports what it got instead;
// the message names the TOML header to use ([[variants.interventions]]).
func (f *file) tables(path string, v any) ([]map[string]any, bool) {
	list, ok := v.([]map[string]any)
	if !ok {
		header := regexp.MustCompile(`\[\d+\]`).ReplaceAllString(path, "")
		f.problem(path, "must be an array of tables ([[%s]]), got %s", header, describe(v))
	}
	return list, ok
}

// variants reads the [[variants]] tables.
func (f *file) variants(v any) []Variant {
	list, ok := f.tables("variants", v)
	if !ok {
		return nil
	}
	var out []Variant
	seen := map[string]bool{}
	for i, tbl := range list {
		vp := fmt.Sprintf("variants[%d]", i)
		var nv Variant
		scratch := sim.Defaults()
		for _, k := range slices.Sorted(maps.Keys(tbl)) {
			kp := vp + "." + k
			switch k {
			case "name":
				nv.Name = f.ident(kp, tbl[k])
			case "description":
				nv.Description = f.str(kp, tbl[k])
			case "area", "population", "model":
				nv.Set = append(nv.Set, f.params(kp, k, tbl[k], &scratch, nil)...)
			case "interventions":
				nv.Interventions = f.interventions(kp, tbl[k])
			default:
				f.unknown(kp, k, variantKeys)
			}
		}
		switch {
		case nv.Name == "":
			f.problem(vp, "needs a name")
		case seen[nv.Name]:
			f.problem(vp+".name", "%q is used twice", nv.Name)
		default:
			seen[nv.Name] = true
			out = append(out, nv)
		}
	}
	return out
}

// Variant returns the variant with the given name.
func (s *Scenario) Variant(name string) (Variant, bool) {
	i := slices.IndexFunc(s.Variants, func(v Variant) bool { return v.Name == name })
	if i < 0 {
		return Variant{}, false
	}
	return s.Variants[i], true
}

// Config returns the parameters and interventions of a variant: the
// scenario's, with the variant's overrides and interventions added.
func (s *Scenario) Config(variant string) (sim.Config, error) {
	v, ok := s.Variant(variant)
	if !ok {
		return sim.Config{}, fmt.Errorf("no variant %q (variants: %s)", variant, strings.Join(s.VariantNames(), ", "))
	}
	p := s.Params
	for _, st := range v.Set {
		spec, _ := p.Spec(st.Path)
		if err := spec.Set(st.Value); err != nil {
			return sim.Config{}, fmt.Errorf("%s %v", st.Path, err)
		}
	}
	if err := p.Validate(); err != nil {
		return sim.Config{}, err
	}
	return sim.Scale(sim.Config{Params: p, Standing: slices.Clone(s.Interventions), Interventions: slices.Clone(v.Interventions),
		Warmup: s.Warmup, Ticks: s.Ticks, Seed: s.Seed}, s.Scale), nil
}

// VariantNames lists the variants in order.
func (s *Scenario) VariantNames() []string {
	n := make([]string, len(s.Variants))
	for i, v := range s.Variants {
		n[i] = v.Name
	}
	return n
}

// goValue turns a value of the TOML library into the Go value sim.Spec.Set
// takes: int64 into int, an array of numbers into []float64; float64, bool
// and string stay. Any other value (a table, an array holding text or
// tables, a date) becomes a tomlValue, which Set refuses and its message
// shows as the file reads.
func goValue(v any) any {
	switch t := v.(type) {
	case int64:
		return int(t)
	case float64, bool, string:
		return t
	case []any:
		xs := make([]float64, 0, len(t))
		for _, e := range t {
			switch n := e.(type) {
			case float64:
				xs = append(xs, n)
			case int64:
				xs = append(xs, float64(n))
			default:
				return tomlValue{v}
			}
		}
		return xs
	}
	return tomlValue{v}
}

// tomlValue is a TOML value that no parameter takes. Its String is how a
// parameter's message shows it: "a table", "a list [0.3 x]", or as
// printed.
type tomlValue struct{ v any }

func (t tomlValue) String() string {
	switch x := t.v.(type) {
	case map[string]any:
		return "a table"
	case []any:
		return fmt.Sprintf("a list %v", x)
	}
	return fmt.Sprintf("%v", t.v)
}

func describe(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", t)
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return fmt.Sprintf("the list %v", t)
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%v", v)
}

func positionSnippet(pe toml.ParseError) string {
	// Keep the library's excerpt with its ^^^ marker; drop its message and
	// "At line …" lines, which the problem's own prefix already gives.
	var keep []string
	for _, l := range strings.Split(pe.ErrorWithPosition(), "\n") {
		if strings.HasPrefix(l, "toml: ") || strings.HasPrefix(l, "At line") || strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
