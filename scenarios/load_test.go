package scenarios

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

var update = flag.Bool("update", false, "rewrite the expected messages under testdata/bad")

// TestBadScenarios loads every file under testdata/bad (those named with a
// .want beside them) and compares the whole error text with the .want file.
func TestBadScenarios(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.toml")
	cases := []string{"syntax", "unknown-key", "wrong-type", "out-of-range", "negative-ticks", "empty-variants",
		"unknown-intervention", "unknown-preset", "cycle-a", "intervention-range", "wrong-group", "misspelt-elsewhere", "scale-zero", "duplicate-key",
		"path-names", "not-toml", "wrong-shape"}
	if len(files) < len(cases) {
		t.Fatalf("found %d bad files, want at least %d", len(files), len(cases))
	}
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", name+".toml")
			_, err := Load(path)
			matchWant(t, err, filepath.Join("testdata", "bad", name+".want"))
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	_, err := Load("testdata/bad/wrong-type.toml")
	e, ok := err.(*Error)
	if !ok || len(e.Problems) != 3 {
		t.Fatalf("want 3 problems at once, got %v", err)
	}
	for _, p := range e.Problems {
		if p.Line == 0 || p.Col == 0 || p.Key == "" {
			t.Errorf("problem without position or key: %+v", p)
		}
	}
}

