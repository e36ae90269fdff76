package session

import (
	"context"
	"sync"
	"time"
)

// callCtx bounds one store call by StoreTimeout. context.WithTimeout allocates a
// timer and three objects per call, a third of the read path's cost; callCtx lives
// inside the request's state and starts a timer only when a store asks for Done
// (network stores do; the memory store only checks Err). A request's store calls
// are sequential (the Session's mutex), so one callCtx serves them all in turn;
// gen tells a late timer of an earlier call from the current one.
type callCtx struct {
	parent   context.Context
	deadline time.Time

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
	c.parent, c.deadline = parent, time.Now().Add(d)
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

func (c *callCtx) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *callCtx) Value(key any) any { return c.parent.Value(key) }

func (c *callCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		if err := c.parent.Err(); err != nil {
			c.cancelLocked(err)
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
		c.timer = time.AfterFunc(time.Until(c.deadline), func() { c.cancel(gen, context.DeadlineExceeded) })
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
