//go:build !drawcount

package sim

// countDraws is set by the build tag drawcount (drawcount_on.go), under
// which every stream opened and every PCG draw is counted (TestDrawCounts).
// Without it the counting compiles to nothing.
const countDraws = false

func countOpen() {}
func countDraw() {}
