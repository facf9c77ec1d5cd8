package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as hybridsim itself, for the test that
// kills a real child process.
func TestMain(m *testing.M) {
	if os.Getenv("HYBRIDSIM_CHILD") == "1" {
		ctx, got, stop := signals()
		err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(signalCode(exitCode(err, os.Stderr), got()))
	}
	os.Exit(m.Run())
}

const smallSweep = `scenario = "default"
variants = ["baseline", "wijktafels"]
design = "%s"
replications = 2
seed = 7
ticks = 30
samples = 4

[[parameters]]
key = "area.civil_society"
min = 0.2
max = 0.8
steps = 3

[[parameters]]
key = "intervention.wijktafel.attractiveness"
min = 0.2
max = 0.8
steps = 2

[[outputs]]
metric = "hybridisation"
window = 10
`

func writeSweep(t *testing.T, dir, design string) string {
	t.Helper()
	src := strings.Replace(smallSweep, "%s", design, 1)
	if design != "grid" {
		src = strings.ReplaceAll(src, "steps = 3\n", "")
		src = strings.ReplaceAll(src, "steps = 2\n", "")
	}
	f := filepath.Join(dir, design+".toml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestShardsMergeToTheSameBytes runs a grid and a Morris sweep whole, and
// split into n = 1, 2 and 3 shards merged: runs.csv, indices.csv and the
// charts must be byte-identical.
func TestShardsMergeToTheSameBytes(t *testing.T) {
	for _, design := range []string{"grid", "morris"} {
		t.Run(design, func(t *testing.T) {
			dir := t.TempDir()
			sw := writeSweep(t, dir, design)
			whole := filepath.Join(dir, "whole")
			if _, e, code := hs(t, "sweep", "--quiet", "--workers", "2", "--out", whole, sw); code != 0 {
				t.Fatal(e)
			}
			files := []string{"runs.csv", "grid.png"}
			if design == "morris" {
				files = []string{"runs.csv", "indices.csv", "morris.png"}
				// Morris gives no interval: the ci cells are empty, not a
				// zero-width interval at the value.
				for _, line := range strings.Split(strings.TrimSpace(string(read(t, filepath.Join(whole, "indices.csv")))), "\n")[1:] {
					if !strings.HasSuffix(line, ",,") {
						t.Fatalf("a Morris index with an interval: %q", line)
					}
				}
			}
			for n := 1; n <= 3; n++ {
				var shards []string
				for i := 1; i <= n; i++ {
					d := filepath.Join(dir, "n"+string(rune('0'+n))+"-"+string(rune('0'+i)))
					if _, e, code := hs(t, "sweep", "--quiet", "--workers", "1", "--shard", string(rune('0'+i))+"/"+string(rune('0'+n)), "--out", d, sw); code != 0 {
						t.Fatal(e)
					}
					shards = append(shards, d)
				}
				merged := filepath.Join(dir, "merged"+string(rune('0'+n)))
				// Shards may be given in any order.
				for i, j := 0, len(shards)-1; i < j; i, j = i+1, j-1 {
					shards[i], shards[j] = shards[j], shards[i]
				}
				if _, e, code := hs(t, append([]string{"merge", "--out", merged}, shards...)...); code != 0 {
					t.Fatal(e)
				}
				for _, f := range files {
					if !bytes.Equal(read(t, filepath.Join(whole, f)), read(t, filepath.Join(merged, f))) {
						t.Errorf("n=%d: %s differs from the unsplit sweep", n, f)
					}
				}
			}
			if n := strings.Count(string(read(t, filepath.Join(whole, "runs.csv"))), "\n"); design == "grid" && n != 1+6*2*2 {
				t.Errorf("runs.csv has %d lines, want %d", n, 1+6*2*2)
			}
		})
	}
	// Shards of different splits, or a missing shard, do not merge.
	dir := t.TempDir()
	sw := writeSweep(t, dir, "grid")
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	hs(t, "sweep", "--quiet", "--shard", "1/2", "--out", a, sw)
	hs(t, "sweep", "--quiet", "--shard", "1/3", "--out", b, sw)
	if _, e, code := hs(t, "merge", "--out", filepath.Join(dir, "m"), a, b); code != 1 || !strings.Contains(e, b+" is shard 1/3, but "+a+" is shard 1/2: merge needs the shards of one split") {
		t.Errorf("mismatched shards: exit %d, %q", code, e)
	}
	// A missing shard and a shard given twice are named, with the
	// directories given.
	c := filepath.Join(dir, "c")
	hs(t, "sweep", "--quiet", "--shard", "3/3", "--out", c, sw)
	if _, e, code := hs(t, "merge", "--out", filepath.Join(dir, "m"), b, c, b); code != 1 ||
		!strings.Contains(e, "shard 1/3 is given twice: "+b+" and "+b+"; shard 2/3 is missing; merge needs each of shards 1 … 3 once (given: "+b+" (1/3), "+c+" (3/3), "+b+" (1/3))") {
		t.Errorf("missing and duplicated shards: exit %d, %q", code, e)
	}
}

// TestResumeAfterKill starts a real child process on a sweep, kills it with
// SIGKILL once some rows are written, resumes, and compares with an
// uninterrupted sweep: no run lost or duplicated.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	src := strings.Replace(smallSweep, "%s", "grid", 1)
	src = strings.Replace(src, "replications = 2", "replications = 12", 1)
	src = strings.Replace(src, "ticks = 30", "ticks = 156", 1)
	sw := filepath.Join(dir, "s.toml")
	os.WriteFile(sw, []byte(src), 0o644)
	whole := filepath.Join(dir, "whole")
	if _, e, code := hs(t, "sweep", "--quiet", "--out", whole, sw); code != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(dir, "killed")
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "sweep", "--quiet", "--workers", "1", "--out", out, sw)
	cmd.Env = append(os.Environ(), "HYBRIDSIM_CHILD=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(out+".partial", "runs.partial.csv")
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(partial)
		if bytes.Count(b, []byte("\n")) > 20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child wrote no rows")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	rows := bytes.Count(read(t, partial), []byte("\n")) - 1
	if rows >= 6*2*12 {
		t.Skipf("the child finished (%d rows) before it was killed", rows)
	}
	if _, e, code := hs(t, "sweep", "--quiet", "--out", out, sw); code != 1 || !strings.Contains(e, "--resume") {
		t.Fatalf("rerun without --resume: exit %d, %q", code, e)
	}
	if _, e, code := hs(t, "sweep", "--quiet", "--resume", "--out", out, sw); code != 0 {
		t.Fatal(e)
	}
	if !bytes.Equal(read(t, filepath.Join(whole, "runs.csv")), read(t, filepath.Join(out, "runs.csv"))) {
		t.Fatal("the resumed sweep differs from the uninterrupted one")
	}
	if _, err := os.Stat(out + ".partial"); !os.IsNotExist(err) {
		t.Error("the partial directory is left behind")
	}
	t.Logf("killed after %d of %d runs", rows, 6*2*12)
}

func TestBadSweepFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ src, want string }{
		{"scenario = \"default\"\ndesign = \"factorial\"\n[[parameters]]\nkey = \"area.urbanity\"\nmin = 0\nmax = 1\n[[outputs]]\nmetric = \"hybridisation\"\n",
			"s.toml:2:1: design must be one of grid, lhs, morris, sobol, got \"factorial\""},
		{"scenario = \"default\"\ndesign = \"lhs\"\n[[parameters]]\nkey = \"area.urbanty\"\nmin = 0\nmax = 1\n[[outputs]]\nmetric = \"hybridisation\"\n",
			"s.toml:4:1: parameters[0].key names no parameter \"area.urbanty\": use group.name (area, population, model) or intervention.TYPE.KEY; did you mean area.urbanity?"},
		{"scenario = \"default\"\ndesign = \"lhs\"\n[[parameters]]\nkey = \"area.urbanity\"\nmin = 1\nmax = 0\n[[outputs]]\nmetric = \"hybridisaton\"\n",
			"s.toml:3:1: parameters[0] needs min < max (or values = [...]), got min 1, max 0\ns.toml:8:1: outputs[0].metric names no output \"hybridisaton\" (did you mean hybridisation?)"},
		{"scenario = \"default\"\nreplications = 0\nsamplez = 3\n", "s.toml:2:1: replications must be a whole number from 1 to 1000000, got 0"},
		// Too large to make: refused before the design is built.
		{"scenario = \"default\"\ndesign = \"grid\"\n[[parameters]]\nkey = \"area.urbanity\"\nmin = 0\nmax = 1\nsteps = 1000000\n[[parameters]]\nkey = \"area.civil_society\"\nmin = 0\nmax = 1\nsteps = 1000000\n[[outputs]]\nmetric = \"hybridisation\"\n",
			"s.toml:2:1: design \"grid\" makes about 10^12 design points (grid 1000000 × 1000000); at most 10000000"},
		{"scenario = \"default\"\ndesign = \"lhs\"\nsamples = 1000\nreplications = 1000000\n[[parameters]]\nkey = \"area.urbanity\"\nmin = 0\nmax = 1\n[[outputs]]\nmetric = \"hybridisation\"\n",
			"s.toml:4:1: replications would give about 10^9 runs (1000 points × 1 variants × 1000000 replications); at most 100000000"},
	} {
		f := filepath.Join(dir, "s.toml")
		os.WriteFile(f, []byte(tc.src), 0o644)
		_, e, code := hs(t, "sweep", "--quiet", "--out", filepath.Join(dir, "o"), f)
		for _, w := range strings.Split(tc.want, "\n") {
			if code != 1 || !strings.Contains(e, w) {
				t.Errorf("exit %d\n got: %s\nwant: %s", code, e, w)
			}
		}
	}
}

