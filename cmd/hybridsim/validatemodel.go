package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hybridsim/hybridsim/validation"
)

func cmdValidateModel(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("validate-model", "[--reps N]", "Runs the pattern checks of MODEL.md section 7 on the five area presets and prints\npattern, measured value, threshold and pass or fail. Exit status 1 if any fails.", stdout)
	reps := fs.Int("reps", 20, "replications per preset and variant")
	seed := fs.Uint64("seed", 1, "base seed")
	workers := fs.Int("workers", 0, "runs in parallel (default: all cores)")
	sens := fs.Bool("sensitivity", false, "instead, run the one-at-a-time sensitivity sweep of docs/ODD.md and print its table")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *reps < 2 {
		return usagef("--reps must be ≥ 2, got %d", *reps)
	}
	if *sens {
		ss, err := validation.OAT(ctx, validation.Options{Reps: *reps, Seed: *seed, Workers: *workers})
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, validation.SensitivityTable(ss, 3))
		return nil
	}
	checks, err := validation.Run(ctx, validation.Options{Reps: *reps, Seed: *seed, Workers: *workers})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, validation.Table(checks))
	if n := validation.Failed(checks); n > 0 {
		return fmt.Errorf("%d of %d pattern checks fail", n, len(checks))
	}
	return nil
}
