package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// Canonical returns the resolved scenario as a self-contained TOML file:
// every parameter with its value, every intervention with all of its
// parameters, every variant. Loading it gives the same runs, so it is what
// an output directory keeps for reproduction and what the manifest hashes.
func (s *Scenario) Canonical() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Resolved from %s by hybridsim; loading this file reproduces the runs.\n", s.File)
	fmt.Fprintf(&b, "name = %s\ndescription = %s\nticks = %d\nwarmup = %d\nreplications = %d\nseed = %d\n", quote(s.Name), quote(s.Description), s.Ticks, s.Warmup, s.Replications, s.Seed)
	if s.Scale != 1 {
		fmt.Fprintf(&b, "scale = %s # the area × this factor (sim.Scale)\n", Format(s.Scale))
	}
	p := s.Params
	specs := p.Specs()
	for _, g := range groups {
		fmt.Fprintf(&b, "\n[%s]\n", g)
		for _, sp := range specs {
			if sp.Group == g {
				fmt.Fprintf(&b, "%s = %s\n", sp.Key, Format(sp.Value()))
			}
		}
	}
	for _, iv := range s.Interventions {
		b.WriteString("\n[[interventions]]\n")
		writeIntervention(&b, "", iv)
	}
	for _, v := range s.Variants {
		fmt.Fprintf(&b, "\n[[variants]]\nname = %s\n", quote(v.Name))
		if v.Description != "" {
			fmt.Fprintf(&b, "description = %s\n", quote(v.Description))
		}
		for _, g := range groups {
			first := true
			for _, st := range v.Set {
				if strings.HasPrefix(st.Path, g+".") {
					if first {
						fmt.Fprintf(&b, "  [variants.%s]\n", g)
						first = false
					}
					fmt.Fprintf(&b, "  %s = %s\n", strings.TrimPrefix(st.Path, g+"."), Format(st.Value))
				}
			}
		}
		for _, iv := range v.Interventions {
			b.WriteString("  [[variants.interventions]]\n")
			writeIntervention(&b, "  ", iv)
		}
	}
	return b.String()
}

func writeIntervention(b *strings.Builder, ind string, iv sim.Intervention) {
	fmt.Fprintf(b, "%stype = %s\n", ind, quote(iv.Kind()))
	for _, sp := range iv.Specs() {
		fmt.Fprintf(b, "%s%s = %s\n", ind, sp.Key, Format(sp.Value()))
	}
}

// Format writes a parameter value as TOML.
func Format(v any) string {
	switch t := v.(type) {
	case float64:
		s := strconv.FormatFloat(t, 'f', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s
	case int:
		return strconv.Itoa(t)
	case [4]float64:
		p := make([]string, 4)
		for i, x := range t {
			p[i] = Format(x)
		}
		return "[" + strings.Join(p, ", ") + "]"
	case bool:
		return strconv.FormatBool(t)
	case string:
		return quote(t)
	}
	return fmt.Sprint(v)
}

func quote(s string) string { return strconv.Quote(s) }
