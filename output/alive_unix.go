//go:build unix

package output

import (
	"errors"
	"syscall"
)

// alive reports whether process pid still runs (a process of another user
// counts as running).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
