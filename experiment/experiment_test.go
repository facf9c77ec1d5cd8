package experiment

import (
	"context"
	"math"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

func TestEffectsArePairedWithATInterval(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Execute(context.Background(), Plan{Scenarios: []*scenarios.Scenario{s}, Variants: []string{"baseline", "all-three"}, Reps: 5, Ticks: 60, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var e Effect
	for _, x := range o.Effects() {
		if x.Variant == "all-three" && x.Metric == sim.Hybridisation {
			e = x
		}
	}
	// Recompute by hand: d_r over the last 52 of 60 ticks, t(0.975, 4) = 2.776445.
	base, var3 := o.Group("default", "baseline"), o.Group("default", "all-three")
	d := make([]float64, 5)
	mean := 0.0
	for r := range 5 {
		a, w := LastMean(var3[r].Result, sim.Hybridisation)
		b, _ := LastMean(base[r].Result, sim.Hybridisation)
		if w != 52 {
			t.Fatalf("window %d", w)
		}
		d[r] = a - b
		mean += d[r] / 5
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / 4)
	h := 2.776445 * sd / math.Sqrt(5)
	if math.Abs(e.Mean-mean) > 1e-12 || math.Abs(e.Lo-(mean-h)) > 1e-6 || math.Abs(e.Hi-(mean+h)) > 1e-6 || e.N != 5 {
		t.Fatalf("effect %+v, want mean %v ± %v", e, mean, h)
	}
	if e.Reference != "baseline" {
		t.Errorf("reference %q", e.Reference)
	}
	// Summaries: one row per variant, tick and metric, n = 5.
	sum := o.Summaries()
	if len(sum) != 2*60*int(sim.NumMetrics) || sum[0].N != 5 {
		t.Fatalf("%d summaries", len(sum))
	}
}

func TestExecuteRejectsUnknownVariant(t *testing.T) {
	s, _ := scenarios.Load("hoorn")
	if _, err := Execute(context.Background(), Plan{Scenarios: []*scenarios.Scenario{s}, Variants: []string{"nope"}}); err == nil {
		t.Fatal("an unknown variant ran")
	}
}

func TestExecuteStopsOnCancel(t *testing.T) {
	s, _ := scenarios.Load("default")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Execute(ctx, Plan{Scenarios: []*scenarios.Scenario{s}, Reps: 50}); err == nil {
		t.Fatal("a cancelled plan reported success")
	}
}
