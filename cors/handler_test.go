package cors_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/cors"
)

func newCORS(t testing.TB, cfg cors.Config) *cors.CORS {
	t.Helper()
	if cfg.Origins == nil {
		cfg.Origins = []string{"https://app.example.com", "https://*.example.org", "http://localhost:*"}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c, err := cors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// app records that it ran.
type app struct{ calls int }

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.calls++
	w.Header().Add("Vary", "Accept-Encoding")
	io.WriteString(w, "app")
}

func request(method, origin string, hdr map[string]string) *http.Request {
	r := httptest.NewRequest(method, "https://api.example.com/things", nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	return r
}

func TestPreflight(t *testing.T) {
	c := newCORS(t, cors.Config{
		Credentials:    true,
		Methods:        []string{"PUT", "PATCH", "delete"},
		RequestHeaders: []string{"X-Requested-With", "Authorization"},
		MaxAge:         10 * time.Minute,
	})
	tests := []struct {
		name   string
		origin string
		hdr    map[string]string
		status int
		acah   string
	}{
		{"put", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "PUT"}, 204, ""},
		{"delete normalised", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "DELETE"}, 204, ""},
		{"get safelisted", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "GET"}, 204, ""},
		{"headers", "https://a.example.org", map[string]string{"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization,content-type,x-requested-with"}, 204, "authorization,content-type,x-requested-with"},
		{"headers ows case", "http://localhost:5173", map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": " Content-Type , , X-Requested-With"}, 204, " Content-Type , , X-Requested-With"},
		{"origin refused", "https://evil.example.com", map[string]string{"Access-Control-Request-Method": "PUT"}, 403, ""},
		{"method refused", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "OPTIONS"}, 403, ""},
		{"lower-case patch refused", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "patch"}, 403, ""},
		{"header refused", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-secret"}, 403, ""},
		{"comma flood", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": strings.Repeat(",", 1<<20)}, 403, ""},
		{"null", "null", map[string]string{"Access-Control-Request-Method": "PUT"}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{}
			w := httptest.NewRecorder()
			c.Handler(a).ServeHTTP(w, request("OPTIONS", tt.origin, tt.hdr))
			if w.Code != tt.status {
				t.Fatalf("got status %d, want %d", w.Code, tt.status)
			}
			if a.calls != 0 {
				t.Fatalf("got %d calls to the app, want 0: preflights are answered by the stage", a.calls)
			}
			h := w.Header()
			// Every answer names what it depends on, allowed or refused.
			wantVary := "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
			if got := h.Values("Vary"); strings.Join(got, "|") != wantVary {
				t.Errorf("got Vary %q, want %q", got, wantVary)
			}
			if tt.status != 204 {
				for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods"} {
					if v := h.Get(k); v != "" {
						t.Errorf("got %s %q on a refusal, want none", k, v)
					}
				}
				if w.Body.Len() != 0 {
					t.Errorf("got body %q without Debug, want none", w.Body.String())
				}
				return
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != tt.origin {
				t.Errorf("got ACAO %q, want %q", got, tt.origin)
			}
			if got := h.Get("Access-Control-Allow-Credentials"); got != "true" {
				t.Errorf("got ACAC %q, want true", got)
			}
			if got, want := h.Get("Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE"; got != want {
				t.Errorf("got ACAM %q, want %q", got, want)
			}
			if got := h.Get("Access-Control-Allow-Headers"); got != tt.acah {
				t.Errorf("got ACAH %q, want %q", got, tt.acah)
			}
			if got := h.Get("Access-Control-Max-Age"); got != "600" {
				t.Errorf("got max-age %q, want 600", got)
			}
		})
	}
}

// A short list of request headers is compared name by name, a long one looked
// up in a map: both answer the same, whatever the case of the names.
func TestPreflightHeaderLists(t *testing.T) {
	names := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, "X-Custom-"+strconv.Itoa(i))
		}
		return out
	}
	for _, n := range []int{1, 7, 8, 20} {
		c := newCORS(t, cors.Config{RequestHeaders: append(names(n), "x-custom-0", "Content-Type")})
		last := "x-custom-" + strconv.Itoa(n-1)
		for _, tt := range []struct {
			acrh   string
			status int
		}{
			{"x-custom-0", 204},
			{last, 204},
			{strings.ToUpper(last), 204},
			{"content-type," + last, 204},
			{"Content-Type", 204},
			{"x-custom-" + strconv.Itoa(n), 403},
			{"X-CUSTOM-" + strconv.Itoa(n), 403},
			{"x-custom-00", 403},
		} {
			w := httptest.NewRecorder()
			c.Handler(&app{}).ServeHTTP(w, request("OPTIONS", "https://app.example.com", map[string]string{
				"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": tt.acrh}))
			if w.Code != tt.status {
				t.Errorf("%d headers allowed, %q asked for: got status %d, want %d", n, tt.acrh, w.Code, tt.status)
			}
		}
	}
}

