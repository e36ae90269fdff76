package session

import (
	"context"
	"net/http"
	"time"
	"unsafe"
)

// state is everything one request needs, in one allocation: the session, the
// wrapped ResponseWriter, and the request context that carries them.
type state struct {
	parent context.Context
	m      *Manager
	r      *http.Request // &req
	req    http.Request  // the request the handler sees: r with this state as its context
	w      writer
	sess   Session
	now    time.Time // the request's clock, read when the session is first used

	committed bool     // the response has started (commit ran)
	failed    bool     // ErrorFunc answered instead of the handler
	cookie    cookieOp // what the response does with the cookie, from the saves so far
	keyUsed   bool     // keyBuf holds a key
	keyBuf    [64]byte // the store key of the cookie's ID, written once
	ncalls    int      // calls used
	calls     [2]callCtx

	// The headers earlier stages (CORS) had set when the request reached the
	// session stage, so that an error response keeps them (errorheaders.go).
	prior     [priorHeaders]priorHeader
	nprior    int
	priorMany http.Header // more than priorHeaders of them: a copy (rare)
}

// newState makes the request's state: one allocation, which also holds the
// request copy the handler sees (r.WithContext would allocate one of its own).
func (m *Manager) newState(w http.ResponseWriter, r *http.Request) *state {
	st := &state{m: m, parent: r.Context()}
	st.sess.st = st
	st.w = writer{ResponseWriter: w, st: st}
	st.req = *r.WithContext(st) // inlined: the copy WithContext makes does not escape
	st.r = &st.req
	st.keepPriorHeaders(w.Header())
	return st
}

// state is the request's context.Context: Value finds the session without the
// allocation context.WithValue would make.
func (st *state) Deadline() (time.Time, bool) { return st.parent.Deadline() }
func (st *state) Done() <-chan struct{}       { return st.parent.Done() }
func (st *state) Err() error                  { return st.parent.Err() }
func (st *state) Value(key any) any {
	if key == (ctxKey{}) {
		return &st.sess
	}
	return st.parent.Value(key)
}

// storeKey returns the store key for id. The first one shares st's buffer, which
// is then never written again, so the string stays valid however long a store
// keeps it (stores that keep keys, on Save and Move, get a copy: Manager.save,
// Manager.move); any later one has memory of its own.
func (st *state) storeKey(id string) string {
	if st.keyUsed {
		return string(st.m.cfg.Format.AppendStoreKey(nil, id))
	}
	st.keyUsed = true
	b := st.m.cfg.Format.AppendStoreKey(st.keyBuf[:0], id)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
