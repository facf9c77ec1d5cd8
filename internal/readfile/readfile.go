// Package readfile reads the small files hybridsim takes as input (scenario,
// sweep, marker, manifest and shard files) with a bound: only regular files,
// never a device, a named pipe or a directory, and never more than a limit.
// A named pipe is recognised before it is opened and opened without
// blocking, so a FIFO given as a scenario never hangs the tool.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxInput is the largest scenario or sweep file the tool reads: 1 MiB.
const MaxInput = 1 << 20

// ErrNotRegular is returned (wrapped) for a device, pipe, socket or
// directory.
var ErrNotRegular = errors.New("is not a regular file (a device, pipe or directory)")

// TooBigError is returned for a file larger than the limit.
type TooBigError struct {
	Path  string
	Limit int64
}

func (e *TooBigError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the most hybridsim reads from an input file", e.Path, size(e.Limit))
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Regular reads the regular file at path (a symbolic link to one is fine),
// refusing anything else and anything larger than limit bytes. It reads at
// most limit+1 bytes whatever the file claims to be, so a file that grows
// while it is read is refused too.
func Regular(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path) // stat never blocks, not even on a FIFO
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %w", path, ErrNotRegular)
	}
	if st.Size() > limit {
		return nil, &TooBigError{path, limit}
	}
	// O_NONBLOCK: should path have been swapped for a FIFO since the stat,
	// opening it does not wait for a writer; the Fstat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %w", path, ErrNotRegular)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooBigError{path, limit}
	}
	return b, nil
}
