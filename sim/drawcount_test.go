//go:build drawcount

package sim

import "testing"

// TestDrawCounts counts the streams opened and the PCG draws of one
// default-area run (seed 1, replication 0; set-up, the default warm-up and
// 156 recorded ticks, one thread) and checks them against the counts that
// BenchmarkStreams replays, so that its figure stays the random work of a
// real run. Run it with go test -tags drawcount ./sim -run DrawCounts
// (.ci/run does).
func TestDrawCounts(t *testing.T) {
	drawCounts.opens.Store(0)
	drawCounts.draws.Store(0)
	if _, err := Run(Config{Params: Defaults(), Warmup: DefaultWarmup, Ticks: 156, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	opens, draws := drawCounts.opens.Load(), drawCounts.draws.Load()
	t.Logf("one default-area run: %d streams opened, %d PCG draws", opens, draws)
	if opens != defaultRunOpens || draws != defaultRunDraws {
		t.Errorf("a default-area run opens %d streams and makes %d draws; BenchmarkStreams replays %d and %d: update defaultRunOpens and defaultRunDraws", opens, draws, defaultRunOpens, defaultRunDraws)
	}
}