func TestPreflightDebug(t *testing.T) {
	var logs bytes.Buffer
	c := newCORS(t, cors.Config{Credentials: true, Debug: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for range 3 {
		w := httptest.NewRecorder()
		c.Handler(&app{}).ServeHTTP(w, request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-custom"}))
		if w.Code != 403 {
			t.Fatalf("got %d, want 403", w.Code)
		}
		if !strings.Contains(w.Body.String(), `SES011`) || !strings.Contains(w.Body.String(), `"PUT"`) {
			t.Fatalf("got body %q, want the SES011 reason", w.Body.String())
		}
	}
	w := httptest.NewRecorder()
	c.Handler(&app{}).ServeHTTP(w, request("OPTIONS", "https://app.example.com", map[string]string{
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-custom"}))
	if got := w.Header().Get(cors.DebugHeader); !strings.Contains(got, `"x-custom"`) {
		t.Fatalf("got %s %q, want it to name the header", cors.DebugHeader, got)
	}
	if n := strings.Count(logs.String(), "rule=SES011"); n != 2 {
		t.Errorf("got %d SES011 log lines for two causes, want 2:\n%s", n, logs.String())
	}
}

func TestActual(t *testing.T) {
	c := newCORS(t, cors.Config{Credentials: true, ExposeHeaders: []string{"X-Request-Id"}})
	tests := []struct {
		name, method, origin string
		allowed              bool
	}{
		{"allowed", "GET", "https://app.example.com", true},
		{"pattern", "POST", "https://a.b.example.org", true},
		{"localhost", "DELETE", "http://localhost:5173", true},
		{"no origin", "GET", "", false},
		{"refused", "POST", "https://evil.example.com", false},
		{"options without acrm", "OPTIONS", "https://app.example.com", true},
		{"options refused", "OPTIONS", "https://evil.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &app{}
			w := httptest.NewRecorder()
			c.Handler(a).ServeHTTP(w, request(tt.method, tt.origin, nil))
			if a.calls != 1 || w.Code != 200 {
				t.Fatalf("got %d app calls and status %d, want 1 and 200", a.calls, w.Code)
			}
			h := w.Header()
			if got, want := h.Values("Vary"), []string{"Origin", "Accept-Encoding"}; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("got Vary %q, want %q", got, want)
			}
			wantACAO, wantACAC, wantACEH := "", "", ""
			if tt.allowed {
				wantACAO, wantACAC, wantACEH = tt.origin, "true", "X-Request-Id"
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != wantACAO {
				t.Errorf("got ACAO %q, want %q", got, wantACAO)
			}
			if got := h.Get("Access-Control-Allow-Credentials"); got != wantACAC {
				t.Errorf("got ACAC %q, want %q", got, wantACAC)
			}
			if got := h.Get("Access-Control-Expose-Headers"); got != wantACEH {
				t.Errorf("got ACEH %q, want %q", got, wantACEH)
			}
		})
	}
}

func TestActualAnyOrigin(t *testing.T) {
	c := newCORS(t, cors.Config{Origins: []string{"*"}})
	w := httptest.NewRecorder()
	c.Handler(&app{}).ServeHTTP(w, request("GET", "https://anyone.example", nil))
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("got ACAO %q, want *", got)
	}
	if got := w.Header().Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("got ACAC %q, want none", got)
	}
}

// The bypass catalogue through the middleware: none of these origins may get an
// Access-Control-Allow-Origin, on a preflight or an actual request.
func TestBypassCatalogue(t *testing.T) {
	c := newCORS(t, cors.Config{
		Origins:     []string{"https://app.example.com", "https://*.example.com"},
		Credentials: true,
	})
	// Against example.com (exact app.example.com and the *.example.com pattern).
	catalogue := []string{
		"https://evil-example.com",             // suffix
		"https://evilexample.com",              // suffix without a dot
		"https://example.com.evil.test",        // prefix
		"https://app.example.com.evil.test",    // prefix of an exact origin
		"http://app.example.com",               // scheme swap
		"https://APP.example.com",              // case: browsers serialise lower case
		"https://app.example.com.",             // trailing dot
		"https://\u0430pp.example.com",         // Cyrillic а, raw (browsers send punycode)
		"https://app.ex\u0430mple.com",         // Cyrillic а in the registrable domain
		"https://app.xn--exmple-4nf.com",       // and its punycode form
		"https://app.example.com:8443",         // port
		"https://app.example.com:443",          // default port, never sent by a browser
		"null",                                 // sandboxed iframe, file:, data:
		"https://user@app.example.com",         // userinfo
		"https://user:pass@app.example.com",    // userinfo with password
		"",                                     // empty
		"garbage",                              // garbage
		"https://example.com",                  // the apex of *.example.com
		"https://.example.com",                 // empty label
		"https://app.example.com/",             // trailing slash
		"https://app.example.com\t",            // control character
		"https://evil.test/.example.com",       // path
		"https://evil.test?.example.com",       // query
		"https://evil.test#.example.com",       // fragment
		"https://evil.test%2F.example.com",     // escape
		"https://evil.test\\.example.com",      // backslash
		"https://[::1].example.com",            // bracket trickery
		"https://app.example.com, https://e.t", // two origins in one line
	}
	for _, o := range catalogue {
		t.Run(o, func(t *testing.T) {
			for _, method := range []string{"GET", "OPTIONS"} {
				r := request(method, "", nil)
				r.Header["Origin"] = []string{o}
				if method == "OPTIONS" {
					r.Header.Set("Access-Control-Request-Method", "PUT")
				}
				w := httptest.NewRecorder()
				c.Handler(&app{}).ServeHTTP(w, r)
				if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
					t.Errorf("%s: got ACAO %q, want none", method, got)
				}
				if method == "OPTIONS" && o != "" && w.Code != 403 {
					t.Errorf("preflight: got status %d, want 403", w.Code)
				}
			}
		})
	}
	// Two Origin lines are not a browser's.
	r := request("GET", "", nil)
	r.Header["Origin"] = []string{"https://app.example.com", "https://app.example.com"}
	w := httptest.NewRecorder()
	c.Handler(&app{}).ServeHTTP(w, r)
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("two Origin lines: got ACAO %q, want none", got)
	}
}

type setsACAO struct{}

func (setsACAO) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Vary", "Accept-Encoding")
}

