package otelsesame_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/sesame-go/sesame"
	otelsesame "github.com/sesame-go/sesame/adapters/otel"
	"github.com/sesame-go/sesame/internal/adaptertest"
	"github.com/sesame-go/sesame/session"
)

// Every instrument is read back from the SDK's in-memory reader after real
// requests over a socket: logins, a regenerate, a logout, every load outcome,
// and a store outage.
func TestObserver(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	spans := tracetest.NewSpanRecorder()
	obs, err := otelsesame.New(otelsesame.Config{
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)),
	})
	if err != nil {
		t.Fatal(err)
	}
	store := adaptertest.NewFlaky(t)
	srv := httptest.NewUnstartedServer(nil)
	api := "http://" + srv.Listener.Addr().String()
	st, err := sesame.New(sesame.Config{
		APIOrigin: api,
		Keys:      [][]byte{[]byte("0123456789abcdefghijklmnopqrstuvwxyz")},
		Store:     store,
		Logger:    slog.New(slog.DiscardHandler),
		Observer:  obs,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		s.Regenerate()
		s.SetUser("alice")
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		session.From(r.Context()).Destroy(r.Context())
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, session.From(r.Context()).User())
	})
	srv.Config.Handler = st.Handler(mux)
	srv.Start()
	defer srv.Close()

	do := func(method, path, cookie string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, api+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	cookieOf := func(resp *http.Response) string {
		c, _, _ := strings.Cut(resp.Header.Get("Set-Cookie"), ";")
		return c
	}

	first := cookieOf(do("POST", "/login", ""))     // load no-cookie, created
	second := cookieOf(do("POST", "/login", first)) // load found, regenerated
	do("GET", "/me", first)                         // load unknown (retired by the regenerate)
	name, value, _ := strings.Cut(second, "=")
	do("GET", "/me", name+"="+value[:len(value)-2]+"xx") // load bad-signature
	do("GET", "/me", name+"=garbage")                    // load malformed
	do("POST", "/logout", second)                        // load found, destroyed
	third := cookieOf(do("POST", "/login", ""))          // load no-cookie, created
	store.Down.Store(true)
	if resp := do("GET", "/me", third); resp.StatusCode != 503 { // load store-failed, unavailable
		t.Fatalf("during the outage: got status %d, want 503", resp.StatusCode)
	}
	store.Down.Store(false)
	req, _ := http.NewRequest("POST", api+"/login", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := srv.Client().Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site write: got %v %v, want 403", resp, err)
	} else {
		resp.Body.Close()
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otelsesame.ScopeName {
			t.Errorf("got scope %q, want %q", sm.Scope.Name, otelsesame.ScopeName)
		}
		for _, m := range sm.Metrics {
			got[m.Name] = m.Data
		}
	}

	counts := func(name string, key attribute.Key) map[string]int64 {
		t.Helper()
		sum, ok := got[name].(metricdata.Sum[int64])
		if !ok {
			t.Fatalf("%s: got %T, want an int64 sum", name, got[name])
		}
		out := map[string]int64{}
		for _, dp := range sum.DataPoints {
			v, _ := dp.Attributes.Value(key)
			out[v.String()] += dp.Value
		}
		return out
	}
	check := func(name string, got, want map[string]int64) {
		t.Helper()
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s{%s}: got %d, want %d (all: %v)", name, k, got[k], w, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("sesame.session.events", counts("sesame.session.events", otelsesame.EventKey),
		map[string]int64{"created": 2, "regenerated": 1, "destroyed": 1})
	check("sesame.session.loads", counts("sesame.session.loads", otelsesame.LoadOutcomeKey),
		map[string]int64{"no-cookie": 2, "found": 2, "unknown-or-expired": 1, "bad-signature": 1, "malformed-cookie": 1, "store-error": 1})
	check("sesame.responses.unavailable", counts("sesame.responses.unavailable", "error.type"),
		map[string]int64{"store_error": 1})

	check("sesame.requests.refused", counts("sesame.requests.refused", otelsesame.StageKey), map[string]int64{"csrf": 1})
	if r := counts("sesame.requests.refused", otelsesame.RuleKey); len(r) != 1 || r[""] != 0 {
		t.Errorf("sesame.requests.refused: got rules %v, want one rule id", r)
	}

	hist, ok := got["db.client.operation.duration"].(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("db.client.operation.duration: got %T, want a float64 histogram", got["db.client.operation.duration"])
	}
	calls := map[string]uint64{}
	for _, dp := range hist.DataPoints {
		op, _ := dp.Attributes.Value("db.operation.name")
		sys, _ := dp.Attributes.Value("db.system.name")
		et, _ := dp.Attributes.Value("error.type")
		if sys.AsString() != "flaky" {
			t.Errorf("got db.system.name %q, want the store's name, flaky", sys.AsString())
		}
		calls[op.AsString()+"/"+et.AsString()] += dp.Count
	}
	// loads: found×2, unknown, store-failed; saves: created×2; the regenerate
	// is one atomic move (the memory store is a Mover); the logout's delete.
	for k, want := range map[string]uint64{"load/": 3, "load/store_error": 1, "save/": 2, "move/": 1, "delete/": 1} {
		if calls[k] != want {
			t.Errorf("store calls %s: got %d, want %d (all: %v)", k, calls[k], want, calls)
		}
	}

	ended := spans.Ended()
	if len(ended) != 8 {
		t.Errorf("got %d spans, want one per store call, 8", len(ended))
	}
	var failed int
	for _, s := range ended {
		attrs := attribute.NewSet(s.Attributes()...)
		if v, _ := attrs.Value(otelsesame.StoreNameKey); v.AsString() != "flaky" {
			t.Errorf("span %q: got sesame.store.name %q, want flaky", s.Name(), v.AsString())
		}
		if !strings.HasPrefix(s.Name(), "sesame.store ") {
			t.Errorf("got span name %q, want sesame.store <op>", s.Name())
		}
		if s.Status().Code == codes.Error {
			failed++
			if v, _ := attrs.Value(otelsesame.RuleKey); v.AsString() != "SES031" || s.Name() != "sesame.store load" {
				t.Errorf("failed span %q: got sesame.rule %q, want SES031 on the load", s.Name(), v.AsString())
			}
		}
	}
	if failed != 1 {
		t.Errorf("got %d failed spans, want 1", failed)
	}
}
