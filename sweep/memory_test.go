package sweep

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestStreamingBoundsWaitingResults runs 20,000 one-tick runs of tiny areas
// on 2 workers and checks that at most 4 × workers results ever waited in
// memory to be written: memory does not grow with the number of runs.
// Keeping rows (or results) after writing them fails this test.
func TestStreamingBoundsWaitingResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20,000 tiny runs")
	}
	// Without the warm-up (docs/ODD.md §3.1) a one-tick run is one tick:
	// the test is of the streaming, not of the model.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.toml"), []byte("extends = \"default\"\nwarmup = 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `scenario = "s.toml"
variants = ["baseline"]
design = "lhs"
samples = 20
replications = 1000
ticks = 1
[[parameters]]
key = "area.households"
min = 10
max = 20
[[parameters]]
key = "population.informal"
min = 5
max = 10
[[outputs]]
metric = "hybridisation"
window = 1
`
	sw, err := scenarios.ParseSweep(filepath.Join(dir, "mem.toml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(sw)
	waiting := 0
	opt := ShardOptions{Dir: t.TempDir(), Shard: 1, Shards: 1, Workers: 2, maxWaiting: &waiting}
	if err := RunShard(context.Background(), p, opt); err != nil {
		t.Fatal(err)
	}
	if p.Runs() != 20000 || waiting < 1 || waiting > 4*2 {
		t.Fatalf("%d runs; at most %d results waited in memory, want 1 … 8", p.Runs(), waiting)
	}
}
