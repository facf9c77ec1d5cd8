package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeOK(dir string) error {
	return Atomic(dir, func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "manifest.json"), []byte("{}"), 0o644)
	})
}

// TestReplaceRemovesOnlyWhatItWrote: a directory with a manifest.json of
// its own (a web project), or an earlier output with a file the user added,
// is refused; with --force it is replaced.
func TestReplaceRemovesOnlyWhatItWrote(t *testing.T) {
	base := t.TempDir()
	web := filepath.Join(base, "webapp")
	os.MkdirAll(filepath.Join(web, "sub"), 0o755)
	for _, f := range []string{"manifest.json", "index.html", "sub/x.js"} {
		os.WriteFile(filepath.Join(web, f), []byte("mine"), 0o644)
	}
	var fe *ForeignError
	if err := writeOK(web); !errors.As(err, &fe) || !strings.Contains(err.Error(), "no .hybridsim marker") {
		t.Fatalf("a web project with its own manifest.json: %v", err)
	}
	out := filepath.Join(base, "out")
	if err := writeOK(out); err != nil {
		t.Fatal(err)
	}
	if err := writeOK(out); err != nil {
		t.Fatalf("replacing an earlier output: %v", err)
	}
	os.MkdirAll(filepath.Join(out, "figs"), 0o755)
	os.WriteFile(filepath.Join(out, "analysis.R"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(out, "figs", "fig1.pdf"), []byte("mine"), 0o644)
	err := writeOK(out)
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "analysis.R, figs/") {
		t.Fatalf("an output with the user's files in it: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "figs", "fig1.pdf")); string(b) != "mine" {
		t.Fatal("the user's file is gone")
	}
	if err := Replace(web, true, func(string) error { return nil }); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if _, err := os.Stat(filepath.Join(web, "index.html")); !os.IsNotExist(err) {
		t.Fatal("--force kept the old files")
	}
	wd, _ := os.Getwd()
	for _, d := range []string{"/", ".", wd, filepath.Dir(wd)} {
		if err := Check(d, true); err == nil {
			t.Errorf("--force accepted %s", d)
		}
	}
	ents, _ := os.ReadDir(base)
	if len(ents) != 2 {
		t.Errorf("%d entries beside the outputs, want 2", len(ents))
	}
}

// TestDirectoryAppearingDuringTheRun: --out created by someone else while
// the runs go on is not replaced; the results are kept beside it.
func TestDirectoryAppearingDuringTheRun(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	err := Atomic(out, func(tmp string) error {
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
		return os.WriteFile(filepath.Join(tmp, "a.csv"), []byte("data"), 0o644)
	})
	var ke *KeptError
	if !errors.As(err, &ke) {
		t.Fatalf("got %v, want a KeptError", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Fatal("the file that appeared is gone")
	}
	if b, _ := os.ReadFile(filepath.Join(ke.Kept, "a.csv")); string(b) != "data" || !strings.HasPrefix(filepath.Base(ke.Kept), "out.kept-") {
		t.Fatalf("results not kept in %s", ke.Kept)
	}
	if !strings.Contains(err.Error(), ke.Kept) {
		t.Errorf("the message does not say where: %v", err)
	}
}

// TestStaleTemporaryDirectoriesAreRemoved: what a killed process left
// beside --out (marked, its process gone) goes; a live process's
// temporary directory and anything unmarked stay.
func TestStaleTemporaryDirectoriesAreRemoved(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	mk := func(name string, m *marker) string {
		d := filepath.Join(base, name)
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "timeseries.csv"), []byte("x"), 0o644)
		if m != nil {
			writeMarker(d, *m)
		}
		return d
	}
	dead := mk(".out.tmp-1", &marker{Temporary: true, PID: 1 << 30, Host: hostname()})
	live := mk(".out.tmp-2", &marker{Temporary: true, PID: os.Getpid(), Host: hostname()})
	other := mk(".out.tmp-3", &marker{Temporary: true, PID: 1 << 30, Host: "elsewhere"})
	unmarked := mk(".out.tmp-4", nil)
	old := mk(".out.tmp-5.old", &marker{Files: []string{"timeseries.csv"}})
	if err := writeOK(out); err != nil {
		t.Fatal(err)
	}
	for d, gone := range map[string]bool{dead: true, live: false, other: false, unmarked: false, old: true} {
		_, err := os.Stat(d)
		if os.IsNotExist(err) != gone {
			t.Errorf("%s: removed %v, want %v", filepath.Base(d), !gone, gone)
		}
	}
}

func TestPathStaysInside(t *testing.T) {
	for _, bad := range []string{"", ".", "..", "../x", "a/b", `a\b`, ".hidden", "/etc/passwd", "x\x00"} {
		if p, err := Path("/out", bad); err == nil {
			t.Errorf("Path(%q) = %q", bad, p)
		}
	}
	if p, err := Path("/out", "scenario-hoorn 2.toml"); err != nil || p != "/out/scenario-hoorn 2.toml" {
		t.Errorf("%q, %v", p, err)
	}
}
