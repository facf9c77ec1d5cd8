package report

import (
	"math"
	"strings"

	"golang.org/x/exp/stats"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/sim"
)

// storyNames are the outcomes the story at the top of the report tells:
// hybridisation and the households' outcomes of docs/ODD.md §9 (unmet
// need, waiting weeks, late escalations, closed cases). The model's
// version 4 adds unmet_need and wait_weeks; without them the story tells
// the unnoticed cases instead of the unmet need.
var storyNames = []string{"hybridisation", "unmet_need", "wait_weeks", "late_escalations", "closed"}

// storyMetrics returns the story's outcomes that the model has.
func storyMetrics() []sim.Metric {
	var ms []sim.Metric
	for _, n := range storyNames {
		if m, ok := sim.MetricByName(n); ok {
			ms = append(ms, m)
		} else if n == "unmet_need" {
			if m, ok := sim.MetricByName("unnoticed"); ok {
				ms = append(ms, m)
			}
		}
	}
	return ms
}

// householdMetrics are the story's outcomes other than hybridisation.
func householdMetrics() []sim.Metric { return storyMetrics()[1:] }

// level is a reference variant's mean of one outcome over the effects'
// window, averaged over its replications.
type level struct {
	Mean  float64
	Weeks int
	Reps  int
}

func referenceLevel(o *experiment.Output, scenario, ref string, m sim.Metric) level {
	g := o.Group(scenario, ref)
	l := level{Reps: len(g)}
	xs := make([]float64, len(g))
	for i, r := range g {
		xs[i], l.Weeks = experiment.LastMean(r.Result, m)
	}
	if len(xs) > 0 {
		l.Mean = stats.Mean(xs)
	}
	return l
}

// clear reports whether an effect's 95% interval excludes 0 (never with one
// replication: there is no interval).
func clear(e experiment.Effect) bool { return e.N > 1 && (e.Lo > 0 || e.Hi < 0) }

// decimalsFor is the number of decimals for an outcome's level and its
// differences: enough for the level to show three significant digits and
// the largest difference two (so that a difference of 0.04 in 12.5 cases
// a week is not written 0.0), at least one.
func decimalsFor(level float64, diffs ...float64) int {
	d := max(1, sig(level, 3))
	big := 0.0
	for _, v := range diffs {
		big = math.Max(big, math.Abs(v))
	}
	return max(d, sig(big, 2))
}

// boundDecimals is, for an effect whose interval is clear of 0, the number
// of decimals that shows the bound nearest 0 to one significant digit (at
// most 6), so that "clearly different" never stands beside an interval
// printed as "0.0000 to 0.0035"; 0 for other effects.
func boundDecimals(e experiment.Effect) int {
	if !clear(e) {
		return 0
	}
	b := math.Abs(e.Lo)
	if e.Hi < 0 {
		b = math.Abs(e.Hi)
	}
	return min(6, max(0, -int(math.Floor(math.Log10(b)))))
}

// sig is the number of decimals that shows x to n significant digits (0
// for 0), at most 4.
func sig(x float64, n int) int {
	x = math.Abs(x)
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return min(4, max(0, n-1-int(math.Floor(math.Log10(x)))))
}

// headlineCell is one cell of the headline table.
type headlineCell struct {
	Text  string
	Sub   string // the interval
	Clear bool
}

type headlineRow struct {
	Variant string
	Level   bool // the reference variant's row: levels, not differences
	Cells   []headlineCell
}

// storyView is the top of the report for one scenario: three to five
// sentences and the headline table.
type storyView struct {
	Scenario  string
	Sentences []string // the whole story, sentence by sentence
	// The same, laid out: the lead (levels), the clearly different
	// variants as a list under their heading, and the rest.
	Lead, ClearHead string
	ClearItems      []string
	Tail            string
	Columns         []string
	Rows            []headlineRow
	Note            string
}

