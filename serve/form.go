package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Form is what the page's set-up panel sends: the base scenario, the run's
// size, parameter values of the area, and the interventions switched on in
// the what-if variant. Values stay JSON literals (json.Number, string,
// bool) until they are written into the scenario document, so that the
// scenario loader sees exactly what the user typed.
type Form struct {
	Session       string             `json:"session"`  // the page's id: a new run of a session cancels its old one
	Scenario      string             `json:"scenario"` // a preset name, or "file" for the scenario given on the command line
	Weeks         json.Number        `json:"weeks"`
	Replications  json.Number        `json:"replications"`
	Seed          json.Number        `json:"seed"`
	Params        map[string]any     `json:"params"` // "area.urbanity" → value
	Interventions []FormIntervention `json:"interventions"`
}

// FormIntervention is one intervention of the what-if variant.
type FormIntervention struct {
	Type   string         `json:"type"`
	Values map[string]any `json:"values"` // key → value; keys not given keep the preset's value
}

// Variant names of the comparison.
const (
	Baseline = "baseline"
	WhatIf   = "what-if"
)

// docName is the name the scenario document built from a form has in the
// loader's messages.
const docName = "what-if.toml"

var (
	keyRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	pathRE = regexp.MustCompile(`^(area|population|model)\.[a-z][a-z0-9_]{0,63}$`)
)

// decodeForm reads a Form from r strictly: unknown fields, trailing data
// and values that are neither numbers, text nor true/false are errors.
func decodeForm(r io.Reader) (*Form, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var f Form
	if err := dec.Decode(&f); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, jsonError(err)
	}
	if dec.More() {
		return nil, errors.New("malformed request: more than one JSON value in the body")
	}
	return &f, nil
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("malformed request: the body is empty (it must be a JSON object)")
	case errors.As(err, &se):
		return fmt.Errorf("malformed request: %v (at byte %d)", se, se.Offset)
	case errors.As(err, &te):
		return fmt.Errorf("malformed request: %s must be %s, got a JSON %s", te.Field, te.Type, te.Value)
	}
	return fmt.Errorf("malformed request: %v", err)
}

// literal writes a form value as a TOML literal. Numbers are written as
// typed (a JSON number is a valid TOML number); text is quoted and may not
// hold control characters; anything else is refused.
func literal(name string, v any) (string, error) {
	switch t := v.(type) {
	case json.Number:
		return t.String(), nil
	case bool:
		return fmt.Sprint(t), nil
	case string:
		if len(t) > 200 || strings.IndexFunc(t, unicode.IsControl) >= 0 {
			return "", fmt.Errorf("%s must be text of at most 200 characters without control characters", name)
		}
		return scenarios.Format(t), nil
	}
	return "", fmt.Errorf("%s must be a number, text or true/false, got %s", name, describeJSON(v))
}

func describeJSON(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}

// document is a scenario file built from a form over a base scenario, and
// what each key path of the loader's messages means on the page.
type document struct {
	text     string
	controls map[string]string // loader key path → control id ("area.urbanity", "wijktafel.start")
}

