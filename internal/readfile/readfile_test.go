package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRegular(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.toml")
	os.WriteFile(ok, []byte("name = \"x\"\n"), 0o644)
	big := filepath.Join(dir, "big.toml")
	os.WriteFile(big, []byte(strings.Repeat("#", 101)), 0o644)
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	link := filepath.Join(dir, "link.toml")
	os.Symlink(ok, link)

	if b, err := Regular(ok, 100); err != nil || string(b) != "name = \"x\"\n" {
		t.Errorf("regular file: %q, %v", b, err)
	}
	if _, err := Regular(link, 100); err != nil {
		t.Errorf("a link to a regular file: %v", err)
	}
	var tb *TooBigError
	if _, err := Regular(big, 100); !errors.As(err, &tb) {
		t.Errorf("101 bytes with a limit of 100: %v", err)
	}
	for _, p := range []string{dir, "/dev/zero", fifo} {
		done := make(chan error, 1)
		go func() { _, err := Regular(p, 100); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: %v, want ErrNotRegular", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still reading after 5 s", p)
		}
	}
	if _, err := Regular(filepath.Join(dir, "none"), 100); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
