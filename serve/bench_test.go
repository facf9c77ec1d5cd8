package serve

import (
	"context"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// BenchmarkDefaultComparison is what the page does for a first-time user's
// Run: the default area with the wijktafel, 12 replications (the page's start) of 156 weeks
// of both variants, the first one live, summarised at the end. The target
// is about a second on two cores (README, "A live what-if page").
func BenchmarkDefaultComparison(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	f, err := decodeForm(strings.NewReader(`{"scenario":"default","replications":12,"interventions":[{"type":"wijktafel","values":{"attendance_formal":0.8}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, _, err := s.prepare(f)
		if err != nil {
			b.Fatal(err)
		}
		cl := &collected{c: c, runs: make([][2]*sim.Result, c.reps)}
		err = execute(context.Background(), c, s.opts.Workers, func(any) bool { return true }, func(d repDone) {
			cl.runs[d.rep] = d.res
			cl.n++
		})
		if err != nil {
			b.Fatal(err)
		}
		o := cl.output()
		summary(o, o.Summaries(), c.reps)
	}
}
