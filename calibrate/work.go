package calibrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/internal/readfile"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
)

// Work is a calibration's working directory. Each stage — generation 0,
// 1, …, then the posterior predictive draws — is simulated in shards (one,
// or n as the tasks of a cluster array job) and then merged:
//
//	DIR/calibration.toml, scenario.toml   the file and its resolved scenario
//	DIR/calibration.json                  the SHA-256 identifying them
//	DIR/gen-000/shard-I-of-N.csv          a shard's particles
//	DIR/gen-000/population.csv            the population kept (merged)
//	DIR/gen-000/generation.json           tolerance, acceptance, ESS; written last
//	DIR/predictive/shard-I-of-N.csv, draws.csv
//
// Every file appears whole (written beside and renamed), so a killed
// shard leaves nothing half-written; rerunning it redoes it.
type Work struct {
	Dir string
	Cal *scenarios.Calibration
	SMC *SMC
}

// NewWork returns the working directory dir of calibration c.
func NewWork(dir string, c *scenarios.Calibration) *Work {
	return &Work{Dir: dir, Cal: c, SMC: Model(c)}
}

// Hash identifies the calibration: the SHA-256 of its file's text and of
// its base scenario's resolved text. Shards of another calibration, or of
// an edited file, are refused.
func Hash(c *scenarios.Calibration) string {
	h := sha256.New()
	io.WriteString(h, c.Source)
	s := c.Base.Canonical()
	io.WriteString(h, s[strings.IndexByte(s, '\n')+1:]) // without the "Resolved from" line
	return hex.EncodeToString(h.Sum(nil))
}

type workInfo struct {
	SHA256 string `json:"calibration_sha256"`
}

// maxRead bounds every file the calibration reads back.
const maxRead = 1 << 30

// readBounded reads a working file: a regular file of at most maxRead
// bytes (internal/readfile).
func readBounded(path string) ([]byte, error) { return readfile.Regular(path, maxRead) }

