package sim

import (
	"flag"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

var national = flag.Bool("national", false, "TestMemoryNationalScale runs the whole national run (the default warm-up and 156 recorded ticks, on all cores) instead of 26 ticks")

// memoryBudget is the peak heap allowed for one run of 10^6 actors
// (performance issue: under 1 GiB).
const memoryBudget = 1 << 30

// TestMemoryNationalScale is a size check, not a timing: one run of the
// default area scaled to 10^6 actors (sim.Scale; 26 million households) with
// the Go runtime's soft memory limit set to 90% of the budget (what
// GOMEMLIMIT does for the command line), as a user with a 1 GiB machine would run it. A
// sampler reads the heap (runtime/metrics, every 2 ms) during set-up, every
// tick and the end state; the test fails when the peak exceeds 1 GiB. It
// also checks that memory does not grow with ticks beyond the live cases
// and the leavers' records: the live heap (after a collection) may grow
// from tick 13 to the last tick by at most 64 bytes per added live case,
// 80 per leaver (its end state, kept for actors.csv), 16 KiB per added free
// tie chunk (recycleChunks keeps at most 64) and 24 MiB once (the
// compaction's scratch copy of a block of tie lists, the room of tie arrays
// that grew, and the chunks that the lists cut since the last packing use).
//
// By default it runs 26 ticks without a warm-up, enough for the set-up,
// a quarter-year of cases and the end state; -national runs the whole
// national run of docs/ODD.md §3.1 — the default warm-up of 312 ticks and
// 156 recorded ticks — with Config.Threads set to the cores, and logs its
// wall time (docs/PERFORMANCE.md gives the figures of both). -short skips
// it.
func TestMemoryNationalScale(t *testing.T) {
	if testing.Short() {
		t.Skip("10^6 actors: skipped with -short")
	}
	ticks, warmup, threads := 26, 0, 1
	if *national {
		ticks, warmup, threads = 156, DefaultWarmup, runtime.GOMAXPROCS(0)
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(memoryBudget * 9 / 10))
	runtime.GC()

	var peak atomic.Uint64
	var now, peakAt atomic.Int64 // tick being stepped (−1 set-up, ticks+1 end state), and at the peak
	now.Store(-1)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		v := sample[0].Value.Uint64()
		for {
			p := peak.Load()
			if v <= p {
				return v
			}
			if peak.CompareAndSwap(p, v) {
				peakAt.Store(now.Load())
				return v
			}
		}
	}
	base := read()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tk := time.NewTicker(2 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				read()
			}
		}
	})

	start := time.Now()
	cfg := Scale(Config{Params: Defaults(), Warmup: warmup, Ticks: 156, Seed: 1, Threads: threads}, 1e6/164)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	live := func() (uint64, int) {
		runtime.GC()
		return read(), len(m.cases)
	}
	var live13 uint64
	var cases13, leavers13, free13 int
	for m.Tick() < ticks {
		now.Store(int64(m.Tick()))
		m.Step()
		read()
		if m.Tick() == 13 && live13 == 0 {
			live13, cases13 = live()
			leavers13, free13 = m.leavers.n, len(m.tieFree)
		}
	}
	liveEnd, casesEnd := live()
	freeEnd, usedEnd := len(m.tieFree), len(m.tieUsed)
	now.Store(int64(ticks + 1))
	res := m.finish() // as Run does
	read()
	close(stop)
	wg.Wait()
	runtime.KeepAlive(res)

	n := len(m.formal) + len(m.informal) + len(m.coords)
	t.Logf("%d actors present (%d in the end state), %d live cases after %d warm-up and %d recorded ticks on %d threads, %.1f s wall", n, len(res.Actors), casesEnd, warmup, ticks, threads, time.Since(start).Seconds())
	t.Logf("live heap after tick 13: %d MiB (%d cases); after tick %d: %d MiB (%d cases); peak heap %d MiB at tick %d (−1: set-up; %d: end state; budget %d MiB)",
		(live13-base)>>20, cases13, ticks, (liveEnd-base)>>20, casesEnd, (peak.Load()-base)>>20, peakAt.Load(), ticks+1, memoryBudget>>20)
	if p := peak.Load() - base; p > memoryBudget {
		t.Errorf("peak heap %d MiB, budget %d MiB", p>>20, memoryBudget>>20)
	}
	t.Logf("free tie chunks (recycleChunks): %d after tick 13, %d after tick %d, when %d were in use", free13, freeEnd, ticks, usedEnd)
	if freeEnd > tieFreeMax {
		t.Errorf("%d free tie chunks kept, at most %d allowed", freeEnd, tieFreeMax)
	}
	allowed := int64(max(casesEnd-cases13, 0))*64 + int64(m.leavers.n-leavers13)*int64(unsafe.Sizeof(leaver{})) +
		int64(max(freeEnd-free13, 0))*tieChunkSize*int64(unsafe.Sizeof(Tie{})) + 24<<20
	if grow := int64(liveEnd) - int64(live13); grow > allowed {
		t.Errorf("live heap grew by %d MiB from tick 13 to %d, more than the %d MiB the added cases, leavers and tie chunks explain", grow>>20, ticks, allowed>>20)
	}
}

// TestTicksAllocateNothing checks that steady-state ticks allocate almost
// nothing: in the default area scaled to 3,000 actors (seed 1, one run; the
// count is deterministic up to the runtime's own allocations), after the
// warm-up of scaledModel and 60 more ticks, the next 120 ticks together may
// make at most 24 allocations. They make 13: what is left is amortised, not
// per tick — a compaction's map from old to new slots (one every 25 ticks or
// so), the leavers' record blocks (actors.csv lists every leaver) and
// arrays that reached a new size. Without the reuse of tie chunks
// (recycleChunks) they make 79, and an allocation in every tick would add
// 120.
func TestTicksAllocateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3,000-actor area: skipped with -short")
	}
	m := scaledModel(t, 3000, 104)
	for range 60 {
		m.Step()
		m.series = m.series[:0]
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 120 {
		m.Step()
		m.series = m.series[:0] // as in BenchmarkTick: the recorded rows are the run's output
	}
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n > 24 {
		t.Errorf("120 steady-state ticks made %d allocations, want at most 24", n)
	} else {
		t.Logf("120 steady-state ticks made %d allocations (at most 24 allowed)", n)
	}
}
