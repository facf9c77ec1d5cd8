package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/sim"
)

// headings returns the numbered headings of docs/ODD.md ("## §7 …",
// "### §7.2 …") by number.
func headings(t *testing.T) map[string]bool {
	t.Helper()
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
	return heads
}

// TestSectionsExist fails when a parameter's section (the "ODD §" column of
// the generated tables) names no heading of docs/ODD.md, so that a
// renumbering of the document cannot leave the tables pointing nowhere.
func TestSectionsExist(t *testing.T) {
	heads := headings(t)
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

// TestReferencesExist fails when a "docs/ODD.md §N" in the repository's
// Go, Markdown, TOML or shell files names no heading of docs/ODD.md.
func TestReferencesExist(t *testing.T) {
	heads := headings(t)
	ref := regexp.MustCompile(`docs/ODD\.md,? §([0-9]+(?:\.[0-9]+)?)`)
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") && name != ".ci" || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".toml", ".sh":
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > 4<<20 {
			return err // large files are generated, not written
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			n++
			if !heads[m[1]] {
				t.Errorf("%s: %q: docs/ODD.md has no §%s", path, m[0], m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("found only %d references to docs/ODD.md sections; is the walk of the repository broken?", n)
	}
}
