package output

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// manifestKeys writes m with Write and returns the keys of manifest.json
// in their order.
func manifestKeys(t *testing.T, m Manifest) []string {
	t.Helper()
	dir := t.TempDir()
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		t.Errorf("manifest.json does not end in a newline")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("manifest.json is not an object: %v %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestManifestFieldsOfEachCommand: each command's manifest holds its own
// fields in a fixed order and none of the others'; a seed of 0 is written
// (it is a seed like any other), an absent one is not.
func TestManifestFieldsOfEachCommand(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	head := []string{"tool", "version", "go_version", "command_line"}
	tail := []string{"seed_rule", "started", "finished", "files"}
	keys := func(mid ...string) []string { return slices.Concat(head, mid, tail) }

	run := NewManifest("v", []string{"run", "--reps", "2"}, start)
	run.Scenarios = []ManifestScenario{{Name: "a"}}
	run.Variants = []string{"baseline"}
	run.Seeds = []ManifestRun{{Scenario: "a", Variant: "baseline", Seed: 7}}
	if got, want := manifestKeys(t, run), keys("scenarios", "variants", "seeds"); !slices.Equal(got, want) {
		t.Errorf("run manifest keys %v, want %v", got, want)
	}

	sw := NewManifest("v", []string{"sweep", "s.toml"}, start)
	sw.SweepFile, sw.SweepSHA256, sw.Design, sw.Points, sw.Runs, sw.Replications = "s.toml", "ab", "grid", 4, 8, 2
	sw.Seed = new(uint64(0))
	if got, want := manifestKeys(t, sw), keys("sweep_file", "sweep_sha256", "design", "points", "runs", "replications", "seed"); !slices.Equal(got, want) {
		t.Errorf("sweep manifest keys %v, want %v", got, want)
	}

	cal := NewManifest("v", []string{"calibrate", "c.toml"}, start)
	cal.CalibrationFile, cal.CalibrationSHA256, cal.Method = "c.toml", "cd", "ABC"
	cal.Particles, cal.Alpha, cal.MinAcceptance, cal.MaxGenerations, cal.Generations, cal.PredictiveDraws = 10, 0.5, 0.05, 3, 2, 5
	cal.Replications, cal.Seed = 1, new(uint64(3))
	want := keys("calibration_file", "calibration_sha256", "method", "particles", "alpha", "min_acceptance", "max_generations", "generations", "predictive_draws", "replications", "seed")
	if got := manifestKeys(t, cal); !slices.Equal(got, want) {
		t.Errorf("calibration manifest keys %v, want %v", got, want)
	}
}

// TestManifestWriteRoundTrips: what Write writes reads back into the same
// Manifest, with the command line whole and Finished set.
func TestManifestWriteRoundTrips(t *testing.T) {
	m := NewManifest("1.2", []string{"sweep", "--out", "x y", "s.toml"}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)))
	m.SweepSHA256, m.Seed, m.Files = "ff", new(uint64(1<<63+5)), []string{"runs.csv", "manifest.json"}
	dir := t.TempDir()
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	var got Manifest
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Finished == "" || got.Started != "2026-01-02T02:04:05Z" {
		t.Errorf("started %q (want UTC), finished %q", got.Started, got.Finished)
	}
	if !slices.Equal(got.CommandLine, []string{"hybridsim", "sweep", "--out", "x y", "s.toml"}) || *got.Seed != 1<<63+5 || got.SweepSHA256 != "ff" || !slices.Equal(got.Files, m.Files) {
		t.Errorf("read back %+v", got)
	}
}
