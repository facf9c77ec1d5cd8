package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// hs runs the command line in-process and returns stdout, stderr and the
// exit status main would give.
func hs(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readCSV reads a table of an output with encoding/csv: the header, then
// the rows.
func readCSV(t *testing.T, path string) (head []string, rows [][]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(read(t, path))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: %v (%d records)", path, err, len(recs))
	}
	return recs[0], recs[1:]
}

// TestRunIsReproducible runs the default preset (3 replications, 30 ticks)
// with 1 and 2 workers and twice with the same seed: the data files must be
// byte-identical.
func TestRunIsReproducible(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, x := range []struct {
		out, workers string
	}{{a, "1"}, {b, "2"}, {c, "2"}} {
		if _, e, code := hs(t, "run", "--reps", "3", "--ticks", "30", "--workers", x.workers, "--out", x.out, "--quiet", "--no-charts"); code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
	}
	for _, f := range []string{"timeseries.csv", "summary.csv", "effects.csv", "actors.csv"} {
		fa := read(t, filepath.Join(a, f))
		if !bytes.Equal(fa, read(t, filepath.Join(b, f))) || !bytes.Equal(fa, read(t, filepath.Join(c, f))) {
			t.Errorf("%s differs between runs or worker counts", f)
		}
	}
	ts := string(read(t, filepath.Join(a, "timeseries.csv")))
	head := strings.SplitN(ts, "\n", 2)[0]
	if !strings.HasPrefix(head, "scenario,variant,rep,tick,hybridisation,direct_share,mode_unnoticed") || !strings.HasSuffix(head, "protoprof_informal,caseload_pressure,unmet_need,wait_weeks,time_to_close,joint_of_handled") {
		t.Errorf("timeseries header %q", head)
	}
	if n := strings.Count(ts, "\n"); n != 1+8*3*30 {
		t.Errorf("timeseries has %d lines, want %d", n, 1+8*3*30)
	}
	var man map[string]any
	if err := json.Unmarshal(read(t, filepath.Join(a, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "go_version", "command_line", "scenarios", "seeds", "started", "finished"} {
		if _, ok := man[k]; !ok {
			t.Errorf("manifest lacks %s", k)
		}
	}
	// The resolved scenario reproduces the run.
	d := filepath.Join(dir, "d")
	if _, e, code := hs(t, "run", "--reps", "3", "--ticks", "30", "--out", d, "--quiet", "--no-charts", filepath.Join(a, "scenario.toml")); code != 0 {
		t.Fatalf("rerun from scenario.toml: %s", e)
	}
	if !bytes.Equal(read(t, filepath.Join(a, "timeseries.csv")), read(t, filepath.Join(d, "timeseries.csv"))) {
		t.Error("rerunning the resolved scenario.toml gives other data")
	}
}

// TestNoOpVariantHasZeroEffect: a variant that changes nothing shares the
// baseline's streams, so its effects are exactly zero.
func TestNoOpVariantHasZeroEffect(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "s.toml")
	os.WriteFile(sc, []byte("extends = \"hoorn\"\n[[variants]]\nname = \"same\"\n  [[variants.interventions]]\n  type = \"push\"\n  at = 5\n  level = 0.5\n"), 0o644)
	out := filepath.Join(dir, "o")
	if _, e, code := hs(t, "run", "--reps", "4", "--ticks", "60", "--variants", "baseline,same", "--out", out, "--quiet", "--no-charts", sc); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	head, rows := readCSV(t, filepath.Join(out, "effects.csv"))
	if len(rows) != int(sim.NumMetrics) {
		t.Fatalf("%d effect rows", len(rows))
	}
	for _, f := range rows {
		if f[slices.Index(head, "mean_diff")] != "0" || f[slices.Index(head, "ci_lo")] != "0" || f[slices.Index(head, "ci_hi")] != "0" {
			t.Fatalf("non-zero effect of a no-op variant: %q", f)
		}
	}
}

func TestFailedRunLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o")
	// A good run first, then a bad one into the same place: the good output stays.
	if _, e, code := hs(t, "run", "--reps", "2", "--ticks", "10", "--out", out, "--quiet", "--no-charts"); code != 0 {
		t.Fatal(e)
	}
	before := read(t, filepath.Join(out, "timeseries.csv"))
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("extends = \"default\"\n[area]\nurbanity = 2\n"), 0o644)
	_, e, code := hs(t, "run", "--out", out, bad)
	if code != 1 || !strings.Contains(e, "bad.toml:3:1: area.urbanity must be from 0 to 1, got 2") {
		t.Fatalf("exit %d, stderr %q", code, e)
	}
	if !bytes.Equal(before, read(t, filepath.Join(out, "timeseries.csv"))) {
		t.Fatal("a failed run changed the previous output")
	}
	// A write that fails midway (the output's parent is a file) leaves no directory.
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	_, _, code = hs(t, "run", "--reps", "1", "--ticks", "5", "--out", filepath.Join(blocker, "o"), "--quiet", "--no-charts")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	// An interrupted run (the runs now happen while actors.csv is being
	// written into the temporary directory) leaves the previous output as
	// it was and no temporary directory.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var so, se bytes.Buffer
	if code := exitCode(run(ctx, []string{"run", "--out", out, "--quiet"}, &so, &se), &se); code != 1 || !strings.Contains(se.String(), "hybridsim: interrupted; nothing was written to "+out) {
		t.Fatalf("interrupted run: exit %d, stderr %q", code, se.String())
	}
	if !bytes.Equal(before, read(t, filepath.Join(out, "timeseries.csv"))) {
		t.Fatal("an interrupted run changed the previous output")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary directory left behind: %s", e.Name())
		}
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"unknown command", []string{"fly"}, 2, `hybridsim: unknown command "fly"`},
		{"bad flag", []string{"run", "--nope"}, 2, "hybridsim: run: flag provided but not defined: -nope"},
		{"bad lang", []string{"run", "--lang", "fr"}, 2, "hybridsim: --lang must be en or nl"},
		{"unknown preset", []string{"run", "zuid"}, 1, `hybridsim: zuid: names no such file or preset "zuid"`},
		{"compare needs two", []string{"compare", "hoorn"}, 2, "compare needs at least two scenarios"},
		{"bad variant", []string{"run", "--variants", "nope", "--quiet"}, 2, `has no variant "nope"`}, // a usage error (issue 15)
		{"bad scale", []string{"run", "--scale", "-2"}, 2, `invalid value "-2" for flag -scale: must be a number above 0 and at most 100000, got "-2"`},
		{"zero scale", []string{"run", "--scale", "0"}, 2, `invalid value "0" for flag -scale`},
		{"every problem at once", []string{"compare", "../../scenarios/testdata/bad/wrong-type.toml", "../../scenarios/testdata/bad/unknown-key.toml"}, 1,
			"hybridsim: 4 problems:\n../../scenarios/testdata/bad/wrong-type.toml:2:1: ticks must"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e, code := hs(t, tc.args...)
			if code != tc.code || !strings.Contains(e, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, e, tc.code, tc.want)
			}
		})
	}
	if _, e, code := hs(t, "runn"); code != 2 || !strings.Contains(e, `unknown command "runn" (did you mean run?)`) {
		t.Errorf("a misspelt command: exit %d, %q", code, e)
	}
	if _, e, _ := hs(t, "init"); !strings.Contains(e, "Run 'hybridsim init -h' for usage.") {
		t.Errorf("a command's usage error does not point to its -h: %q", e)
	}
	var se bytes.Buffer
	if code := exitCode(fmt.Errorf("validate-model: %w", context.Canceled), &se); code != 1 || se.String() != "hybridsim: interrupted\n" {
		t.Errorf("an interrupted command: exit %d, %q", code, se.String())
	}
	if out, _, _ := hs(t, "run", "--nope"); out != "" {
		t.Errorf("a bad flag printed to stdout: %q", out)
	}
	for _, c := range commands() {
		out, _, code := hs(t, c.name, "-h")
		if code != 0 || strings.Count(out, "Usage: hybridsim "+c.name) != 1 {
			t.Errorf("%s -h: exit %d, want the usage once: %q", c.name, code, out)
		}
	}
}

