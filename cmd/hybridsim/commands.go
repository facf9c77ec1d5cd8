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
		size := ""
		load := func(ref string) error { _, err := scenarios.Load(ref); return err }
		if scenarios.IsCalibrationFile(ref) {
			load = func(ref string) error { _, err := scenarios.LoadCalibration(ref); return err }
		} else if scenarios.IsSweepFile(ref) {
			load = func(ref string) error {
				sw, err := scenarios.LoadSweep(ref)
				if err == nil {
					size = " (" + sw.Size() + ")"
					for _, w := range sw.Idle() {
						size += "\n  note: " + w
					}
				}
				return err
			}
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
		fmt.Fprintf(stdout, "%s: ok%s\n", ref, size)
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
	if _, err := io.WriteString(f, scenarios.Template(path)); err != nil {
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
