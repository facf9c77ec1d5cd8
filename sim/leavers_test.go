package sim

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unsafe"
)

// runSlots runs cfg to its end with compaction on or off (compactSlots),
// compacting as soon as a sixteenth of the slots are empty (compactMin 0,
// so that small areas compact often), checking the invariants after every
// tick when check is set, and builds the end state as Run does (finish:
// ties counted and dropped), with the tie network.
func runSlots(t *testing.T, cfg Config, compact, check bool) (*Model, *Result) {
	t.Helper()
	defer func(c bool, n int) { compactSlots, compactMin = c, n }(compactSlots, compactMin)
	compactSlots, compactMin = compact, 0
	cfg.Network = true
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for m.Tick() < cfg.Ticks {
		m.Step()
		if check {
			checkInvariants(t, m)
		}
	}
	return m, m.finish()
}

// TestLeaversFreeTheirSlots runs the default area (seed 3, the default
// warm-up and 156 weeks, in which some 400 informal parties leave) twice:
// once as Step does, compacting the actors' array, and once with every
// actor in the slot it got (compactSlots off), where each leaver's Actor
// stays in place. The end states and every output must be the same, the
// leavers' records must equal what their Actors say, and with compaction
// the actors' array must be smaller than the number of actors who took
// part. checkInvariants runs after every tick of the compacting run.
func TestLeaversFreeTheirSlots(t *testing.T) {
	cfg := Config{Params: Defaults(), Warmup: DefaultWarmup, Ticks: 156, Seed: 3}
	ref, want := runSlots(t, cfg, false, false)
	m, got := runSlots(t, cfg, true, true)
	if ref.leavers.n < 100 {
		t.Fatalf("only %d leavers: the test needs turnover", ref.leavers.n)
	}
	if len(ref.actors) != int(ref.nextID) {
		t.Fatalf("without compaction %d slots for %d actors", len(ref.actors), ref.nextID)
	}
	for _, b := range ref.leavers.blocks {
		for _, x := range b {
			a := &ref.actors[x.id] // without compaction, slot = id
			s := ActorState{ID: int(x.id), Side: a.Side, Role: a.Role, Active: a.Active, W: a.W, A: a.A, G: a.G,
				X: a.X, Iota: a.Iota, Pi: a.Pi, M: a.M, CrossContacts: int(a.CrossContacts)}
			if x.state() != s {
				t.Fatalf("leaver %d: record %+v, its actor says %+v", x.id, x.state(), s)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("compacting changed the result")
	}
	if len(got.Edges) == 0 {
		t.Fatal("no tie network to compare")
	}
	if len(m.actors) > int(m.nextID)-m.leavers.n/2 {
		t.Errorf("%d slots for %d actors of whom %d left: the array is not compacted", len(m.actors), m.nextID, m.leavers.n)
	}
	t.Logf("%d actors took part, %d left; %d slots with compaction", m.nextID, m.leavers.n, len(m.actors))
}

// TestCompactionWithInterventions compares compacting and not compacting
// (as TestLeaversFreeTheirSlots) over 30 random configurations with
// interventions (randomConfig, seed 5) and 40 more weeks of high turnover,
// so that compaction meets wijktafel and reflection pairs, added
// professionals and intermediaries, and cases of every mode.
func TestCompactionWithInterventions(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	compacted := 0
	for k := range 30 {
		cfg := randomConfig(r)
		cfg.Ticks += 40
		cfg.Params.DropoutBase = 0.02
		_, want := runSlots(t, cfg, false, false)
		m, got := runSlots(t, cfg, true, true)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("configuration %d: compacting changed the result", k)
		}
		if len(m.actors) < int(m.nextID) {
			compacted++
		}
	}
	if compacted < 20 {
		t.Errorf("only %d of 30 runs compacted", compacted)
	}
}

// TestLeaverSize guards the leaver record's size, which sets the memory of
// long national runs (docs/PERFORMANCE.md).
func TestLeaverSize(t *testing.T) {
	if size := unsafe.Sizeof(leaver{}); size != 80 {
		t.Errorf("leaver is %d bytes, want 80", size)
	}
}
