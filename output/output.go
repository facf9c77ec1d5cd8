// Package output writes a run's files: the CSV tables, the manifest and the
// resolved scenario, into a directory that appears only when complete.
package output

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"strconv"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/sim"
)

// WriteFile creates path and streams into it through a buffered writer.
func WriteFile(path string, write func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// F formats a number for CSV: the shortest text that reads back exactly.
func F(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// TimeSeries writes timeseries.csv: scenario, variant, rep, tick, then every
// output of docs/ODD.md §9.
func TimeSeries(w io.Writer, o *experiment.Output) error {
	t := newTable(w, append([]string{"scenario", "variant", "rep", "tick"}, sim.Metrics[:]...)...)
	for _, r := range o.Runs {
		pre := csvPrefix(r.Scenario, r.Variant, strconv.Itoa(r.Rep))
		for tick := range r.Result.Ticks {
			b := strconv.AppendInt(append(t.b, pre...), int64(tick), 10)
			for _, v := range r.Result.Row(tick) {
				b = appendF(append(b, ','), v)
			}
			t.endRow(b)
		}
	}
	return t.close()
}

// Summary writes summary.csv: scenario, variant, tick, metric, mean, sd,
// p05, p50, p95, n.
func Summary(w io.Writer, s []experiment.Summary) error {
	t := newTable(w, "scenario", "variant", "tick", "metric", "mean", "sd", "p05", "p50", "p95", "n")
	var pre []byte
	for k, x := range s {
		if k == 0 || x.Scenario != s[k-1].Scenario || x.Variant != s[k-1].Variant {
			pre = csvPrefix(x.Scenario, x.Variant)
		}
		b := strconv.AppendInt(append(t.b, pre...), int64(x.Tick), 10)
		b = append(append(append(b, ','), x.Metric.String()...), ',')
		b = appendF(b, x.Mean)
		for _, v := range [...]float64{x.SD, x.P05, x.P50, x.P95} {
			b = appendF(append(b, ','), v)
		}
		t.endRow(strconv.AppendInt(append(b, ','), int64(x.N), 10))
	}
	return t.close()
}

// Effects writes effects.csv: scenario, variant, reference, metric, window,
// mean_diff, sd, ci_lo, ci_hi, n.
func Effects(w io.Writer, e []experiment.Effect) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"scenario", "variant", "reference", "metric", "window", "mean_diff", "sd", "ci_lo", "ci_hi", "n"})
	for _, x := range e {
		cw.Write([]string{x.Scenario, x.Variant, x.Reference, x.Metric.String(), strconv.Itoa(x.Window), F(x.Mean), F(x.SD), F(x.Lo), F(x.Hi), strconv.Itoa(x.N)})
	}
	cw.Flush()
	return cw.Error()
}

// Actors writes actors.csv: scenario, variant, rep, then the per-actor end
// state of docs/ODD.md §9.
func Actors(w io.Writer, o *experiment.Output) error {
	t := NewActorsTable(w)
	for i := range o.Runs {
		t.Add(&o.Runs[i])
	}
	return t.Close()
}

// ActorsTable writes actors.csv one run at a time, so that a run's end
// state can be written as soon as it is there (experiment.Plan.EndState)
// and need not be kept. Add the runs in the Output's order; Close reports
// the first write error.
type ActorsTable struct{ t *table }

// NewActorsTable writes the header of actors.csv to w.
func NewActorsTable(w io.Writer) *ActorsTable {
	return &ActorsTable{newTable(w, "scenario", "variant", "rep", "id", "side", "role", "active", "w", "a", "g", "x0", "x1", "x2", "x3", "iota", "pi", "m", "ties", "cross_ties", "cross_contacts")}
}

// Add writes the end state of run r; it returns the first write error so
// far (the rows are formatted in any case).
func (at *ActorsTable) Add(r *experiment.Run) error {
	t := at.t
	pre := csvPrefix(r.Scenario, r.Variant, strconv.Itoa(r.Rep))
	for _, a := range r.Result.Actors {
		b := strconv.AppendInt(append(t.b, pre...), int64(a.ID), 10)
		b = append(append(append(append(b, ','), a.Side.String()...), ','), a.Role.String()...)
		b = strconv.AppendBool(append(b, ','), a.Active)
		for _, v := range [...]float64{a.W, a.A, a.G, a.X[0], a.X[1], a.X[2], a.X[3], a.Iota, a.Pi, a.M} {
			b = appendF(append(b, ','), v)
		}
		for _, n := range [...]int{a.Ties, a.CrossTies, a.CrossContacts} {
			b = strconv.AppendInt(append(b, ','), int64(n), 10)
		}
		t.endRow(b)
	}
	return t.err
}

// Close writes what is left and reports the first write error.
func (at *ActorsTable) Close() error { return at.t.close() }

// The large tables are formatted into a byte buffer with strconv's Append
// functions and written in pieces of about flushAt bytes; the text is what
// encoding/csv writes for the same fields (TestTablesMatchEncodingCSV):
// numbers never need quotes, and the text fields are quoted by csvRecord.
const flushAt = 1 << 16

// table is a CSV table being formatted: a row is appended to b and handed
// back to endRow, which writes the buffer out once it holds flushAt bytes.
// After a failed write the rest is formatted but not written; close reports
// the error.
type table struct {
	w   io.Writer
	b   []byte
	err error
}

func newTable(w io.Writer, header ...string) *table {
	return &table{w: w, b: csvRecord(make([]byte, 0, flushAt+4096), header...)}
}

// endRow ends the row formatted into b (t.b extended).
func (t *table) endRow(b []byte) {
	t.b = append(b, '\n')
	if len(t.b) >= flushAt {
		if t.err == nil {
			_, t.err = t.w.Write(t.b)
		}
		t.b = t.b[:0]
	}
}

func (t *table) close() error {
	if t.err == nil {
		_, t.err = t.w.Write(t.b)
	}
	return t.err
}

// appendF appends F(x).
func appendF(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) }

// Record is one line of a CSV table as encoding/csv writes it: the fields
// quoted where it quotes, ending in a newline.
func Record(fields ...string) string { return string(csvRecord(nil, fields...)) }

// csvRecord appends the record fields as encoding/csv writes it (quoted
// where it quotes, ending in a newline).
func csvRecord(b []byte, fields ...string) []byte {
	buf := bytes.NewBuffer(b)
	cw := csv.NewWriter(buf)
	cw.Write(fields)
	cw.Flush()
	return buf.Bytes()
}

// csvPrefix is the text fields that start each row of a run, as encoding/csv
// writes them, followed by a comma.
func csvPrefix(fields ...string) []byte {
	b := csvRecord(nil, append(fields, "")...) // "a,b,\n"
	return b[:len(b)-1]
}
