package doctor_test

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// api serves a handler over TLS and returns a transport that reaches it under any
// host name, as `sesame doctor --resolve` does.
func api(t *testing.T, h http.Handler) (base string, rt http.RoundTripper) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // httptest's certificate names only example.com
	return "https://api.example.com", tr
}

// goodAPI is a correct cross-origin cookie API written by hand: exact origin with
// credentials and Vary, a complete preflight, a __Host- Lax cookie.
func goodAPI(allowMethods, allowHeaders, maxAge string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		if r.Header.Get("Origin") == "https://app.example.com" {
			h.Set("Access-Control-Allow-Origin", "https://app.example.com")
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", allowMethods)
			h.Set("Access-Control-Allow-Headers", allowHeaders)
			if maxAge != "" {
				h.Set("Access-Control-Max-Age", maxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		switch r.URL.Path {
		case "/api/login":
			http.SetCookie(w, &http.Cookie{Name: "__Host-sid", Value: "s1", Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		case "/api/me":
			if c, err := r.Cookie("__Host-sid"); err != nil || c.Value != "s1" {
				http.Error(w, "signed out", http.StatusUnauthorized)
				return
			}
		}
		w.Write([]byte("{}"))
	})
}

func TestProbe(t *testing.T) {
	tests := []struct {
		name          string
		handler       http.Handler
		method        string
		header        http.Header
		want          []problem.ID
		finalStatus   int
		wantPreflight bool
	}{
		{name: "correct", handler: goodAPI("GET, POST, PUT", "content-type", "600"), want: nil, finalStatus: 200},
		{name: "SES011 method not allowed", handler: goodAPI("GET, POST", "content-type", ""), method: "PUT",
			want: []problem.ID{problem.PreflightDenied}, finalStatus: 200, wantPreflight: true},
		{name: "SES034 and SES011 star headers", handler: goodAPI("GET, POST", "*", ""), header: http.Header{"X-Api-Key": {"k"}},
			want: []problem.ID{problem.PreflightDenied, problem.WildcardHeaders}, finalStatus: 200, wantPreflight: true},
		{name: "SES027 max-age", handler: goodAPI("GET, POST", "content-type", "86400"),
			want: []problem.ID{problem.MaxAgeCapped}, finalStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, rt := api(t, tt.handler)
			report, err := doctor.Probe(context.Background(), doctor.ProbeConfig{
				Origin: "https://app.example.com", URL: base + "/api/me", Method: tt.method, Header: tt.header,
				LoginURL: base + "/api/login", LoginBody: `{"user":"ann"}`, Transport: rt,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := report.Rules()
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules: got %v, want %v (%+v)", got, tt.want, report.Findings)
			}
			last := report.Exchanges[len(report.Exchanges)-1]
			if last.Status != tt.finalStatus {
				t.Errorf("final status: got %d, want %d", last.Status, tt.finalStatus)
			}
			if got := last.Request.Get("Cookie"); got != "__Host-sid=s1" {
				t.Errorf("final request Cookie: got %q, want %q", got, "__Host-sid=s1")
			}
			var preflights []string
			for _, ex := range report.Exchanges {
				if ex.Method == http.MethodOptions {
					preflights = append(preflights, ex.Step)
					if ex.Request.Get("Cookie") != "" {
						t.Errorf("%s: got a Cookie on a preflight, want none (preflights are never credentialed)", ex.Step)
					}
				}
			}
			// The JSON login always needs a preflight; the request only for a
			// method or header that is not safelisted.
			if want := tt.wantPreflight; slices.Contains(preflights, "request preflight") != want {
				t.Errorf("request preflight: got %v, want %v", preflights, want)
			}
		})
	}
}

// TestProbeSendsBrowserHeaders checks what the probe sends is what a browser sends.
func TestProbeSendsBrowserHeaders(t *testing.T) {
	var preflight, request http.Header
	base, rt := api(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			preflight = r.Header.Clone()
		} else {
			request = r.Header.Clone()
		}
		goodAPI("GET, POST, DELETE", "content-type, x-requested-with", "").ServeHTTP(w, r)
	}))
	_, err := doctor.Probe(context.Background(), doctor.ProbeConfig{
		Origin: "https://app.example.com", URL: base + "/api/me", Method: "DELETE",
		Header:    http.Header{"X-Requested-With": {"XMLHttpRequest"}, "Content-Type": {"application/json"}, "Cookie": {"forged=1"}},
		Transport: rt,
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"Origin": "https://app.example.com", "Access-Control-Request-Method": "DELETE",
		"Access-Control-Request-Headers": "content-type,x-requested-with",
		"Sec-Fetch-Site":                 "same-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty",
	} {
		if got := preflight.Get(name); got != want {
			t.Errorf("preflight %s: got %q, want %q", name, got, want)
		}
	}
	if got := request.Get("Cookie"); got != "" {
		t.Errorf("request Cookie: got %q, want none (a page cannot set Cookie)", got)
	}
	if got := request.Get("Origin"); got != "https://app.example.com" {
		t.Errorf("request Origin: got %q, want the front end's origin", got)
	}
}

func TestProbeConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  doctor.ProbeConfig
		want []string
	}{
		{"no origin, no url", doctor.ProbeConfig{}, []string{"origin", "URL"}},
		{"origin with a path", doctor.ProbeConfig{Origin: "https://app.example.com/app", URL: "https://api.example.com/"}, []string{"more than scheme, host and port"}},
		{"relative url", doctor.ProbeConfig{Origin: "https://app.example.com", URL: "/api/me"}, []string{"not an absolute"}},
		{"bad login url", doctor.ProbeConfig{Origin: "https://app.example.com", URL: "https://api.example.com/", LoginURL: "login"}, []string{"login URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := doctor.Probe(context.Background(), tt.cfg)
			if err == nil {
				t.Fatalf("error: got nil, want one mentioning %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error: got %q, want it to mention %q", err, w)
				}
			}
		})
	}
}