// buildDocument writes the form as a self-contained scenario file: every
// parameter of the base scenario (the form's values where it gives them),
// the base's interventions in force in every variant, and two variants:
// "baseline" (the base's own baseline, if any) and "what-if" with the
// form's interventions. Each intervention starts from init (the values the
// page starts from) and takes the form's values over them.
func buildDocument(base *scenarios.Scenario, init map[string]sim.Intervention, f *Form) (*document, error) {
	d := &document{controls: map[string]string{}}
	var b strings.Builder
	var errs []error
	lit := func(name string, v any, def string) string {
		s, err := literal(name, v)
		if err != nil {
			errs = append(errs, err)
			return def
		}
		return s
	}
	num := func(name string, n json.Number, def int) string {
		if n == "" {
			return fmt.Sprint(def)
		}
		return lit(name, n, "")
	}
	fmt.Fprintf(&b, "# A what-if comparison made with 'hybridsim serve' on %s.\n", base.File)
	fmt.Fprintf(&b, "# 'hybridsim run THIS-FILE' reproduces it: variants %q and %q on the same random numbers.\n", Baseline, WhatIf)
	// Everything before the variants is the base scenario as resolved
	// (Canonical: every top-level key, every parameter table and the
	// interventions in force in every variant), with the form's values put
	// in: the page sets the name, the run's size, the seed and the area's
	// parameters, and anything the page does not show keeps the base's
	// value, whatever keys the model has.
	top := map[string]string{
		"name":         scenarios.Format(base.Name + "-what-if"),
		"description":  scenarios.Format("What-if on " + base.Name + ": " + base.Description),
		"ticks":        num("weeks", f.Weeks, base.Ticks),
		"replications": num("replications", f.Replications, base.Replications),
		"seed":         num("seed", f.Seed, int(base.Seed)),
	}
	d.controls["ticks"], d.controls["replications"], d.controls["seed"] = "weeks", "replications", "seed"
	given := map[string]bool{}
	for _, path := range slices.Sorted(maps.Keys(f.Params)) {
		if !pathRE.MatchString(path) {
			errs = append(errs, fmt.Errorf("params: %q is not a parameter path (group.key, with group area, population or model)", path))
			continue
		}
		given[path] = false // true once written
	}
	// unwritten writes the form's keys of a table that the base does not
	// have, so that the loader names them (and suggests the nearest known
	// one) as it would in a file.
	unwritten := func(table string) {
		for _, path := range slices.Sorted(maps.Keys(given)) {
			if k, ok := strings.CutPrefix(path, table+"."); ok && !given[path] {
				fmt.Fprintf(&b, "%s = %s\n", k, lit(path, f.Params[path], "0"))
				d.controls[path] = path
				given[path] = true
			}
		}
	}
	head := base.Canonical()
	if i := strings.Index(head, "\n[[variants]]"); i >= 0 {
		head = head[:i+1]
	}
	table := ""
	for _, line := range strings.Split(strings.TrimSuffix(head, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			unwritten(table)
			table = strings.TrimSuffix(strings.TrimPrefix(line, "["), "]") // "[interventions]" for [[interventions]]: nothing of the form goes there
		}
		if key, _, ok := strings.Cut(line, " = "); ok && !strings.HasPrefix(table, "[") {
			path := key
			if table != "" {
				path = table + "." + key
			}
			if v, ok := top[path]; ok && table == "" {
				line = key + " = " + v
			} else if done, ok := given[path]; ok && !done {
				line = key + " = " + lit(path, f.Params[path], "0")
				d.controls[path] = path
				given[path] = true
			}
		}
		b.WriteString(line + "\n")
	}
	unwritten(table)
	for _, g := range []string{"area", "population", "model"} {
		if strings.Contains(head, "\n["+g+"]\n") {
			continue
		}
		fmt.Fprintf(&b, "\n[%s]\n", g)
		unwritten(g)
	}
	fmt.Fprintf(&b, "\n[[variants]]\nname = %q\ndescription = %s\n", Baseline, scenarios.Format("The area as it is: "+base.Name+"'s baseline."))
	if bv, ok := base.Variant(Baseline); ok {
		writeSettings(&b, bv.Set)
		for _, iv := range bv.Interventions {
			b.WriteString("  [[variants.interventions]]\n")
			writeIntervention(&b, "  ", iv, nil, lit)
		}
	}
	fmt.Fprintf(&b, "\n[[variants]]\nname = %q\ndescription = %q\n", WhatIf, "The baseline with the interventions chosen on the page.")
	n := 0
	if bv, ok := base.Variant(Baseline); ok {
		writeSettings(&b, bv.Set)
		for _, iv := range bv.Interventions {
			b.WriteString("  [[variants.interventions]]\n")
			writeIntervention(&b, "  ", iv, nil, lit)
			n++
		}
	}
	seen := map[string]bool{}
	for i, fi := range f.Interventions {
		if !keyRE.MatchString(fi.Type) {
			errs = append(errs, fmt.Errorf("interventions[%d]: type %q is not a name (allowed: %s)", i, fi.Type, strings.Join(sim.Kinds, ", ")))
			continue
		}
		// The page has one switch per kind; thousands of wijktafels in one
		// request would only make a run endless.
		if seen[fi.Type] {
			errs = append(errs, fmt.Errorf("interventions[%d]: %s is given twice (the page sends each kind once)", i, fi.Type))
			continue
		}
		seen[fi.Type] = true
		for _, k := range slices.Sorted(maps.Keys(fi.Values)) {
			if !keyRE.MatchString(k) || k == "type" {
				errs = append(errs, fmt.Errorf("interventions[%d] (%s): %q is not a parameter key", i, fi.Type, k))
			}
		}
		path := fmt.Sprintf("variants[1].interventions[%d]", n)
		d.controls[path] = fi.Type
		b.WriteString("  [[variants.interventions]]\n")
		iv, ok := init[fi.Type]
		if !ok {
			// An unknown type: written as given, so that the loader names it.
			fmt.Fprintf(&b, "  type = %s\n", lit("type", fi.Type, `""`))
			for _, k := range slices.Sorted(maps.Keys(fi.Values)) {
				if keyRE.MatchString(k) {
					fmt.Fprintf(&b, "  %s = %s\n", k, lit(fi.Type+"."+k, fi.Values[k], "0"))
				}
			}
		} else {
			writeIntervention(&b, "  ", iv, fi.Values, lit)
			for _, sp := range iv.Specs() {
				d.controls[path+"."+sp.Key] = fi.Type + "." + sp.Key
			}
			for _, k := range slices.Sorted(maps.Keys(fi.Values)) {
				d.controls[path+"."+k] = fi.Type + "." + k
			}
		}
		n++
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	d.text = b.String()
	return d, nil
}

// writeIntervention writes an intervention's type and every parameter, the
// form's value where values has one; keys of values the intervention does
// not have are written too, for the loader to name.
func writeIntervention(b *strings.Builder, ind string, iv sim.Intervention, values map[string]any, lit func(string, any, string) string) {
	fmt.Fprintf(b, "%stype = %s\n", ind, scenarios.Format(iv.Kind()))
	known := map[string]bool{}
	for _, sp := range iv.Specs() {
		known[sp.Key] = true
		v := scenarios.Format(sp.Value())
		if x, ok := values[sp.Key]; ok {
			v = lit(iv.Kind()+"."+sp.Key, x, v)
		}
		fmt.Fprintf(b, "%s%s = %s\n", ind, sp.Key, v)
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if !known[k] && keyRE.MatchString(k) {
			fmt.Fprintf(b, "%s%s = %s\n", ind, k, lit(iv.Kind()+"."+k, values[k], "0"))
		}
	}
}

func writeSettings(b *strings.Builder, set []scenarios.Setting) {
	for _, g := range []string{"area", "population", "model"} {
		first := true
		for _, st := range set {
			if k, ok := strings.CutPrefix(st.Path, g+"."); ok {
				if first {
					fmt.Fprintf(b, "  [variants.%s]\n", g)
					first = false
				}
				fmt.Fprintf(b, "  %s = %s\n", k, scenarios.Format(st.Value))
			}
		}
	}
}

// Problem is one fault of a form, for the page: the control it concerns
// ("" when none in particular) and the loader's message.
type Problem struct {
	Control string `json:"control"`
	Message string `json:"message"`
}

// problems maps the loader's error to the page's controls.
func (d *document) problems(err error) []Problem {
	var se *scenarios.Error
	if !errors.As(err, &se) {
		return []Problem{{Message: err.Error()}}
	}
	var out []Problem
	for _, p := range se.Problems {
		c := ""
		// The most specific key path the document knows.
		for k := p.Key; k != ""; {
			if x, ok := d.controls[k]; ok {
				c = x
				break
			}
			i := strings.LastIndexAny(k, ".[")
			if i < 0 {
				break
			}
			k = k[:i]
		}
		if c == "" {
			// Relations between parameters name the paths in the message.
			for k, x := range d.controls {
				if strings.Contains(p.Msg, k+" ") && (c == "" || k < c) {
					c = x
				}
			}
		}
		out = append(out, Problem{Control: c, Message: p.Error()})
	}
	return out
}

// load checks the document with the scenario loader, as a file would be.
func (d *document) load() (*scenarios.Scenario, error) {
	return scenarios.Parse(docName, []byte(d.text))
}

// initialInterventions returns, for each intervention kind, the values the
// page starts from: those of the first variant of base that uses the kind
// (so "wijktafel" starts as in the preset's wijktafels variant), else the
// kind's defaults.
func initialInterventions(base *scenarios.Scenario) map[string]sim.Intervention {
	out := map[string]sim.Intervention{}
	for _, v := range base.Variants {
		for _, iv := range v.Interventions {
			if _, ok := out[iv.Kind()]; !ok {
				out[iv.Kind()] = iv
			}
		}
	}
	for _, k := range sim.Kinds {
		if _, ok := out[k]; !ok {
			iv, err := sim.NewIntervention(k)
			if err == nil {
				out[k] = iv
			}
		}
	}
	return out
}
