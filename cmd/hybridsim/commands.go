package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hybridsim/hybridsim/docs"
	"github.com/hybridsim/hybridsim/scenarios"
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

const template = `# A hybridsim scenario. It extends the default preset: everything not set
# here comes from there (see 'hybridsim explain default'). Check it with
# 'hybridsim validate %[1]s' and run it with 'hybridsim run %[1]s'.
extends = "default"     # or a preset: amsterdam-oud-noord, hoorn, ... or a file
name = "my-area"
description = "My area: describe what you are exploring."
# ticks = 156           # weeks (three years)
# replications = 30
# seed = 1
# scale = 1             # the whole area × this (actors, households); 6097.56 = 10^6 actors

[area]
# urbanity = 0.5               # 0–1: big-city anonymity and weight of problems
# civil_society = 0.5          # 0–1: activity and reach of local civil society
# migrant_share = 0.3          # 0–1: households with a migrant background
# cultural_sensitivity = 0.5   # 0–1: of the formal side, as migrant households see it
# households = 5000
# explicit_rate = 0.0015       # help requests per household per week

[population]
# professionals = 40
# informal = 150
# coordinators = 2

# Interventions in force in every variant, e.g. an end goal of your own:
# [[interventions]]
# type = "end_goal"            # none | accessibility | accessibility_plus | civil_society
# at = 0
# perspective = "accessibility_plus"
# clarity = 0.5

# The default preset's seven variants (baseline, wijktafels, social-reflection,
# clear-end-goal, intermediaries, all-three, push-only) are inherited. Add your
# own, or replace one by using its name:
[[variants]]
name = "monthly-wijktafel"
description = "Wijktafels every four weeks, more attractive to informal parties."
  [[variants.interventions]]
  type = "wijktafel"
  every = 4
  attractiveness = 0.8
`

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
	if _, err := fmt.Fprintf(f, template, path); err != nil {
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
