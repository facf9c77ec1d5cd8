package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// snapshot lists every file and directory under root with its kind, size
// and SHA-256, so that a test can tell that nothing changed.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, _ := d.Info()
		switch {
		case d.IsDir():
			out[rel] = "dir"
		case d.Type().IsRegular():
			b, _ := os.ReadFile(p)
			h := sha256.Sum256(b)
			out[rel] = fmt.Sprintf("file %d %s", info.Size(), hex.EncodeToString(h[:8]))
		default:
			out[rel] = "other " + info.Mode().String()
		}
		return nil
	})
	return out
}

func diff(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "removed "+k)
		} else if w != v {
			d = append(d, "changed "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "added "+k)
		}
	}
	sort.Strings(d)
	return d
}

func put(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const hostileSweep = `scenario = "default"
variants = ["baseline"]
ticks = 5
[[parameters]]
key = "area.civil_society"
%s
[[outputs]]
metric = "hybridisation"
`

const hostileCalibration = `scenario = "default"
ticks = 5
particles = 4
[[parameters]]
key = "area.civil_society"
prior = "uniform"
max = 0.8
min = 0.2
[[targets]]
metric = "informal_active"
window = 2
value = 100
se = 10
`

// TestHostileInputsChangeNothing runs the tool on names that are paths,
// directories that are not its own, files that are not scenario files and
// malformed flags: each must fail cleanly (exit 1 or 2, a message that
// says why, no panic) and leave the file system exactly as it was — the
// test compares a listing of every file with its size and SHA-256.
func TestHostileInputsChangeNothing(t *testing.T) {
	run := []string{"--reps", "1", "--ticks", "3", "--quiet", "--no-charts"}
	cases := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, root string)
		args  []string
		code  int
		want  string
	}{
		{name: "scenario name with ../", files: map[string]string{"v.toml": "extends = \"default\"\nname = \"../../victim\"\n", "victim-effects.svg": "mine"},
			args: []string{"compare", "--reps", "2", "--ticks", "5", "--variants", "baseline,wijktafels", "--out", "cmp/out", "v.toml", "purmerend"}, code: 1,
			want: `v.toml:2:1: name must be letters, digits, spaces`},
		{name: "scenario name with / and default --out", files: map[string]string{"v.toml": "extends = \"default\"\nname = \"a/b\"\n"},
			args: append([]string{"run"}, append(run, "v.toml")...), code: 1, want: `(did you mean "a-b"?)`},
		{name: "scenario name escaping out/", files: map[string]string{"v.toml": "extends = \"default\"\nname = \"../../escape\"\n"},
			args: append([]string{"run"}, append(run, "v.toml")...), code: 1, want: `got "../../escape" (did you mean "escape"?)`},
		{name: "newline in a name", files: map[string]string{"v.toml": "extends = \"default\"\nname = \"x\\ny\"\n"},
			args: append([]string{"run"}, append(run, "v.toml")...), code: 1, want: `got "x\ny"`},
		{name: "variant name is a formula", files: map[string]string{"v.toml": "extends = \"default\"\n[[variants]]\nname = \"=cmd|' /C calc'!A0\"\n"},
			args: append([]string{"run"}, append(run, "--out", "o", "v.toml")...), code: 1, want: `v.toml:3:1: variants[0].name must be`},
		{name: "two compare scenarios with one name", files: map[string]string{"a.toml": "extends = \"hoorn\"\nname = \"same\"\n", "b.toml": "extends = \"purmerend\"\nname = \"same\"\n"},
			args: append([]string{"compare"}, append(run, "--out", "o", "a.toml", "b.toml")...), code: 1, want: `a.toml and b.toml are both named "same"`},
		{name: "--out is a web project with its own manifest.json", files: map[string]string{"webapp/manifest.json": "{}", "webapp/index.html": "<p>", "webapp/notes.txt": "n", "webapp/sub/app.js": "x"},
			args: append([]string{"run"}, append(run, "--out", "webapp")...), code: 1, want: "refusing to replace webapp: it holds index.html, manifest.json, notes.txt, sub/, which hybridsim did not write"},
		{name: "--out is an earlier output with the user's files added", setup: func(t *testing.T, root string) {
			if _, e, code := hs(t, append([]string{"run"}, append(run, "--out", "prev")...)...); code != 0 {
				t.Fatal(e)
			}
			put(t, root, map[string]string{"prev/analysis.R": "x", "prev/figs/fig1.pdf": "y"})
		}, args: append([]string{"run"}, append(run, "--out", "prev")...), code: 1, want: "it holds analysis.R, figs/, which hybridsim did not write (its .hybridsim file does not list them)"},
		{name: "--out is a file", files: map[string]string{"f": "x"},
			args: append([]string{"run"}, append(run, "--out", "f")...), code: 1, want: "f exists and is not a directory"},
		{name: "--out is the working directory, even with --force", files: map[string]string{"keep.txt": "x"},
			args: append([]string{"run"}, append(run, "--force", "--out", ".")...), code: 1, want: "refusing to replace ., which holds the working directory, even with --force"},
		{name: "sweep --shard into a user's directory", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0.2\nmax = 0.8\nsteps = 2"), "userdir/runs.csv": "mine", "userdir/sweep.toml": "mine", "userdir/scenario.toml": "mine"},
			args: []string{"sweep", "--quiet", "--shard", "1/1", "--out", "userdir", "s.toml"}, code: 1, want: "refusing to write into userdir: it holds files, and there is no .hybridsim marker"},
		{name: "sweep into a user's directory", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0.2\nmax = 0.8\nsteps = 2"), "userdir/thesis.docx": "mine"},
			args: []string{"sweep", "--quiet", "--out", "userdir", "s.toml"}, code: 1, want: "refusing to replace userdir: it holds thesis.docx"},
		{name: "sweep into the working directory", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0.2\nmax = 0.8\nsteps = 2")},
			args: []string{"sweep", "--quiet", "--out", ".", "s.toml"}, code: 1, want: "refusing to replace .: it holds s.toml"},
		{name: "sweep into /", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0.2\nmax = 0.8\nsteps = 2")},
			args: []string{"sweep", "--quiet", "--out", "/", "s.toml"}, code: 1, want: "refusing to replace /: it holds"},
		{name: "merge into a user's directory", files: map[string]string{"userdir/thesis.docx": "mine", "shard/x": ""},
			args: []string{"merge", "--out", "userdir", "shard"}, code: 1, want: "refusing to replace userdir: it holds thesis.docx"},
		{name: "extends /dev/zero", files: map[string]string{"v.toml": "extends = \"/dev/zero\"\n"},
			args: append([]string{"run"}, append(run, "--out", "o", "v.toml")...), code: 1, want: "names /dev/zero, which is not a scenario file: only regular files are read"},
		{name: "extends a FIFO", files: map[string]string{"v.toml": "extends = \"fifo.toml\"\n"}, setup: func(t *testing.T, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "fifo.toml"), 0o644); err != nil {
				t.Skip(err)
			}
		}, args: append([]string{"run"}, append(run, "--out", "o", "v.toml")...), code: 1, want: "fifo.toml, which is not a scenario file: only regular files are read"},
		{name: "extends a big file", files: map[string]string{"v.toml": "extends = \"big.toml\"\n", "big.toml": "#" + strings.Repeat("x", 2<<20) + "\n"},
			args: append([]string{"run"}, append(run, "--out", "o", "v.toml")...), code: 1, want: "big.toml, which is not a scenario file: it is larger than 1 MiB"},
		{name: "extends /etc/passwd", files: map[string]string{"v.toml": "extends = \"/etc/passwd\"\n"},
			args: append([]string{"run"}, append(run, "--out", "o", "v.toml")...), code: 1, want: "/etc/passwd:1:5: is not a scenario file: it is not TOML"},
		{name: "a sweep file as the scenario", files: map[string]string{"fifo": ""}, args: []string{"sweep", "--quiet", "--out", "o", "/dev/zero"}, code: 1, want: "/dev/zero is not a sweep file"},
		{name: "sweep value out of range", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "values = [0.5, 1.5]")},
			args: []string{"sweep", "--quiet", "--out", "o", "s.toml"}, code: 1, want: "s.toml:6:1: parameters[0].values does not fit area.civil_society, which must be from 0 to 1, got 1.5"},
		{name: "sweep value infinite", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0\nmax = inf")},
			args: []string{"sweep", "--quiet", "--out", "o", "s.toml"}, code: 1, want: "s.toml:7:1: parameters[0].max must be a finite number, got +Inf"},
		{name: "sweep fraction for a whole-number parameter", files: map[string]string{"s.toml": strings.Replace(fmt.Sprintf(hostileSweep, "values = [10, 12.5]"), "area.civil_society", "population.professionals", 1)},
			args: []string{"sweep", "--quiet", "--out", "o", "s.toml"}, code: 1, want: "s.toml:6:1: parameters[0].values does not fit population.professionals, which must be a whole number"},
		{name: "sweep parameter twice", files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "values = [0.1, 0.2]\n[[parameters]]\nkey = \"area.civil_society\"\nvalues = [0.3]")},
			args: []string{"sweep", "--quiet", "--out", "o", "s.toml"}, code: 1, want: `s.toml:8:1: parameters[1].key "area.civil_society" is varied twice (also parameters[0], line 5)`},
		{name: "calibrate into a user's directory", files: map[string]string{"c.toml": hostileCalibration, "userdir/thesis.docx": "mine"},
			args: []string{"calibrate", "--quiet", "--out", "userdir", "c.toml"}, code: 1, want: "refusing to replace userdir: it holds thesis.docx"},
		{name: "calibrate --shard into a user's working directory", files: map[string]string{"c.toml": hostileCalibration, "o.partial/gen-000/notes.txt": "mine"},
			args: []string{"calibrate", "--quiet", "--shard", "1/2", "--out", "o", "c.toml"}, code: 1, want: "o.partial holds gen-000/notes.txt, which a calibration did not write"},
		{name: "calibrate --merge with nothing to merge", files: map[string]string{"c.toml": hostileCalibration},
			args: []string{"calibrate", "--quiet", "--merge", "--out", "o", "c.toml"}, code: 1, want: "no calibration in progress in o.partial"},
		{name: "calibrate /dev/zero", args: []string{"calibrate", "--quiet", "--out", "o", "/dev/zero"}, code: 1, want: "/dev/zero is not a calibration file"},
		{name: "calibration prior outside the valid range", files: map[string]string{"c.toml": strings.Replace(hostileCalibration, "max = 0.8", "max = 1.8", 1)},
			args: []string{"calibrate", "--quiet", "--out", "o", "c.toml"}, code: 1, want: "c.toml:7:1: parameters[0].max is 1.8, outside the valid range of area.civil_society"},
		{name: "calibrate --shard 0/2", files: map[string]string{"c.toml": hostileCalibration},
			args: []string{"calibrate", "--shard", "0/2", "--out", "o", "c.toml"}, code: 2, want: "--shard must be i/n"},
		{name: "calibrate --workers 0", files: map[string]string{"c.toml": hostileCalibration},
			args: []string{"calibrate", "--workers", "0", "--out", "o", "c.toml"}, code: 2, want: "invalid value"},
	}
	for _, f := range []struct{ flag, value string }{
		{"--seed", "1e3"}, {"--seed", "1.5"}, {"--seed", "5abc"}, {"--seed", " 1"}, {"--seed", "-1"}, {"--seed", "9223372036854775808"},
		{"--reps", "0"}, {"--reps", "-1"}, {"--reps", "1000001"}, {"--reps", "2x"},
		{"--ticks", "0"}, {"--ticks", "1000001"}, {"--ticks", "1.5"},
		{"--workers", "0"}, {"--scale", "0"}, {"--scale", "inf"}, {"--scale", "NaN"}, {"--scale", "100001"},
	} {
		cases = append(cases, struct {
			name  string
			files map[string]string
			setup func(t *testing.T, root string)
			args  []string
			code  int
			want  string
		}{name: "run " + f.flag + " " + f.value, args: []string{"run", "--out", "o", f.flag, f.value}, code: 2, want: "invalid value"})
	}
	for _, a := range [][]string{
		{"--shard", "1/2x"}, {"--shard", "1/2/3"}, {"--shard", " 1/2"}, {"--shard", "0/2"}, {"--shard", "3/2"}, {"--shard", "1/0"},
		{"--max-reps", "0"}, {"--workers", "0"}, {"--target-halfwidth", "NaN"}, {"--target-halfwidth", "-1"}, {"--target-halfwidth", "inf"},
	} {
		cases = append(cases, struct {
			name  string
			files map[string]string
			setup func(t *testing.T, root string)
			args  []string
			code  int
			want  string
		}{name: "sweep " + strings.Join(a, " "), files: map[string]string{"s.toml": fmt.Sprintf(hostileSweep, "min = 0.2\nmax = 0.8\nsteps = 2")},
			args: append(append([]string{"sweep", "--out", "o"}, a...), "s.toml"), code: 2, want: "must be"})
	}
	for _, a := range [][]string{{"--workers", "0"}, {"--reps", "1"}, {"--seed", "1e3"}} {
		cases = append(cases, struct {
			name  string
			files map[string]string
			setup func(t *testing.T, root string)
			args  []string
			code  int
			want  string
		}{name: "validate-model " + strings.Join(a, " "), args: append([]string{"validate-model"}, a...), code: 2, want: "invalid value"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			t.Chdir(root)
			put(t, root, tc.files)
			if tc.setup != nil {
				tc.setup(t, root)
			}
			before := snapshot(t, root)
			done := make(chan struct{})
			var e string
			var code int
			go func() { defer close(done); _, e, code = hs(t, tc.args...) }()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("still running after 60 s")
			}
			if code != tc.code || !strings.Contains(e, tc.want) || strings.Contains(e, "panic") || strings.Contains(e, "goroutine") {
				t.Errorf("exit %d, want %d\nstderr: %s\nwant: %s", code, tc.code, e, tc.want)
			}
			if strings.Contains(e, "root:x:") {
				t.Errorf("the message quotes a file that is not a scenario: %s", e)
			}
			if d := diff(before, snapshot(t, root)); len(d) > 0 {
				t.Errorf("the file system changed: %s", strings.Join(d, ", "))
			}
			if _, err := os.Stat("/.partial"); err == nil {
				t.Error("/.partial exists")
			}
		})
	}
}

