package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	o, err := Execute(context.Background(), with(plan(t, s, 5, 60, "baseline", "all-three"), func(p *Plan) { p.Workers = 2 }))
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
	if _, err := FromScenarios([]*scenarios.Scenario{s}, []string{"nope"}); err == nil {
		t.Fatal("an unknown variant ran")
	}
}

func TestExecuteStopsOnCancel(t *testing.T) {
	s, _ := scenarios.Load("default")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Execute(ctx, plan(t, s, 50, 0)); err == nil {
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
		p := plan(t, s, 12, 8, "baseline", "wijktafels")
		p.Workers = workers
		p.Progress = func(x Progress) {
			done := x.Runs
			finished.Store(int64(done))
			if ahead := int64(done) - handed.Load(); ahead > most.Load() {
				most.Store(ahead)
			}
		}
		p.EndState = func(r *Run) error {
			if len(r.Result.Actors) == 0 {
				return fmt.Errorf("run %s/%d handed over without its end state", r.Variant, r.Rep)
			}
			if len(got) == 0 {
				time.Sleep(50 * time.Millisecond)
			}
			got = append(got, fmt.Sprintf("%s/%d", r.Variant, r.Rep))
			handed.Add(1)
			return nil
		}
		o, err := Execute(context.Background(), p)
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
	_, err := Execute(context.Background(), with(plan(t, s, 10, 4), func(p *Plan) {
		p.Workers = 2
		p.EndState = func(*Run) error { calls++; return errors.New("disk full") }
	}))
	if err == nil || err.Error() != "disk full" || calls != 1 {
		t.Fatalf("err %v after %d calls; want disk full after 1", err, calls)
	}
}

// TestProgressCountsWeeks: Progress reports every week of every run, the
// warm-up's included, so a plan of one long run shows progress before the
// run ends; the last report has everything done.
func TestProgressCountsWeeks(t *testing.T) {
	s, _ := scenarios.Load("default")
	var reports []Progress
	s.Warmup = 5
	_, err := Execute(context.Background(), with(plan(t, s, 3, 10, "baseline"), func(p *Plan) {
		p.Workers = 2
		p.Progress = func(x Progress) { reports = append(reports, x) }
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 3*15+3 {
		t.Fatalf("%d progress reports, want one per week and one per run: 48", len(reports))
	}
	if reports[0].Runs != 0 || reports[0].Ticks != 1 || reports[0].TotalTicks != 45 || reports[0].TotalRuns != 3 {
		t.Errorf("first report %+v, want 1 of 45 weeks, 0 of 3 runs", reports[0])
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Ticks < reports[i-1].Ticks || reports[i].Runs < reports[i-1].Runs {
			t.Fatalf("report %d went back: %+v after %+v", i, reports[i], reports[i-1])
		}
	}
	if last := reports[len(reports)-1]; last.Ticks != 45 || last.Runs != 3 {
		t.Errorf("last report %+v, want everything done", last)
	}
}

// TestMaxSeriesRefusesEarly: a plan whose time series would not fit is
// refused before anything runs, with the numbers; one that fits runs. (The
// plans are small, so that the test fails fast, not by running for hours,
// if the check is gone.)
func TestMaxSeriesRefusesEarly(t *testing.T) {
	s, _ := scenarios.Load("default")
	one := int64(10 * int(sim.NumMetrics) * 8) // one run of 10 weeks
	ran := false
	_, err := Execute(context.Background(), with(plan(t, s, 3, 10, "baseline"), func(p *Plan) {
		p.MaxSeries = 2 * one
		p.Progress = func(Progress) { ran = true }
	}))
	if err == nil || ran || !strings.Contains(err.Error(), "3 runs would keep 0.0 GiB of weekly outputs") {
		t.Fatalf("err %v, ran %v; want a refusal before running", err, ran)
	}
	if _, err := Execute(context.Background(), with(plan(t, s, 2, 10, "baseline"), func(p *Plan) { p.MaxSeries = 2 * one })); err != nil {
		t.Fatalf("a plan of exactly the limit was refused: %v", err)
	}
}

// TestSharedWarmupSameOutputs: variants that share their warm-up (warmed
// once per replication, then forked) give exactly the outputs of runs of
// their own, also next to a variant that changes a parameter (its own
// warm-up), with 1 or 2 workers; and the progress counts every simulated
// week once (the last report has Ticks = TotalTicks).
func TestSharedWarmupSameOutputs(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "s.toml")
	os.WriteFile(f, []byte("extends = \"hoorn\"\nwarmup = 30\n[[variants]]\nname = \"busier\"\n[variants.area]\nexplicit_rate = 0.003\n"), 0o644)
	s, err := scenarios.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	run := func(workers int) (*Output, Progress) {
		var last Progress
		o, err := Execute(context.Background(), with(plan(t, s, 3, 20, "baseline", "all-three", "busier", "clear-roles"), func(p *Plan) {
			p.Workers = workers
			p.Progress = func(p Progress) { last = p }
		}))
		if err != nil {
			t.Fatal(err)
		}
		return o, last
	}
	shared, p := run(2)
	if p.Ticks != p.TotalTicks || p.TotalTicks != 3*(30+4*20+30) {
		t.Errorf("progress %d of %d weeks, want %d of %d (two warm-ups per replication)", p.Ticks, p.TotalTicks, 3*(30+4*20+30), 3*(30+4*20+30))
	}
	one, _ := run(1)
	defer func(n int) { shareLimit = n }(shareLimit)
	shareLimit = 0
	own, _ := run(2)
	for i := range own.Runs {
		for _, o := range []*Output{shared, one} {
			a, b := own.Runs[i].Result, o.Runs[i].Result
			if !slices.Equal(a.Series, b.Series) || !slices.Equal(a.Actors, b.Actors) {
				t.Fatalf("%s rep %d: a shared warm-up gives other outputs than a run of its own", own.Runs[i].Variant, own.Runs[i].Rep)
			}
		}
	}
}

// plan is FromScenarios of a copy of s with reps replications and ticks
// weeks (0: its own).
func plan(t *testing.T, s *scenarios.Scenario, reps, ticks int, variants ...string) Plan {
	t.Helper()
	c := *s
	c.Replications = reps
	if ticks > 0 {
		c.Ticks = ticks
	}
	p, err := FromScenarios([]*scenarios.Scenario{&c}, variants)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// with returns p after f has changed it.
func with(p Plan, f func(*Plan)) Plan {
	f(&p)
	return p
}