// story writes the key findings of scenario si: the reference level of
// hybridisation, the households' outcomes, which variants differ clearly
// and by how much (with 95% intervals), which do not, and what the numbers
// are (comparisons, not forecasts).
func story(o *experiment.Output, si int, effects []experiment.Effect, l lang.Lang) storyView {
	s := o.Scenarios[si]
	ref := o.Reference(si)
	ms := storyMetrics()
	levels := map[sim.Metric]level{}
	for _, m := range ms {
		levels[m] = referenceLevel(o, s.Name, ref, m)
	}
	byVM := map[string]map[sim.Metric]experiment.Effect{}
	for _, e := range effects {
		if e.Scenario != s.Name {
			continue
		}
		if byVM[e.Variant] == nil {
			byVM[e.Variant] = map[sim.Metric]experiment.Effect{}
		}
		byVM[e.Variant][e.Metric] = e
	}
	dec := map[sim.Metric]int{}
	for _, m := range ms {
		var diffs []float64
		need := 0
		for _, v := range o.Variants[si] {
			if e, ok := byVM[v][m]; ok {
				diffs = append(diffs, e.Mean)
				need = max(need, boundDecimals(e))
			}
		}
		dec[m] = max(decimalsFor(levels[m].Mean, diffs...), need)
	}
	sv := storyView{Scenario: s.Name}
	h := levels[ms[0]]
	reps := l.Sprintf("story_reps", h.Reps)
	if h.Reps == 1 {
		reps = l.UI("story_rep")
	}
	name := s.Name
	if ref != "baseline" {
		name += " (" + l.Variant(ref) + ")"
	}
	sv.Sentences = append(sv.Sentences, l.Sprintf("story_level", name, l.Num(h.Mean, dec[ms[0]]), h.Weeks, reps))
	var hh []string
	for _, m := range ms[1:] {
		hh = append(hh, l.Sprintf("story_hh_"+m.String(), l.Num(levels[m].Mean, dec[m])))
	}
	if len(hh) > 0 {
		sv.Sentences = append(sv.Sentences, l.Sprintf("story_households", join(l, hh)))
	}
	var clearItems, unclear []string
	for _, v := range o.Variants[si] {
		if v == ref {
			continue
		}
		var parts []string
		for _, m := range ms {
			e, ok := byVM[v][m]
			if !ok || !clear(e) {
				continue
			}
			verb := l.UI("story_raises")
			lo, hi := e.Lo, e.Hi
			if e.Mean < 0 {
				verb = l.UI("story_lowers")
				lo, hi = -e.Hi, -e.Lo
			}
			d := dec[m]
			subject := ""
			if len(parts) == 0 {
				subject = l.Sprintf("story_variant", l.Variant(v))
			}
			parts = append(parts, strings.TrimSpace(l.Sprintf("story_change", subject, verb, l.UI("story_m_"+m.String()),
				l.Num(levels[m].Mean, d), l.Num(levels[m].Mean+e.Mean, d), l.Num(math.Abs(e.Mean), d), l.Num(lo, d), l.Num(hi, d))))
		}
		if len(parts) > 0 {
			clearItems = append(clearItems, join(l, parts))
		} else {
			unclear = append(unclear, l.Sprintf("story_variant", l.Variant(v)))
		}
	}
	sv.Lead = strings.Join(sv.Sentences, " ")
	var tail []string
	if len(o.Variants[si]) > 1 {
		if len(clearItems) > 0 {
			sv.Sentences = append(sv.Sentences, l.Sprintf("story_clear", strings.Join(clearItems, l.UI("story_semicolon"))))
			sv.ClearHead, sv.ClearItems = l.UI("story_clear_head"), clearItems
			if len(unclear) > 0 {
				tail = append(tail, l.Sprintf("story_unclear", join(l, unclear)))
			}
		} else if h.Reps < 2 {
			tail = append(tail, l.UI("story_one_rep")) // no intervals to be clear of 0
		} else {
			tail = append(tail, l.UI("story_clear_none"))
		}
	}
	tail = append(tail, l.UI("story_nature"))
	sv.Sentences = append(sv.Sentences, tail...)
	sv.Tail = strings.Join(tail, " ")

	// The headline table: the reference's levels, then each variant's
	// differences with their intervals.
	for _, m := range ms {
		sv.Columns = append(sv.Columns, l.UI("short_"+m.String()))
	}
	row := headlineRow{Variant: l.Sprintf("level", l.Variant(ref)), Level: true}
	for _, m := range ms {
		row.Cells = append(row.Cells, headlineCell{Text: l.Num(levels[m].Mean, dec[m])})
	}
	sv.Rows = append(sv.Rows, row)
	for _, v := range o.Variants[si] {
		if v == ref {
			continue
		}
		row := headlineRow{Variant: l.Variant(v)}
		for _, m := range ms {
			e, ok := byVM[v][m]
			if !ok {
				row.Cells = append(row.Cells, headlineCell{Text: "–"})
				continue
			}
			c := headlineCell{Text: l.Signed(e.Mean, dec[m]), Clear: clear(e)}
			if e.N > 1 {
				c.Sub = l.Signed(e.Lo, dec[m]) + " … " + l.Signed(e.Hi, dec[m])
			}
			row.Cells = append(row.Cells, c)
		}
		sv.Rows = append(sv.Rows, row)
	}
	sv.Note = l.Sprintf("headline_note", l.Variant(ref))
	return sv
}

// join lists items as "a, b and c".
func join(l lang.Lang, items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + l.UI("story_and") + items[len(items)-1]
}