// TestResolvedScenarioLoadsAgain: whatever values the flags accept — here
// the largest and smallest of each — the resolved scenario.toml written
// with them loads again with the same values (the flags share the
// scenario keys' ranges). Replaying one small run from its scenario.toml
// gives the same data.
func TestResolvedScenarioLoadsAgain(t *testing.T) {
	for _, args := range [][]string{
		{"--ticks", "1000000", "--reps", "1000000", "--seed", "9223372036854775807", "--scale", "100000"},
		{"--ticks", "1", "--reps", "1", "--seed", "0", "--scale", "0.0001"},
	} {
		var f runFlags
		fs := newFlags("run", "", "", io.Discard)
		f.register(fs)
		if err := parse(fs, args); err != nil {
			t.Fatal(err)
		}
		s, err := scenarios.Load("default")
		if err != nil {
			t.Fatal(err)
		}
		f.apply(s)
		again, err := scenarios.Parse("scenario.toml", []byte(s.Canonical()))
		if err != nil {
			t.Fatalf("%v: the resolved scenario does not load again: %v", args, err)
		}
		if again.Ticks != s.Ticks || again.Replications != s.Replications || again.Seed != s.Seed || again.Scale != s.Scale {
			t.Errorf("%v: reloaded as ticks %d reps %d seed %d scale %g", args, again.Ticks, again.Replications, again.Seed, again.Scale)
		}
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, e, code := hs(t, "run", "--quiet", "--no-charts", "--ticks", "4", "--reps", "2", "--seed", "9223372036854775807", "--scale", "0.5", "--out", a); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := hs(t, "run", "--quiet", "--no-charts", "--out", b, filepath.Join(a, "scenario.toml")); code != 0 {
		t.Fatalf("replaying scenario.toml: %s", e)
	}
	for _, f := range []string{"timeseries.csv", "actors.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs when replayed from scenario.toml", f)
		}
	}
}

