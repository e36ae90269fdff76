package doctor_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// refusingAPI is a CORS layer written by hand that allows https://app.example.com
// with credentials, GET, POST and PUT, and the content-type header. A refused
// preflight is answered with status (403 as sesame, 204 as rs/cors) and Vary, and
// with Sesame-Cors-Error when debug is set; passThrough instead lets every
// preflight through to a router that answers 405 (the CORS headers added).
func refusingAPI(status int, debug, passThrough bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		allowed := r.Header.Get("Origin") == "https://app.example.com"
		if r.Method == http.MethodOptions && !passThrough {
			h.Add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
			m := r.Header.Get("Access-Control-Request-Method")
			var reason string
			switch {
			case !allowed:
				reason = "SES035: origin " + r.Header.Get("Origin") + " is not in the CORS allowlist; fix: add it"
			case m != "GET" && m != "POST" && m != "PUT":
				reason = "SES011: preflight asks for method " + m + ", which is not allowed"
			default:
				for name := range strings.SplitSeq(r.Header.Get("Access-Control-Request-Headers"), ",") {
					if name != "" && name != "content-type" {
						reason = "SES011: preflight asks for request header " + name + ", which is not allowed; fix: add it to AllowHeaders"
					}
				}
			}
			if reason != "" {
				if debug {
					h.Set("Sesame-Cors-Error", reason)
				}
				w.WriteHeader(status)
				return
			}
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT")
			h.Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Write([]byte("{}"))
	})
}

// TestProbeRefusal: a CORS layer that answered a preflight without the allowance
// asked for is a refusal whose cause is named (SES035 the origin, SES011 the
// method or a header), not a preflight that never reached CORS (SES010); the
// request after it, which a browser would not send, is marked Unsent and what it
// shows is folded under the cause.
func TestProbeRefusal(t *testing.T) {
	tests := []struct {
		name        string
		handler     http.Handler
		origin      string
		method      string
		header      http.Header
		want        problem.ID
		wantDetail  string
		diagnosis   int // preflights the doctor sent on its own
		consequence []problem.ID
	}{
		{"403 origin", refusingAPI(403, false, false), "https://evil.example.net", "PUT", nil,
			problem.OriginMismatch, "not in its allowlist", 1, []problem.ID{problem.OriginMismatch}},
		{"204 origin (rs/cors)", refusingAPI(204, false, false), "https://evil.example.net", "PUT", nil,
			problem.OriginMismatch, "not in its allowlist", 1, []problem.ID{problem.OriginMismatch}},
		{"403 method", refusingAPI(403, false, false), "https://app.example.com", "DELETE", nil,
			problem.PreflightDenied, "without allowing method DELETE", 2, nil},
		{"403 header", refusingAPI(403, false, false), "https://app.example.com", "GET", http.Header{"X-Requested-With": {"x"}, "Content-Type": {"application/json"}},
			problem.PreflightDenied, "without allowing request header x-requested-with;", 3, nil},
		{"403 origin, debug header", refusingAPI(403, true, false), "https://evil.example.net", "PUT", nil,
			problem.OriginMismatch, "is not in the CORS allowlist", 0, []problem.ID{problem.OriginMismatch}},
		{"403 header, debug header", refusingAPI(403, true, false), "https://app.example.com", "GET", http.Header{"X-Requested-With": {"x"}},
			problem.PreflightDenied, "request header x-requested-with, which is not allowed", 0, nil},
		{"405 after the CORS headers: passed through", refusingAPI(0, false, true), "https://app.example.com", "PUT", nil,
			problem.PreflightNotReached, "passed the preflight on to the router", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, rt := api(t, tt.handler)
			report, err := doctor.Probe(context.Background(), doctor.ProbeConfig{
				Origin: tt.origin, URL: base + "/api/items", Method: tt.method, Header: tt.header, Transport: rt,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := report.Rules(); !slices.Equal(got, []problem.ID{tt.want}) {
				t.Fatalf("rules: got %v, want [%s]\n%+v", got, tt.want, report.Findings)
			}
			f := report.Findings[0]
			if want := tt.want != problem.PreflightNotReached; f.Refusal != want {
				t.Errorf("Refusal: got %v, want %v", f.Refusal, want)
			}
			if !strings.Contains(f.Detail, tt.wantDetail) {
				t.Errorf("detail: got %q, want it to contain %q", f.Detail, tt.wantDetail)
			}
			var got []problem.ID
			for _, c := range f.Consequences {
				got = append(got, c.Rule)
			}
			if !slices.Equal(got, tt.consequence) {
				t.Errorf("consequences: got %v, want %v", got, tt.consequence)
			}
			n := 0
			for _, ex := range report.Exchanges {
				if ex.Diagnosis {
					n++
					if ex.Blocked || ex.Method != http.MethodOptions {
						t.Errorf("diagnosis exchange: got %s blocked=%v, want OPTIONS, not blocked", ex.Method, ex.Blocked)
					}
				}
			}
			if n != tt.diagnosis {
				t.Errorf("diagnosis preflights: got %d, want %d", n, tt.diagnosis)
			}
			last := report.Exchanges[len(report.Exchanges)-1]
			if !last.Unsent {
				t.Errorf("the request after a refused preflight: got Unsent false, want true")
			}
		})
	}
}

// FuzzSesameCorsError feeds any Sesame-Cors-Error value to the prober, with a
// 403 and Vary as sesame answers a refused preflight: the probe must not fail,
// must report exactly one root finding, SES035 or SES011 (a value that is not a
// rule of either is not believed and the cause is asked for), and must take the
// rule from a well-formed value.
func FuzzSesameCorsError(f *testing.F) {
	for _, s := range []string{
		"SES035: origin \"https://x.example\" is not in the CORS allowlist; fix: add it",
		"SES011: preflight asks for request header \"x-a\", which is not allowed",
		"SES011 (warning): x; fix: y; fix: z",
		"SES9: short", "SES0351: long", "SESxyz: letters", "", ": ", "SES035:", "SES002: another rule",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		rt := roundTrip(func(r *http.Request) *http.Response {
			h := http.Header{"Vary": {"Origin"}}
			h.Set("Sesame-Cors-Error", v)
			return &http.Response{StatusCode: 403, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header: h, Body: io.NopCloser(bytes.NewReader(nil)), Request: r}
		})
		report, err := doctor.Probe(context.Background(), doctor.ProbeConfig{
			Origin: "https://app.example.com", URL: "https://api.example.com/api", Method: "PUT", Transport: rt,
		})
		if err != nil {
			t.Fatal(err)
		}
		rules := report.Rules()
		if len(rules) != 1 || (rules[0] != problem.OriginMismatch && rules[0] != problem.PreflightDenied) {
			t.Fatalf("rules: got %v, want one of SES035, SES011", rules)
		}
		got := http.Header{}
		got.Set("Sesame-Cors-Error", v)
		if w := got.Get("Sesame-Cors-Error"); strings.HasPrefix(w, "SES011: ") && rules[0] != problem.PreflightDenied {
			t.Errorf("header %q: got %s, want SES011", v, rules[0])
		}
	})
}

type roundTrip func(*http.Request) *http.Response

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r), nil }
