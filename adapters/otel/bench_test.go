package otelsesame_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/sesame-go/sesame"
	otelsesame "github.com/sesame-go/sesame/adapters/otel"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// BenchmarkRead is a signed-in read (one store load) through a Stack, without
// an Observer, and with otelsesame on the SDK (metrics to a manual reader,
// every span sampled, no exporter).
func BenchmarkRead(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "observer=off"
		if on {
			name = "observer=on"
		}
		b.Run(name, func(b *testing.B) {
			store, _ := memstore.New(memstore.Config{})
			cfg := sesame.Config{APIOrigin: "http://api.test", Keys: [][]byte{[]byte("0123456789abcdefghijklmnopqrstuvwxyz")},
				Store: store, Logger: slog.New(slog.DiscardHandler)}
			if on {
				obs, err := otelsesame.New(otelsesame.Config{
					MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader())),
					TracerProvider: sdktrace.NewTracerProvider(),
				})
				if err != nil {
					b.Fatal(err)
				}
				cfg.Observer = obs
			}
			st, err := sesame.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			h := st.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.From(r.Context())
				if r.Method == "POST" {
					s.SetUser("alice")
					return
				}
				io.WriteString(w, s.User())
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "http://api.test/", nil))
			ck, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
			req := httptest.NewRequest("GET", "http://api.test/", nil)
			req.Header.Set("Cookie", ck)
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}
