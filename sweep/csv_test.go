package sweep

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
)

// TestVariantNamedWithACommaIsRefused: a variant named "a,b" never reaches
// runs.csv. Names are identifiers (scenarios.CheckName), so the loader
// refuses it with its file, line and column — in the scenario the sweep
// reads and in the sweep's own variants list.
func TestVariantNamedWithACommaIsRefused(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "area.toml")
	os.WriteFile(scen, []byte("name = \"area\"\n\n[[variants]]\nname = \"a,b\"\n"), 0o644)
	body := "variants = [\"a,b\"]\n[[parameters]]\nkey = \"area.civil_society\"\nvalues = [0.2, 0.8]\n[[outputs]]\nmetric = \"hybridisation\"\n"
	for _, tc := range []struct{ scenario, want string }{
		{scen, scen + `:4:1: variants[0].name must be letters, digits, spaces, ".", "_" and "-"`},
		{"default", "sweep.toml:2:1: variants names \"a,b\", which default does not have"},
	} {
		path := filepath.Join(dir, "sweep.toml")
		os.WriteFile(path, []byte("scenario = \""+tc.scenario+"\"\n"+body), 0o644)
		_, err := scenarios.LoadSweep(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("scenario %s: got %v, want an error containing %q", tc.scenario, err, tc.want)
		}
	}
}

// TestQuotedCellsRoundTrip: runs.csv is read with encoding/csv, so a cell
// that needs quotes (a comma, a quote) is one field. A shard whose variant
// cells are `a,b` and `say "hi"` merges into the same bytes, and
// the target search reads the same numbers from it.
func TestQuotedCellsRoundTrip(t *testing.T) {
	p := tinyPlan(t) // 2 points × 1 variant × 2 replications, 1 output
	shard := filepath.Join(t.TempDir(), "shard")
	if err := os.Mkdir(shard, 0o755); err != nil {
		t.Fatal(err)
	}
	ys := []float64{0.125, 0.5, 1.0 / 3, 0.25}
	names := []string{"a,b", `say "hi"`}
	rows := p.Header()
	for r, y := range ys {
		pt, _, rep := p.Run(r)
		rows += output.Record(strconv.Itoa(r), strconv.Itoa(pt), names[pt], strconv.Itoa(rep), "7", output.F(p.Design.Points[pt][0]), output.F(y))
	}
	if !strings.Contains(rows, `"a,b"`) || !strings.Contains(rows, `"say ""hi"""`) {
		t.Fatalf("the cells are not quoted:\n%s", rows)
	}
	os.WriteFile(filepath.Join(shard, "runs.csv"), []byte(rows), 0o644)
	info, _ := json.Marshal(shardInfo{Sweep: p.Hash(), Shard: 1, Shards: 1, Runs: len(ys)})
	os.WriteFile(filepath.Join(shard, "shard.json"), info, 0o644)

	out := filepath.Join(t.TempDir(), "out")
	var means Means
	err := Merge(context.Background(), p, []string{shard}, out, false, func(_ string, _ *Plan, m Means) ([]string, error) {
		means = m
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "runs.csv")); string(got) != rows {
		t.Errorf("merged runs.csv\n%s\nwant\n%s", got, rows)
	}
	if means[0][0][0] != ys[0]/2+ys[1]/2 || means[1][0][0] != ys[2]/2+ys[3]/2 {
		t.Errorf("means %v from the quoted rows", means)
	}

	hw, err := maxHalfWidth(p, filepath.Join(shard, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := math.Max(experiment.HalfWidth(ys[:2]), experiment.HalfWidth(ys[2:]))
	if hw != want || hw == 0 {
		t.Errorf("half-width %v from the quoted rows, want %v", hw, want)
	}
}

// TestWrongRowIsNamed: a runs.csv whose rows are not the sweep's runs in
// order is refused by merge and by the target search, naming the run
// expected and showing the row as it is in the file (quotes and all).
func TestWrongRowIsNamed(t *testing.T) {
	p := tinyPlan(t)
	shard := filepath.Join(t.TempDir(), "shard")
	os.Mkdir(shard, 0o755)
	rows := p.Header() + output.Record("0", "0", "a,b", "0", "7", "0.2", "0.5") + output.Record("2", "1", "a,b", "0", "7", "0.8", "0.5")
	os.WriteFile(filepath.Join(shard, "runs.csv"), []byte(rows), 0o644)
	info, _ := json.Marshal(shardInfo{Sweep: p.Hash(), Shard: 1, Shards: 1, Runs: 4})
	os.WriteFile(filepath.Join(shard, "shard.json"), info, 0o644)
	want := `expected run 1, found "2,1,\"a,b\",0,7,0.8,0.5"`
	err := Merge(context.Background(), p, []string{shard}, filepath.Join(t.TempDir(), "out"), false, nil)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("merge: %v, want %s", err, want)
	}
	if _, err := maxHalfWidth(p, filepath.Join(shard, "runs.csv")); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("target: %v, want %s", err, want)
	}
}
