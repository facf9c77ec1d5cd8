package output

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestAtomicReplacesOnlyWhenComplete(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	write := func(content string, fail bool) error {
		return Atomic(dir, func(tmp string) error {
			if err := os.WriteFile(filepath.Join(tmp, "a.csv"), []byte(content), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), []byte("{}"), 0o644); err != nil {
				return err
			}
			if fail {
				return errors.New("boom")
			}
			return nil
		})
	}
	if err := write("one", false); err != nil {
		t.Fatal(err)
	}
	if err := write("two", true); err == nil {
		t.Fatal("a failing fill reported success")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	if string(b) != "one" {
		t.Fatalf("a failed write changed the output: %q", b)
	}
	if err := write("three", false); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "a.csv"))
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if string(b) != "three" || len(ents) != 1 {
		t.Fatalf("content %q, %d entries beside it", b, len(ents))
	}
}

func TestAtomicRefusesToReplaceOtherDirectories(t *testing.T) {
	base := t.TempDir()
	mine := filepath.Join(base, "documents")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "thesis.docx"), []byte("precious"), 0o644)
	err := Atomic(mine, func(tmp string) error { return nil })
	if err == nil {
		t.Fatal("replaced a directory that is not an output")
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "thesis.docx")); string(b) != "precious" {
		t.Fatal("the user's file is gone")
	}
	file := filepath.Join(base, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := Atomic(file, func(tmp string) error { return nil }); err == nil {
		t.Fatal("replaced a file")
	}
	ents, _ := os.ReadDir(base)
	if len(ents) != 2 {
		t.Errorf("%d entries left, want the 2 that were there", len(ents))
	}
}

func TestF(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 0.1: "0.1", -1.5e-7: "-1.5e-07", 1234567: "1.234567e+06"} {
		if got := F(in); got != want {
			t.Errorf("F(%v) = %q, want %q", in, got, want)
		}
	}
}
