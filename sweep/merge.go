package sweep

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/output"
)

// Means are the outputs averaged over replications: [point][variant][output].
type Means [][][]float64

// Merge combines finished shards into dir: runs.csv (every run in run
// order), indices.csv (Morris or Sobol indices of each variant and output)
// and, through write, anything else (charts, manifest). Merging the shards
// of any split gives the same bytes as the unsplit sweep. The directory
// appears only when complete.
//
// dir is replaced only as output.Replace allows (force: even when it holds
// files hybridsim did not write); it is checked before the shards are read.
func Merge(ctx context.Context, p *Plan, dirs []string, dir string, force bool, write func(tmp string, p *Plan, m Means) ([]string, error)) error {
	if err := output.Check(dir, force); err != nil {
		return err
	}
	readers, where, closeAll, err := readShards(p, dirs)
	if err != nil {
		return err
	}
	defer closeAll()
	sw := p.Sweep
	np, nv, no := len(p.Design.Points), len(sw.Variants), len(sw.Outputs)
	means := make(Means, np)
	for i := range means {
		means[i] = make([][]float64, nv)
		for v := range means[i] {
			means[i][v] = make([]float64, no)
		}
	}
	first := 5 + len(sw.Params)
	return output.Replace(dir, force, func(tmp string) error {
		err := output.Create(tmp, "runs.csv", func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(p.columns())
			n := len(readers)
			for r := range p.Runs() {
				if r%10000 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				f, err := readers[r%n].Read()
				if err == io.EOF {
					return fmt.Errorf("shard %d/%d in %s ends before run %d: it is incomplete", r%n+1, n, where[r%n], r)
				}
				if err != nil {
					return fmt.Errorf("shard %d/%d in %s: %w", r%n+1, n, where[r%n], err)
				}
				if f[0] != strconv.Itoa(r) || len(f) != first+no {
					return fmt.Errorf("shard %d/%d in %s: expected run %d, found %.80q", r%n+1, n, where[r%n], r, strings.TrimSuffix(output.Record(f...), "\n"))
				}
				pt, v, _ := p.Run(r)
				for o := range no {
					x, err := strconv.ParseFloat(f[first+o], 64)
					if err != nil {
						return fmt.Errorf("shard %d/%d in %s, run %d: %w", r%n+1, n, where[r%n], r, err)
					}
					// Streamed as Σ x/reps, not collected for stats.Mean
					// (Σx/reps): that would change indices.csv in the last
					// digit for nothing.
					means[pt][v][o] += x / float64(sw.Reps)
				}
				if err := cw.Write(f); err != nil {
					return err
				}
			}
			for i, rd := range readers {
				if _, err := rd.Read(); err != io.EOF {
					return fmt.Errorf("shard %d/%d in %s has more rows than the sweep has runs", i+1, len(readers), where[i])
				}
			}
			cw.Flush()
			return cw.Error()
		})
		if err != nil {
			return err
		}
		if sw.Design == "morris" || sw.Design == "sobol" {
			if err := output.Create(tmp, "indices.csv", func(w io.Writer) error { return p.writeIndices(w, means) }); err != nil {
				return err
			}
		}
		if write != nil {
			if _, err := write(tmp, p, means); err != nil {
				return err
			}
		}
		return nil
	})
}

// Index is one row of indices.csv. Lo and Hi are NaN (empty cells) for
// Morris indices, which have no interval.
type Index struct {
	Variant, Output, Param, Name string
	Value, Lo, Hi                float64
}

