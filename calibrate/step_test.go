package calibrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestDoRefuses checks the steps Do refuses before simulating anything: an
// output holding a file hybridsim did not write, a merge with no work in
// progress, a run over an interrupted one without Resume; and that a
// cancelled run says what it kept.
func TestDoRefuses(t *testing.T) {
	// Short runs (ticks 10), should anything be simulated by mistake.
	c, err := scenarios.ParseCalibration("a.toml", []byte("ticks = 10\nparticles = 10\n"+strings.Replace(smallCalibration, "value = 100", "window = 5\nvalue = 100", 1)))
	if err != nil {
		t.Fatal(err)
	}
	never := func(string, *Result) ([]string, error) { t.Fatal("wrote an output"); return nil, nil }
	started := false
	hooks := Hooks{Start: func() { started = true }}
	base := t.TempDir()
	out := filepath.Join(base, "out")
	w := NewWork(out+".partial", c)

	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if _, err := w.Do(context.Background(), Step{Workers: 1}, out, false, never, hooks); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("an output with a foreign file: want a refusal naming it, got %v", err)
	}
	if _, err := os.Stat(w.Dir); err == nil || started {
		t.Error("the refused step made its working directory or started")
	}
	os.RemoveAll(out)

	if _, err := w.Do(context.Background(), Step{Merge: true}, out, false, never, hooks); err == nil || !strings.Contains(err.Error(), "no calibration in progress in "+w.Dir) {
		t.Errorf("a merge without work: got %v", err)
	}

	if err := w.Init(); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(w.Dir, "gen-000"), 0o755)
	os.WriteFile(filepath.Join(w.Dir, "gen-000", "shard-1-of-2.csv"), nil, 0o644)
	if _, err := w.Do(context.Background(), Step{Workers: 1}, out, false, never, hooks); err == nil || !strings.Contains(err.Error(), "holds an interrupted calibration: rerun with --resume") || started {
		t.Errorf("a run over an interrupted one: got %v (started %v)", err, started)
	}
	os.RemoveAll(w.Dir)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Do(ctx, Step{Workers: 1}, out, false, never, hooks); err == nil || !strings.Contains(err.Error(), "interrupted; the finished generations are kept in "+w.Dir) || !started {
		t.Errorf("a cancelled run: got %v (started %v)", err, started)
	}
}
