package otelsesame_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/sesame-go/sesame"
	otelsesame "github.com/sesame-go/sesame/adapters/otel"
	"github.com/sesame-go/sesame/internal/adaptertest"
)

// Refusals by every stage that reports them (CORS, CSRF, proxy) are read back
// from sesame.requests.refused after requests over a socket.
func TestObserverRefusals(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	obs, err := otelsesame.New(otelsesame.Config{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	api := "http://" + srv.Listener.Addr().String()
	st, err := sesame.New(sesame.Config{
		APIOrigin:       api,
		FrontendOrigins: []string{"http://localhost:5173"},
		TrustedProxies:  []string{"10.0.0.0/8"}, // not the loopback peer of this test
		Keys:            [][]byte{[]byte("0123456789abcdefghijklmnopqrstuvwxyz")},
		Store:           adaptertest.NewFlaky(t),
		Logger:          slog.New(slog.DiscardHandler),
		Observer:        obs,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = st.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Start()
	defer srv.Close()

	for _, tt := range []struct {
		name   string
		method string
		hdr    map[string]string
		status int
	}{
		{"preflight from an origin not allowed", "OPTIONS", map[string]string{
			"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"}, 403},
		{"preflight for a method not allowed", "OPTIONS", map[string]string{
			"Origin": "http://localhost:5173", "Access-Control-Request-Method": "PURGE"}, 403},
		{"preflight allowed", "OPTIONS", map[string]string{
			"Origin": "http://localhost:5173", "Access-Control-Request-Method": "PUT"}, 204},
		{"cross-site write", "POST", map[string]string{
			"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403},
		{"forwarding header from a peer not trusted", "GET", map[string]string{
			"X-Forwarded-For": "203.0.113.9"}, 200},
		{"plain read", "GET", nil, 200},
	} {
		req, err := http.NewRequest(tt.method, api+"/things", nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range tt.hdr {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: got status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "sesame.requests.refused" {
				continue
			}
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				stage, _ := dp.Attributes.Value(otelsesame.StageKey)
				rule, _ := dp.Attributes.Value(otelsesame.RuleKey)
				got[stage.AsString()+"/"+rule.AsString()] += dp.Value
			}
		}
	}
	want := map[string]int64{"cors/SES035": 1, "cors/SES011": 1, "csrf/SES035": 1, "proxy/SES002": 1}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("sesame.requests.refused{%s}: got %d, want %d", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("sesame.requests.refused: got %v, want %v", got, want)
	}
}
