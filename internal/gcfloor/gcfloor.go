// Package gcfloor keeps Go's garbage collector from running more often than
// about once per floor bytes of allocation while the live heap is small.
//
// hybridsim runs many small models (a default-area run lives in about a
// megabyte and allocates under one), so with Go's default GOGC=100 the heap
// goal stays near its 4 MB minimum and the collector runs dozens of times a
// second; with two workers it then competed with them for the cores (a
// sweep ran 1.5× faster on 2 workers than on 1; with the floor 1.9×). While
// the live heap is below half the floor, GOGC is raised so that the heap
// goal is about the floor; above that (a national run's model of 800 MB),
// GOGC is 100 as usual, so large runs need no more memory than before. A
// GOGC set in the environment is left alone. This is the same idea as the
// Go compiler's cmd/compile/internal/base.AdjustStartingHeap, kept simple:
// it uses the live heap the runtime reports after each collection.
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Set installs the floor for the rest of the process; it does nothing when
// the environment sets GOGC or a floor is installed already. Call it from
// main, before starting goroutines.
func Set(floor uint64) {
	if os.Getenv("GOGC") != "" || installed {
		return
	}
	installed = true
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/globals:bytes"}, {Name: "/gc/scan/stack:bytes"}}
	adjust := func() bool {
		metrics.Read(sample)
		for _, s := range sample {
			if s.Value.Kind() != metrics.KindUint64 {
				debug.SetGCPercent(100)
				return false // this runtime does not report it: leave GOGC as usual
			}
		}
		live, roots := sample[0].Value.Uint64(), sample[1].Value.Uint64()+sample[2].Value.Uint64()
		debug.SetGCPercent(Percent(live, roots, floor))
		return true
	}
	if adjust() {
		forEachGC(adjust)
	}
}

// installed says Set has installed the floor (once per process).
var installed bool

// Percent is the GOGC that puts the heap goal near floor: the goal is
// live + (live + roots) × GOGC/100 (roots: the globals and stacks the
// collector scans), but never below the runtime's minimum of 4 MB ×
// GOGC/100, so GOGC is at most 100 × floor / 4 MB (then a small heap's goal
// is the floor itself). 100 once live is half the floor or more.
func Percent(live, roots, floor uint64) int {
	if 2*live >= floor {
		return 100
	}
	most := max(100, 100*floor/(4<<20))
	if live == 0 {
		return int(most)
	}
	return int(max(100, min(most, 100*(floor-live)/(live+roots))))
}

// forEachGC calls fn after each collection until it returns false: a
// finalizer on an object nobody holds runs after the collection that finds
// it, and sets itself on the object again (as the Go compiler does).
func forEachGC(fn func() bool) {
	type T [32]byte // large enough to avoid the tiny allocator
	var finalizer func(*T)
	finalizer = func(p *T) {
		if fn() {
			runtime.SetFinalizer(p, finalizer)
		}
	}
	runtime.SetFinalizer(new(T), finalizer)
}
