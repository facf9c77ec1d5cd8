package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

func TestAtomicReplacesOnlyWhenComplete(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	write := func(content string, fail bool) error {
		return Atomic(dir, func(tmp string) error {
			if err := os.WriteFile(filepath.Join(tmp, "a.csv"), []byte(content), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), []byte("{}"), 0o644); err != nil {
				return err
			}
			if fail {
				return errors.New("boom")
			}
			return nil
		})
	}
	if err := write("one", false); err != nil {
		t.Fatal(err)
	}
	if err := write("two", true); err == nil {
		t.Fatal("a failing fill reported success")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	if string(b) != "one" {
		t.Fatalf("a failed write changed the output: %q", b)
	}
	if err := write("three", false); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "a.csv"))
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if string(b) != "three" || len(ents) != 1 {
		t.Fatalf("content %q, %d entries beside it", b, len(ents))
	}
}

func TestAtomicRefusesToReplaceOtherDirectories(t *testing.T) {
	base := t.TempDir()
	mine := filepath.Join(base, "documents")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "thesis.docx"), []byte("precious"), 0o644)
	err := Atomic(mine, func(tmp string) error { return nil })
	if err == nil {
		t.Fatal("replaced a directory that is not an output")
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "thesis.docx")); string(b) != "precious" {
		t.Fatal("the user's file is gone")
	}
	file := filepath.Join(base, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := Atomic(file, func(tmp string) error { return nil }); err == nil {
		t.Fatal("replaced a file")
	}
	ents, _ := os.ReadDir(base)
	if len(ents) != 2 {
		t.Errorf("%d entries left, want the 2 that were there", len(ents))
	}
}

func TestF(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 0.1: "0.1", -1.5e-7: "-1.5e-07", 1234567: "1.234567e+06"} {
		if got := F(in); got != want {
			t.Errorf("F(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestTablesMatchEncodingCSV checks that the tables, formatted with
// strconv's Append functions, are byte for byte what encoding/csv writes
// for the same fields, with names that need quoting.
func TestTablesMatchEncodingCSV(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	s.Replications, s.Ticks = 2, 6
	plan, err := experiment.FromScenarios([]*scenarios.Scenario{s}, []string{"baseline", "wijktafels"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := experiment.Execute(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	sums := res.Summaries() // before the names change: it groups runs by name
	names := []string{`de "oude" wijk`, "a, b", " leading space", "plain"}
	for k := range res.Runs {
		res.Runs[k].Scenario = names[k%2]
		res.Runs[k].Variant = names[2+k/2%2]
	}
	for k := range sums {
		sums[k].Scenario, sums[k].Variant = names[k/100%4], names[(k/50+1)%4]
	}

	ref := func(write func(cw *csv.Writer)) string {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		write(cw)
		cw.Flush()
		return b.String()
	}
	wantTS := ref(func(cw *csv.Writer) {
		cw.Write(append([]string{"scenario", "variant", "rep", "tick"}, sim.Metrics[:]...))
		for _, r := range res.Runs {
			for tk := range r.Result.Ticks {
				row := []string{r.Scenario, r.Variant, strconv.Itoa(r.Rep), strconv.Itoa(tk)}
				for _, v := range r.Result.Row(tk) {
					row = append(row, F(v))
				}
				cw.Write(row)
			}
		}
	})
	wantSum := ref(func(cw *csv.Writer) {
		cw.Write([]string{"scenario", "variant", "tick", "metric", "mean", "sd", "p05", "p50", "p95", "n"})
		for _, x := range sums {
			cw.Write([]string{x.Scenario, x.Variant, strconv.Itoa(x.Tick), x.Metric.String(), F(x.Mean), F(x.SD), F(x.P05), F(x.P50), F(x.P95), strconv.Itoa(x.N)})
		}
	})
	wantAct := ref(func(cw *csv.Writer) {
		cw.Write([]string{"scenario", "variant", "rep", "id", "side", "role", "active", "w", "a", "g", "x0", "x1", "x2", "x3", "iota", "pi", "m", "ties", "cross_ties", "cross_contacts"})
		for _, r := range res.Runs {
			for _, a := range r.Result.Actors {
				cw.Write([]string{r.Scenario, r.Variant, strconv.Itoa(r.Rep), strconv.Itoa(a.ID), a.Side.String(), a.Role.String(), strconv.FormatBool(a.Active),
					F(a.W), F(a.A), F(a.G), F(a.X[0]), F(a.X[1]), F(a.X[2]), F(a.X[3]), F(a.Iota), F(a.Pi), F(a.M),
					strconv.Itoa(a.Ties), strconv.Itoa(a.CrossTies), strconv.Itoa(a.CrossContacts)})
			}
		}
	})
	for _, c := range []struct {
		name, want string
		write      func(w io.Writer) error
	}{
		{"timeseries.csv", wantTS, func(w io.Writer) error { return TimeSeries(w, res) }},
		{"summary.csv", wantSum, func(w io.Writer) error { return Summary(w, sums) }},
		{"actors.csv", wantAct, func(w io.Writer) error { return Actors(w, res) }},
	} {
		var b bytes.Buffer
		if err := c.write(&b); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != c.want {
			i := 0
			for i < min(len(got), len(c.want)) && got[i] == c.want[i] {
				i++
			}
			t.Errorf("%s differs from encoding/csv at byte %d of %d: %q vs %q", c.name, i, len(c.want), got[i:min(i+40, len(got))], c.want[i:min(i+40, len(c.want))])
		}
		if !strings.Contains(c.want, `"de ""oude"" wijk"`) || len(c.want) < 10000 {
			t.Errorf("%s: the test's names were not quoted, or the table is nearly empty (%d bytes)", c.name, len(c.want))
		}
	}
}
