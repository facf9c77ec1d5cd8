package sim

import (
	"slices"
	"testing"
)

// resultBytes is runBytes for a Result already made.
func resultBytes(t *testing.T, r *Result) []byte {
	t.Helper()
	return runBytes(t, Config{}, r)
}

// TestForkEqualsRun: a variant continued from a shared warm-up (Warm, then
// Fork) gives byte for byte what a Run of its own gives, for several
// variants forked one after the other from the same warmed model (which
// Fork must not change), with standing arrangements and with the network
// kept.
func TestForkEqualsRun(t *testing.T) {
	base := Config{Params: Defaults(), Warmup: 40, Ticks: 50, Seed: 11, Rep: 2,
		Standing: []Intervention{&HybridWorkers{At: 0, Share: 0.4}, &EndGoal{At: 0, Perspective: "civil_society", Clarity: 0.3, Participation: 0.5}}}
	variants := [][]Intervention{
		nil,
		{mustNew("wijktafel"), mustNew("social_reflection")},
		{&EndGoal{At: 0, Perspective: "separation", Clarity: 0.8, Support: 0.5, Participation: 1}},
		{&CaseloadRelief{At: 0, AddProfessionals: 4}, &Intermediaries{At: 3, End: -1, Add: 2, Training: 1}},
		{mustNew("wijktafel"), mustNew("social_reflection")}, // the same again: w unchanged
	}
	w, err := Warm(base)
	if err != nil {
		t.Fatal(err)
	}
	for k, ivs := range variants {
		cfg := base
		cfg.Interventions = ivs
		cfg.Network = k == 1
		want, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		f, err := w.Fork(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := f.Continue(nil)
		if !slices.Equal(resultBytes(t, got), resultBytes(t, want)) || !slices.Equal(got.Edges, want.Edges) {
			t.Fatalf("variant %d: the forked run differs from its own Run", k)
		}
	}
	if !SameWarmup(base, base) {
		t.Fatal("a configuration does not share its own warm-up")
	}
	other := base
	other.Params.Urbanity = 0.6
	if SameWarmup(base, other) {
		t.Fatal("configurations with other parameters share a warm-up")
	}
	if _, err := w.Fork(Config{Ticks: 0}); err == nil {
		t.Fatal("Fork took 0 ticks")
	}
}

// TestDemandIsPaired: the number of new cases each tick is the same in a
// baseline and in a variant that changes the waiting queue (caseload
// relief at a demand that makes a queue), so variants are paired on demand
// (docs/ODD.md §3.2). Seed 1, 52 warm-up and 104 recorded ticks.
func TestDemandIsPaired(t *testing.T) {
	p := Defaults()
	p.ExplicitRate = 0.004
	base := Config{Params: p, Warmup: 52, Ticks: 104, Seed: 1}
	relief := base
	relief.Interventions = []Intervention{&CaseloadRelief{At: 0, AddProfessionals: 4}}
	a, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(relief)
	queued := false
	for a.Tick() < base.Ticks {
		a.Step()
		b.Step()
		if a.caseID != b.caseID {
			t.Fatalf("tick %d: %d cases have arrived in the baseline, %d with relief", a.Tick()-1, a.caseID, b.caseID)
		}
		for _, c := range a.cases {
			queued = queued || c.Mode == ModeWaiting
		}
	}
	if !queued {
		t.Fatal("no waiting list formed: the test does not test the queue")
	}
}
