package sesame_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
)

// TestSecureBehindUntrustedProxy: behind a TLS-terminating proxy that is not
// trusted, with an https APIOrigin, the login works (the cookie is Secure because
// the API origin is https, and the browser spoke https to the proxy). The log
// must say what is true, SES002 (the forwarded scheme is ignored; the cookie is
// Secure all the same), not SES001 ("browsers drop it"), which stays for a
// request that really came over plain http (issue 14, defect 5). Over a real
// socket, with the proxy's headers forged by the test.
func TestSecureBehindUntrustedProxy(t *testing.T) {
	tests := []struct {
		name     string
		header   map[string]string
		want     string // the rule logged for the Secure cookie
		notWant  string
		wantText []string
	}{
		{"X-Forwarded-Proto https", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
			"SES002", "SES001", []string{"Secure regardless (set by sesame.Config.APIOrigin)", "sesame.Config.TrustedProxies"}},
		{"Forwarded proto=https", map[string]string{"Forwarded": `for=203.0.113.9;proto="HTTPS"`},
			"SES002", "SES001", []string{"Secure regardless (set by sesame.Config.APIOrigin)"}},
		{"no proxy: plain http really", nil, "SES001", "", []string{"browsers drop it"}},
		{"a proxy that says http", map[string]string{"X-Forwarded-Proto": "http"}, "SES001", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			st, err := sesame.New(sesame.Config{
				APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
				Keys: [][]byte{testKey}, Store: memStore(t),
				Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(st.Handler(login))
			defer srv.Close()
			req, _ := http.NewRequest("POST", srv.URL+"/login", nil)
			req.Host = "api.example.com" // as the proxy forwards it
			req.Header.Set("Origin", "https://app.example.com")
			req.Header.Set("Sec-Fetch-Site", "same-site")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if c := resp.Header.Get("Set-Cookie"); resp.StatusCode != 200 || !strings.Contains(c, "; Secure") {
				t.Fatalf("login: got %d with Set-Cookie %q, want 200 and a Secure cookie", resp.StatusCode, c)
			}
			var line string
			for l := range strings.Lines(logs.String()) {
				if strings.Contains(l, "session cookie") && strings.Contains(l, "Secure") {
					line = l
				}
				if tt.notWant != "" && strings.Contains(l, `"rule":"`+tt.notWant+`"`) {
					t.Errorf("got a %s line, want none:\n%s", tt.notWant, l)
				}
			}
			if !strings.Contains(line, `"rule":"`+tt.want+`"`) {
				t.Errorf("the Secure cookie's log line: got %q, want rule %s\n%s", line, tt.want, logs.String())
			}
			for _, w := range tt.wantText {
				if !strings.Contains(line, w) {
					t.Errorf("the Secure cookie's log line: got %q, want it to contain %q", line, w)
				}
			}
			checkText(t, "sesame", "log", line)
		})
	}
}

// TestSecureBehindUntrustedProxyManager is the same false alarm with the session
// stage used alone: its message names session.Config's fields.
func TestSecureBehindUntrustedProxyManager(t *testing.T) {
	var logs bytes.Buffer
	kr, err := cookie.NewKeyring(testKey)
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(session.Config{
		Store: memStore(t), Keys: kr,
		Cookie: session.CookieConfig{Secure: session.SecureAlways},
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler(login))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/login", nil)
	req.Host = "api.example.com"
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := logs.String()
	if strings.Contains(got, `"rule":"SES001"`) || !strings.Contains(got, `"rule":"SES002"`) {
		t.Errorf("log: got\n%s\nwant SES002 and no SES001", got)
	}
	for _, w := range []string{"set by session.Config.Cookie.Secure", "configure session.Config.IsHTTPS"} {
		if !strings.Contains(got, w) {
			t.Errorf("log: got\n%s\nwant it to contain %q", got, w)
		}
	}
	checkText(t, "session", "log", got)
}
