package csrf_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/csrf"
)

// TestRefusalLogsAFix: every refusal the CSRF stage logs carries a fix a user can
// act on, over a real socket; one kind (a write without Origin, from a page with
// an opaque origin) was logged with fix="" (issue 14, defect 7).
func TestRefusalLogsAFix(t *testing.T) {
	var logs bytes.Buffer
	c, err := csrf.New(csrf.Config{
		TrustedOrigins: []string{"https://app.example.com"},
		Logger:         slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	defer srv.Close()
	for _, h := range []map[string]string{
		{"Origin": "https://evil.test", "Sec-Fetch-Site": "cross-site"},
		{"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "cross-site"}, // no Origin at all
		{"Origin": "http://app.example.com", "Sec-Fetch-Site": "same-site"},
		{"Origin": "https://beta.example.com", "Sec-Fetch-Site": "same-site"},
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/things", strings.NewReader("x=1"))
		req.Host = "api.example.com"
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%v: got %d, want 403", h, resp.StatusCode)
		}
	}
	n := 0
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		n++
		if fix, _ := rec["fix"].(string); strings.TrimSpace(fix) == "" {
			t.Errorf("log line without a fix: %s", line)
		}
	}
	if n != 5 {
		t.Errorf("got %d log lines, want 5 (one per cause)\n%s", n, logs.String())
	}
}
