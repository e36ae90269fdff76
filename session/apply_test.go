package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

// applying is counting with the store's Mover and Applier.
type applying struct {
	*moving
	applies atomic.Int64
}

func (c *applying) Apply(ctx context.Context, key string, a session.Apply) (session.Applied, error) {
	c.applies.Add(1)
	if err := c.err(); err != nil {
		return session.Applied{}, err
	}
	return c.Store.(session.Applier).Apply(ctx, key, a)
}

// applyApp runs the steps in the query's "do", comma-separated: set:k=v,
// del:k, get:k (written to the body), unset, save.
func applyApp(w http.ResponseWriter, r *http.Request) {
	s := session.From(r.Context())
	for step := range strings.SplitSeq(r.URL.Query().Get("do"), ",") {
		op, arg, _ := strings.Cut(step, ":")
		switch op {
		case "set":
			k, v, _ := strings.Cut(arg, "=")
			if err := session.Set(s, k, v); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
		case "del":
			s.Delete(arg)
		case "get":
			v, ok := session.Get[string](s, arg)
			fmt.Fprintf(w, "%s=%s/%v;", arg, v, ok)
		case "unset":
			s.Unset(r.Context())
		case "save":
			if err := s.Save(r.Context()); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
		}
	}
}

func newApplyFixture(t *testing.T, cfg session.Config) (*fixture, *applying) {
	t.Helper()
	store := &applying{moving: &moving{&counting{Store: newMemStore(t)}}}
	cfg.Store = store
	return newFixtureWith(t, cfg, store.counting, applyApp), store
}

// calls reports the store calls since the last call to calls.
type calls struct {
	s                                          *applying
	lastLoads, lastSaves, lastPatches, lastApp int64
}

func (c *calls) take() (loads, saves, patches, applies int64) {
	l, s, p, a := c.s.loads.Load(), c.s.saves.Load(), c.s.patches.Load(), c.s.applies.Load()
	loads, saves, patches, applies = l-c.lastLoads, s-c.lastSaves, p-c.lastPatches, a-c.lastApp
	c.lastLoads, c.lastSaves, c.lastPatches, c.lastApp = l, s, p, a
	return
}

// A write of a session the request never read is one Apply: no Load, no
// Patch; what it wrote, and what was there, read back.
func TestApplyWritesWithoutLoading(t *testing.T) {
	f, store := newApplyFixture(t, session.Config{})
	c := &calls{s: store}
	ck := sessionCookie(t, f.do("POST", "/?do=set:a=1,set:b=2", ""))
	if l, s, p, a := c.take(); l != 0 || s != 1 || p != 0 || a != 0 {
		t.Errorf("a new session: got %d loads, %d saves, %d patches, %d applies; want one save", l, s, p, a)
	}

	tests := []struct {
		name                           string
		do                             string
		loads, saves, patches, applies int64
		body                           string
	}{
		{"set only", "set:a=10", 0, 0, 0, 1, ""},
		{"delete only", "del:b", 0, 0, 0, 1, ""},
		{"read back", "get:a,get:b", 1, 0, 0, 0, "a=10/true;b=/false;"},
		{"set, then get: the load, the overlay over it, and a patch", "set:c=3,get:a,get:c", 1, 0, 1, 0, "a=10/true;c=3/true;"},
		// The first get writes the body, which commits (a patch); the delete
		// after it is saved when the handler returns (a second patch).
		{"set, then get, then delete", "set:c=3,get:a,get:c,del:a,get:a", 1, 0, 2, 0, "a=10/true;c=3/true;a=/false;"},
		{"read back the overlay", "get:a,get:c", 1, 0, 0, 0, "a=/false;c=3/true;"},
		{"get, then set: a load and a patch", "get:c,set:c=4", 1, 0, 1, 0, "c=3/true;"},
		{"set, then unset: nothing written", "set:c=5,unset", 0, 0, 0, 0, ""},
		{"set, save, then get: the stored record, read after the apply", "set:d=4,save,get:c,get:d", 1, 0, 0, 1, "c=4/true;d=4/true;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do("POST", "/?do="+tt.do, ck)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body(resp))
			}
			if got := body(resp); got != tt.body {
				t.Errorf("body: got %q, want %q", got, tt.body)
			}
			l, s, p, a := c.take()
			if l != tt.loads || s != tt.saves || p != tt.patches || a != tt.applies {
				t.Errorf("got %d loads, %d saves, %d patches, %d applies; want %d, %d, %d, %d",
					l, s, p, a, tt.loads, tt.saves, tt.patches, tt.applies)
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("Set-Cookie: got %q, want none (the deadline is not due)", resp.Header.Values("Set-Cookie"))
			}
		})
	}
}

