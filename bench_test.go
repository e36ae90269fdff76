package sesame_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
)

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler, req *http.Request) {
	w := &discard{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

var readUser = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if s := session.From(r.Context()); s != nil && s.Has("user") {
		io.WriteString(w, "alice")
		return
	}
	io.WriteString(w, "alice")
})

// BenchmarkStack measures a credentialed cross-origin read through the whole
// stack (proxy → CORS → CSRF → session, memory store) against the bare handler.
func BenchmarkStack(b *testing.B) {
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(b), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	login := httptest.NewRequest("POST", "https://api.example.com/login", nil)
	rec := httptest.NewRecorder()
	st.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		s.Regenerate()
		session.Set(s, "user", "alice")
	})).ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]

	req := httptest.NewRequest("GET", "https://api.example.com/me", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Sec-Fetch-Site", "same-site")
	req.AddCookie(cookie)

	b.Run("bare", func(b *testing.B) { benchServe(b, readUser, req) })
	b.Run("stack-read", func(b *testing.B) { benchServe(b, st.Handler(readUser), req) })
	pre := httptest.NewRequest("OPTIONS", "https://api.example.com/me", nil)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "PUT")
	pre.Header.Set("Access-Control-Request-Headers", "content-type")
	b.Run("stack-preflight", func(b *testing.B) { benchServe(b, st.Handler(readUser), pre) })
}
