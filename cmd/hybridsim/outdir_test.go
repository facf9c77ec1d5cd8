package main

import (
	"path/filepath"
	"testing"
)

// TestOutDir: sweep and calibrate name their default folder after the file,
// without repeating the command's prefix; --out wins.
func TestOutDir(t *testing.T) {
	for _, c := range []struct{ out, prefix, file, want string }{
		{"", "sweep-", "examples/sweep-grid.toml", filepath.Join("out", "sweep-grid")},
		{"", "sweep-", "grid.toml", filepath.Join("out", "sweep-grid")},
		{"", "calibrate-", "examples/calibrate-district.toml", filepath.Join("out", "calibrate-district")},
		{"", "calibrate-", "district.toml", filepath.Join("out", "calibrate-district")},
		{"mine", "calibrate-", "district.toml", "mine"},
	} {
		got, err := outDir(c.out, c.prefix, c.file)
		if err != nil || got != c.want {
			t.Errorf("outDir(%q, %q, %q) = %q, %v; want %q", c.out, c.prefix, c.file, got, err, c.want)
		}
	}
}