// TestTargetHalfWidth: a loose target stops at the sweep's own 2
// replications; a tight one doubles them until reached or capped at 8.
func TestTargetHalfWidth(t *testing.T) {
	dir := t.TempDir()
	sw := writeSweep(t, dir, "grid")
	out, e, code := hs(t, "sweep", "--quiet", "--target-halfwidth", "10", "--out", filepath.Join(dir, "a"), sw)
	if code != 0 || !strings.Contains(out, "reached: 2 replications") {
		t.Fatalf("loose target: %d %q %q", code, out, e)
	}
	out, e, code = hs(t, "sweep", "--quiet", "--target-halfwidth", "0.000001", "--max-reps", "8", "--out", filepath.Join(dir, "b"), sw)
	if code != 0 || !strings.Contains(out, "NOT reached (cap --max-reps): 8 replications") {
		t.Fatalf("tight target: %d %q %q", code, out, e)
	}
	if n := strings.Count(string(read(t, filepath.Join(dir, "b", "runs.csv"))), "\n"); n != 1+6*2*8 {
		t.Errorf("runs.csv has %d lines, want %d", n, 1+6*2*8)
	}
	if _, _, code := hs(t, "sweep", "--target-halfwidth", "0.1", "--shard", "1/2", sw); code != 2 {
		t.Errorf("--target-halfwidth with --shard: exit %d, want 2", code)
	}
}

