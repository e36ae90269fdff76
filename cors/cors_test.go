package cors_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/problem"
)

func TestNew(t *testing.T) {
	app := []string{"https://app.example.com"}
	tests := []struct {
		name string
		cfg  cors.Config
		want string // sorted rule ids, "" for valid
	}{
		{"zero", cors.Config{}, ""},
		{"typical", cors.Config{Origins: app, Credentials: true, Methods: []string{"PUT", "PATCH", "DELETE"}, RequestHeaders: []string{"X-Requested-With"}, ExposeHeaders: []string{"X-Request-Id"}, MaxAge: time.Hour}, ""},
		{"star creds", cors.Config{Origins: []string{"*"}, Credentials: true}, "SES003"},
		{"star", cors.Config{Origins: []string{"*"}}, ""},
		{"null", cors.Config{Origins: []string{"null"}, Credentials: true}, "SES024"},
		{"slash", cors.Config{Origins: []string{"https://app.example.com/"}, Credentials: true}, "SES015"},
		{"http", cors.Config{Origins: []string{"http://app.example.com"}, Credentials: true}, "SES025"},
		{"http dangerous", cors.Config{Origins: []string{"http://app.example.com"}, Credentials: true, DangerouslyAllowInsecureOrigins: true}, ""},
		{"localhost", cors.Config{Origins: []string{"http://localhost:5173", "http://127.0.0.1:5173", "http://[::1]:5173"}, Credentials: true}, ""},
		{"public suffix", cors.Config{Origins: []string{"https://*.herokuapp.com"}, Credentials: true}, "SES026"},
		{"set-cookie", cors.Config{Origins: app, ExposeHeaders: []string{"Set-Cookie"}}, "SES020"},
		{"set-cookie2", cors.Config{Origins: app, ExposeHeaders: []string{"set-cookie2"}}, "SES020"},
		{"expose star creds", cors.Config{Origins: app, Credentials: true, ExposeHeaders: []string{"*"}}, "SES034"},
		{"expose star", cors.Config{Origins: app, ExposeHeaders: []string{"*"}}, ""},
		{"headers star creds", cors.Config{Origins: app, Credentials: true, RequestHeaders: []string{"*"}}, "SES034"},
		{"methods star creds", cors.Config{Origins: app, Credentials: true, Methods: []string{"*"}}, "SES034"},
		{"max-age chromium", cors.Config{Origins: app, MaxAge: 3 * time.Hour}, ""},
		{"max-age firefox", cors.Config{Origins: app, MaxAge: 25 * time.Hour}, "SES027"},
		{"max-age negative", cors.Config{Origins: app, MaxAge: -time.Second}, "SES027"},
		{"cookie header", cors.Config{Origins: app, RequestHeaders: []string{"Cookie"}}, "SES039"},
		{"sec header", cors.Config{Origins: app, RequestHeaders: []string{"Sec-Fetch-Site"}}, "SES039"},
		{"bad header", cors.Config{Origins: app, RequestHeaders: []string{"X Bad"}}, "SES039"},
		{"trace", cors.Config{Origins: app, Methods: []string{"TRACE"}}, "SES039"},
		{"bad method", cors.Config{Origins: app, Methods: []string{"PU T"}}, "SES039"},
		{
			"everything at once",
			cors.Config{Origins: []string{"*", "null", "http://a.example.com"}, Credentials: true, ExposeHeaders: []string{"Set-Cookie"}, RequestHeaders: []string{"*"}, MaxAge: 48 * time.Hour},
			"SES003,SES020,SES024,SES025,SES027,SES034",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := cors.New(tt.cfg)
			if got := problems(err); got != tt.want {
				t.Fatalf("got rules %q (%v), want %q", got, err, tt.want)
			}
			if (c == nil) != (tt.want != "") {
				t.Fatalf("got CORS %v with err %v, want nil exactly when invalid", c, err)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	var buf bytes.Buffer
	c, err := cors.New(cors.Config{
		Origins: []string{"https://app.example.com"},
		MaxAge:  3 * time.Hour,
		Logger:  slog.New(slog.NewTextHandler(&buf, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	w := c.Warnings()
	if len(w) != 1 || w[0].Rule != problem.MaxAgeCapped || w[0].Severity != problem.Warning {
		t.Fatalf("got warnings %v, want one SES027 warning", w)
	}
	// New returns warnings and never logs: the layer that builds the stage
	// logs them once.
	if buf.Len() != 0 {
		t.Errorf("got log %q from New, want none", buf.String())
	}
}

// TestFieldsRenameMessages: with Fields, messages name the composing layer's
// fields, construction errors and per-request refusals alike.
func TestFieldsRenameMessages(t *testing.T) {
	fields := problem.Fields{"cors.Config.MaxAge": "app.Settings.PreflightCache", "cors.Config.RequestHeaders": "app.Settings.Headers"}
	_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, MaxAge: -time.Second, Fields: fields})
	if err == nil || !strings.Contains(err.Error(), "app.Settings.PreflightCache") || strings.Contains(err.Error(), "MaxAge") {
		t.Errorf("got error %v, want one naming app.Settings.PreflightCache and not MaxAge", err)
	}
	c, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("OPTIONS", "/", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "GET")
	r.Header.Set("Access-Control-Request-Headers", "x-requested-with")
	err = c.Check(r)
	var p *problem.Problem
	if !errors.As(err, &p) || p.Rule != problem.PreflightDenied {
		t.Fatalf("got %v, want SES011", err)
	}
	if got, want := p.Fix, "add it to app.Settings.Headers, or stop sending it from the front end"; got != want {
		t.Errorf("got fix %q, want %q", got, want)
	}
}

func TestOrigins(t *testing.T) {
	c, err := cors.New(cors.Config{Origins: []string{"https://app.example.com", "https://*.example.org"}, Credentials: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.Origins().Strings(), " "), "https://app.example.com https://*.example.org"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !c.Origins().Allows("https://x.example.org") {
		t.Errorf("got false for a pattern subdomain, want true")
	}
}
