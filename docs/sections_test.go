package docs

import (
	"os"
	"regexp"
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// TestSectionsExist fails when a parameter's section (the "ODD §" column of
// the generated tables) names no heading of docs/ODD.md, so that a
// renumbering of the document cannot leave the tables pointing nowhere.
func TestSectionsExist(t *testing.T) {
	b, err := os.ReadFile("ODD.md")
	if err != nil {
		t.Fatal(err)
	}
	heads := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{2,4} §([0-9]+(?:\.[0-9]+)?) `).FindAllStringSubmatch(string(b), -1) {
		heads[m[1]] = true
	}
	if len(heads) < 15 {
		t.Fatalf("found %d numbered headings (## §N …) in docs/ODD.md, want at least 15", len(heads))
	}
	p := sim.Defaults()
	specs := p.Specs()
	for _, k := range sim.Kinds {
		iv, err := sim.NewIntervention(k)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, iv.Specs()...)
	}
	for _, s := range specs {
		if !heads[s.Section] {
			t.Errorf("%s: section %q is not a heading of docs/ODD.md", s.Path(), s.Section)
		}
	}
}
