package cors_test

import (
	"net/http"
	"testing"

	"github.com/sesame-go/sesame/cors"
)

// benchWriter is a ResponseWriter whose header map is reused, so that the
// benchmarks measure the stage, not the recorder.
type benchWriter struct {
	h    http.Header
	code int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *benchWriter) WriteHeader(code int)        { w.code = code }

var bare = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })

func benchCORS(b *testing.B) *cors.CORS {
	return newCORS(b, cors.Config{
		Origins:        []string{"https://app.example.com", "https://*.example.org"},
		Credentials:    true,
		Methods:        []string{"PUT", "PATCH", "DELETE"},
		RequestHeaders: []string{"Authorization", "X-Requested-With"},
		ExposeHeaders:  []string{"X-Request-Id"},
	})
}

func run(b *testing.B, h http.Handler, r *http.Request, want int) {
	w := &benchWriter{h: make(http.Header, 8)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	if w.code != want {
		b.Fatalf("got status %d, want %d", w.code, want)
	}
}

// BenchmarkBare is the reference: the handler with no CORS stage.
func BenchmarkBare(b *testing.B) {
	run(b, bare, request("GET", "https://app.example.com", nil), 200)
}

func BenchmarkPreflight(b *testing.B) {
	h := benchCORS(b).Handler(bare)
	b.Run("exact", func(b *testing.B) {
		run(b, h, request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method":  "PUT",
			"Access-Control-Request-Headers": "authorization,content-type,x-requested-with",
		}), 204)
	})
	b.Run("pattern", func(b *testing.B) {
		run(b, h, request("OPTIONS", "https://a.b.example.org", map[string]string{
			"Access-Control-Request-Method":  "PATCH",
			"Access-Control-Request-Headers": "Content-Type, X-Requested-With",
		}), 204)
	})
	b.Run("comma-flood", func(b *testing.B) {
		flood := make([]byte, 1<<20)
		for i := range flood {
			flood[i] = ','
		}
		run(b, h, request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method":  "PUT",
			"Access-Control-Request-Headers": string(flood),
		}), 403)
	})
}

func BenchmarkActual(b *testing.B) {
	h := benchCORS(b).Handler(bare)
	b.Run("allowed", func(b *testing.B) {
		run(b, h, request("POST", "https://app.example.com", nil), 200)
	})
	b.Run("pattern", func(b *testing.B) {
		run(b, h, request("POST", "https://a.b.example.org", nil), 200)
	})
	b.Run("no-origin", func(b *testing.B) {
		run(b, h, request("GET", "", nil), 200)
	})
}