func TestDiagnostics(t *testing.T) {
	var logs bytes.Buffer
	c := newCORS(t, cors.Config{Credentials: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h := c.Handler(setsACAO{})
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), request("GET", "https://app.example.com", nil))
		h.ServeHTTP(httptest.NewRecorder(), request("GET", "https://evil.example.com", nil))
	}
	out := logs.String()
	for rule, want := range map[string]int{"SES013": 1, "SES014": 1, "SES035": 1} {
		if got := strings.Count(out, "rule="+rule); got != want {
			t.Errorf("got %d %s lines, want %d:\n%s", got, rule, want, out)
		}
	}
	// An outer layer that set ACAO before the stage ran.
	logs.Reset()
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
		c.Handler(&app{}).ServeHTTP(w, r)
	})
	outer.ServeHTTP(httptest.NewRecorder(), request("GET", "https://app.example.com", nil))
	if !strings.Contains(logs.String(), "before the CORS stage") {
		t.Errorf("got log %q, want an SES013 line about an outer layer", logs.String())
	}
}

func TestActualDebugHeader(t *testing.T) {
	c := newCORS(t, cors.Config{Credentials: true, Debug: true})
	w := httptest.NewRecorder()
	c.Handler(&app{}).ServeHTTP(w, request("GET", "https://evil.example.com", nil))
	if got := w.Header().Get(cors.DebugHeader); !strings.HasPrefix(got, "SES035") {
		t.Errorf("got %s %q, want an SES035 reason", cors.DebugHeader, got)
	}
}

func TestCheck(t *testing.T) {
	c := newCORS(t, cors.Config{Credentials: true})
	tests := []struct {
		name string
		r    *http.Request
		want string
	}{
		{"no origin", request("POST", "", nil), ""},
		{"allowed", request("POST", "https://app.example.com", nil), ""},
		{"refused", request("POST", "https://evil.example.com", nil), "SES035"},
		{"preflight ok", request("OPTIONS", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "POST"}), ""},
		{"preflight method", request("OPTIONS", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "PUT"}), "SES011"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problems(c.Check(tt.r)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestZeroValue(t *testing.T) {
	var c cors.CORS
	a := &app{}
	w := httptest.NewRecorder()
	c.Handler(a).ServeHTTP(w, request("GET", "https://app.example.com", nil))
	if a.calls != 1 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("got %d calls and ACAO %q, want 1 and none", a.calls, w.Header().Get("Access-Control-Allow-Origin"))
	}
	w = httptest.NewRecorder()
	c.Handler(a).ServeHTTP(w, request("OPTIONS", "https://app.example.com", map[string]string{"Access-Control-Request-Method": "PUT"}))
	if w.Code != 403 {
		t.Errorf("got %d, want 403", w.Code)
	}
}

func TestSameOriginNotReported(t *testing.T) {
	var logs bytes.Buffer
	c := newCORS(t, cors.Config{Credentials: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := request("POST", "https://api.example.com", map[string]string{"Sec-Fetch-Site": "same-origin"})
	c.Handler(&app{}).ServeHTTP(httptest.NewRecorder(), r)
	if logs.Len() != 0 {
		t.Errorf("got log %q for a same-origin write, want none", logs.String())
	}
}

// A flood of distinct refused origins is logged a bounded number of times and does
// not silence another rule's diagnostic.
func TestDiagnosticsBounded(t *testing.T) {
	var logs bytes.Buffer
	c := newCORS(t, cors.Config{Credentials: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h := c.Handler(&app{})
	for i := range 500 {
		h.ServeHTTP(httptest.NewRecorder(), request("GET", "https://evil"+strconv.Itoa(i)+".test", nil))
	}
	c.Handler(setsACAO{}).ServeHTTP(httptest.NewRecorder(), request("GET", "https://app.example.com", nil))
	out := logs.String()
	if got, want := strings.Count(out, "rule=SES035"), 65; got != want {
		t.Errorf("got %d SES035 lines, want %d (64 causes and one notice)", got, want)
	}
	if got := strings.Count(out, "rule=SES013"); got != 1 {
		t.Errorf("got %d SES013 lines after the flood, want 1", got)
	}
}
