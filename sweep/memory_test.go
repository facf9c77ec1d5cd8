package sweep

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// peakHeap runs f while sampling the live heap every millisecond and returns
// the largest value seen.
func peakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
	f()
	close(done)
	mu.Lock()
	defer mu.Unlock()
	return peak
}

// TestStreamingMemoryDoesNotGrowWithRuns runs a shard of 1,000 and one of
// 20,000 one-tick runs (tiny areas): the peak live heap of the larger must
// stay within 2 MB of the smaller, since rows go to disk as they finish and
// at most 4 × workers wait in memory. Keeping every row in memory instead
// adds about 4 MB at 20,000 runs and fails the test.
func TestStreamingMemoryDoesNotGrowWithRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 21,000 tiny runs")
	}
	peak := map[int]uint64{}
	for _, reps := range []int{50, 1000} {
		src := fmt.Sprintf(`scenario = "default"
variants = ["baseline"]
design = "lhs"
samples = 20
replications = %d
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
`, reps)
		sw, err := scenarios.ParseSweep("mem.toml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		p := NewPlan(sw)
		dir := t.TempDir()
		peak[p.Runs()] = peakHeap(func() {
			if err := RunShard(context.Background(), p, ShardOptions{Dir: dir, Shard: 1, Shards: 1, Workers: 2}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := peak[1000], peak[20000]
	t.Logf("peak live heap: %d KB for 1,000 runs, %d KB for 20,000 runs", small>>10, large>>10)
	if large > small+2<<20 {
		t.Errorf("peak heap grew from %d KB to %d KB with 20× the runs", small>>10, large>>10)
	}
}
