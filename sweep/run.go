package sweep

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Plan is a sweep with its design, ready to run.
type Plan struct {
	Sweep  *scenarios.Sweep
	Design Design
}

// NewPlan makes the design of a sweep.
func NewPlan(sw *scenarios.Sweep) *Plan { return &Plan{Sweep: sw, Design: MakeDesign(sw)} }

// Runs is the number of runs: points × variants × replications.
func (p *Plan) Runs() int { return len(p.Design.Points) * len(p.Sweep.Variants) * p.Sweep.Reps }

// Run is what run index r is: design point, variant and replication.
// Runs are numbered point by point, then variant, then replication.
func (p *Plan) Run(r int) (point, variant, rep int) {
	reps, nv := p.Sweep.Reps, len(p.Sweep.Variants)
	return r / (reps * nv), (r / reps) % nv, r % reps
}

// Seed is the base seed of a design point's runs (sim.DeriveSeed's rule
// for sweep): it derives from (sweep seed, design point) alone, and the
// variants of a point share it (common random numbers).
func (p *Plan) Seed(point int) uint64 { return sim.DeriveSeed(p.Sweep.Seed, uint64(point)) }

// Hash identifies the sweep: the SHA-256 of its file's text and its base
// scenario's resolved text. Shards of different sweeps do not merge.
func (p *Plan) Hash() string {
	h := sha256.New()
	io.WriteString(h, p.Sweep.Source)
	c := p.Sweep.Base.Canonical()
	io.WriteString(h, c[strings.IndexByte(c, '\n')+1:]) // without the "Resolved from" line
	return hex.EncodeToString(h.Sum(nil))
}

// Header is the first line of runs.csv.
func (p *Plan) Header() string { return output.Record(p.columns()...) }

// columns are the column names of runs.csv.
func (p *Plan) columns() []string {
	cols := []string{"run", "point", "variant", "rep", "seed"}
	for _, q := range p.Sweep.Params {
		cols = append(cols, q.Key)
	}
	for _, o := range p.Sweep.Outputs {
		cols = append(cols, o.Name())
	}
	return cols
}

// Job is design point pt's variant v as a job of experiment: the
// point's configuration, its seed and the sweep's replications, labelled
// "point PT" and the variant. A plan of such jobs (experiment.Execute)
// makes the same runs as the sweep.
func (p *Plan) Job(pt, v int) (experiment.Job, error) {
	cfg, err := p.Sweep.Config(p.Sweep.Variants[v], p.Design.Points[pt])
	if err != nil {
		return experiment.Job{}, fmt.Errorf("point %d: %w", pt, err)
	}
	cfg.Seed = p.Seed(pt)
	return experiment.Job{Scenario: fmt.Sprint("point ", pt), Variant: p.Sweep.Variants[v], Config: cfg, Reps: p.Sweep.Reps}, nil
}

// line runs run r and formats its row of runs.csv.
func (p *Plan) line(r int) (string, error) {
	pt, v, rep := p.Run(r)
	x := p.Design.Points[pt]
	j, err := p.Job(pt, v)
	if err != nil {
		return "", err
	}
	cfg := j.Config
	cfg.Rep = uint64(rep)
	res, err := sim.Run(cfg)
	if err != nil {
		return "", fmt.Errorf("point %d: %w", pt, err)
	}
	f := []string{strconv.Itoa(r), strconv.Itoa(pt), p.Sweep.Variants[v], strconv.Itoa(rep), strconv.FormatUint(cfg.Seed, 10)}
	for i, q := range p.Sweep.Params {
		v := x[i]
		if q.Int {
			v = float64(int64(v + 0.5))
		}
		f = append(f, strconv.FormatFloat(v, 'g', -1, 64))
	}
	for _, o := range p.Sweep.Outputs {
		mean, _ := res.MeanLast(o.Metric, o.Window)
		f = append(f, strconv.FormatFloat(mean, 'g', -1, 64))
	}
	return output.Record(f...), nil
}

// ShardOptions say which part of a sweep to run and where.
type ShardOptions struct {
	Dir      string // the shard's directory
	Shard    int    // 1 … Shards
	Shards   int
	Resume   bool
	Force    bool // replace --out even if it holds files hybridsim did not write
	Workers  int
	Progress func(done, total int)

	maxWaiting *int // tests: the most runs that were started and not yet written at once
}

