package sweep

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

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

// Seed is the base seed of a design point's runs: it derives from (sweep
// seed, design point) alone, and replication r runs on sim.Stream(seed, r);
// the variants of a point share it (common random numbers).
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
func (p *Plan) Header() string {
	cols := []string{"run", "point", "variant", "rep", "seed"}
	for _, q := range p.Sweep.Params {
		cols = append(cols, q.Key)
	}
	for _, o := range p.Sweep.Outputs {
		cols = append(cols, o.Name())
	}
	return strings.Join(cols, ",") + "\n"
}

// line runs run r and formats its row of runs.csv.
func (p *Plan) line(r int) (string, error) {
	pt, v, rep := p.Run(r)
	x := p.Design.Points[pt]
	cfg, err := p.Sweep.Config(p.Sweep.Variants[v], x)
	if err != nil {
		return "", fmt.Errorf("point %d: %w", pt, err)
	}
	cfg.Seed, cfg.Rep = p.Seed(pt), uint64(rep)
	res, err := sim.Run(cfg)
	if err != nil {
		return "", fmt.Errorf("point %d: %w", pt, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d,%d,%s,%d,%d", r, pt, p.Sweep.Variants[v], rep, cfg.Seed)
	for i, q := range p.Sweep.Params {
		v := x[i]
		if q.Int {
			v = float64(int64(v + 0.5))
		}
		b.WriteString("," + strconv.FormatFloat(v, 'g', -1, 64))
	}
	for _, o := range p.Sweep.Outputs {
		mean, _ := res.MeanLast(o.Metric, o.Window)
		b.WriteString("," + strconv.FormatFloat(mean, 'g', -1, 64))
	}
	b.WriteString("\n")
	return b.String(), nil
}

// ShardOptions say which part of a sweep to run and where.
type ShardOptions struct {
	Dir      string // the shard's directory
	Shard    int    // 1 … Shards
	Shards   int
	Resume   bool
	Workers  int
	Progress func(done, total int)

	maxWaiting *int // tests: the most results that waited in memory at once
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
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return err
	}
	var runs []int
	for r := opt.Shard - 1; r < p.Runs(); r += opt.Shards {
		runs = append(runs, r)
	}
	partial := filepath.Join(opt.Dir, partialName)
	done, err := prepare(partial, p.Header(), opt.Resume)
	if err != nil {
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
	info, _ := json.MarshalIndent(shardInfo{Sweep: p.Hash(), Shard: opt.Shard, Shards: opt.Shards, Runs: len(runs)}, "", "  ")
	if err := os.WriteFile(filepath.Join(opt.Dir, "shard.json"), append(info, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(partial, filepath.Join(opt.Dir, "runs.csv"))
}

// prepare makes the partial file ready: new with its header, or, resuming,
// checked and cut after its last complete line. It returns the rows kept.
func prepare(path, header string, resume bool) (int, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && !resume) {
		if err == nil && !resume {
			return 0, fmt.Errorf("%s exists: an interrupted sweep is there; rerun with --resume to complete it, or remove it", path)
		}
		return 0, os.WriteFile(path, []byte(header), 0o644)
	}
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(b, []byte(header)) {
		if len(b) < len(header) && bytes.HasPrefix([]byte(header), b) {
			return 0, os.WriteFile(path, []byte(header), 0o644) // killed while writing the header
		}
		return 0, fmt.Errorf("%s has another header: it belongs to another sweep", path)
	}
	keep := bytes.LastIndexByte(b, '\n') + 1
	if err := os.Truncate(path, int64(keep)); err != nil {
		return 0, err
	}
	return bytes.Count(b[len(header):keep], []byte("\n")), nil
}

// stream runs the given runs on workers and appends their rows in order.
func stream(ctx context.Context, p *Plan, runs []int, w io.Writer, opt ShardOptions, done, total int) error {
	workers := max(1, opt.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		j    int
		line string
		err  error
	}
	jobs := make(chan int)
	results := make(chan result)
	window := make(chan struct{}, 4*workers) // bounds results waiting to be written
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				l, err := p.line(runs[j])
				select {
				case results <- result{j, l, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for j := range runs {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	pending := map[int]string{}
	next := 0
	for res := range results {
		if res.err != nil {
			cancel()
			return res.err
		}
		pending[res.j] = res.line
		if opt.maxWaiting != nil {
			*opt.maxWaiting = max(*opt.maxWaiting, len(pending))
		}
		for {
			l, ok := pending[next]
			if !ok {
				break
			}
			if _, err := io.WriteString(w, l); err != nil {
				cancel()
				return err
			}
			delete(pending, next)
			next++
			<-window
			if opt.Progress != nil {
				opt.Progress(done+next, total)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if next != len(runs) {
		return fmt.Errorf("sweep stopped after %d of %d runs", next, len(runs))
	}
	return nil
}

// readShards opens the runs.csv of every shard, checks they belong to this
// sweep and together make shards 1 … n, and returns readers in shard order.
func readShards(p *Plan, dirs []string) ([]*bufio.Reader, func(), error) {
	n := len(dirs)
	readers := make([]*bufio.Reader, n)
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "shard.json"))
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s is not a finished shard (no shard.json): %w", d, err)
		}
		var info shardInfo
		if err := json.Unmarshal(b, &info); err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s/shard.json: %w", d, err)
		}
		if info.Sweep != p.Hash() {
			closeAll()
			return nil, nil, fmt.Errorf("%s is a shard of another sweep", d)
		}
		if info.Shards != n || info.Shard < 1 || info.Shard > n || readers[info.Shard-1] != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s is shard %d/%d; merge needs shards 1 … %d of the same split, each once", d, info.Shard, info.Shards, n)
		}
		f, err := os.Open(filepath.Join(d, "runs.csv"))
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		files = append(files, f)
		r := bufio.NewReader(f)
		if h, err := r.ReadString('\n'); err != nil || h != p.Header() {
			closeAll()
			return nil, nil, fmt.Errorf("%s/runs.csv has another header", d)
		}
		readers[info.Shard-1] = r
	}
	return readers, closeAll, nil
}
