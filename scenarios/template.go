package scenarios

import (
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// Template is the scenario file 'hybridsim init' writes to path: a file
// that extends the default preset, with every key commented out beside its
// default, what it may be and what it means. It is generated from the
// model's parameter table, so it stays true when the model changes.
func Template(path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# A hybridsim scenario. It extends the default preset: everything not set
# here comes from there (see 'hybridsim explain default'). Check it with
# 'hybridsim validate %[1]s' and run it with 'hybridsim run %[1]s'.
# Each commented-out key shows its default and, after #, what it may be.
extends = "default"     # a preset (hybridsim presets) or a scenario file
name = "my-area"        # letters, digits, spaces, . _ - (at most 64; not a path)
description = "My area: describe what you are exploring."
# ticks = 156           # weeks, a whole number from 1 to %[2]d
# replications = 30     # a whole number from 1 to %[3]d
# seed = 1              # a whole number from 0 to %[4]d
# scale = 1             # above 0, at most %[5]d: the whole area × this; 6097.56 = 10^6 actors
`, path, MaxTicks, MaxReplications, uint64(MaxSeed), MaxScale)
	p := sim.Defaults()
	for _, group := range []struct {
		name string
		keys []string
	}{
		{"area", []string{"urbanity", "civil_society", "migrant_share", "cultural_sensitivity", "households", "explicit_rate"}},
		{"population", []string{"professionals", "informal", "coordinators"}},
	} {
		fmt.Fprintf(&b, "\n[%s]\n", group.name)
		for _, k := range group.keys {
			sp, ok := p.Spec(group.name + "." + k)
			if !ok {
				continue
			}
			meaning := sp.Meaning
			if sp.Unit != "" {
				meaning += " (" + sp.Unit + ")"
			}
			fmt.Fprintf(&b, "# %-28s # %s: %s\n", fmt.Sprintf("%s = %v", k, sp.Value()), sp.Allowed(), meaning)
		}
	}
	eg, _ := sim.NewIntervention("end_goal")
	b.WriteString("\n# Interventions in force in every variant, e.g. an end goal of your own:\n# [[interventions]]\n# type = \"end_goal\"\n")
	for _, sp := range eg.Specs() {
		if sp.Key == "at" || sp.Key == "perspective" || sp.Key == "clarity" {
			fmt.Fprintf(&b, "# %-28s # %s: %s\n", fmt.Sprintf("%s = %s", sp.Key, Format(sp.Value())), sp.Allowed(), sp.Meaning)
		}
	}
	b.WriteString(`
# The default preset's variants (hybridsim explain default) are inherited.
# Add your own, or replace one by using its name:
[[variants]]
name = "attractive-wijktafel" # a name, as for the scenario
description = "Wijktafels every four weeks, as in wijktafels, but more attractive to informal parties (0.8 instead of 0.5)."
  [[variants.interventions]]
  type = "wijktafel"
`)
	wt, _ := sim.NewIntervention("wijktafel")
	for _, sp := range wt.Specs() {
		switch sp.Key {
		case "every":
			fmt.Fprintf(&b, "  %-28s # %s: %s\n", "every = 4", sp.Allowed(), sp.Meaning)
		case "attractiveness":
			fmt.Fprintf(&b, "  %-28s # %s: %s\n", "attractiveness = 0.8", sp.Allowed(), sp.Meaning)
		}
	}
	return b.String()
}