// shardInfo is shard.json.
type shardInfo struct {
	Sweep  string `json:"sweep_sha256"`
	Shard  int    `json:"shard"`
	Shards int    `json:"shards"`
	Runs   int    `json:"runs"`
}

const partialName = "runs.partial.csv"

// RunShard runs shard i of n — the runs r with r mod n = i−1 — and streams
// their rows, in run order, to DIR/runs.partial.csv; when all are done it
// renames that to runs.csv and writes shard.json. With Resume, rows already
// in the partial file are kept (a torn last line is cut off) and only the
// remaining runs are made. At most 4 × workers results wait in memory.
func RunShard(ctx context.Context, p *Plan, opt ShardOptions) error {
	if opt.Shards < 1 || opt.Shard < 1 || opt.Shard > opt.Shards {
		return fmt.Errorf("shard %d/%d: want 1 ≤ i ≤ n", opt.Shard, opt.Shards)
	}
	if err := output.Own(opt.Dir, ShardFiles); err != nil {
		return err
	}
	var runs []int
	for r := opt.Shard - 1; r < p.Runs(); r += opt.Shards {
		runs = append(runs, r)
	}
	partial := filepath.Join(opt.Dir, partialName)
	final := filepath.Join(opt.Dir, "runs.csv")
	info := filepath.Join(opt.Dir, "shard.json")
	if _, err := os.Stat(partial); errors.Is(err, os.ErrNotExist) && opt.Resume {
		// Killed between the final rename and shard.json: the rows are
		// all in runs.csv; take them up again (prepare checks them).
		if err := os.Rename(final, partial); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	done, err := prepare(partial, p.Header(), opt.Resume)
	if err != nil {
		return err
	}
	if err := os.Remove(info); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if done > len(runs) {
		return fmt.Errorf("%s has %d rows, more than the shard's %d runs: it belongs to another sweep", partial, done, len(runs))
	}
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if err := stream(ctx, p, runs[done:], f, opt, done, len(runs)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// runs.csv first, shard.json last: a shard is finished when it has
	// shard.json, and shard.json appears whole (written beside, renamed).
	if err := os.Rename(partial, final); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(shardInfo{Sweep: p.Hash(), Shard: opt.Shard, Shards: opt.Shards, Runs: len(runs)}, "", "  ")
	if err := os.WriteFile(info+".tmp", append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(info+".tmp", info)
}

// ShardFiles are the files a shard directory may hold; the directory's
// marker lists them, shard.json first, so that a removal killed half-way
// leaves no shard that looks finished.
var ShardFiles = []string{"shard.json", "shard.json.tmp", partialName, "runs.csv", "sweep.toml", "scenario.toml"}

// finished reports whether the shard in dir is complete: shard.json and
// runs.csv are there.
func finished(dir string) bool {
	for _, f := range []string{"shard.json", "runs.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// prepare makes the partial file ready: new with its header, or, resuming,
// checked and cut after its last complete line. It returns the rows kept.
// The file is read in pieces, never whole: a partial file of a large sweep
// can hold gigabytes.
func prepare(path, header string, resume bool) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, os.WriteFile(path, []byte(header), 0o644)
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if !resume {
		return 0, fmt.Errorf("%s exists: an interrupted sweep is there; rerun with --resume to complete it, or remove it", path)
	}
	if st, err := f.Stat(); err != nil {
		return 0, err
	} else if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%s is not a regular file", path)
	}
	r := bufio.NewReaderSize(f, 1<<16)
	head := make([]byte, len(header))
	n, err := io.ReadFull(r, head)
	if err != nil && n < len(header) {
		if bytes.HasPrefix([]byte(header), head[:n]) {
			return 0, os.WriteFile(path, []byte(header), 0o644) // killed while writing the header
		}
		return 0, fmt.Errorf("%s has another header: it belongs to another sweep", path)
	}
	if string(head) != header {
		return 0, fmt.Errorf("%s has another header: it belongs to another sweep", path)
	}
	rows, keep, off := 0, int64(len(header)), int64(len(header))
	buf := make([]byte, 1<<16)
	for {
		k, err := r.Read(buf)
		for i, c := range buf[:k] {
			if c == '\n' {
				rows++
				keep = off + int64(i) + 1
			}
		}
		off += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if err := os.Truncate(path, keep); err != nil {
		return 0, err
	}
	return rows, nil
}

// stream runs the given runs on experiment's pool and appends their rows
// in run order; at most 4 × workers runs are started ahead of the rows
// written, so memory does not grow with the number of runs.
func stream(ctx context.Context, p *Plan, runs []int, w io.Writer, opt ShardOptions, done, total int) error {
	workers := max(1, opt.Workers)
	var mu sync.Mutex // guards started, written and *opt.maxWaiting
	started, written := 0, 0
	return experiment.Ordered(ctx, len(runs), workers, 4*workers,
		func(_ context.Context, j int) (string, error) {
			if opt.maxWaiting != nil {
				mu.Lock()
				started++
				*opt.maxWaiting = max(*opt.maxWaiting, started-written)
				mu.Unlock()
			}
			return p.line(runs[j])
		},
		func(j int, l string) error {
			if _, err := io.WriteString(w, l); err != nil {
				return err
			}
			mu.Lock()
			written++
			mu.Unlock()
			if opt.Progress != nil {
				opt.Progress(done+j+1, total)
			}
			return nil
		})
}

// readShards opens the runs.csv of every shard, checks they belong to this
// sweep and together make shards 1 … n, and returns readers in shard order.
// A missing or twice-given shard is named, with the directories given.
func readShards(p *Plan, dirs []string) ([]*csv.Reader, []string, func(), error) {
	infos := make([]shardInfo, len(dirs))
	for k, d := range dirs {
		b, err := readfile.Regular(filepath.Join(d, "shard.json"), readfile.MaxInput)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s is not a finished shard (no shard.json; an interrupted shard is completed with --resume): %w", d, err)
		}
		if err := json.Unmarshal(b, &infos[k]); err != nil {
			return nil, nil, nil, fmt.Errorf("%s/shard.json: %w", d, err)
		}
		if infos[k].Sweep != p.Hash() {
			return nil, nil, nil, fmt.Errorf("%s is a shard of another sweep (or of another version of this sweep file)", d)
		}
		if i := infos[k]; i.Shards != infos[0].Shards || i.Shard < 1 || i.Shard > i.Shards {
			return nil, nil, nil, fmt.Errorf("%s is shard %d/%d, but %s is shard %d/%d: merge needs the shards of one split", d, i.Shard, i.Shards, dirs[0], infos[0].Shard, infos[0].Shards)
		}
	}
	n := infos[0].Shards
	where := make([]string, n)
	var problems []string
	for k, i := range infos {
		if where[i.Shard-1] != "" {
			problems = append(problems, fmt.Sprintf("shard %d/%d is given twice: %s and %s", i.Shard, n, where[i.Shard-1], dirs[k]))
			continue
		}
		where[i.Shard-1] = dirs[k]
	}
	for s, d := range where {
		if d == "" {
			problems = append(problems, fmt.Sprintf("shard %d/%d is missing", s+1, n))
		}
	}
	if len(problems) > 0 {
		given := make([]string, len(dirs))
		for k, d := range dirs {
			given[k] = fmt.Sprintf("%s (%d/%d)", d, infos[k].Shard, n)
		}
		return nil, nil, nil, fmt.Errorf("%s; merge needs each of shards 1 … %d once (given: %s)", strings.Join(problems, "; "), n, strings.Join(given, ", "))
	}
	readers := make([]*csv.Reader, n)
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for s, d := range where {
		f, err := os.Open(filepath.Join(d, "runs.csv"))
		if err != nil {
			closeAll()
			return nil, nil, nil, fmt.Errorf("shard %d/%d in %s: %w", s+1, n, d, err)
		}
		files = append(files, f)
		r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
		r.ReuseRecord = true
		if h, err := r.Read(); err != nil || !slices.Equal(h, p.columns()) {
			closeAll()
			return nil, nil, nil, fmt.Errorf("%s/runs.csv has another header", d)
		}
		readers[s] = r
	}
	return readers, where, closeAll, nil
}