// writeWhole writes a file beside path and renames it into place.
func writeWhole(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ours matches the names a working directory may hold.
var ours = regexp.MustCompile(`^(calibration\.toml|scenario\.toml|calibration\.json|\.tmp-[^/]*|` +
	`(gen-\d{3,}|predictive)(/(shard-\d+-of-\d+\.csv|population\.csv|generation\.json|draws\.csv|\.tmp-[^/]*))?)$`)

// OnlyOurs checks that dir holds nothing but a calibration's working files
// (or does not exist), so that it may be written into and removed: regular
// files and directories named as Work names them, nothing else (no link,
// no file of another name). A working directory is written into by many
// shards at once, so it is recognised by these names and by
// calibration.json rather than by an output's marker (output.Marker),
// which lists a fixed set of files.
func OnlyOurs(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." {
			return nil
		}
		if !ours.MatchString(filepath.ToSlash(rel)) || !d.IsDir() && !d.Type().IsRegular() {
			return fmt.Errorf("%s holds %s, which a calibration did not write; it would be removed: move it or choose another --out", dir, rel)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Init makes the working directory, or checks that an existing one belongs
// to this calibration and holds only its files.
func (w *Work) Init() error {
	if err := OnlyOurs(w.Dir); err != nil {
		return err
	}
	want := Hash(w.Cal)
	b, err := readBounded(filepath.Join(w.Dir, "calibration.json"))
	if err == nil {
		var info workInfo
		if err := json.Unmarshal(b, &info); err != nil || info.SHA256 != want {
			return fmt.Errorf("%s belongs to another calibration (or the file or its scenario changed since): remove it or choose another --out", w.Dir)
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(w.Dir, 0o755); err != nil {
		return err
	}
	if err := writeWhole(filepath.Join(w.Dir, "calibration.toml"), []byte(w.Cal.Source)); err != nil {
		return err
	}
	if err := writeWhole(filepath.Join(w.Dir, "scenario.toml"), []byte(w.Cal.Base.Canonical())); err != nil {
		return err
	}
	info, _ := json.MarshalIndent(workInfo{SHA256: want}, "", "  ")
	return writeWhole(filepath.Join(w.Dir, "calibration.json"), append(info, '\n'))
}

// Started reports whether the working directory holds any finished shard
// or generation.
func (w *Work) Started() bool {
	ents, _ := os.ReadDir(w.Dir)
	for _, e := range ents {
		if e.IsDir() {
			if sub, _ := os.ReadDir(filepath.Join(w.Dir, e.Name())); len(sub) > 0 {
				return true
			}
		}
	}
	return false
}

// Stage is what comes next in a working directory.
type Stage struct {
	Gen        int  // the generation to simulate next (when not Predictive or Done)
	Predictive bool // the generations are done; the predictive draws are next
	Done       bool // everything is done: Result can be read
}

func (st Stage) String() string {
	switch {
	case st.Done:
		return "done"
	case st.Predictive:
		return "posterior predictive draws"
	}
	return fmt.Sprintf("generation %d", st.Gen)
}

func (w *Work) stageDir(st Stage) string {
	if st.Predictive {
		return filepath.Join(w.Dir, "predictive")
	}
	return filepath.Join(w.Dir, fmt.Sprintf("gen-%03d", st.Gen))
}

// Next reads the finished generations and says what comes next; it
// returns the last finished generation (nil before generation 0).
func (w *Work) Next() (Stage, *Generation, error) {
	var last *Generation
	for g := 0; ; g++ {
		gen, err := w.readGeneration(g)
		if errors.Is(err, fs.ErrNotExist) {
			return Stage{Gen: g}, last, nil
		}
		if err != nil {
			return Stage{}, nil, err
		}
		last = gen
		if gen.Stop {
			break
		}
	}
	if _, err := os.Stat(filepath.Join(w.Dir, "predictive", "draws.csv")); err == nil {
		return Stage{Done: true}, last, nil
	}
	return Stage{Predictive: true}, last, nil
}

// generation.json
type genInfo struct {
	Generation int     `json:"generation"`
	Tolerance  float64 `json:"tolerance"`
	Acceptance float64 `json:"acceptance_rate"`
	ESS        float64 `json:"ess"`
	Sims       int     `json:"particles_simulated"`
	Stop       bool    `json:"last"`
}

// readInfo reads generation g's generation.json.
func (w *Work) readInfo(g int) (*Generation, error) {
	b, err := readBounded(filepath.Join(w.stageDir(Stage{Gen: g}), "generation.json"))
	if err != nil {
		return nil, err
	}
	var info genInfo
	if err := json.Unmarshal(b, &info); err != nil || info.Generation != g {
		return nil, fmt.Errorf("%s: not generation %d's record", filepath.Join(w.stageDir(Stage{Gen: g}), "generation.json"), g)
	}
	return &Generation{Index: g, Tolerance: info.Tolerance, Acceptance: info.Acceptance, ESS: info.ESS, Sims: info.Sims, Stop: info.Stop}, nil
}

// readGeneration reads generation g's record and population.
func (w *Work) readGeneration(g int) (*Generation, error) {
	gen, err := w.readInfo(g)
	if err != nil {
		return nil, err
	}
	rows, err := w.readTable(filepath.Join(w.stageDir(Stage{Gen: g}), "population.csv"), w.populationHeader())
	if err != nil {
		return nil, err
	}
	d, nt := len(w.Cal.Params), len(w.Cal.Targets)
	for _, r := range rows {
		p := Particle{Generation: int(r[0]), Index: int(r[1]), Weight: r[2], Distance: r[3],
			Theta: slices.Clone(r[4 : 4+d]), Stats: slices.Clone(r[4+d : 4+d+nt])}
		gen.Particles = append(gen.Particles, p)
	}
	return gen, nil
}

// Generations reads the record of every finished generation and the
// population of the last.
func (w *Work) Generations() ([]*Generation, error) {
	st, last, err := w.Next()
	if err != nil {
		return nil, err
	}
	n := st.Gen
	if st.Predictive || st.Done {
		n = last.Index + 1
	}
	var gens []*Generation
	for g := range n {
		if g == n-1 {
			gens = append(gens, last)
			continue
		}
		gen, err := w.readInfo(g)
		if err != nil {
			return nil, err
		}
		gens = append(gens, gen)
	}
	return gens, nil
}

func (w *Work) keys() (params, targets []string) {
	for _, p := range w.Cal.Params {
		params = append(params, p.Key)
	}
	for _, t := range w.Cal.Targets {
		targets = append(targets, t.Name)
	}
	return params, targets
}

func (w *Work) shardHeader() []string {
	p, t := w.keys()
	return append(append(append([]string{"index"}, p...), t...), "distance")
}

func (w *Work) populationHeader() []string {
	p, t := w.keys()
	return append(append([]string{"generation", "index", "weight", "distance"}, p...), t...)
}

func writeTable(path string, header []string, rows [][]float64) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(header)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, x := range r {
			rec[i] = output.F(x)
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return writeWhole(path, b.Bytes())
}

// readTable reads a table of numbers written by writeTable, checking its
// header.
func (w *Work) readTable(path string, header []string) ([][]float64, error) {
	b, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], header) {
		return nil, fmt.Errorf("%s has another header: it belongs to another calibration", path)
	}
	rows := make([][]float64, 0, len(recs)-1)
	for n, rec := range recs[1:] {
		row := make([]float64, len(rec))
		for i, s := range rec {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %w", path, n+2, err)
			}
			row[i] = x
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// proposals is the number of particles a stage simulates.
func (w *Work) proposals(st Stage) int {
	if st.Predictive {
		return w.SMC.Predictive
	}
	return w.SMC.Proposals(st.Gen)
}

// RunShard simulates shard i of n of the next stage — its particles k with
// k mod n = i−1 — on workers, into the stage's shard-I-of-N.csv. done, if
// set, gets the particles finished and the shard's total. It returns the
// stage it ran.
func (w *Work) RunShard(ctx context.Context, i, n, workers int, done func(finished, total int)) (Stage, error) {
	if n < 1 || i < 1 || i > n {
		return Stage{}, fmt.Errorf("shard %d/%d: want 1 ≤ i ≤ n", i, n)
	}
	if err := w.Init(); err != nil {
		return Stage{}, err
	}
	st, last, err := w.Next()
	if err != nil || st.Done {
		return st, err
	}
	var idx []int
	for k := i - 1; k < w.proposals(st); k += n {
		idx = append(idx, k)
	}
	var prog func(int)
	if done != nil {
		prog = func(f int) { done(f, len(idx)) }
	}
	var ps []Particle
	if st.Predictive {
		ps, err = w.SMC.PredictiveDraws(ctx, last, idx, workers, prog)
	} else {
		var k *Kernel
		if k, err = w.SMC.KernelFor(last, st.Gen); err != nil {
			return st, err
		}
		ps, err = w.SMC.Simulations(ctx, k, st.Gen, idx, workers, prog)
	}
	if err != nil {
		return st, err
	}
	rows := make([][]float64, len(ps))
	for r, p := range ps {
		rows[r] = append(append(append([]float64{float64(p.Index)}, p.Theta...), p.Stats...), p.Distance)
	}
	dir := w.stageDir(st)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	return st, writeTable(filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d.csv", i, n)), w.shardHeader(), rows)
}

var shardName = regexp.MustCompile(`^shard-(\d+)-of-(\d+)\.csv$`)

// Split returns the smallest n for which every shard 1 … n of the next
// stage is finished, or 0.
func (w *Work) Split() (int, error) {
	st, _, err := w.Next()
	if err != nil || st.Done {
		return 0, err
	}
	ents, _ := os.ReadDir(w.stageDir(st))
	have := map[int]map[int]bool{}
	for _, e := range ents {
		m := shardName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if have[n] == nil {
			have[n] = map[int]bool{}
		}
		have[n][i] = true
	}
	var ns []int
	for n, got := range have {
		if len(got) == n {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return slices.Min(ns), nil
}

// Merge combines the shards of the next stage: for a generation it
// weights the particles, keeps the population and decides whether to stop
// (generation.json); for the predictive draws it writes draws.csv. It
// returns the stage merged and, for a generation, the generation.
func (w *Work) Merge() (Stage, *Generation, error) {
	st, last, err := w.Next()
	if err != nil {
		return st, nil, err
	}
	if st.Done {
		return st, nil, nil
	}
	n, err := w.Split()
	if err != nil {
		return st, nil, err
	}
	if n == 0 {
		return st, nil, fmt.Errorf("%s: the shards of %s are not all finished (run every --shard i/n of one n first)", w.Dir, st)
	}
	total := w.proposals(st)
	fresh := make([]Particle, total)
	d, nt := len(w.Cal.Params), len(w.Cal.Targets)
	for i := 1; i <= n; i++ {
		path := filepath.Join(w.stageDir(st), fmt.Sprintf("shard-%d-of-%d.csv", i, n))
		rows, err := w.readTable(path, w.shardHeader())
		if err != nil {
			return st, nil, err
		}
		k := i - 1
		for _, r := range rows {
			if len(r) != 2+d+nt || int(r[0]) != k || k >= total {
				return st, nil, fmt.Errorf("%s: expected particle %d, found %v", path, k, r[0])
			}
			fresh[k] = Particle{Index: k, Generation: st.Gen, Theta: r[1 : 1+d], Stats: r[1+d : 1+d+nt], Distance: r[1+d+nt], Weight: 1}
			k += n
		}
		if k < total {
			return st, nil, fmt.Errorf("%s ends before particle %d", path, k)
		}
	}
	if st.Predictive {
		rows := make([][]float64, total)
		for k, p := range fresh {
			rows[k] = append(append([]float64{float64(k)}, p.Theta...), p.Stats...)
		}
		p, t := w.keys()
		return st, nil, writeTable(filepath.Join(w.stageDir(st), "draws.csv"), append(append([]string{"index"}, p...), t...), rows)
	}
	k, err := w.SMC.KernelFor(last, st.Gen)
	if err != nil {
		return st, nil, err
	}
	gen, err := w.SMC.Next(last, k, st.Gen, fresh)
	if err != nil {
		return st, nil, err
	}
	rows := make([][]float64, len(gen.Particles))
	for r, p := range gen.Particles {
		rows[r] = append(append([]float64{float64(p.Generation), float64(p.Index), p.Weight, p.Distance}, p.Theta...), p.Stats...)
	}
	dir := w.stageDir(st)
	if err := writeTable(filepath.Join(dir, "population.csv"), w.populationHeader(), rows); err != nil {
		return st, nil, err
	}
	info, _ := json.MarshalIndent(genInfo{Generation: gen.Index, Tolerance: gen.Tolerance, Acceptance: gen.Acceptance, ESS: gen.ESS, Sims: gen.Sims, Stop: gen.Stop}, "", "  ")
	return st, gen, writeWhole(filepath.Join(dir, "generation.json"), append(info, '\n'))
}

// Run runs every stage left in one process: each as shard 1/1 unless a
// finished split of it is there, then its merge. progress, if set, is
// called after each generation; done as in RunShard.
func (w *Work) Run(ctx context.Context, workers int, progress Progress, done func(st Stage, finished, total int)) error {
	if err := w.Init(); err != nil {
		return err
	}
	for {
		st, _, err := w.Next()
		if err != nil || st.Done {
			return err
		}
		n, err := w.Split()
		if err != nil {
			return err
		}
		if n == 0 {
			var prog func(int, int)
			if done != nil {
				prog = func(f, t int) { done(st, f, t) }
			}
			if _, err := w.RunShard(ctx, 1, 1, workers, prog); err != nil {
				return err
			}
		}
		_, gen, err := w.Merge()
		if err != nil {
			return err
		}
		if gen != nil && progress != nil {
			progress(gen)
		}
	}
}

// Result is a finished calibration.
type Result struct {
	Generations []*Generation // every generation's record; the last with its population, the posterior
	Predictive  []Particle    // the posterior predictive draws
}

// Posterior is the final population.
func (r *Result) Posterior() *Generation { return r.Generations[len(r.Generations)-1] }

// Result reads a finished calibration.
func (w *Work) Result() (*Result, error) {
	st, _, err := w.Next()
	if err != nil {
		return nil, err
	}
	if !st.Done {
		return nil, fmt.Errorf("%s: the calibration is not finished (%s is next)", w.Dir, st)
	}
	gens, err := w.Generations()
	if err != nil {
		return nil, err
	}
	p, t := w.keys()
	rows, err := w.readTable(filepath.Join(w.Dir, "predictive", "draws.csv"), append(append([]string{"index"}, p...), t...))
	if err != nil {
		return nil, err
	}
	res := &Result{Generations: gens}
	d := len(p)
	for _, r := range rows {
		res.Predictive = append(res.Predictive, Particle{Index: int(r[0]), Generation: PredictiveStage, Theta: r[1 : 1+d], Stats: r[1+d:], Weight: 1})
	}
	return res, nil
}
