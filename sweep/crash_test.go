package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
)

func tinyPlan(t *testing.T) *Plan {
	t.Helper()
	sw, err := scenarios.ParseSweep("tiny.toml", []byte(`scenario = "default"
variants = ["baseline"]
replications = 2
ticks = 3
[[parameters]]
key = "area.civil_society"
values = [0.2, 0.8]
[[outputs]]
metric = "hybridisation"
window = 2
`))
	if err != nil {
		t.Fatal(err)
	}
	return NewPlan(sw)
}

// manifestWriter writes the manifest.json that marks a merged sweep.
func manifestWriter(tmp string, p *Plan, _ Means) ([]string, error) {
	return nil, os.WriteFile(filepath.Join(tmp, "manifest.json"), []byte(fmt.Sprintf(`{"sweep_sha256": %q}`, p.Hash())), 0o644)
}

// TestResumeAtEveryKillPoint puts a sweep's directories in the state a
// kill -9 leaves at each step of its end — after the shard's final rename,
// after the merge's rename, half-way through removing the partial
// directory, in the middle of writing the output — and checks that
// --resume then completes the sweep (or says it is complete) with the same
// runs.csv, and leaves no partial or temporary directory.
func TestResumeAtEveryKillPoint(t *testing.T) {
	p := tinyPlan(t)
	ctx := context.Background()
	ref := filepath.Join(t.TempDir(), "ref")
	if err := Finish(ctx, p, ref, ShardOptions{Workers: 2}, manifestWriter); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(ref, "runs.csv"))
	for _, tc := range []struct {
		name     string
		kill     func(t *testing.T, dir, work string)
		complete bool // resume finds the output complete
	}{
		{"after the shard's runs.csv rename, before shard.json", func(t *testing.T, dir, work string) {
			os.Remove(filepath.Join(work, "shard.json"))
		}, false},
		{"after the merge's rename, before the partial is removed", func(t *testing.T, dir, work string) {
			mustFinish(t, p, dir)
		}, true},
		{"half-way through removing the partial", func(t *testing.T, dir, work string) {
			mustFinish(t, p, dir)
			os.Remove(filepath.Join(work, "shard.json"))
		}, true},
		{"half-way through removing the partial, runs.csv gone first", func(t *testing.T, dir, work string) {
			mustFinish(t, p, dir)
			os.Remove(filepath.Join(work, "runs.csv"))
		}, true},
		{"while the merged output was being written", func(t *testing.T, dir, work string) {
			tmp := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-123")
			os.MkdirAll(tmp, 0o755)
			os.WriteFile(filepath.Join(tmp, "runs.csv"), []byte("run,point\n0,"), 0o644)
			host, _ := os.Hostname()
			os.WriteFile(filepath.Join(tmp, output.Marker), []byte(fmt.Sprintf(`{"tool":"hybridsim","temporary":true,"pid":%d,"host":%q,"files":[]}`, 1<<30, host)), 0o644)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "out")
			work := dir + ".partial"
			if err := RunShard(ctx, p, ShardOptions{Dir: work, Shard: 1, Shards: 1, Workers: 2}); err != nil {
				t.Fatal(err)
			}
			tc.kill(t, dir, work)
			err := Finish(ctx, p, dir, ShardOptions{Workers: 2, Resume: true}, manifestWriter)
			if tc.complete != errors.Is(err, ErrComplete) || (err != nil && !errors.Is(err, ErrComplete)) {
				t.Fatalf("resume: %v (want complete: %v)", err, tc.complete)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "runs.csv")); !bytes.Equal(got, want) {
				t.Error("runs.csv differs from the uninterrupted sweep")
			}
			if ents, _ := os.ReadDir(base); len(ents) != 1 {
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				t.Errorf("left beside the output: %v", names)
			}
		})
	}
}

func mustFinish(t *testing.T, p *Plan, dir string) {
	t.Helper()
	// The merge alone, as Finish does it, without removing the partial.
	if err := Merge(context.Background(), p, []string{dir + ".partial"}, dir, false, manifestWriter); err != nil {
		t.Fatal(err)
	}
}