func TestPresetsLoadWithStandardVariants(t *testing.T) {
	want := []string{"baseline", "wijktafels", "social-reflection", "clear-end-goal", "intermediaries", "all-three", "push-only", "clear-roles"}
	names := Presets()
	if len(names) != 6 {
		t.Fatalf("presets %v", names)
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			s, err := Load(n)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(s.VariantNames(), ",") != strings.Join(want, ",") {
				t.Errorf("variants %v", s.VariantNames())
			}
			if s.Description == "" || s.Ticks != 156 || s.Warmup != sim.DefaultWarmup {
				t.Errorf("description %q ticks %d warmup %d", s.Description, s.Ticks, s.Warmup)
			}
			cfg, _ := s.Config("clear-roles")
			if eg := cfg.Interventions[len(cfg.Interventions)-1].(*sim.EndGoal); eg.Perspective != "separation" || eg.Clarity != 0.8 || eg.Support != 0.5 {
				t.Errorf("clear-roles %+v", eg)
			}
			if len(cfg.Standing) != len(s.Interventions) || cfg.Warmup != s.Warmup {
				t.Errorf("config: %d standing arrangements (scenario %d), warm-up %d", len(cfg.Standing), len(s.Interventions), cfg.Warmup)
			}
			for _, v := range want {
				if _, err := s.Config(v); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestPresetValuesFollowModelSection8(t *testing.T) {
	for _, tc := range []struct {
		preset     string
		u, c, d, k float64
	}{
		{"amsterdam-oud-noord", 0.85, 0.6, 0.35, 0.5},
		{"amsterdam-slotervaart", 0.9, 0.5, 0.55, 0.3},
		{"amsterdam-de-baarsjes", 0.85, 0.5, 0.35, 0.5},
		{"hoorn", 0.4, 0.6, 0.15, 0.6},
		{"purmerend", 0.5, 0.3, 0.2, 0.6},
	} {
		s, err := Load(tc.preset)
		if err != nil {
			t.Fatal(err)
		}
		p := s.Params
		if p.Urbanity != tc.u || p.CivilSociety != tc.c || p.MigrantShare != tc.d || p.CulturalSensitivity != tc.k {
			t.Errorf("%s: u c d k = %v %v %v %v", tc.preset, p.Urbanity, p.CivilSociety, p.MigrantShare, p.CulturalSensitivity)
		}
	}
	s, _ := Load("purmerend")
	if s.Params.Iota0 != 0.35 {
		t.Errorf("Purmerend ι0 %v", s.Params.Iota0)
	}
	eg := s.Interventions[0].(*sim.EndGoal)
	if eg.Perspective != "civil_society" || eg.Clarity != 0.3 || eg.Support != 0 {
		t.Errorf("Purmerend end goal %+v", eg)
	}
	s, _ = Load("amsterdam-de-baarsjes")
	if s.Params.CrossTiesScale != 0.3 {
		t.Errorf("De Baarsjes cross ties scale %v", s.Params.CrossTiesScale)
	}
	// clear-end-goal uses the preset's own perspective, accessibility_plus where it has none.
	for preset, want := range map[string]string{"purmerend": "civil_society", "hoorn": "accessibility_plus", "amsterdam-de-baarsjes": "accessibility"} {
		s, _ := Load(preset)
		cfg, _ := s.Config("clear-end-goal")
		last := cfg.Interventions[len(cfg.Interventions)-1].(*sim.EndGoal)
		if last.Perspective != want || last.Clarity != 0.8 || last.Participation != 1 || last.Support != 0.5 {
			t.Errorf("%s clear-end-goal %+v", preset, last)
		}
	}
}

func TestExtendsOverridesAndKeepsVariants(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.toml")
	os.WriteFile(base, []byte("extends = \"hoorn\"\n[area]\ncivil_society = 0.9\n\n[[variants]]\nname = \"more\"\n[variants.area]\nexplicit_rate = 0.012\n"), 0o644)
	child := filepath.Join(dir, "child.toml")
	os.WriteFile(child, []byte("extends = \"base.toml\"\nname = \"child\"\nreplications = 3\n[area]\nurbanity = 0.7\n"), 0o644)
	s, err := Load(child)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "child" || s.Replications != 3 || s.Params.Urbanity != 0.7 || s.Params.CivilSociety != 0.9 || s.Params.MigrantShare != 0.15 {
		t.Errorf("resolved %s reps %d u %v c %v d %v", s.Name, s.Replications, s.Params.Urbanity, s.Params.CivilSociety, s.Params.MigrantShare)
	}
	if len(s.Variants) != 9 || len(s.Interventions) != 1 {
		t.Errorf("variants %v, interventions %d", s.VariantNames(), len(s.Interventions))
	}
	cfg, err := s.Config("more")
	if err != nil || cfg.Params.ExplicitRate != 0.012 || cfg.Params.Urbanity != 0.7 {
		t.Errorf("variant config %v %+v", err, cfg.Params.ExplicitRate)
	}
	if o := s.Origins["area.urbanity"]; !strings.Contains(o, "child.toml line 5") {
		t.Errorf("origin of urbanity %q", o)
	}
	if o := s.Origins["area.migrant_share"]; o != "preset:hoorn line 14" {
		t.Errorf("origin of migrant_share %q", o)
	}
}

func TestKeyPositions(t *testing.T) {
	src := `name = "x"
description = """
[not a table]
"""
[area]
  urbanity = 0.5
list = [
  1,
  2]
[[variants]]
name = "a"
[[variants]]
name = "b"
  [[variants.interventions]]
  type = "push"
  [[variants.interventions]]
  type = "wijktafel"
[variants.area]
"quoted" = 1
`
	p := keyPositions(src)
	for path, want := range map[string]pos{
		"name": {1, 1}, "area.urbanity": {6, 3}, "area.list": {7, 1}, "variants[1].name": {13, 1},
		"variants[1].interventions[1].type": {17, 3}, "variants[1].area.quoted": {19, 1}, "variants[0]": {10, 1},
	} {
		if p[path] != want {
			t.Errorf("%s at %v, want %v", path, p[path], want)
		}
	}
	if _, ok := p["not a table"]; ok {
		t.Error("read a table header inside a multi-line string")
	}
}

// FuzzParse feeds the loader arbitrary input, seeded with the presets and the
// bad files: it must return a scenario or an error, never panic.
func FuzzParse(f *testing.F) {
	for _, n := range Presets() {
		b, _ := PresetSource(n)
		f.Add(b)
	}
	bad, _ := filepath.Glob("testdata/bad/*.toml")
	for _, b := range bad {
		src, _ := os.ReadFile(b)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.toml", src)
		if err == nil && s == nil {
			t.Fatal("no scenario and no error")
		}
	})
}

// TestExampleSweepsLoad keeps the README's example sweep files valid.
func TestExampleSweepsLoad(t *testing.T) {
	files, _ := filepath.Glob("../examples/sweep-*.toml")
	if len(files) < 3 {
		t.Fatalf("found %d example sweeps", len(files))
	}
	for _, f := range files {
		if _, err := LoadSweep(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestScaleKey checks the scale key: inherited through extends, applied by
// Config to every variant (a variant's own population override included),
// written by Canonical so that the resolved file reproduces the runs.
func TestScaleKey(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "city.toml")
	os.WriteFile(base, []byte("extends = \"default\"\nscale = 20\n\n[[variants]]\nname = \"bigger-team\"\n[variants.population]\nprofessionals = 50\n"), 0o644)
	s, err := Load(base)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]int{"baseline": 240, "bigger-team": 1000} {
		cfg, err := s.Config(v)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Params.Professionals != want || cfg.Params.Households != 100000 || cfg.Params.InitialCrossTies != 0.02*(1.5-0.5)/20 {
			t.Errorf("%s: professionals %d (want %d), households %d, initial_cross_ties %v", v, cfg.Params.Professionals, want, cfg.Params.Households, cfg.Params.InitialCrossTies)
		}
	}
	again := filepath.Join(dir, "resolved.toml")
	os.WriteFile(again, []byte(s.Canonical()), 0o644)
	r, err := Load(again)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scale != 20 {
		t.Errorf("resolved file has scale %v, want 20", r.Scale)
	}
	if d, _ := Load("default"); d.Scale != 1 || strings.Contains(d.Canonical(), "\nscale =") {
		t.Error("an unscaled scenario should have scale 1 and write no scale key")
	}
}

// FuzzParseSweep feeds the sweep loader arbitrary input, seeded with the
// example sweeps: it must return a sweep or an error, never panic.
func FuzzParseSweep(f *testing.F) {
	files, _ := filepath.Glob("../examples/sweep-*.toml")
	for _, name := range files {
		src, _ := os.ReadFile(name)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sw, err := ParseSweep("fuzz.toml", src)
		if err == nil && sw == nil {
			t.Fatal("no sweep and no error")
		}
	})
}

// TestNamesAreIdentifiers: names become file names and CSV cells, so
// anything that could be a path, a hidden file, a flag or a spreadsheet
// formula is refused, with a usable name suggested.
func TestNamesAreIdentifiers(t *testing.T) {
	for _, ok := range []string{"baseline", "clear-roles", "Purmerend 2024", "v1.2_b", "Café", strings.Repeat("a", 64)} {
		if err := CheckName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "../../victim", "a/b", `a\b`, "..", ".hidden", "x\ny", "=cmd", "+1", "-rf", "@sum", " lead", "trail ", "a,b", "a\"b", strings.Repeat("a", 65)} {
		err := CheckName(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if s := SafeName(bad); CheckName(s) != nil {
			t.Errorf("SafeName(%q) = %q, itself not a valid name", bad, s)
		}
	}
	if s := SafeName("../../victim"); s != "victim" {
		t.Errorf("SafeName(../../victim) = %q", s)
	}
	// A name taken from the file name is made valid, not refused.
	dir := t.TempDir()
	f := filepath.Join(dir, "=my area (v2).toml")
	os.WriteFile(f, []byte("[[variants]]\nname = \"baseline\"\n"), 0o644)
	s, err := Load(f)
	if err != nil || s.Name != "my area -v2" {
		t.Errorf("name from file name: %v, %q", err, s.Name)
	}
}

// TestExtendsIsBounded: extends reads only regular files of at most 1 MiB,
// never hangs on a FIFO, never quotes a file that is not TOML.
func TestExtendsIsBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	os.WriteFile(big, []byte("# "+strings.Repeat("x", 1<<20)+"\n"), 0o644)
	fifo := filepath.Join(dir, "fifo.toml")
	if err := mkfifo(fifo); err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct{ target, want string }{
		{"/dev/zero", "names /dev/zero, which is not a scenario file: only regular files are read"},
		{fifo, "which is not a scenario file: only regular files are read"},
		{dir, "which is not a scenario file: only regular files are read"},
		{big, "which is not a scenario file: it is larger than 1 MiB"},
		{"/etc/passwd", "/etc/passwd:1:5: is not a scenario file: it is not TOML"},
	} {
		f := filepath.Join(dir, "s.toml")
		os.WriteFile(f, []byte(fmt.Sprintf("extends = %q\n", tc.target)), 0o644)
		done := make(chan error, 1)
		go func() { _, err := Load(f); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("extends = %q: %v\nwant %q", tc.target, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "root") {
				t.Errorf("extends = %q quotes the file: %v", tc.target, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("extends = %q: still loading after 10 s", tc.target)
		}
	}
}

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
