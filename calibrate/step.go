package calibrate

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hybridsim/hybridsim/output"
)

// Step is what one invocation of a calibration does in its working
// directory: all of it on this machine (Shards 0); shard Shard of Shards
// of the next stage (a cluster array task); or, with Merge, the merge of
// the next stage's finished shards.
type Step struct {
	Shard, Shards int
	Merge         bool
	// Resume continues a calibration run on this machine that was
	// interrupted; without it such a run refuses to start over one begun.
	Resume  bool
	Workers int // particles simulated in parallel
}

// Hooks tell how a step goes; nil ones are not called.
type Hooks struct {
	Start      func()                // a calibration on this machine starts or resumes
	Generation func(*Generation)     // a generation is finished or merged
	Particles  func(done, total int) // particles simulated of the current stage
}

// Outcome says what a step did.
type Outcome struct {
	Stage       Stage   // the stage a shard simulated or a merge merged
	Next        Stage   // after a merge that did not end the calibration: what to run next
	NothingLeft bool    // a shard found every stage done: only the merge is left
	Result      *Result // the calibration ended and was written
}

// Do carries out step s. When the calibration ends, Finish writes it into
// dir and write adds the charts and the manifest. dir is checked first, so
// that nothing runs towards an output it may not replace: it may hold only
// files hybridsim wrote, unless force. An interrupted step's error says
// what was kept.
func (w *Work) Do(ctx context.Context, s Step, dir string, force bool, write func(tmp string, res *Result) ([]string, error), h Hooks) (Outcome, error) {
	if err := output.Check(dir, force); err != nil {
		return Outcome{}, err
	}
	particles := func(done, total int) {
		if h.Particles != nil {
			h.Particles(done, total)
		}
	}
	generation := func(g *Generation) {
		if h.Generation != nil {
			h.Generation(g)
		}
	}
	switch {
	case s.Shards > 0:
		st, err := w.RunShard(ctx, s.Shard, s.Shards, s.Workers, particles)
		if err != nil {
			return Outcome{}, interrupted(err, "nothing of this shard was kept: run it again")
		}
		return Outcome{Stage: st, NothingLeft: st.Done}, nil
	case s.Merge:
		if _, err := os.Stat(w.Dir); err != nil {
			return Outcome{}, fmt.Errorf("no calibration in progress in %s (run the shards of its first generation with --shard i/n first): %w", w.Dir, err)
		}
		if err := w.Init(); err != nil {
			return Outcome{}, err
		}
		st, gen, err := w.Merge()
		if err != nil {
			return Outcome{}, err
		}
		if gen != nil {
			generation(gen)
		}
		next, _, err := w.Next()
		if err != nil || !next.Done {
			return Outcome{Stage: st, Next: next}, err
		}
	default:
		if err := w.Init(); err != nil {
			return Outcome{}, err
		}
		if w.Started() && !s.Resume {
			return Outcome{}, fmt.Errorf("%s holds an interrupted calibration: rerun with --resume to continue it, or remove it", w.Dir)
		}
		if h.Start != nil {
			h.Start()
		}
		if err := w.Run(ctx, s.Workers, generation, func(_ Stage, done, total int) { particles(done, total) }); err != nil {
			return Outcome{}, interrupted(err, fmt.Sprintf("the finished generations are kept in %s: run the same command with --resume to continue", w.Dir))
		}
	}
	res, err := w.Finish(dir, force, write)
	return Outcome{Result: res}, err
}

// interrupted says what is kept when a step was interrupted.
func interrupted(err error, kept string) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; %s", kept)
	}
	return err
}
