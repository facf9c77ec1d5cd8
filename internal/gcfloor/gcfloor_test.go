package gcfloor

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		live, roots, floor uint64
		want               int
	}{
		{0, 0, 64 << 20, 1600},       // first goal 4 MB × 16 = 64 MB
		{1 << 20, 0, 64 << 20, 1600}, // the runtime's minimum 4 MB × 16 is the goal
		{30 << 20, 2 << 20, 64 << 20, 106},
		{0, 0, 2 << 20, 100},        // a floor below the runtime's minimum changes nothing
		{8 << 20, 0, 64 << 20, 700}, // goal 8 + 8 × 7 = 64 MB
		{6 << 20, 2 << 20, 64 << 20, 725},
		{32 << 20, 1 << 20, 64 << 20, 100}, // half the floor: as usual
		{800 << 20, 1 << 20, 64 << 20, 100},
	} {
		if got := Percent(c.live, c.roots, c.floor); got != c.want {
			t.Errorf("Percent(%d MB, %d MB) = %d, want %d", c.live>>20, c.floor>>20, got, c.want)
		}
	}
}

// sink keeps the allocations below from being optimised away.
var sink []byte

// TestFloorCutsCollections allocates 1 GiB of short-lived garbage in 64 KB
// pieces with a live heap of a few MB: with GOGC=100 that takes many
// collections (the goal stays near the runtime's minimum: Go 1.26 here
// made 294–318 on a quiet machine, 98–222 beside three busy processes, and
// 512 MB made only 38–47 beside a sweep, which the earlier bound of 50
// failed), with a 64 MB floor about 1024/64 = 16. It fails when the floor
// does not at least halve the collections.
func TestFloorCutsCollections(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set: the floor does not apply")
	}
	cycles := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	churn := func() uint64 {
		runtime.GC()
		before := cycles()
		for range 16384 {
			sink = make([]byte, 64<<10)
		}
		return cycles() - before
	}
	without := uint64(0)
	if !installed { // (not on a second run of the test in one process)
		without = churn()
		t.Logf("collections for 1 GiB of garbage without the floor: %d", without)
		if without < 50 {
			t.Fatalf("without the floor only %d collections: the test does not measure what it should", without)
		}
	}
	Set(64 << 20)
	runtime.GC() // the floor applies from the next cycle on
	with := churn()
	t.Logf("with a 64 MB floor: %d", with)
	// About 16; more when the finalizer that adjusts GOGC runs late on a
	// busy machine.
	if with < 6 || with > 48 || (without > 0 && 2*with > without) {
		t.Errorf("with a 64 MB floor %d collections (without: %d), want about 16 (6 to 48) and at most half as many as without", with, without)
	}
}
