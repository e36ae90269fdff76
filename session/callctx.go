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
// costs one clock read and no timer). Each callCtx serves one call and stays
// cancelled after it, as a context must; gen guards the timer callbacks.
type callCtx struct {
	parent   context.Context
	timeout  time.Duration
	deadline time.Time // zero until armed

	mu         sync.Mutex
	gen        uint64
	done       chan struct{}
	err        error
	timer      *time.Timer
	stopParent func() bool
}

// start begins a call bounded by d.
func (c *callCtx) start(parent context.Context, d time.Duration) {
	c.mu.Lock()
	c.parent, c.timeout, c.deadline = parent, d, time.Time{}
	c.gen++
	c.done, c.err, c.timer, c.stopParent = nil, nil, nil, nil
	c.mu.Unlock()
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
	c.cancelLocked(context.Canceled)
	c.mu.Unlock()
}

// arm fixes the deadline the first time a store asks for it. The caller holds c.mu.
func (c *callCtx) arm() time.Time {
	if c.deadline.IsZero() {
		c.deadline = time.Now().Add(c.timeout)
	}
	return c.deadline
}

func (c *callCtx) Deadline() (time.Time, bool) {
	c.mu.Lock()
	deadline := c.arm()
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
	if c.err == nil {
		if err := c.parent.Err(); err != nil {
			c.cancelLocked(err)
		} else if c.deadline.IsZero() {
			c.arm() // a store that only polls Err is bounded from its first poll
		} else if !time.Now().Before(c.deadline) {
			c.cancelLocked(context.DeadlineExceeded)
		}
	}
	return c.err
}

func (c *callCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
			return c.done
		}
		gen := c.gen
		c.timer = time.AfterFunc(time.Until(c.arm()), func() { c.cancel(gen, context.DeadlineExceeded) })
		parent := c.parent
		c.stopParent = context.AfterFunc(parent, func() { c.cancel(gen, parent.Err()) })
	}
	return c.done
}

func (c *callCtx) cancel(gen uint64, err error) {
	c.mu.Lock()
	if gen == c.gen {
		c.cancelLocked(err)
	}
	c.mu.Unlock()
}

func (c *callCtx) cancelLocked(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
}
