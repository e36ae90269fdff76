package session

import (
	"context"
	"sync"
	"time"
)

// callCtx bounds one store call by StoreTimeout. context.WithTimeout allocates a
// timer and three objects per call, a third of the read path's cost; a callCtx
// lives inside the request's state and arms its deadline when a store first asks
// (Deadline, Done or Err), starting a timer only for Done (network stores ask for
// it at the start of their I/O; the memory store only checks Err, so its call
// costs one clock read and no timer). Each callCtx serves exactly one call (the
// state hands out each of its callCtx once) and stays cancelled after it, as a
// context must.
//
// It is kept small because it is part of the state every request allocates:
// the deadline is a monotonic offset from callEpoch and the error a code, which
// keeps the state in a smaller size class (72 bytes instead of 104, two per
// state: 704 bytes a request instead of 768; BenchmarkUntouched's B/op).
type callCtx struct {
	parent   context.Context
	timeout  time.Duration
	deadline time.Duration // since callEpoch; zero until armed

	mu         sync.Mutex
	err        callErr
	done       chan struct{}
	timer      *time.Timer
	stopParent func() bool
}

// callEpoch is the origin of callCtx deadlines. It carries a monotonic clock
// reading, and so does every time.Time made from it with Add: deadlines do not
// move with the wall clock.
var callEpoch = time.Now()

// callErr is a callCtx's error: none yet, its own (Canceled by end,
// DeadlineExceeded by its deadline), or its parent's, which a context keeps
// once it has one.
type callErr uint8

const (
	errNone callErr = iota
	errCanceled
	errDeadline
	errParent
)

// start begins the call, bounded by d. c is fresh: no one else holds it yet.
func (c *callCtx) start(parent context.Context, d time.Duration) {
	c.parent, c.timeout = parent, d
}

// end finishes the call: any timer is stopped and the context reports Canceled
// to whoever still holds it.
func (c *callCtx) end() {
	c.mu.Lock()
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.stopParent != nil {
		c.stopParent()
	}
	c.cancelLocked(errCanceled)
	c.mu.Unlock()
}

// arm fixes the deadline the first time a store asks for it. The caller holds c.mu.
func (c *callCtx) arm() time.Duration {
	if c.deadline == 0 {
		c.deadline = time.Since(callEpoch) + c.timeout
	}
	return c.deadline
}

func (c *callCtx) Deadline() (time.Time, bool) {
	c.mu.Lock()
	deadline := callEpoch.Add(c.arm())
	c.mu.Unlock()
	if d, ok := c.parent.Deadline(); ok && d.Before(deadline) {
		return d, true
	}
	return deadline, true
}

func (c *callCtx) Value(key any) any { return c.parent.Value(key) }

func (c *callCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == errNone {
		if c.parent.Err() != nil {
			c.cancelLocked(errParent)
		} else if c.deadline == 0 {
			c.arm() // a store that only polls Err is bounded from its first poll
		} else if time.Since(callEpoch) >= c.deadline {
			c.cancelLocked(errDeadline)
		}
	}
	return c.errLocked()
}

// errLocked is the error c.err stands for. The caller holds c.mu.
func (c *callCtx) errLocked() error {
	switch c.err {
	case errCanceled:
		return context.Canceled
	case errDeadline:
		return context.DeadlineExceeded
	case errParent:
		return c.parent.Err()
	}
	return nil
}

func (c *callCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != errNone {
			close(c.done)
			return c.done
		}
		c.timer = time.AfterFunc(time.Until(callEpoch.Add(c.arm())), func() { c.cancel(errDeadline) })
		c.stopParent = context.AfterFunc(c.parent, func() { c.cancel(errParent) })
	}
	return c.done
}

func (c *callCtx) cancel(err callErr) {
	c.mu.Lock()
	c.cancelLocked(err)
	c.mu.Unlock()
}

func (c *callCtx) cancelLocked(err callErr) {
	if c.err != errNone {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
}
