package experiment

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestOrderedDeliversInOrder: whatever the workers, the window and the
// calls' durations (random, seed 1; call 0 the slowest, so that later
// calls finish first), every result is delivered once, in the order of i,
// and each call is made once.
func TestOrderedDeliversInOrder(t *testing.T) {
	const n = 120
	for _, workers := range []int{1, 3, 8} {
		for _, window := range []int{0, 1, 4, 200} {
			rng := rand.New(rand.NewPCG(1, uint64(workers*1000+window)))
			sleep := make([]time.Duration, n)
			for i := range sleep {
				sleep[i] = time.Duration(rng.IntN(400)) * time.Microsecond
			}
			sleep[0] = 5 * time.Millisecond
			calls := make([]atomic.Int32, n)
			next := 0
			err := Ordered(context.Background(), n, workers, window,
				func(_ context.Context, i int) (string, error) {
					calls[i].Add(1)
					time.Sleep(sleep[i])
					return fmt.Sprint("r", i), nil
				},
				func(i int, v string) error {
					if i != next || v != fmt.Sprint("r", i) {
						return fmt.Errorf("delivered %d (%s), want %d", i, v, next)
					}
					next++
					return nil
				})
			if err != nil || next != n {
				t.Fatalf("workers %d window %d: %v after %d of %d delivered", workers, window, err, next, n)
			}
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("workers %d window %d: call %d made %d times", workers, window, i, c)
				}
			}
		}
	}
}

// TestOrderedWindow: with a window of w, never more than w calls are
// started and not yet delivered, even when call 0 is slow and deliver is
// slow; and the bound is reached (without the window, call 0's delay would
// let every other call start).
func TestOrderedWindow(t *testing.T) {
	for _, c := range []struct{ workers, window int }{{4, 1}, {4, 3}, {8, 5}, {2, 6}} {
		var started, delivered, most atomic.Int64
		err := Ordered(context.Background(), 60, c.workers, c.window,
			func(_ context.Context, i int) (int, error) {
				ahead := started.Add(1) - delivered.Load()
				for m := most.Load(); ahead > m && !most.CompareAndSwap(m, ahead); m = most.Load() {
				}
				if i == 0 {
					time.Sleep(10 * time.Millisecond)
				}
				return i, nil
			},
			func(i, _ int) error {
				if i%7 == 0 {
					time.Sleep(time.Millisecond)
				}
				delivered.Add(1)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if m := most.Load(); m > int64(c.window) || m < int64(min(c.workers, c.window)) {
			t.Errorf("workers %d window %d: at most %d calls ahead of delivery, want %d … %d", c.workers, c.window, m, min(c.workers, c.window), c.window)
		}
	}
}

// TestOrderedFirstErrorWins: the error that comes first in time is
// returned (not the one of the lower i), nothing at or after a failed call
// is delivered, the calls still running see their ctx cancelled, no new
// call starts once the error is in, and Ordered returns only when every
// call has returned.
func TestOrderedFirstErrorWins(t *testing.T) {
	late, early := errors.New("call 3 failed late"), errors.New("call 5 failed first")
	var running, maxStarted atomic.Int64
	var mu sync.Mutex
	var delivered []int
	var sawCancel atomic.Bool
	running3 := make(chan struct{})
	err := Ordered(context.Background(), 1000, 4, 8,
		func(ctx context.Context, i int) (int, error) {
			running.Add(1)
			defer running.Add(-1)
			for s := maxStarted.Load(); int64(i) > s && !maxStarted.CompareAndSwap(s, int64(i)); s = maxStarted.Load() {
			}
			switch i {
			case 3:
				close(running3)
				select {
				case <-ctx.Done():
					sawCancel.Store(true)
				case <-time.After(2 * time.Second):
				}
				return 0, late
			case 5:
				<-running3 // so that call 3 is running when the error comes
				return 0, early
			}
			return i, nil
		},
		func(i, _ int) error {
			mu.Lock()
			delivered = append(delivered, i)
			mu.Unlock()
			return nil
		})
	if err != early {
		t.Fatalf("error %v, want %v", err, early)
	}
	if !sawCancel.Load() {
		t.Error("the running call 3 did not see its ctx cancelled")
	}
	if running.Load() != 0 {
		t.Errorf("%d calls still running after Ordered returned", running.Load())
	}
	for _, i := range delivered {
		if i >= 3 {
			t.Errorf("call %d was delivered after call 3 failed", i)
		}
	}
	// Call 3 holds the window (8) open: no call beyond 3+8 can start.
	if m := maxStarted.Load(); m >= 3+8 {
		t.Errorf("call %d started; the window allows at most call %d", m, 3+8-1)
	}
}

// TestOrderedDeliverError: an error of deliver stops the pool; deliver is
// not called again.
func TestOrderedDeliverError(t *testing.T) {
	full := errors.New("disk full")
	calls := 0
	err := Ordered(context.Background(), 50, 3, 4,
		func(_ context.Context, i int) (int, error) { return i, nil },
		func(i, _ int) error {
			calls++
			if i == 2 {
				return full
			}
			return nil
		})
	if err != full || calls != 3 {
		t.Fatalf("error %v after %d deliveries, want %v after 3", err, calls, full)
	}
}

// TestOrderedCancel: cancelling the caller's ctx stops the pool with
// ctx.Err(): nothing more is delivered and no more calls start (the ctx is
// cancelled inside deliver, so the count is exact up to the window).
func TestOrderedCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int64
	last := -1
	err := Ordered(ctx, 10000, 2, 4,
		func(ctx context.Context, i int) (int, error) {
			started.Add(1)
			time.Sleep(100 * time.Microsecond)
			return i, nil
		},
		func(i, _ int) error {
			last = i
			if i == 10 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want %v", err, context.Canceled)
	}
	if last != 10 {
		t.Errorf("delivered up to %d after the cancel at 10", last)
	}
	if s := started.Load(); s > 11+4 {
		t.Errorf("%d calls started; at most 15 can be (11 delivered + a window of 4)", s)
	}
	// Cancelled before it starts: no call at all.
	var calls atomic.Int64
	if err := Ordered(ctx, 5, 2, 0, func(context.Context, int) (int, error) { calls.Add(1); return 0, nil }, nil); !errors.Is(err, context.Canceled) || calls.Load() > 0 {
		t.Errorf("cancelled pool: error %v after %d calls", err, calls.Load())
	}
}
