package sweep

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hybridsim/hybridsim/internal/gcfloor"
	"github.com/hybridsim/hybridsim/scenarios"
)

// BenchmarkSweepThroughput runs a 16-point Latin hypercube of the default
// area (2 variants × 2 replications = 64 runs of 156 ticks per iteration)
// with 1 and 2 workers and reports runs per second, with the collector
// set as the hybridsim command sets it (internal/gcfloor; run with GOGC=100
// to measure without).
func BenchmarkSweepThroughput(b *testing.B) {
	gcfloor.Set(64 << 20)
	src := []byte(`scenario = "default"
variants = ["baseline", "all-three"]
design = "lhs"
samples = 16
replications = 2
seed = 1
[[parameters]]
key = "model.epsilon0"
min = 0.3
max = 0.45
[[outputs]]
metric = "hybridisation"
`)
	sw, err := scenarios.ParseSweep("bench.toml", src)
	if err != nil {
		b.Fatal(err)
	}
	p := NewPlan(sw)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
				if err := RunShard(context.Background(), p, ShardOptions{Dir: dir, Shard: 1, Shards: 1, Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Runs()*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
