package sweep

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
)

// TestJobsMakeTheSweepsRuns: the sweep's design points fed to experiment
// as jobs (Plan.Job) make the runs of the sweep's own streamed execution:
// the same seeds and, run by run in runs.csv's order, the same outputs (a
// grid of 2 points × 2 variants × 3 replications of 6 weeks, no warm-up,
// seed 5; compared to the last digit).
func TestJobsMakeTheSweepsRuns(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.toml"), []byte("extends = \"hoorn\"\nwarmup = 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `scenario = "s.toml"
variants = ["baseline", "wijktafels"]
design = "grid"
replications = 3
ticks = 6
seed = 5
[[parameters]]
key = "area.civil_society"
values = [0.3, 0.7]
[[outputs]]
metric = "hybridisation"
window = 4
`
	sw, err := scenarios.ParseSweep(filepath.Join(dir, "g.toml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(sw)
	out := t.TempDir()
	if err := RunShard(context.Background(), p, ShardOptions{Dir: out, Shard: 1, Shards: 1, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var plan experiment.Plan
	for pt := range p.Design.Points {
		for v := range sw.Variants {
			j, err := p.Job(pt, v)
			if err != nil {
				t.Fatal(err)
			}
			plan.Jobs = append(plan.Jobs, j)
		}
	}
	plan.Workers = 3
	o, err := experiment.Execute(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+p.Runs() || len(o.Runs) != p.Runs() || p.Runs() != 12 {
		t.Fatalf("%d rows, %d runs of the plan, want 12", len(rows)-1, len(o.Runs))
	}
	for i, r := range o.Runs {
		row := rows[1+i] // run, point, variant, rep, seed, civil_society, hybridisation
		mean, _ := r.Result.MeanLast(sw.Outputs[0].Metric, sw.Outputs[0].Window)
		if row[2] != r.Variant || row[3] != strconv.Itoa(r.Rep) || row[4] != strconv.FormatUint(r.Seed, 10) || row[6] != strconv.FormatFloat(mean, 'g', -1, 64) {
			t.Fatalf("run %d: runs.csv has %v; the job's run is %s rep %d, seed %d, output %v", i, row, r.Variant, r.Rep, r.Seed, mean)
		}
	}
}
