//go:build drawcount

package sim

import "sync/atomic"

// Under the build tag drawcount, every stream opened and every PCG draw is
// counted (TestDrawCounts; go test -tags drawcount ./sim -run DrawCounts).
const countDraws = true

var drawCounts struct{ opens, draws atomic.Int64 }

func countOpen() { drawCounts.opens.Add(1) }
func countDraw() { drawCounts.draws.Add(1) }
