package calibrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
)

// TestOnlyOurs checks which working directories a calibration may write
// into and remove: its own files, including what a killed write left
// (.tmp-…), but no file of another name and no link.
func TestOnlyOurs(t *testing.T) {
	ok := []string{"calibration.toml", "scenario.toml", "calibration.json", ".tmp-calibration.json-123",
		"gen-000/shard-1-of-2.csv", "gen-012/population.csv", "gen-000/generation.json", "gen-001/.tmp-population.csv-9",
		"predictive/shard-2-of-2.csv", "predictive/draws.csv"}
	fill := func(files ...string) string {
		dir := t.TempDir()
		for _, f := range files {
			p := filepath.Join(dir, f)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, nil, 0o644)
		}
		return dir
	}
	dir := fill(ok...)
	if err := OnlyOurs(dir); err != nil {
		t.Fatalf("refused a calibration's own files: %v", err)
	}
	for _, bad := range []string{"notes.txt", "gen-000/notes.txt", "gen-0/population.csv", "predictive/population.csv.bak", "posterior.csv"} {
		want := bad
		if bad == "gen-0/population.csv" {
			want = "gen-0" // the directory is not one of a calibration's
		}
		if err := OnlyOurs(fill(append(ok, bad)...)); err == nil || !strings.Contains(err.Error(), filepath.FromSlash(want)) {
			t.Errorf("%s: want a refusal naming it, got %v", bad, err)
		}
	}
	os.Symlink("/etc", filepath.Join(dir, "gen-005"))
	if err := OnlyOurs(dir); err == nil {
		t.Error("a link named like a generation was accepted")
	}
	if err := OnlyOurs(filepath.Join(dir, "absent")); err != nil {
		t.Errorf("a directory that does not exist: %v", err)
	}
}

// smallCalibration fits one parameter to one target.
const smallCalibration = `scenario = "default"
[[parameters]]
key = "area.civil_society"
prior = "uniform"
min = 0.2
max = 0.8
[[targets]]
metric = "informal_active"
value = 100
se = 10
`

// TestWorkBelongsToItsFile checks that a working directory is continued
// only by the calibration that made it: an edited file (here its seed) is
// refused, the same file accepted.
func TestWorkBelongsToItsFile(t *testing.T) {
	src := smallCalibration
	a, err := scenarios.ParseCalibration("a.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenarios.ParseCalibration("a.toml", []byte("seed = 2\n"+src))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "w")
	if err := NewWork(dir, a).Init(); err != nil {
		t.Fatal(err)
	}
	if err := NewWork(dir, a).Init(); err != nil {
		t.Errorf("the same calibration was refused: %v", err)
	}
	if err := NewWork(dir, b).Init(); err == nil || !strings.Contains(err.Error(), "belongs to another calibration") {
		t.Errorf("an edited calibration: want a refusal, got %v", err)
	}
}
