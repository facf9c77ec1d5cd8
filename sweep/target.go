package sweep

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
)

// TargetResult is what a replication-count search reached.
type TargetResult struct {
	Reps      int     // replications of the final sweep
	HalfWidth float64 // the largest 95% half-width over points, variants and outputs
	Reached   bool    // HalfWidth ≤ the target
}

// Target runs the sweep with its own replications, then 2×, 4×, … (capped
// at maxReps) until the 95% interval half-width t(0.975, n−1)·sd/√n of
// every output's replication mean, at every design point and variant, is at
// most hw; the last round is merged into dir. Because a run's seed depends
// on its design point and replication only, the first n replications of a
// larger round are the same runs as before: the order is deterministic.
func Target(ctx context.Context, sw *scenarios.Sweep, dir string, hw float64, maxReps int, opt ShardOptions, write func(string, *Plan, Means) ([]string, error)) (TargetResult, error) {
	s := *sw
	if err := output.Check(dir, opt.Force); err != nil {
		return TargetResult{}, err
	}
	work := filepath.Clean(dir) + ".target"
	if err := output.Own(work, ShardFiles); err != nil {
		return TargetResult{}, err
	}
	defer output.RemoveOwned(work)
	for {
		p := NewPlan(&s)
		if err := output.RemoveOwned(work); err != nil {
			return TargetResult{}, err
		}
		o := opt
		o.Dir, o.Shard, o.Shards, o.Resume = work, 1, 1, false
		if err := RunShard(ctx, p, o); err != nil {
			return TargetResult{}, err
		}
		w, err := maxHalfWidth(p, filepath.Join(work, "runs.csv"))
		if err != nil {
			return TargetResult{}, err
		}
		if w <= hw || s.Reps >= maxReps {
			if err := Merge(ctx, p, []string{work}, dir, opt.Force, write); err != nil {
				return TargetResult{}, err
			}
			return TargetResult{Reps: s.Reps, HalfWidth: w, Reached: w <= hw}, nil
		}
		s.Reps = min(2*s.Reps, maxReps)
	}
}

// maxHalfWidth reads runs.csv and returns the largest 95% half-width of an
// output's mean over replications (experiment.HalfWidth). The rows are in
// run order, so the replications of a design point and variant follow each
// other: one group's values are held at a time.
func maxHalfWidth(p *Plan, path string) (float64, error) {
	if p.Sweep.Reps < 2 {
		return math.Inf(1), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	reps, no := p.Sweep.Reps, len(p.Sweep.Outputs)
	group := make([][]float64, no) // [output][rep] of the current point and variant
	for o := range group {
		group[o] = make([]float64, reps)
	}
	first := 5 + len(p.Sweep.Params)
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil { // header
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	worst := 0.0
	for r := range p.Runs() {
		fields, err := cr.Read()
		if err == io.EOF {
			return 0, fmt.Errorf("%s ends before run %d", path, r)
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		if fields[0] != strconv.Itoa(r) || len(fields) != first+no {
			return 0, fmt.Errorf("%s: expected run %d, found %.80q", path, r, strings.TrimSuffix(output.Record(fields...), "\n"))
		}
		_, _, rep := p.Run(r)
		for o := range no {
			if group[o][rep], err = strconv.ParseFloat(fields[first+o], 64); err != nil {
				return 0, fmt.Errorf("%s, run %d: %w", path, r, err)
			}
			if rep == reps-1 {
				worst = math.Max(worst, experiment.HalfWidth(group[o]))
			}
		}
	}
	if _, err := cr.Read(); err != io.EOF {
		return 0, fmt.Errorf("%s has more rows than the sweep has runs", path)
	}
	return worst, nil
}
