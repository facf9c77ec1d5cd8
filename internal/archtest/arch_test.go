// Package archtest keeps the import arrows of docs/STYLE (see README,
// "Layout") true: sim uses only the standard library; only scenarios imports
// the TOML library; only plots imports gonum/plot; nothing imports the
// command.
package archtest

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mod = "github.com/hybridsim/hybridsim"

func packages(t *testing.T) map[string][]string {
	t.Helper()
	root, _ := filepath.Abs("../..")
	imports := map[string][]string{}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if n := d.Name(); n == "testdata" || n == "out" || strings.HasPrefix(n, ".") && path != root {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files
		}
		rel, _ := filepath.Rel(root, path)
		name := mod
		if rel != "." {
			name = mod + "/" + filepath.ToSlash(rel)
		}
		imports[name] = p.Imports // non-test imports
		return nil
	})
	if len(imports) < 8 {
		t.Fatalf("found only %d packages", len(imports))
	}
	return imports
}

func TestImportArrows(t *testing.T) {
	for pkg, imps := range packages(t) {
		for _, imp := range imps {
			std := !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
			switch {
			case pkg == mod+"/sim" && !std:
				t.Errorf("sim imports %s: it must use the standard library only", imp)
			case strings.HasPrefix(imp, "github.com/BurntSushi/toml") && pkg != mod+"/scenarios":
				t.Errorf("%s imports the TOML library; only scenarios may", pkg)
			case strings.HasPrefix(imp, "gonum.org/v1/plot") && pkg != mod+"/plots":
				t.Errorf("%s imports gonum/plot; only plots may", pkg)
			case strings.HasPrefix(imp, mod+"/cmd"):
				t.Errorf("%s imports the command %s", pkg, imp)
			case pkg == mod+"/plots" && strings.HasPrefix(imp, mod) && imp != mod+"/sim":
				t.Errorf("plots imports %s; it may use sim only", imp)
			case (pkg == mod+"/experiment" || pkg == mod+"/scenarios") && (imp == mod+"/plots" || imp == mod+"/report"):
				t.Errorf("%s imports %s: arrows point inward", pkg, imp)
			}
		}
	}
}