// Indices computes the Morris (mu, mu_star, sigma) or Sobol (S1, ST with
// bootstrap 95% intervals) indices of each variant and output from the
// replication means.
func (p *Plan) Indices(m Means) []Index {
	sw := p.Sweep
	k := len(sw.Params)
	var out []Index
	for v, vn := range sw.Variants {
		for o, on := range sw.Outputs {
			y := make([]float64, len(m))
			for pt := range m {
				y[pt] = m[pt][v][o]
			}
			switch sw.Design {
			case "morris":
				nan := math.NaN() // Morris gives no interval: ci_lo and ci_hi are left empty
				for i, x := range Morris(y, p.Design.MorrisFactor, p.Design.MorrisDelta, k) {
					q := sw.Params[i].Key
					out = append(out,
						Index{vn, on.Name(), q, "mu", x.Mu, nan, nan},
						Index{vn, on.Name(), q, "mu_star", x.MuStar, nan, nan},
						Index{vn, on.Name(), q, "sigma", x.Sigma, nan, nan})
				}
			case "sobol":
				rng := designRand(sw.Seed + uint64(1+v*len(sw.Outputs)+o))
				for i, x := range Sobol(y, p.Design.SobolN, k, sw.Bootstrap, rng) {
					q := sw.Params[i].Key
					out = append(out,
						Index{vn, on.Name(), q, "S1", x.S1, x.S1Lo, x.S1Hi},
						Index{vn, on.Name(), q, "ST", x.ST, x.STLo, x.STHi})
				}
			}
		}
	}
	return out
}

func (p *Plan) writeIndices(w io.Writer, m Means) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"variant", "output", "parameter", "index", "value", "ci_lo", "ci_hi"})
	for _, x := range p.Indices(m) {
		lo, hi := "", ""
		if !math.IsNaN(x.Lo) {
			lo, hi = output.F(x.Lo), output.F(x.Hi)
		}
		cw.Write([]string{x.Variant, x.Output, x.Param, x.Name, output.F(x.Value), lo, hi})
	}
	cw.Flush()
	return cw.Error()
}

// ErrComplete is returned by Finish with Resume when dir already holds the
// finished sweep: there is nothing to resume.
var ErrComplete = errors.New("the sweep is complete already")

// Finish runs a whole sweep: shard 1/1 in DIR.partial (resumable), then the
// merge into DIR; the partial directory is removed when DIR is complete.
// DIR is checked (output.Check) before the first run, and DIR.partial is
// made only when DIR is acceptable. Resuming a sweep whose DIR is complete
// (killed after the final rename) returns ErrComplete.
func Finish(ctx context.Context, p *Plan, dir string, opt ShardOptions, write func(tmp string, p *Plan, m Means) ([]string, error)) error {
	if err := output.Check(dir, opt.Force); err != nil {
		return err
	}
	output.CleanStale(dir)
	work := filepath.Clean(dir) + ".partial"
	if opt.Resume && Complete(dir, p) {
		if _, err := os.Lstat(work); err == nil {
			if err := output.RemoveOwned(work); err != nil {
				return err
			}
		}
		return ErrComplete
	}
	opt.Dir, opt.Shard, opt.Shards = work, 1, 1
	if !opt.Resume || !finished(work) {
		if err := RunShard(ctx, p, opt); err != nil {
			return err
		}
	}
	if err := Merge(ctx, p, []string{work}, dir, opt.Force, write); err != nil {
		return err
	}
	return output.RemoveOwned(work)
}

// Complete reports whether dir is the finished output of this sweep: it is
// hybridsim's, and its manifest.json names the sweep's hash.
func Complete(dir string, p *Plan) bool {
	if output.Check(dir, false) != nil {
		return false
	}
	b, err := readfile.Regular(filepath.Join(dir, "manifest.json"), readfile.MaxInput)
	if err != nil {
		return false
	}
	var m output.Manifest
	return json.Unmarshal(b, &m) == nil && m.SweepSHA256 == p.Hash()
}

// SeedRule says how a sweep's runs get their seeds (Plan.Seed), for the
// manifest.
const SeedRule = "run (point, variant, rep) is replication rep of base seed sim.DeriveSeed(sweep seed, point), its streams opened as in docs/ODD.md §3.2; the variants of a point share them"

// FillManifest records the sweep in m: its file and hash (Plan.Hash, which
// Complete checks), design, points, runs, replications, seed and seed rule.
func (p *Plan) FillManifest(m *output.Manifest) {
	m.SweepFile, m.SweepSHA256, m.Design = p.Sweep.File, p.Hash(), p.Sweep.Design
	m.Points, m.Runs, m.Replications = len(p.Design.Points), p.Runs(), p.Sweep.Reps
	m.Seed, m.SeedRule = new(p.Sweep.Seed), SeedRule
}
