package session_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// The attack of issue 15 over real sockets: an attacker holding a stolen cookie
// chains rotating requests while the victim presses "sign out everywhere" once.
// Afterwards no session of the user may be live. It runs 30 trials; before
// Mover, memstore kept the attacker signed in in some of them (issue: 2 of 30).
func TestChainedRotationsLoseToSignOutEverywhere(t *testing.T) {
	for _, c := range []struct {
		name     string
		newFix   func(testing.TB, session.Config, http.HandlerFunc) *fixture
		mustHold bool
	}{
		{"Move", newFixture, true},
		{"Save then Delete", newFixtureWithoutMover, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			const trials = 30
			survived := 0
			for range trials {
				var f *fixture
				f = c.newFix(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
					s := session.From(r.Context())
					switch r.URL.Path {
					case "/login":
						s.SetUser("alice")
						s.Regenerate()
					case "/step-up":
						s.Key()
						s.Regenerate()
					case "/everywhere":
						f.m.DestroyUser(r.Context(), "alice", "")
					}
				})
				srv := httptest.NewServer(f.h)
				stolen := sessionCookie(t, get(t, srv, "/login", ""))
				var stop atomic.Bool
				done := make(chan struct{})
				go func() { // the attacker
					defer close(done)
					ck := stolen
					for i := 0; i < 200 && !stop.Load(); i++ {
						resp := get(t, srv, "/step-up", ck)
						for _, c := range resp.Cookies() {
							if c.Name == "sid" && c.Value != "" {
								ck = c.Name + "=" + c.Value
							}
						}
						resp.Body.Close()
					}
				}()
				get(t, srv, "/step-up", stolen).Body.Close() // let the chain start
				get(t, srv, "/everywhere", "").Body.Close()  // the victim
				stop.Store(true)
				<-done
				if n := len(mustUserSessions(t, f, "alice")); n > 0 {
					survived++
				}
				srv.Close()
			}
			t.Logf("%s: the attacker kept a live session in %d of %d trials", c.name, survived, trials)
			if c.mustHold && survived > 0 {
				t.Errorf("with Move: got a live session after sign-out-everywhere in %d of %d trials, want 0", survived, trials)
			}
		})
	}
}