// TestOutAppearingDuringTheRun: a directory made at --out by someone else
// while the runs go on is left alone; the results are kept beside it and
// the message says where.
func TestOutAppearingDuringTheRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o")
	go func() {
		for {
			if m, _ := filepath.Glob(filepath.Join(dir, ".o.tmp-*")); len(m) > 0 {
				os.MkdirAll(out, 0o755)
				os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, e, code := hs(t, "run", "--quiet", "--no-charts", "--ticks", "60", "--reps", "4", "--workers", "1", "--out", out)
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Fatal("the file that appeared at --out is gone")
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "o.kept-*"))
	if code != 1 || len(kept) != 1 || !strings.Contains(e, "The results are complete and kept in "+kept[0]) {
		t.Fatalf("exit %d, kept %v, stderr %q", code, kept, e)
	}
	if _, err := os.Stat(filepath.Join(kept[0], "timeseries.csv")); err != nil {
		t.Error("the kept results have no timeseries.csv")
	}
}

// TestNoFormulaCells: no CSV cell the tool writes is read as a formula by a
// spreadsheet. Text cells (scenario and variant names, metric and role
// words, parameter keys) never begin with =, +, -, @, tab or CR: names are
// checked at load time (scenarios.CheckName), the rest are the tool's own
// words. A cell that begins with "-" is a negative number, which
// spreadsheets read as a number. Cells are therefore written as they are,
// without a protective quote that would change the data for R or pandas.
func TestNoFormulaCells(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o")
	if _, e, code := hs(t, "compare", "--quiet", "--no-charts", "--ticks", "3", "--reps", "2", "--out", out, "hoorn", "purmerend"); code != 0 {
		t.Fatal(e)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(files) < 4 {
		t.Fatalf("found %d CSV files", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, cell := range row {
				if _, err := strconv.ParseFloat(cell, 64); err == nil || cell == "" {
					continue
				}
				if strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Fatalf("%s: cell %q would be a formula", filepath.Base(f), cell)
				}
			}
		}
	}
}
