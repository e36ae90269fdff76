package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
)

// A logout while the store is down must fail, not clear the cookie and leave the
// session alive for whoever holds a copy of it.
func TestDestroyDuringOutageFails(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/login?user=alice", ""))
	down := errors.New("connection refused")
	f.store.fail.Store(&down)
	resp := f.do("POST", "/logout", ck)
	if resp.StatusCode == 200 || strings.Contains(resp.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout during an outage: status %d, Set-Cookie %q; want a failure and the cookie kept", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
	f.store.fail.Store(nil)
	if got, want := body(f.do("GET", "/get?k=user", ck)), "alice true"; got != want {
		t.Errorf("after the outage: got %q, want %q", got, want)
	}
}

// A handler that panics saves nothing: a half-made change never lands.
func TestPanicSavesNothing(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		session.Set(session.From(r.Context()), "half", "made")
		panic("boom")
	})
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the handler's panic", p)
			}
		}()
		f.do("GET", "/", "")
	}()
	if got := f.store.saves.Load() + f.store.patches.Load(); got != 0 {
		t.Errorf("store writes after a panic: got %d, want 0", got)
	}
}

// ErrorFunc runs without the session's lock, so it may ask the session why.
func TestErrorFuncMayUseTheSession(t *testing.T) {
	f := newFixture(t, session.Config{ErrorFunc: func(w http.ResponseWriter, r *http.Request, err error) {
		s := session.From(r.Context())
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, s.Why())
	}}, app)
	ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	down := errors.New("down")
	f.store.fail.Store(&down)
	done := make(chan *http.Response, 1)
	go func() { done <- f.do("GET", "/get?k=a", ck) }()
	select {
	case resp := <-done:
		if got := body(resp); resp.StatusCode != 503 || got != "store-error" {
			t.Errorf("got %d %q, want 503 store-error", resp.StatusCode, got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ErrorFunc deadlocked on the session")
	}
}

// When the old ID cannot be retired after a Regenerate, the request fails, and the
// next save of the session retries the delete.
func TestRegenerateRetiresTheOldIDOrFails(t *testing.T) {
	f := newFixtureWithoutMover(t, session.Config{}, app)
	planted := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	down := errors.New("delete failed")
	f.store.failDelete.Store(&down)
	if resp := f.do("GET", "/login?user=alice", planted); resp.StatusCode != 503 {
		t.Fatalf("login whose old ID survived: status %d, want 503", resp.StatusCode)
	}
	f.store.failDelete.Store(nil)
	if got, want := body(f.do("GET", "/get?k=user", planted)), " false"; got != want {
		t.Errorf("the planted ID after the failed login: got %q, want %q", got, want)
	}

	// Within one request: Save fails on the delete, the commit retries it.
	var g *fixture
	g = newFixtureWithoutMover(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if r.URL.Path == "/new" {
			session.Set(s, "a", 1)
			return
		}
		s.Regenerate()
		g.store.failDelete.Store(&down)
		if err := s.Save(r.Context()); err == nil {
			t.Error("Save returned nil although the old ID was not deleted")
		}
		g.store.failDelete.Store(nil)
	})
	old := sessionCookie(t, g.do("GET", "/new", ""))
	resp := g.do("GET", "/regen", old)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200 once the retried delete succeeded", resp.StatusCode)
	}
	if fresh := sessionCookie(t, resp); fresh == old {
		t.Errorf("no new cookie after Regenerate")
	}
	oldID := strings.SplitN(strings.TrimPrefix(old, "sid="), ".", 2)[0]
	if _, found, err := g.store.Load(context.Background(), storeKey(oldID)); found || err != nil {
		t.Errorf("the old ID after the retried delete: found %v, err %v; want gone", found, err)
	}
	if n := g.store.deletes.Load(); n < 2 {
		t.Errorf("deletes: got %d, want the failed one and its retry", n)
	}
}

// Reload after Regenerate and Save reloads the new session, not the cookie's.
func TestReloadAfterRegenerateAndSave(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if r.URL.Path == "/new" {
			session.Set(s, "a", "1")
			return
		}
		s.Regenerate()
		session.Set(s, "b", "2")
		if err := s.Save(r.Context()); err != nil {
			t.Error(err)
		}
		if err := s.Reload(r.Context()); err != nil {
			t.Error(err)
		}
		a, _ := session.Get[string](s, "a")
		b, _ := session.Get[string](s, "b")
		fmt.Fprint(w, a, b, s.IsNew())
	})
	ck := sessionCookie(t, f.do("GET", "/new", ""))
	resp := f.do("GET", "/regen", ck)
	if got, want := body(resp), "12false"; got != want {
		t.Errorf("after Reload: got %q, want %q", got, want)
	}
	if fresh := sessionCookie(t, resp); fresh == ck {
		t.Errorf("the regenerated cookie was not sent")
	}
}

// A store that only polls ctx.Err (never Done) is still bounded by StoreTimeout.
func TestStoreTimeoutBoundsErrPollers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, session.Config{}, app)
		ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
		m, err := session.New(session.Config{Store: &pollingStore{f.store}, Keys: keyring(t), StoreTimeout: 80 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/get?k=a", nil)
		req.Header.Set("Cookie", ck)
		rec := httptest.NewRecorder()
		start := time.Now()
		m.Handler(http.HandlerFunc(app)).ServeHTTP(rec, req)
		if rec.Code != 503 {
			t.Errorf("status %d, want 503", rec.Code)
		}
		if took := time.Since(start); took < 80*time.Millisecond || took > 100*time.Millisecond {
			t.Errorf("answered after %v, want about the 80ms StoreTimeout", took)
		}
	})
}

// pollingStore retries Load until its context says stop, checking only Err.
type pollingStore struct{ session.Store }

func (p *pollingStore) Load(ctx context.Context, key string) (session.Record, bool, error) {
	for ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	return session.Record{}, false, ctx.Err()
}

func TestUnset(t *testing.T) {
	for _, c := range []struct {
		name string
		mode session.UnsetMode
		want string // what the session holds afterwards
	}{
		{"keep drops this request's changes", session.UnsetKeep, "1 true"},
		{"destroy ends the session", session.UnsetDestroy, " false"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, session.Config{Unset: c.mode}, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/unset" {
					s := session.From(r.Context())
					session.Set(s, "a", "2")
					if err := s.Unset(r.Context()); err != nil {
						t.Error(err)
					}
					return
				}
				app(w, r)
			})
			ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
			f.do("GET", "/unset", ck)
			if got := body(f.do("GET", "/get?k=a", ck)); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestRollingResendsTheCookie(t *testing.T) {
	for _, rolling := range []bool{false, true} {
		f := newFixture(t, session.Config{Rolling: rolling}, app)
		ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
		resent := f.do("GET", "/get?k=a", ck).Header.Get("Set-Cookie") != ""
		if resent != rolling {
			t.Errorf("Rolling %v: a read re-sent the cookie: %v", rolling, resent)
		}
	}
}
