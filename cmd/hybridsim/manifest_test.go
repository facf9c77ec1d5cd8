package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/output"
)

// TestEveryManifestReplays: compare, sweep, merge and calibrate write the
// one output.Manifest; its command_line is the whole command, and running
// it again (into another --out) gives the same files, byte for byte, and
// the same manifest but for the times and --out. (run: see
// TestManifestReplaysTheCommand.)
func TestEveryManifestReplays(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("s.toml", []byte(strings.Replace(smallSweep, "%s", "morris", 1)), 0o644)
	cal := writeCalibration(t, dir)
	for _, args := range [][]string{
		{"sweep", "--quiet", "--format", "svg", "--shard", "1/2", "--out", "s1", "s.toml"},
		{"sweep", "--quiet", "--format", "svg", "--shard", "2/2", "--out", "s2", "s.toml"},
	} {
		if _, e, code := hs(t, args...); code != 0 {
			t.Fatalf("%q: %s", args, e)
		}
	}
	for _, tc := range []struct {
		args []string
		want string // a key only this command's manifest has
	}{
		{[]string{"compare", "--quiet", "--no-charts", "--reps", "2", "--ticks", "5", "--out", "a", "hoorn", "purmerend"}, "seeds"},
		{[]string{"sweep", "--quiet", "--format", "svg", "--out", "a", "s.toml"}, "design"},
		{[]string{"merge", "--format", "svg", "--out", "a", "s1", "s2"}, "sweep_sha256"},
		{[]string{"calibrate", "--quiet", "--format", "svg", "--out", "a", cal}, "calibration_sha256"},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			os.RemoveAll("a")
			os.RemoveAll("b")
			if _, e, code := hs(t, tc.args...); code != 0 {
				t.Fatal(e)
			}
			first := readManifest(t, "a")
			if !slices.Equal(first.CommandLine, append([]string{"hybridsim"}, tc.args...)) {
				t.Fatalf("command_line %q, want the whole command %q", first.CommandLine, tc.args)
			}
			var keys map[string]any
			json.Unmarshal(read(t, filepath.Join("a", "manifest.json")), &keys)
			if _, ok := keys[tc.want]; !ok {
				t.Errorf("the manifest lacks %s: %v", tc.want, keys)
			}
			replay := slices.Clone(first.CommandLine[1:])
			replay[slices.Index(replay, "--out")+1] = "b"
			if _, e, code := hs(t, replay...); code != 0 {
				t.Fatalf("replaying %q: %s", replay, e)
			}
			again := readManifest(t, "b")
			if !slices.Equal(again.Files, first.Files) || len(first.Files) < 2 {
				t.Fatalf("files %q, replayed %q", first.Files, again.Files)
			}
			for _, f := range first.Files {
				if f != "manifest.json" && !bytes.Equal(read(t, filepath.Join("a", f)), read(t, filepath.Join("b", f))) {
					t.Errorf("%s differs when the manifest's command is replayed", f)
				}
			}
			again.CommandLine, again.Started, again.Finished = first.CommandLine, first.Started, first.Finished
			if !reflect.DeepEqual(first, again) {
				t.Errorf("the replayed manifest differs:\n%+v\n%+v", first, again)
			}
		})
	}
}

func readManifest(t *testing.T, dir string) output.Manifest {
	t.Helper()
	var m output.Manifest
	if err := json.Unmarshal(read(t, filepath.Join(dir, "manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	if m.Tool != "hybridsim" || m.Started == "" || m.Finished == "" {
		t.Errorf("manifest of %s: tool %q, started %q, finished %q", dir, m.Tool, m.Started, m.Finished)
	}
	return m
}
