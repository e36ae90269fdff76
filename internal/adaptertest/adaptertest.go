// Package adaptertest is the suite every framework adapter (adapters/gin,
// adapters/echo, chi in the bench module) passes over a real socket: a login
// sets the cookie, a change after the response started is logged (SES029), a
// store outage answers the readable 503 with the CORS headers, a preflight to a
// route the framework does not know is answered, and a refused cross-origin
// write never reaches the handler.
package adaptertest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// Frontend is the allowed front end's origin.
const Frontend = "http://127.0.0.1:5173"

// Routes are what an adapter's test registers in its framework, each with the
// framework's own way to reach the session (Session(c), session.From(c), …).
// Only these methods are registered: the suite sends preflights to paths the
// framework does not know, and OPTIONS to known paths.
//
//	POST /api/login  Login(s): a new ID, the user "alice"; answer 200
//	GET  /api/me     answer 200 with s.User()
//	POST /api/late   answer 200 "sent" first, then Late(s)
//	GET  /api/data   touch the session (Load), answer 200
//	POST /api/write  answer 200 "written" (counted: a refused write must not get here)
type Routes struct {
	// Reached counts the requests that got to /api/write.
	Reached *atomic.Int32
}

// Login is what POST /api/login does with the session.
func Login(s *session.Session) error {
	if err := s.Regenerate(); err != nil {
		return err
	}
	s.SetUser("alice")
	return nil
}

// Late is what POST /api/late does after its response was sent: a change that
// needs a cookie, which can no longer be sent (SES029).
func Late(s *session.Session) { _ = s.Regenerate(); s.SetUser("late") }

// Build turns the stack into the framework's server, with the routes.
type Build func(t *testing.T, st *sesame.Stack, routes Routes) http.Handler

// Run runs the suite against the server build returns, and returns a client of
// that server for the adapter's own further checks.
func Run(t *testing.T, build Build) *Client {
	srv := httptest.NewUnstartedServer(nil)
	api := "http://" + srv.Listener.Addr().String()
	store := NewFlaky(t)
	logs := &lockedBuffer{}
	st, err := sesame.New(sesame.Config{
		APIOrigin:       api,
		FrontendOrigins: []string{Frontend},
		Keys:            [][]byte{[]byte("0123456789abcdefghijklmnopqrstuvwxyz")},
		Store:           store,
		Logger:          slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var reached atomic.Int32
	srv.Config.Handler = build(t, st, Routes{Reached: &reached})
	srv.Start()
	t.Cleanup(srv.Close)
	c := &Client{base: api, http: srv.Client()}

	var cookie string
	t.Run("login sets the cookie", func(t *testing.T) {
		resp, _ := c.Do(t, "POST", "/api/login", Frontend, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("got status %d, want 200", resp.StatusCode)
		}
		set := resp.Header.Values("Set-Cookie")
		if len(set) != 1 {
			t.Fatalf("got Set-Cookie %q, want one session cookie", set)
		}
		cookie, _, _ = strings.Cut(set[0], ";")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != Frontend {
			t.Errorf("got Access-Control-Allow-Origin %q, want %q", got, Frontend)
		}
		_, body := c.Do(t, "GET", "/api/me", Frontend, http.Header{"Cookie": {cookie}})
		if body != "alice" {
			t.Errorf("GET /api/me with the cookie: got %q, want alice", body)
		}
	})

	t.Run("a change after the response started is logged", func(t *testing.T) {
		resp, body := c.Do(t, "POST", "/api/late", Frontend, http.Header{"Cookie": {cookie}})
		if resp.StatusCode != 200 || body != "sent" {
			t.Fatalf("got %d %q, want 200 sent", resp.StatusCode, body)
		}
		if !strings.Contains(logs.String(), "rule=SES029") {
			t.Errorf("got log %q, want a rule=SES029 line", logs.String())
		}
	})

	t.Run("a store outage answers 503 with the CORS headers", func(t *testing.T) {
		store.Down.Store(true)
		defer store.Down.Store(false)
		resp, body := c.Do(t, "GET", "/api/data", Frontend, http.Header{"Cookie": {cookie}})
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("got status %d %q, want 503", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" || !strings.Contains(body, "SES031") {
			t.Errorf("got %s %q, want a problem+json body naming SES031", ct, body)
		}
		// The Stack's contract: every answer to an allowed origin carries the CORS
		// headers, its error responses too, or the front end cannot read the 503.
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != Frontend {
			t.Errorf("got Access-Control-Allow-Origin %q on the 503, want %q", got, Frontend)
		}
		if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
			t.Errorf("got Access-Control-Allow-Credentials %q on the 503, want true", got)
		}
		if vary := strings.Join(resp.Header.Values("Vary"), ","); !strings.Contains(vary, "Origin") {
			t.Errorf("got Vary %q on the 503, want it to name Origin", vary)
		}
	})

	for _, path := range []string{"/api/nowhere", "/api/login"} {
		t.Run("preflight to "+path, func(t *testing.T) {
			resp, _ := c.Do(t, "OPTIONS", path, Frontend, http.Header{
				"Access-Control-Request-Method":  {"POST"},
				"Access-Control-Request-Headers": {"content-type"},
			})
			if resp.StatusCode/100 != 2 {
				t.Errorf("got status %d, want 2xx", resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != Frontend {
				t.Errorf("got Access-Control-Allow-Origin %q, want %q", got, Frontend)
			}
			if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
				t.Errorf("got Access-Control-Allow-Credentials %q, want true", got)
			}
		})
	}

	t.Run("a refused cross-origin write never reaches the handler", func(t *testing.T) {
		before := reached.Load()
		resp, _ := c.Do(t, "POST", "/api/write", "https://evil.example", nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("got status %d, want 403", resp.StatusCode)
		}
		if reached.Load() != before {
			t.Error("the handler ran, want the chain stopped")
		}
		if resp, body := c.Do(t, "POST", "/api/write", Frontend, nil); resp.StatusCode != 200 || body != "written" || reached.Load() != before+1 {
			t.Errorf("allowed write: got %d %q, want 200 written, handler run once", resp.StatusCode, body)
		}
	})
	return c
}

// A Client sends requests to the server under test.
type Client struct {
	base string
	http *http.Client
}

// Do sends a request from origin ("" for none) and returns the response and its
// body, failing t on a transport error.
func (c *Client) Do(t *testing.T, method, path, origin string, h http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp, string(b)
}

// Flaky is the memory store with an outage switch: while Down is true, every
// call fails as a Redis that refuses connections does.
type Flaky struct {
	*memstore.Store
	Down atomic.Bool
}

// NewFlaky returns a Flaky store that is up.
func NewFlaky(t testing.TB) *Flaky {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &Flaky{Store: s}
}

var errDown = errors.New("connect: connection refused")

func (f *Flaky) Name() string { return "flaky" }

func (f *Flaky) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if f.Down.Load() {
		return session.Record{}, false, errDown
	}
	return f.Store.Load(ctx, key)
}

func (f *Flaky) Save(ctx context.Context, key string, rec session.Record) error {
	if f.Down.Load() {
		return errDown
	}
	return f.Store.Save(ctx, key, rec)
}

func (f *Flaky) Delete(ctx context.Context, key string) error {
	if f.Down.Load() {
		return errDown
	}
	return f.Store.Delete(ctx, key)
}

func (f *Flaky) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if f.Down.Load() {
		return false, errDown
	}
	return f.Store.Patch(ctx, key, p)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
