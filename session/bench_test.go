package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// nopWriter is a ResponseWriter that keeps nothing, so the benchmarks measure the
// middleware rather than httptest.ResponseRecorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func serveLoop(b *testing.B, h http.Handler, cookie string) {
	req := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	w := &nopWriter{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkBare is the reference: a plain net/http handler.
func BenchmarkBare(b *testing.B) {
	serveLoop(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "alice")
	}), "")
}

// BenchmarkRead is the read path: a session with a cookie, loaded from the memory
// store, one value read.
func BenchmarkRead(b *testing.B) {
	f := newFixture(b, session.Config{}, app)
	ck := sessionCookie(b, f.do("GET", "/set?k=user&v=alice", ""))
	h := f.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if s.Has("user") {
			io.WriteString(w, "alice")
		}
	}))
	serveLoop(b, h, ck)
}

// BenchmarkReadTyped reads the value through the typed accessor (JSON decode).
func BenchmarkReadTyped(b *testing.B) {
	f := newFixture(b, session.Config{}, app)
	ck := sessionCookie(b, f.do("GET", "/set?k=user&v=alice", ""))
	h := f.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := session.Get[string](session.From(r.Context()), "user")
		io.WriteString(w, u)
	}))
	serveLoop(b, h, ck)
}

// BenchmarkWrite is the write path: one key set and patched into the store.
func BenchmarkWrite(b *testing.B) {
	f := newFixture(b, session.Config{}, app)
	ck := sessionCookie(b, f.do("GET", "/set?k=user&v=alice", ""))
	h := f.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.Set(session.From(r.Context()), "counter", 1)
		io.WriteString(w, "ok")
	}))
	serveLoop(b, h, ck)
}

// BenchmarkUntouched is a request through the middleware that never uses its
// session.
func BenchmarkUntouched(b *testing.B) {
	f := newFixture(b, session.Config{}, app)
	ck := sessionCookie(b, f.do("GET", "/set?k=user&v=alice", ""))
	h := f.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "alice")
	}))
	serveLoop(b, h, ck)
}
