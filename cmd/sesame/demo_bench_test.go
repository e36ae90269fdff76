package main_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

// BenchmarkDemoMe measures GET /api/me from a signed-in browser on the front-end
// origin through the whole stack (proxy, CORS, CSRF, session load) and the
// handler's JSON, with the in-memory store and with bbolt, in process.
func BenchmarkDemoMe(b *testing.B) {
	for _, store := range []string{"memory", "bolt"} {
		b.Run(store, func(b *testing.B) {
			spec := store
			if store == "bolt" {
				spec = "bolt:" + b.TempDir() + "/s.db"
			}
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			api, _, _, closeFn, err := main.DemoHandlers(b.Context(), []string{
				"--store=" + spec, "--data-dir=" + b.TempDir(), "--app-addr=",
				"--public-origin=http://localhost:8080", "--frontend-origin=" + frontend}, logger)
			if err != nil {
				b.Fatal(err)
			}
			defer closeFn()

			login := httptest.NewRequest("POST", "http://localhost:8080/api/login",
				strings.NewReader(`{"username":"alice","password":"wonderland"}`))
			login.Header.Set("Content-Type", "application/json")
			login.Header.Set("Origin", frontend)
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, login)
			cookie := rec.Header().Get("Set-Cookie")
			cookie, _, _ = strings.Cut(cookie, ";")
			if rec.Code != 200 || cookie == "" {
				b.Fatalf("login: %d %q", rec.Code, cookie)
			}

			req := httptest.NewRequest("GET", "http://localhost:8080/api/me", nil)
			req.Header.Set("Origin", frontend)
			req.Header.Set("Sec-Fetch-Site", "same-site")
			req.Header.Set("Cookie", cookie)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				api.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET /api/me: %d", w.Code)
				}
			}
		})
	}
}
