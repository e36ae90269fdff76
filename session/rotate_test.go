package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// A rotation that waits between loading the session and regenerating it, so a
// test can run another request in between (the 100 ms handler of issue 15).
type pausedRotation struct {
	loaded, resume chan struct{}
}

func newPausedRotation() *pausedRotation {
	return &pausedRotation{loaded: make(chan struct{}), resume: make(chan struct{})}
}

// rotationApp serves /rotate (paused), /write, /logout, /everywhere, /get and
// /login.
func rotationApp(f **fixture, p *pausedRotation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		switch r.URL.Path {
		case "/login":
			s.SetUser("alice")
			session.Set(s, "user", "alice")
			s.Regenerate()
		case "/rotate":
			s.Key() // loads it
			p.loaded <- struct{}{}
			<-p.resume
			session.Set(s, "step-up", true)
			if err := s.Regenerate(); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
		case "/write":
			session.Set(s, "w", "written")
		case "/logout":
			s.Destroy(r.Context())
		case "/everywhere":
			(*f).m.DestroyUser(r.Context(), "alice", "")
		case "/get":
			v, ok := session.Get[string](s, r.URL.Query().Get("k"))
			io.WriteString(w, v)
			if !ok {
				io.WriteString(w, "(none)")
			}
		}
	}
}

func get(t *testing.T, srv *httptest.Server, path, cookie string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Issue 15, defect 1: a rotation that loaded the session before a logout (or a
// sign-out everywhere) ran does not bring it back: it answers 409 and clears
// the cookie, and no rotated ID works.
func TestRotationLosesToSignOut(t *testing.T) {
	for _, signOut := range []string{"/logout", "/everywhere"} {
		t.Run(strings.TrimPrefix(signOut, "/"), func(t *testing.T) {
			var f *fixture
			p := newPausedRotation()
			f = newFixture(t, session.Config{}, rotationApp(&f, p))
			srv := httptest.NewServer(f.h)
			defer srv.Close()
			ck := sessionCookie(t, get(t, srv, "/login", ""))

			done := make(chan *http.Response, 1)
			go func() { done <- get(t, srv, "/rotate", ck) }()
			<-p.loaded
			if resp := get(t, srv, signOut, ck); resp.StatusCode != 200 {
				t.Fatalf("%s: got status %d, want 200", signOut, resp.StatusCode)
			}
			close(p.resume)
			resp := <-done
			if resp.StatusCode != http.StatusConflict {
				t.Errorf("the rotation after %s: got status %d, want 409", signOut, resp.StatusCode)
			}
			if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
				t.Errorf("the rotation after %s: got Set-Cookie %q, want the cookie cleared", signOut, sc)
			}
			if n := len(mustUserSessions(t, f, "alice")); n != 0 {
				t.Errorf("after %s raced a rotation: got %d live sessions of the user, want 0", signOut, n)
			}
		})
	}
}

func mustUserSessions(t *testing.T, f *fixture, user string) []session.Entry {
	t.Helper()
	es, err := f.m.UserSessions(t.Context(), user)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// Issue 15, defect 2: a write acknowledged while a rotation was under way is
// carried to the new ID (the move starts from the stored record, not from the
// snapshot the rotation loaded).
func TestRotationKeepsAnEarlierWrite(t *testing.T) {
	var f *fixture
	p := newPausedRotation()
	f = newFixture(t, session.Config{}, rotationApp(&f, p))
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	ck := sessionCookie(t, get(t, srv, "/login", ""))

	done := make(chan *http.Response, 1)
	go func() { done <- get(t, srv, "/rotate", ck) }()
	<-p.loaded
	if resp := get(t, srv, "/write", ck); resp.StatusCode != 200 {
		t.Fatalf("the write: got status %d, want 200", resp.StatusCode)
	}
	close(p.resume)
	rotated := <-done
	if rotated.StatusCode != 200 {
		t.Fatalf("the rotation: got status %d, want 200", rotated.StatusCode)
	}
	fresh := sessionCookie(t, rotated)
	for k, want := range map[string]string{"w": "written", "user": "alice"} {
		if got := body(get(t, srv, "/get?k="+k, fresh)); got != want {
			t.Errorf("under the new ID, %s: got %q, want %q", k, got, want)
		}
	}
}

// Issue 15, defect 2: a write that loaded before a rotation and commits after
// it is not applied; it answers 409 (never 200 for a lost write) and sends no
// Set-Cookie, so it cannot sign out the browser that took the rotation's new
// cookie.
func TestWriteAfterRotationFailsLoudlyAndKeepsTheCookie(t *testing.T) {
	var f *fixture
	loaded, resume := make(chan struct{}), make(chan struct{})
	f = newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		switch r.URL.Path {
		case "/slow-write":
			s.Key()
			loaded <- struct{}{}
			<-resume
			session.Set(s, "w", "late")
			io.WriteString(w, "saved, says the handler")
		default:
			rotationApp(&f, nil)(w, r)
		}
	})
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	ck := sessionCookie(t, get(t, srv, "/login", ""))

	done := make(chan *http.Response, 1)
	go func() { done <- get(t, srv, "/slow-write", ck) }()
	<-loaded
	rotated := get(t, srv, "/login", ck) // signs in again: a rotation
	fresh := sessionCookie(t, rotated)
	close(resume)
	resp := <-done
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("a write whose session was rotated meanwhile: got status %d, want 409", resp.StatusCode)
	}
	if sc := resp.Header.Get("Set-Cookie"); sc != "" {
		t.Errorf("a write whose session was rotated meanwhile: got Set-Cookie %q, want none", sc)
	}
	if got := body(get(t, srv, "/get?k=user", fresh)); got != "alice" {
		t.Errorf("the rotated session after the failed write: got user %q, want alice", got)
	}
}

// The rotation uses the store's Move, not Save and Delete.
func TestRegenerateMovesInTheStore(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	saves, deletes := f.store.saves.Load(), f.store.deletes.Load()
	fresh := sessionCookie(t, f.do("GET", "/login?user=alice", ck))
	if fresh == ck {
		t.Fatal("no new cookie after the login's Regenerate")
	}
	if got := f.store.moves.Load(); got != 1 {
		t.Errorf("Move calls: got %d, want 1", got)
	}
	if s, d := f.store.saves.Load()-saves, f.store.deletes.Load()-deletes; s != 0 || d != 0 {
		t.Errorf("Save and Delete calls for the rotation: got %d and %d, want 0 and 0", s, d)
	}
	if got := body(f.do("GET", "/get?k=a", fresh)); got != "1 true" {
		t.Errorf("a under the new ID: got %q, want %q", got, "1 true")
	}
	if got := body(f.do("GET", "/get?k=a", ck)); got != " false" {
		t.Errorf("a under the old ID: got %q, want %q", got, " false")
	}
}
