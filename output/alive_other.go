//go:build !unix

package output

// alive cannot tell here: a temporary directory is then never taken for
// one left by a killed process.
func alive(pid int) bool { return true }