// TestInterruptedSweepSaysResume: a sweep stopped by Ctrl-C or SIGTERM (a
// cancelled context) says where its finished runs are and how to go on.
func TestInterruptedSweepSaysResume(t *testing.T) {
	dir := t.TempDir()
	sw := writeSweep(t, dir, "grid")
	out := filepath.Join(dir, "o")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var so, se bytes.Buffer
	code := exitCode(run(ctx, []string{"sweep", "--quiet", "--out", out, sw}, &so, &se), &se)
	if want := "interrupted; the finished runs are kept in " + out + ".partial: run the same command with --resume"; code != 1 || !strings.Contains(se.String(), want) {
		t.Fatalf("exit %d, stderr %q; want %q", code, se.String(), want)
	}
}

// TestSignalExitCodes: Ctrl-C exits with 130 and SIGTERM with 143 (the
// shell's 128 + signal number), and the interrupted run leaves nothing.
func TestSignalExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	exe, _ := os.Executable()
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(fmt.Sprint(tc.sig), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "o")
			cmd := exec.Command(exe, "run", "--quiet", "--no-charts", "--reps", "1000", "--workers", "1", "--out", out)
			cmd.Env = append(os.Environ(), "HYBRIDSIM_CHILD=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the runs are going (the temporary directory is there).
			deadline := time.Now().Add(30 * time.Second)
			for {
				m, _ := filepath.Glob(filepath.Join(dir, ".o.tmp-*"))
				if len(m) > 0 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("the child started no run")
				}
				time.Sleep(5 * time.Millisecond)
			}
			cmd.Process.Signal(tc.sig)
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tc.want || !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("exit %d, stderr %q; want %d", code, stderr.String(), tc.want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}