func TestValidatePresetsInitExplain(t *testing.T) {
	out, _, code := hs(t, "presets")
	if code != 0 || !strings.Contains(out, "hoorn") || !strings.Contains(out, "(default)") {
		t.Fatalf("presets: %d %q", code, out)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "mine.toml")
	if _, e, code := hs(t, "init", f); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := hs(t, "init", f); code != 1 || !strings.Contains(e, "exists already") {
		t.Fatalf("init over a file: %d %q", code, e)
	}
	out, _, code = hs(t, "validate", f, "purmerend")
	if code != 0 || strings.Count(out, ": ok") != 2 {
		t.Fatalf("validate: %d %q", code, out)
	}
	// A sweep file's size is printed, so that a typo such as steps =
	// 1000000 in one parameter (under the refused sizes) shows before the
	// sweep starts.
	out, _, code = hs(t, "validate", "../../examples/sweep-grid.toml")
	if want := "sweep-grid.toml: ok (12 design points (grid 4 × 3), 96 runs)"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("validate sweep: %d %q, want %q", code, out, want)
	}
	// Its wijktafel parameter does nothing in the baseline, which has no
	// wijktafel: validate says so (and sweep warns).
	if want := "note: intervention.wijktafel.attractiveness does nothing in variant baseline"; !strings.Contains(out, want) {
		t.Fatalf("validate sweep: %q, want %q", out, want)
	}
	if out, _, _ = hs(t, "validate", "../../examples/sweep-lhs.toml"); strings.Contains(out, "note:") {
		t.Fatalf("validate of a sweep whose parameters act in every variant: %q", out)
	}
	out, _, code = hs(t, "validate", "../../scenarios/testdata/bad/wrong-type.toml")
	if code != 1 || !strings.Contains(out, "3 problem(s)") {
		t.Fatalf("validate bad: %d %q", code, out)
	}
	out, _, code = hs(t, "explain", "purmerend")
	for _, want := range []string{"area.civil_society", "0.3", "(default 0.5)", "from preset:purmerend line", "model.iota0", "end_goal", "perspective=\"civil_society\"", "push-only"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

func TestCompareAndChartsAndReport(t *testing.T) {
	if testing.Short() {
		t.Skip("draws charts")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "cmp")
	if _, e, code := hs(t, "compare", "--reps", "2", "--ticks", "20", "--variants", "baseline,all-three", "--format", "png,svg,pdf", "--out", out, "--quiet", "hoorn", "purmerend"); code != 0 {
		t.Fatal(e)
	}
	for _, f := range []string{"hoorn-hybridisation.png", "purmerend-effects.svg", "hoorn-modes.pdf", "compare-hybridisation.png", "compare-effects.svg", "report.html", "scenario-hoorn.toml"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() < 1000 {
			t.Errorf("%s missing or small: %v", f, err)
		}
	}
	ts := string(read(t, filepath.Join(out, "timeseries.csv")))
	if !strings.Contains(ts, "\nhoorn,all-three,1,19,") || !strings.Contains(ts, "\npurmerend,baseline,0,0,") {
		t.Error("combined timeseries lacks a scenario's rows")
	}
}

// TestRunScale runs the default area at twice its size: the resolved
// scenario.toml records the scale, and actors.csv has each run's actors
// (2 × 164 at the start, plus recruits; no warm-up).
func TestRunScale(t *testing.T) {
	out := filepath.Join(t.TempDir(), "big")
	if _, e, code := hs(t, "run", "--scale", "2", "--reps", "1", "--ticks", "3", "--warmup", "0", "--variants", "baseline", "--no-charts", "--quiet", "--out", out); code != 0 {
		t.Fatal(e)
	}
	sc := string(read(t, filepath.Join(out, "scenario.toml")))
	for _, want := range []string{"\nscale = 2.0 ", "\nticks = 3\n", "\nwarmup = 0\n", "\nreplications = 1\n"} {
		if !strings.Contains(sc, want) {
			t.Errorf("scenario.toml does not record %q (the flags):\n%.400s", want, sc)
		}
	}
	rows := strings.Count(string(read(t, filepath.Join(out, "actors.csv"))), "\n") - 1
	if rows < 328 || rows > 360 {
		t.Errorf("actors.csv has %d actors, want 328 plus a few recruits", rows)
	}
}

// TestSummaryTellsTheTruth: the summary printed after a run names the weeks
// the means are over, says when one replication gives no interval, and
// points to report.html only when one was written.
func TestSummaryTellsTheTruth(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	so, e, code := hs(t, "run", "--variants", "baseline,wijktafels", "--reps", "1", "--ticks", "20", "--out", out, "--no-charts")
	if code != 0 {
		t.Fatal(e)
	}
	for _, want := range []string{"last 20 weeks, 1 replication:", "(one replication: no interval)"} {
		if !strings.Contains(so, want) {
			t.Errorf("summary lacks %q:\n%s", want, so)
		}
	}
	if strings.Contains(so, "report.html") {
		t.Errorf("summary points to a report that --no-charts did not write:\n%s", so)
	}
	so, e, code = hs(t, "run", "--variants", "baseline,wijktafels", "--reps", "2", "--ticks", "60", "--out", out, "--format", "svg")
	if code != 0 {
		t.Fatal(e)
	}
	for _, want := range []string{"last 52 weeks, 2 replications:", "95% interval", "Open " + filepath.Join(out, "report.html")} {
		if !strings.Contains(so, want) {
			t.Errorf("summary lacks %q:\n%s", want, so)
		}
	}
}

// TestFlagsAfterArguments: flags may follow the scenario, as users type
// them; after "--" everything is an argument.
func TestFlagsAfterArguments(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	if _, e, code := hs(t, "run", "hoorn", "--reps", "1", "--ticks", "4", "--quiet", "--no-charts", "--out", out); code != 0 {
		t.Fatalf("flags after the scenario: exit %d, %s", code, e)
	}
	if man := string(read(t, filepath.Join(out, "manifest.json"))); !strings.Contains(man, `"name": "hoorn"`) || !strings.Contains(man, `"replications": 1`) {
		t.Errorf("the flags after the scenario were not applied:\n%.400s", man)
	}
	if _, e, code := hs(t, "run", "--reps", "1", "--", "hoorn", "--quiet"); code != 2 || !strings.Contains(e, "run takes one scenario, got 2") {
		t.Errorf(`after "--": exit %d, %q; want --quiet taken as a second scenario`, code, e)
	}
}
