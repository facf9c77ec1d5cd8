package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// smallCalibration is a quick calibration: a scaled-down default area, 30
// weeks, two parameters (one of an intervention), a level and an effect.
const smallCalibration = `scenario = "small.toml"
seed = 3
ticks = 30
particles = 24
alpha = 0.5
replications = 2
max_generations = 3
predictive = 9

[[parameters]]
key = "area.civil_society"
prior = "uniform"
min = 0.2
max = 0.8

[[parameters]]
key = "intervention.wijktafel.attractiveness"
prior = "normal"
mean = 0.5
sd = 0.2

[[targets]]
metric = "mode_informal_only"
window = 10
value = 4
se = 1

[[targets]]
metric = "ei_index"
effect_of = "wijktafels"
window = 10
range = [0.0, 0.1]
`

func writeCalibration(t *testing.T, dir string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "small.toml"), []byte("extends = \"default\"\nscale = 0.3\nwarmup = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "cal.toml")
	if err := os.WriteFile(f, []byte(smallCalibration), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCalibrateSameBytesWhateverShards runs one calibration three ways —
// whole on 1 worker, whole on 3 workers, and every generation as 3 shards
// (run in reverse order) plus a merge — and wants the same bytes in every
// file but the manifest (which records times and the command line).
func TestCalibrateSameBytesWhateverShards(t *testing.T) {
	dir := t.TempDir()
	cal := writeCalibration(t, dir)
	ctx := context.Background()
	var out bytes.Buffer
	for _, w := range []string{"1", "3"} {
		if err := run(ctx, []string{"calibrate", "--quiet", "--workers", w, "--out", filepath.Join(dir, "whole"+w), cal}, &out, &out); err != nil {
			t.Fatalf("whole, %s workers: %v", w, err)
		}
	}
	sharded := filepath.Join(dir, "sharded")
	for round := 0; ; round++ {
		if _, err := os.Stat(filepath.Join(sharded, "manifest.json")); err == nil {
			break
		}
		if round > 10 {
			t.Fatal("no output after 10 rounds of shards and merges")
		}
		for _, i := range []int{3, 1, 2} {
			if err := run(ctx, []string{"calibrate", "--quiet", "--workers", "2", "--shard", fmt.Sprintf("%d/3", i), "--out", sharded, cal}, &out, &out); err != nil {
				t.Fatalf("round %d shard %d: %v", round, i, err)
			}
		}
		if err := run(ctx, []string{"calibrate", "--quiet", "--merge", "--out", sharded, cal}, &out, &out); err != nil {
			t.Fatalf("round %d merge: %v", round, err)
		}
	}
	want, _ := os.ReadDir(filepath.Join(dir, "whole1"))
	if len(want) < 10 {
		t.Fatalf("whole1 has %d files", len(want))
	}
	for _, other := range []string{"whole3", "sharded"} {
		got, _ := os.ReadDir(filepath.Join(dir, other))
		if len(got) != len(want) {
			t.Errorf("%s has %d files, whole1 %d", other, len(got), len(want))
		}
		for _, e := range want {
			if e.Name() == "manifest.json" {
				continue
			}
			a, _ := os.ReadFile(filepath.Join(dir, "whole1", e.Name()))
			b, err := os.ReadFile(filepath.Join(dir, other, e.Name()))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs from whole1's (%v)", other, e.Name(), err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, other+".partial")); err == nil {
			t.Errorf("%s.partial is left behind", other)
		}
	}
}

// TestCalibratedScenarioRuns checks that calibrated.toml loads, holds the
// posterior means (the mean of posterior.csv's weighted particles) and runs
// with 'hybridsim run'; and that the terminal shows a line per target.
func TestCalibratedScenarioRuns(t *testing.T) {
	dir := t.TempDir()
	cal := writeCalibration(t, dir)
	var out bytes.Buffer
	res := filepath.Join(dir, "res")
	if err := run(context.Background(), []string{"calibrate", "--workers", "2", "--out", res, cal}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"generation 0: tolerance", "acceptance rate", "mode_informal_only_last10", "ei_index_effect_wijktafels_last10", "90% interval"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("terminal output lacks %q:\n%s", want, out.String())
		}
	}
	s, err := scenarios.Load(filepath.Join(res, "calibrated.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// The posterior mean of civil_society from posterior.csv.
	head, rows := readCSV(t, filepath.Join(res, "posterior.csv"))
	wi, ci := slices.Index(head, "weight"), slices.Index(head, "area.civil_society")
	mean := 0.0
	for _, f := range rows {
		var w, c float64
		fmt.Sscan(f[wi], &w)
		fmt.Sscan(f[ci], &c)
		mean += w * c
	}
	if d := s.Params.CivilSociety - mean; d > 1e-9 || d < -1e-9 {
		t.Errorf("calibrated.toml has civil_society %v, posterior mean %v", s.Params.CivilSociety, mean)
	}
	if s.Scale != 0.3 || s.Ticks != 30 {
		t.Errorf("calibrated.toml has scale %v and ticks %d, want the calibration's 0.3 and 30", s.Scale, s.Ticks)
	}
	v, _ := s.Variant("wijktafels")
	if len(v.Interventions) == 0 {
		t.Fatal("the wijktafels variant lost its intervention")
	}
	if err := run(context.Background(), []string{"run", "--quiet", "--no-charts", "--reps", "1", "--out", filepath.Join(dir, "run"), filepath.Join(res, "calibrated.toml")}, &out, &out); err != nil {
		t.Fatalf("hybridsim run calibrated.toml: %v", err)
	}
}

// TestCalibrateRefusesStrayWork checks that an interrupted calibration's
// working directory is continued only with --resume, and that one holding
// a file the calibration did not write is refused.
func TestCalibrateRefusesStrayWork(t *testing.T) {
	dir := t.TempDir()
	cal := writeCalibration(t, dir)
	res := filepath.Join(dir, "res")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"calibrate", "--quiet", "--shard", "1/2", "--out", res, cal}, &out, &out); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"calibrate", "--quiet", "--out", res, cal}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("want a hint to --resume, got %v", err)
	}
	os.WriteFile(filepath.Join(res+".partial", "notes.txt"), []byte("mine"), 0o644)
	err = run(context.Background(), []string{"calibrate", "--quiet", "--resume", "--out", res, cal}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("want a refusal naming notes.txt, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(res+".partial", "notes.txt")); err != nil {
		t.Error("notes.txt was removed")
	}
	os.Remove(filepath.Join(res+".partial", "notes.txt"))
	out.Reset()
	if err := run(context.Background(), []string{"calibrate", "--lang", "nl", "--resume", "--out", res, cal}, &out, &out); err != nil {
		t.Fatalf("--resume: %v", err)
	}
	// In Dutch: the chapter's words and decimal commas.
	for _, want := range []string{"generatie 0: tolerantie", "acceptatiegraad 1,000", "90%-interval", "waargenomen ± se", "kalibratie geschreven naar"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--lang nl output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestCalibrateInterruptedThenResumed cancels a calibration as soon as its
// first generation is merged (as Ctrl-C would), expects a message pointing
// to --resume and no output, then resumes it: the files must equal those
// of an uninterrupted calibration byte for byte.
func TestCalibrateInterruptedThenResumed(t *testing.T) {
	dir := t.TempDir()
	cal := writeCalibration(t, dir)
	var out bytes.Buffer
	whole := filepath.Join(dir, "whole")
	if err := run(context.Background(), []string{"calibrate", "--quiet", "--workers", "2", "--out", whole, cal}, &out, &out); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(dir, "res")
	ctx, cancel := context.WithCancel(context.Background())
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := os.Stat(filepath.Join(res+".partial", "gen-000", "generation.json")); err == nil {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	err := run(ctx, []string{"calibrate", "--quiet", "--workers", "2", "--out", res, cal}, &out, &out)
	close(stop)
	cancel()
	if err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("want an interruption that points to --resume, got %v", err)
	}
	if _, err := os.Stat(res); err == nil {
		t.Fatal("an interrupted calibration wrote its output")
	}
	if err := run(context.Background(), []string{"calibrate", "--quiet", "--resume", "--out", res, cal}, &out, &out); err != nil {
		t.Fatalf("--resume: %v", err)
	}
	for _, f := range []string{"posterior.csv", "generations.csv", "predictive.csv", "calibrated.toml", "posterior.svg"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, err := os.ReadFile(filepath.Join(res, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s after --resume differs from the uninterrupted run's (%v)", f, err)
		}
	}
}
