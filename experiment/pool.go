package experiment

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Ordered is the worker pool of every command that makes many runs (run,
// compare, validate-model, sweep, calibrate, serve). It calls do(ctx, i)
// for i = 0 … n−1 on up to workers goroutines (0: one per core) and hands
// each result to deliver (if not nil) in the order of i — deliver(0, …),
// deliver(1, …), … — one call at a time on the caller's goroutine, each as
// soon as it and every result before it are there. So what deliver makes
// (a file, a list) never depends on the number of workers or the order
// the calls finish in.
//
// With window > 0, call i starts only when fewer than window calls are
// started and not yet delivered: the results waiting in memory are bounded
// however slow deliver is or however long one early call takes. With
// window ≤ 0 there is no bound.
//
// The first error, of do or of deliver, wins: it cancels the ctx given to
// the calls still running, starts no more calls, delivers nothing more and
// is returned. A cancelled ctx does the same and returns ctx.Err(). Ordered
// returns only when every call it started has returned; no goroutine
// outlives it.
func Ordered[T any](ctx context.Context, n, workers, window int, do func(ctx context.Context, i int) (T, error), deliver func(i int, v T) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if window <= 0 || window > n {
		window = n
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i   int
		v   T
		err error
	}
	next := make(chan int)
	results := make(chan result, window) // never full: at most window calls are not delivered
	slots := make(chan struct{}, window) // one per call started and not yet delivered
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the feeder: starts the calls in order, each in a free slot
		defer wg.Done()
		defer close(next)
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					results <- result{i: i, err: err} // no call starts after the first error
					continue
				}
				v, err := do(ctx, i)
				results <- result{i, v, err}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	var firstErr error
	pending := map[int]T{} // finished, waiting for an earlier one
	delivered := 0
	for r := range results {
		if firstErr != nil {
			continue // drain: the calls still running finish and are dropped
		}
		if r.err != nil {
			firstErr = r.err
			cancel()
			continue
		}
		pending[r.i] = r.v
		for {
			v, ok := pending[delivered]
			if !ok {
				break
			}
			if err := parent.Err(); err != nil {
				firstErr = err
				cancel()
				break
			}
			delete(pending, delivered)
			if deliver != nil {
				if err := deliver(delivered, v); err != nil {
					firstErr = err
					cancel()
					break
				}
			}
			delivered++
			<-slots
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if delivered != n {
		if err := parent.Err(); err != nil {
			return err
		}
		return fmt.Errorf("internal error: %d of %d results delivered", delivered, n)
	}
	return nil
}
