package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hybridsim/hybridsim/docs"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

func cmdValidate(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("validate", "FILE...", "Loads and checks each scenario, sweep or calibration file (a sweep or calibration\nfile is checked as one, its scenario included); prints ok or every problem.", stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("validate needs at least one scenario")
	}
	bad := 0
	for _, ref := range fs.Args() {
		load := func(ref string) error { _, err := scenarios.Load(ref); return err }
		if scenarios.IsCalibrationFile(ref) {
			load = func(ref string) error { _, err := scenarios.LoadCalibration(ref); return err }
		} else if scenarios.IsSweepFile(ref) {
			load = func(ref string) error { _, err := scenarios.LoadSweep(ref); return err }
		}
		if err := load(ref); err != nil {
			bad++
			n := 1
			var se *scenarios.Error
			if errors.As(err, &se) {
				n = len(se.Problems)
			}
			fmt.Fprintf(stdout, "%s: %d problem(s)\n%v\n", ref, n, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", ref)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d files have problems", bad, fs.NArg())
	}
	return nil
}

func cmdPresets(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("presets", "", "Lists the embedded presets with their one-line description.", stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, n := range scenarios.Presets() {
		s, err := scenarios.Load(n)
		if err != nil {
			return err
		}
		mark := ""
		if n == scenarios.DefaultPreset {
			mark = " (default)"
		}
		fmt.Fprintf(stdout, "%-24s %s%s\n", n, s.Description, mark)
	}
	return nil
}

// initTemplate is the scenario file init writes: every key commented out
// with its default, what it may be and what it means, generated from the
// model's parameter table, so it stays true when the model changes.
func initTemplate(path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# A hybridsim scenario. It extends the default preset: everything not set
# here comes from there (see 'hybridsim explain default'). Check it with
# 'hybridsim validate %[1]s' and run it with 'hybridsim run %[1]s'.
# Each commented-out key shows its default and, after #, what it may be.
extends = "default"     # a preset (hybridsim presets) or a scenario file
name = "my-area"        # letters, digits, spaces, . _ - (at most 64; not a path)
description = "My area: describe what you are exploring."
# ticks = 156           # weeks, a whole number from 1 to %[2]d
# replications = 30     # a whole number from 1 to %[3]d
# seed = 1              # a whole number from 0 to %[4]d
# scale = 1             # above 0, at most %[5]d: the whole area × this; 6097.56 = 10^6 actors
`, path, scenarios.MaxTicks, scenarios.MaxReplications, uint64(scenarios.MaxSeed), scenarios.MaxScale)
	p := sim.Defaults()
	for _, group := range []struct {
		name string
		keys []string
	}{
		{"area", []string{"urbanity", "civil_society", "migrant_share", "cultural_sensitivity", "households", "explicit_rate"}},
		{"population", []string{"professionals", "informal", "coordinators"}},
	} {
		fmt.Fprintf(&b, "\n[%s]\n", group.name)
		for _, k := range group.keys {
			sp, ok := p.Spec(group.name + "." + k)
			if !ok {
				continue
			}
			meaning := sp.Meaning
			if sp.Unit != "" {
				meaning += " (" + sp.Unit + ")"
			}
			fmt.Fprintf(&b, "# %-28s # %s: %s\n", fmt.Sprintf("%s = %v", k, sp.Value()), sp.Allowed(), meaning)
		}
	}
	eg, _ := sim.NewIntervention("end_goal")
	b.WriteString("\n# Interventions in force in every variant, e.g. an end goal of your own:\n# [[interventions]]\n# type = \"end_goal\"\n")
	for _, sp := range eg.Specs() {
		if sp.Key == "at" || sp.Key == "perspective" || sp.Key == "clarity" {
			fmt.Fprintf(&b, "# %-28s # %s: %s\n", fmt.Sprintf("%s = %s", sp.Key, tomlValue(sp.Value())), sp.Allowed(), sp.Meaning)
		}
	}
	b.WriteString(`
# The default preset's variants (hybridsim explain default) are inherited.
# Add your own, or replace one by using its name:
[[variants]]
name = "monthly-wijktafel"   # a name, as for the scenario
description = "Wijktafels every four weeks, more attractive to informal parties."
  [[variants.interventions]]
  type = "wijktafel"
`)
	wt, _ := sim.NewIntervention("wijktafel")
	for _, sp := range wt.Specs() {
		switch sp.Key {
		case "every":
			fmt.Fprintf(&b, "  %-28s # %s: %s\n", "every = 4", sp.Allowed(), sp.Meaning)
		case "attractiveness":
			fmt.Fprintf(&b, "  %-28s # %s: %s\n", "attractiveness = 0.8", sp.Allowed(), sp.Meaning)
		}
	}
	return b.String()
}

// tomlValue writes a value as TOML does (text in quotes).
func tomlValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func cmdInit(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("init", "FILE", "Writes a commented scenario template that extends the default preset.", stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("init needs one file name")
	}
	path := fs.Arg(0)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%s exists already; choose another name", path)
		}
		return err
	}
	if _, err := io.WriteString(f, initTemplate(path)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s; edit it, then: hybridsim validate %s && hybridsim run %s\n", path, path, path)
	return nil
}

func cmdExplain(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("explain", "SCENARIO", "Prints every value that differs from the model's defaults and where it comes from,\nand the interventions of each variant.", stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("explain needs one scenario")
	}
	s, err := scenarios.Load(fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, s.Explain())
	return nil
}

func cmdODD(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("odd", "", "Prints the parameter tables of docs/ODD.md, generated from the code, in Markdown.", stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := io.WriteString(stdout, docs.ParameterTables())
	return err
}
