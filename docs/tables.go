// Package docs generates the parts of docs/ODD.md that come from the code —
// the parameter tables — so that the documentation cannot drift from it.
package docs

import (
	"fmt"
	"math"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// ParameterTables returns the ODD parameter tables in Markdown: one table
// per parameter group of sim.Params and one per intervention type, with
// name, meaning, range, default, unit and the section of docs/ODD.md that
// describes it.
func ParameterTables() string {
	var b strings.Builder
	p := sim.Defaults()
	titles := map[string]string{"area": "Area (`[area]`)", "population": "Population (`[population]`)", "model": "Model coefficients (`[model]`)"}
	for _, g := range []string{"area", "population", "model"} {
		fmt.Fprintf(&b, "#### %s\n\n| name | meaning | range | default | unit | ODD § |\n|---|---|---|---|---|---|\n", titles[g])
		for _, s := range p.Specs() {
			if s.Group == g {
				row(&b, s)
			}
		}
		b.WriteString("\n")
	}
	for _, k := range sim.Kinds {
		iv, _ := sim.NewIntervention(k)
		fmt.Fprintf(&b, "#### Intervention `%s`\n\n| name | meaning | range | default | unit | ODD § |\n|---|---|---|---|---|---|\n", k)
		for _, s := range iv.Specs() {
			row(&b, s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func row(b *strings.Builder, s sim.Spec) {
	unit := s.Unit
	if unit == "" {
		unit = "–"
	}
	fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", s.Key, s.Meaning, s.Allowed(), value(s.Value()), unit, s.Section)
}

func value(v any) string {
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return fmt.Sprintf("%.0f", t)
		}
		return fmt.Sprint(t)
	case [4]float64:
		return fmt.Sprintf("%v %v %v %v", t[0], t[1], t[2], t[3])
	case string:
		return "`" + t + "`"
	}
	return fmt.Sprint(v)
}
