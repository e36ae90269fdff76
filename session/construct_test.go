package session_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// TestNewRefusesMissingStores: a missing store and a typed-nil one (a
// *memstore.Store whose constructor's error was dropped) are refused with a rule
// id, instead of a panic on the first request.
func TestNewRefusesMissingStores(t *testing.T) {
	var nilStore *memstore.Store
	tests := []struct {
		name  string
		store session.Store
		want  string
	}{
		{"nil", nil, "session.Config.Store is required"},
		{"typed nil", nilStore, "session.Config.Store is a nil *memstore.Store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := session.New(session.Config{Store: tt.store, Keys: keyring(t)})
			var p *problem.Problem
			if !errors.As(err, &p) || p.Rule != problem.InvalidStoreConfig {
				t.Fatalf("got %v, want an SES041 problem", err)
			}
			if !strings.Contains(p.Detail, tt.want) {
				t.Errorf("got detail %q, want it to contain %q", p.Detail, tt.want)
			}
		})
	}
}

// TestEveryConstructionErrorHasARule: each problem New reports is a
// *problem.Problem.
func TestEveryConstructionErrorHasARule(t *testing.T) {
	_, err := session.New(session.Config{Cookie: session.CookieConfig{Name: "bad name", SameSite: 9}})
	if err == nil {
		t.Fatal("got nil error, want several problems")
	}
	errs := err.(interface{ Unwrap() []error }).Unwrap()
	if len(errs) < 3 {
		t.Errorf("got %d problems, want at least 3 (store, keys, cookie): %v", len(errs), err)
	}
	for _, e := range errs {
		var p *problem.Problem
		if !errors.As(e, &p) || p.Rule == "" {
			t.Errorf("got %v, want a *problem.Problem with a rule", e)
		}
	}
}

// TestNewReturnsWarningsAndNeverLogs: SES019 (a timeout over the 400-day cookie
// cap) comes back from Warnings, once, and New writes nothing to the log.
func TestNewReturnsWarningsAndNeverLogs(t *testing.T) {
	var logs bytes.Buffer
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	m, err := session.New(session.Config{Store: store, Keys: keyring(t), AbsoluteTimeout: 500 * 24 * time.Hour,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := m.Warnings()
	if len(w) != 1 || w[0].Rule != problem.LifetimeCapped || w[0].Severity != problem.Warning {
		t.Errorf("got warnings %v, want one SES019 warning", w)
	}
	if logs.Len() != 0 {
		t.Errorf("got log %q from New, want none", logs.String())
	}
}

// TestHostAndIsHTTPS: used alone, the Manager believes its own connection (r.TLS,
// r.Host) and no forwarding header; with IsHTTPS and Host set, it asks them.
func TestHostAndIsHTTPS(t *testing.T) {
	forwarded := func(r *http.Request) *http.Request {
		r.Header.Set("X-Forwarded-Proto", "https")
		r.Header.Set("X-Forwarded-Host", "api.example.com")
		return r
	}
	tests := []struct {
		name       string
		cfg        session.Config
		wantSecure bool
	}{
		{"alone: forwarding headers ignored", session.Config{Cookie: session.CookieConfig{Domain: "example.net"}}, false},
		{"given the composing layer's answers", session.Config{
			Cookie:  session.CookieConfig{Domain: "example.com"},
			IsHTTPS: func(r *http.Request) bool { return r.Header.Get("X-Forwarded-Proto") == "https" },
			Host:    func(r *http.Request) string { return r.Header.Get("X-Forwarded-Host") },
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg, app)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, forwarded(httptest.NewRequest("GET", "http://api.example.net/set?k=a&v=1", nil)))
			line := rec.Header().Get("Set-Cookie")
			if line == "" {
				t.Fatal("no Set-Cookie: the Domain did not match the host the Manager was given")
			}
			if got := strings.Contains(line, "; Secure"); got != tt.wantSecure {
				t.Errorf("Secure: got %v, want %v (%q)", got, tt.wantSecure, line)
			}
		})
	}
}
