package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"testing"
	"time"

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

// TestEndStateInOrder checks Plan.EndState: every run is handed over once,
// in the Output's order, with its end state, whatever the number of
// workers; the end state is released afterwards; and no more than
// endStateWindow runs are ever finished ahead of the ones handed over,
// even when handing over is slow (the first call sleeps so that, without
// the window, every other run would finish meanwhile).
func TestEndStateInOrder(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		var got []string
		var handed, finished, most atomic.Int64
		plan := Plan{Scenarios: []*scenarios.Scenario{s}, Variants: []string{"baseline", "wijktafels"}, Reps: 12, Ticks: 8, Workers: workers,
			Progress: func(done, _ int) {
				finished.Store(int64(done))
				if ahead := int64(done) - handed.Load(); ahead > most.Load() {
					most.Store(ahead)
				}
			},
			EndState: func(r *Run) error {
				if len(r.Result.Actors) == 0 {
					return fmt.Errorf("run %s/%d handed over without its end state", r.Variant, r.Rep)
				}
				if len(got) == 0 {
					time.Sleep(50 * time.Millisecond)
				}
				got = append(got, fmt.Sprintf("%s/%d", r.Variant, r.Rep))
				handed.Add(1)
				return nil
			}}
		o, err := Execute(context.Background(), plan)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range o.Runs {
			want = append(want, fmt.Sprintf("%s/%d", r.Variant, r.Rep))
			if r.Result.Actors != nil {
				t.Errorf("workers %d: %s/%d still holds its end state", workers, r.Variant, r.Rep)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("workers %d: handed over %v, want %v", workers, got, want)
		}
		if w := int64(endStateWindow(workers)); most.Load() > w {
			t.Errorf("workers %d: %d runs finished ahead of the end states handed over, want at most %d", workers, most.Load(), w)
		}
	}
}

// TestEndStateErrorStops: an error from EndState is the plan's error.
func TestEndStateErrorStops(t *testing.T) {
	s, _ := scenarios.Load("default")
	calls := 0
	_, err := Execute(context.Background(), Plan{Scenarios: []*scenarios.Scenario{s}, Reps: 10, Ticks: 4, Workers: 2,
		EndState: func(*Run) error { calls++; return errors.New("disk full") }})
	if err == nil || err.Error() != "disk full" || calls != 1 {
		t.Fatalf("err %v after %d calls; want disk full after 1", err, calls)
	}
}
