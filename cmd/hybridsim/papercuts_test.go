package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewcomersPapercuts: the rough edges a new user met (issue 15, item 5).
func TestNewcomersPapercuts(t *testing.T) {
	t.Run("help COMMAND is COMMAND -h", func(t *testing.T) {
		a, _, c1 := hs(t, "help", "run")
		b, _, c2 := hs(t, "run", "-h")
		if c1 != 0 || c2 != 0 || a != b || !strings.HasPrefix(a, "Usage: hybridsim run") {
			t.Errorf("help run: exit %d, %q", c1, a)
		}
	})
	t.Run("version -h", func(t *testing.T) {
		if out, _, code := hs(t, "version", "-h"); code != 0 || !strings.HasPrefix(out, "Usage: hybridsim version\n") {
			t.Errorf("exit %d, %q", code, out)
		}
	})
	t.Run("no empty Flags section", func(t *testing.T) {
		for _, c := range []string{"presets", "odd", "explain", "init"} {
			if out, _, _ := hs(t, c, "-h"); strings.Contains(out, "Flags:") {
				t.Errorf("%s -h: %q", c, out)
			}
		}
	})
	t.Run("compare -h states its default --out", func(t *testing.T) {
		if out, _, _ := hs(t, "compare", "-h"); !strings.Contains(out, "out/<a>+<b>+…") {
			t.Errorf("%q", out)
		}
	})
	t.Run("--variants with a typo", func(t *testing.T) {
		_, e, code := hs(t, "run", "--variants", "wijktafel", "--out", filepath.Join(t.TempDir(), "o"))
		if code != 2 || !strings.Contains(e, `no variant "wijktafel" (did you mean wijktafels?)`) || strings.Contains(e, "[") {
			t.Errorf("exit %d, %q", code, e)
		}
	})
	t.Run("an intervention after the run's end", func(t *testing.T) {
		dir := t.TempDir()
		f := filepath.Join(dir, "late.toml")
		os.WriteFile(f, []byte("extends = \"default\"\nname = \"late\"\n[[variants]]\nname = \"late-push\"\n  [[variants.interventions]]\n  type = \"push\"\n  at = 500\n"), 0o644)
		_, e, code := hs(t, "run", "--reps", "1", "--ticks", "52", "--variants", "baseline,late-push", "--quiet", "--no-charts", "--out", filepath.Join(dir, "o"), f)
		if code != 0 || !strings.Contains(e, "warning: late: variant late-push: push at = 500 starts after the run's 52 weeks; it has no effect") {
			t.Errorf("exit %d, %q", code, e)
		}
	})
}

// TestManifestReplaysTheCommand: command_line is the whole command, and
// running it again gives the same data, byte for byte.
func TestManifestReplaysTheCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	out, _, code := hs(t, "run", "--reps", "2", "--ticks", "5", "--no-charts", "--out", "a", "hoorn")
	if code != 0 {
		t.Fatal("run failed")
	}
	if !strings.Contains(out, "manifest.json") {
		t.Errorf("the files line does not list manifest.json: %q", out)
	}
	var man struct {
		CommandLine []string `json:"command_line"`
	}
	json.Unmarshal(read(t, "a/manifest.json"), &man)
	if len(man.CommandLine) < 2 || man.CommandLine[0] != "hybridsim" || man.CommandLine[1] != "run" {
		t.Fatalf("command_line %q", man.CommandLine)
	}
	replay := append([]string(nil), man.CommandLine[1:]...)
	for i := range replay {
		if replay[i] == "a" && i > 0 && replay[i-1] == "--out" {
			replay[i] = "b"
		}
	}
	if _, e, code := hs(t, replay...); code != 0 {
		t.Fatalf("replaying %q: %s", replay, e)
	}
	for _, f := range []string{"timeseries.csv", "summary.csv", "effects.csv", "actors.csv", "scenario.toml"} {
		if !bytes.Equal(read(t, filepath.Join("a", f)), read(t, filepath.Join("b", f))) {
			t.Errorf("%s differs when the manifest's command is replayed", f)
		}
	}
}

// TestSweepSaysItsResult: the default folder of sweep-NAME.toml is
// out/sweep-NAME; the sweep prints its main result; a Sobol sweep with a
// tiny sample warns that its indices are not stable.
func TestSweepSaysItsResult(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src := strings.Replace(smallSweep, "%s", "grid", 1)
	os.WriteFile("sweep-small.toml", []byte(src), 0o644)
	out, e, code := hs(t, "sweep", "sweep-small.toml")
	if code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join("out", "sweep-small", "runs.csv")); err != nil {
		t.Errorf("default folder: %v", err)
	}
	if !strings.Contains(out, "baseline · hybridisation_last10: highest ") || !strings.Contains(out, "; lowest ") {
		t.Errorf("grid result not shown: %q", out)
	}
	sobol := strings.Replace(strings.ReplaceAll(strings.ReplaceAll(src, "steps = 3\n", ""), "steps = 2\n", ""), `design = "grid"`, `design = "sobol"`, 1)
	os.WriteFile("sobol.toml", []byte(sobol), 0o644)
	out, e, code = hs(t, "sweep", "sobol.toml")
	if code != 0 || !strings.Contains(out, "most influential by total index ST: ") {
		t.Fatalf("exit %d, %q, %q", code, out, e)
	}
	if !strings.Contains(e, "warning: the Sobol indices are not stable with samples = 4") {
		t.Errorf("no warning for samples = 4: %q", e)
	}
}