// A write with the cookie of a session that is gone: the apply is refused,
// and, as after a load that finds nothing, a new session holds the write.
func TestApplyToAGoneSessionStartsANewOne(t *testing.T) {
	f, store := newApplyFixture(t, session.Config{})
	c := &calls{s: store}
	ck := sessionCookie(t, f.do("POST", "/?do=set:a=1", ""))
	var key string
	f.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key = session.From(r.Context()).Key()
	})).ServeHTTP(discardWriter{}, mustRequest(t, ck))
	if err := store.Delete(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	c.take()
	resp := f.do("POST", "/?do=set:b=2", ck)
	nu := sessionCookie(t, resp)
	if nu == ck {
		t.Fatalf("Set-Cookie: got the old session's cookie back, want a new session's")
	}
	if l, s, p, a := c.take(); l != 0 || s != 1 || p != 0 || a != 1 {
		t.Errorf("got %d loads, %d saves, %d patches, %d applies; want a refused apply and a save", l, s, p, a)
	}
	if got := body(f.do("GET", "/?do=get:a,get:b", nu)); got != "a=/false;b=2/true;" {
		t.Errorf("the new session: got %q, want only b", got)
	}
	if got := body(f.do("GET", "/?do=get:b", ck)); got != "b=/false;" {
		t.Errorf("the old cookie: got %q, want nothing (an apply never resurrects)", got)
	}
}

// The idle deadline moves inside the apply once TouchInterval has passed, and
// the persistent cookie is re-sent with it, as for a patch of a loaded session.
func TestApplyMovesTheDeadlineAndResendsTheCookie(t *testing.T) {
	f, store := newApplyFixture(t, session.Config{IdleTimeout: time.Hour, TouchInterval: time.Nanosecond})
	c := &calls{s: store}
	ck := sessionCookie(t, f.do("POST", "/?do=set:a=1", ""))
	c.take()
	resp := f.do("POST", "/?do=set:a=2", ck)
	if got := sessionCookie(t, resp); got != ck {
		t.Errorf("Set-Cookie: got %q, want the same session re-sent", got)
	}
	if l, s, p, a := c.take(); l != 0 || s != 0 || p != 0 || a != 1 {
		t.Errorf("got %d loads, %d saves, %d patches, %d applies; want one apply", l, s, p, a)
	}
	// A read that is due: the load, then a touch (an apply with no change).
	resp = f.do("GET", "/?do=get:a", ck)
	if got := sessionCookie(t, resp); got != ck {
		t.Errorf("Set-Cookie after a due read: got %q, want the same session re-sent", got)
	}
	if l, s, p, a := c.take(); l != 1 || s != 0 || p != 0 || a != 1 {
		t.Errorf("a due read: got %d loads, %d saves, %d patches, %d applies; want a load and an apply", l, s, p, a)
	}
}

// A store that fails the apply fails the request with 503, as a failed load
// does.
func TestApplyFailureIs503(t *testing.T) {
	f, store := newApplyFixture(t, session.Config{})
	ck := sessionCookie(t, f.do("POST", "/?do=set:a=1", ""))
	failure := errors.New("store down")
	store.fail.Store(&failure)
	resp := f.do("POST", "/?do=set:a=2", ck)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status: got %d, want 503", resp.StatusCode)
	}
	if store.applies.Load() != 1 {
		t.Errorf("applies: got %d, want 1", store.applies.Load())
	}
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

func mustRequest(t *testing.T, ck string) *http.Request {
	t.Helper()
	r, err := http.NewRequest("GET", "http://example.com/", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Cookie", ck)
	return r
}
