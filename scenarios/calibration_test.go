package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadCalibrations loads every file under testdata/bad-cal and compares
// the whole error text with the .want file beside it (-update rewrites).
func TestBadCalibrations(t *testing.T) {
	badFiles(t, "testdata/bad-cal", 4, func(path string) error { _, err := LoadCalibration(path); return err }, "alpha")
}

// TestBadSweeps does the same for the sweep files under testdata/bad-sweep.
func TestBadSweeps(t *testing.T) {
	badFiles(t, "testdata/bad-sweep", 1, func(path string) error { _, err := LoadSweep(path); return err }, "")
}

// badFiles loads each of at least min .toml files in dir with load, which
// must fail with the text of the .want file beside it, every problem
// having a position (but those of a key starting with unplaced, when it
// is not "").
func badFiles(t *testing.T, dir string, min int, load func(string) error, unplaced string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	if len(files) < min {
		t.Fatalf("found %d bad files in %s, want at least %d", len(files), dir, min)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".toml"), func(t *testing.T) {
			err := load(path)
			matchWant(t, err, strings.TrimSuffix(path, ".toml")+".want")
			for _, p := range err.(*Error).Problems {
				if p.Line == 0 && p.Key != "" && (unplaced == "" || !strings.HasPrefix(p.Key, unplaced)) {
					t.Errorf("problem without a position: %+v", p)
				}
			}
		})
	}
}

// matchWant checks that err's whole text is that of the file want
// (rewritten first with -update).
func matchWant(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatal("loaded without error")
	}
	if *update {
		if werr := os.WriteFile(want, []byte(err.Error()+"\n"), 0o644); werr != nil {
			t.Fatal(werr)
		}
	}
	w, rerr := os.ReadFile(want)
	if rerr != nil {
		t.Fatalf("%v (run go test ./scenarios -update)", rerr)
	}
	if got := err.Error() + "\n"; got != string(w) {
		t.Errorf("got:\n%s\nwant:\n%s", got, w)
	}
}

// TestCalibrationDefaults checks what a minimal file means: a level target
// in the reference variant over the last 52 weeks, a range read as a 95%
// interval, an effect against baseline, a normal prior's missing bounds
// from the parameter's valid range.
func TestCalibrationDefaults(t *testing.T) {
	src := `scenario = "default"
[[parameters]]
key = "model.epsilon0"
prior = "normal"
mean = 0.4
sd = 0.1
[[targets]]
metric = "informal_active"
range = [100, 139.2]
[[targets]]
metric = "hybridisation"
effect_of = "wijktafels"
value = 0.05
se = 0.01
`
	c, err := ParseCalibration("x.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	lv, ef := c.Targets[0], c.Targets[1]
	if lv.Variant != "baseline" || lv.IsEffect() || lv.Window != 52 || lv.Value != 119.6 || abs(lv.SE-10) > 1e-3 || lv.Name != "informal_active_last52" {
		t.Errorf("level target: %+v", lv)
	}
	if ef.Variant != "wijktafels" || ef.Reference != "baseline" || ef.Name != "hybridisation_effect_wijktafels_last52" {
		t.Errorf("effect target: %+v", ef)
	}
	if p := c.Params[0]; p.Min != 0 || p.Max != 1 {
		t.Errorf("normal prior bounds %v–%v, want the valid range 0–1", p.Min, p.Max)
	}
	if got := c.Variants(); strings.Join(got, ",") != "baseline,wijktafels" {
		t.Errorf("variants %v", got)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// FuzzParseCalibration: a calibration or an error, never a panic.
func FuzzParseCalibration(f *testing.F) {
	files, _ := filepath.Glob("testdata/bad-cal/*.toml")
	ex, _ := filepath.Glob("../examples/calibrate-*.toml")
	for _, name := range append(files, ex...) {
		src, _ := os.ReadFile(name)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := ParseCalibration("fuzz.toml", src)
		if err == nil && c == nil {
			t.Fatal("no calibration and no error")
		}
	})
}

// TestExampleCalibrations keeps the example calibration files valid and
// tells them apart from sweeps and scenarios (hybridsim validate).
func TestExampleCalibrations(t *testing.T) {
	files, _ := filepath.Glob("../examples/calibrate-*.toml")
	if len(files) == 0 {
		t.Fatal("no example calibration")
	}
	for _, f := range files {
		if _, err := LoadCalibration(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if !IsCalibrationFile(f) {
			t.Errorf("%s is not recognised as a calibration file", f)
		}
	}
	for _, f := range []string{"../examples/sweep-grid.toml", "default", "testdata/bad/unknown-key.toml"} {
		if IsCalibrationFile(f) {
			t.Errorf("%s is taken for a calibration file", f)
		}
	}
}

// TestWith checks the calibrated scenario's values: a whole-number
// parameter rounded, an intervention parameter set in every intervention
// of its type (the variants' own), the original left as it was.
func TestWith(t *testing.T) {
	s, err := Load("default")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.With([]string{"population.professionals", "area.civil_society", "intervention.wijktafel.attractiveness"}, []float64{41.6, 0.33, 0.71})
	if err != nil {
		t.Fatal(err)
	}
	if c.Params.Professionals != 42 || c.Params.CivilSociety != 0.33 {
		t.Errorf("professionals %d (want 42), civil_society %v", c.Params.Professionals, c.Params.CivilSociety)
	}
	n := 0
	for _, v := range c.Variants {
		for _, iv := range v.Interventions {
			if iv.Kind() != "wijktafel" {
				continue
			}
			n++
			for _, sp := range iv.Specs() {
				if sp.Key == "attractiveness" && sp.Float() != 0.71 {
					t.Errorf("%s: attractiveness %v", v.Name, sp.Float())
				}
			}
		}
	}
	if n < 2 {
		t.Errorf("found %d wijktafel interventions, want those of wijktafels and all-three", n)
	}
	v, _ := s.Variant("wijktafels")
	for _, sp := range v.Interventions[0].Specs() {
		if sp.Key == "attractiveness" && sp.Float() == 0.71 {
			t.Error("With changed the original scenario's intervention")
		}
	}
	if s.Params.Professionals == 42 {
		t.Error("With changed the original scenario's parameters")
	}
	if _, err := s.With([]string{"area.civil_society"}, []float64{1.5}); err == nil {
		t.Error("a value outside the valid range was accepted")
	}
}
