package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/validation"
)

func cmdValidateModel(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("validate-model", "[--reps N]", "Runs the checks of the ten patterns of docs/ODD.md §12 on the five area presets and\nprints pattern, measured value, threshold and pass or fail. Exit status 1 if any fails.", stdout)
	var reps, workers int
	var seed uint64 = 1
	var seedSet bool
	intFlag(fs, &reps, "reps", 20, 2, scenarios.MaxReplications, "replications `N` per preset and variant (default 20)")
	seedFlag(fs, &seed, &seedSet, "base seed `S` (default 1)")
	intFlag(fs, &workers, "workers", runtime.NumCPU(), 1, maxWorkers, "runs in parallel `N` (default: all cores)")
	sens := fs.Bool("sensitivity", false, "instead, vary each coefficient by ±25% one at a time and print which patterns fail (docs/ODD.md §13)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *sens {
		ss, err := validation.OAT(ctx, validation.Options{Reps: reps, Seed: seed, Workers: workers})
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, validation.SensitivityTable(ss))
		return nil
	}
	checks, err := validation.Run(ctx, validation.Options{Reps: reps, Seed: seed, Workers: workers})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, validation.Table(checks))
	if n := validation.Failed(checks); n > 0 {
		return fmt.Errorf("%d of %d pattern checks fail", n, len(checks))
	}
	return nil
}
