package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// Explain describes the scenario for a reader of a report: every value that
// differs from the defaults and where it comes from, and each variant's
// interventions.
func (s *Scenario) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\nfrom %s; %d ticks after a warm-up of %d, %d replications, seed %d\n\n", s.Name, s.Description, s.File, s.Ticks, s.Warmup, s.Replications, s.Seed)
	if s.Scale != 1 {
		fmt.Fprintf(&b, "scale %s: professionals, informal actors, coordinators, households and added actors × %[1]s, initial cross-tie chance ÷ %[1]s (sim.Scale)\n\n", Format(s.Scale))
	}
	def := sim.Defaults()
	p := s.Params
	b.WriteString("Values that differ from the model's defaults (docs/ODD.md §11):\n")
	n := 0
	for _, sp := range p.Specs() {
		d, _ := def.Spec(sp.Path())
		if fmt.Sprint(d.Value()) == fmt.Sprint(sp.Value()) {
			continue
		}
		n++
		fmt.Fprintf(&b, "  %-34s %-10s (default %s)  from %s\n", sp.Path(), Format(sp.Value()), Format(d.Value()), s.Origins[sp.Path()])
	}
	if n == 0 {
		b.WriteString("  none\n")
	}
	b.WriteString("\nInterventions in every variant:\n")
	if len(s.Interventions) == 0 {
		b.WriteString("  none\n")
	}
	for _, iv := range s.Interventions {
		fmt.Fprintf(&b, "  %s\n", DescribeIntervention(iv))
	}
	b.WriteString("\nVariants:\n")
	for _, v := range s.Variants {
		fmt.Fprintf(&b, "  %s — %s\n", v.Name, v.Description)
		for _, st := range v.Set {
			fmt.Fprintf(&b, "      sets %s = %s\n", st.Path, Format(st.Value))
		}
		for _, iv := range v.Interventions {
			fmt.Fprintf(&b, "      adds %s\n", DescribeIntervention(iv))
		}
		if len(v.Set) == 0 && len(v.Interventions) == 0 {
			b.WriteString("      adds nothing\n")
		}
	}
	return b.String()
}

// DescribeIntervention is one line: kind, schedule and the parameters that
// differ from the intervention's defaults.
func DescribeIntervention(iv sim.Intervention) string {
	def, _ := sim.NewIntervention(iv.Kind())
	ds := def.Specs()
	var parts []string
	for i, sp := range iv.Specs() {
		if fmt.Sprint(sp.Value()) != fmt.Sprint(ds[i].Value()) || sp.Key == "at" || sp.Key == "every" || sp.Key == "start" {
			parts = append(parts, sp.Key+"="+Format(sp.Value()))
		}
	}
	return iv.Kind() + " " + strings.Join(parts, " ")
}

// Inert lists, as sentences, the interventions of the given variants (all
// when none are given) that start after the run ends and therefore have no
// effect: "variant push-only: push at = 500 starts after the run's 52
// weeks; it has no effect".
func (s *Scenario) Inert(variants []string) []string {
	var out []string
	check := func(where string, ivs []sim.Intervention) {
		for _, iv := range ivs {
			for _, sp := range iv.Specs() {
				if (sp.Key == "at" || sp.Key == "start") && int(sp.Float()) >= s.Ticks {
					out = append(out, fmt.Sprintf("%s: %s %s = %d starts after the run's %d weeks; it has no effect", where, iv.Kind(), sp.Key, int(sp.Float()), s.Ticks))
				}
			}
		}
	}
	check("every variant", s.Interventions)
	for _, v := range s.Variants {
		if len(variants) == 0 || slices.Contains(variants, v.Name) {
			check("variant "+v.Name, v.Interventions)
		}
	}
	return out
}
