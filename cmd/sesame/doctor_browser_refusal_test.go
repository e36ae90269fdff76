package main

import (
	"slices"
	"testing"

	"github.com/sesame-go/sesame/problem"
)

// TestDoctorBrowserSesameRefusals: with --browser too, sesame's own refusal of a
// front end is reported by its cause (SES035 for an origin not allowed, SES011 for
// a header not allowed), not as a preflight that never reached CORS (SES010),
// which is how Chromium's corsError (PreflightMissingAllowOriginHeader on a 403)
// reads alone; the browser's words go to the evidence of the cause.
func TestDoctorBrowserSesameRefusals(t *testing.T) {
	needChromium(t)
	pki := newTestPKI(t)
	api, app := demoPair(t, pki, "api.example.test", "app.example.test")
	tests := []struct {
		name, origin, header string
		want                 problem.ID
	}{
		{"origin not allowed", "https://other.example.test", "", problem.OriginMismatch},
		{"header not allowed", app, "X-Requested-With: XMLHttpRequest", problem.PreflightDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(resolveArgs(api, app), "--browser", "--origin", tt.origin, "--cacert", pki.caFile,
				"--login", api+"/api/login", "--data", `{"username":"alice","password":"wonderland"}`)
			if tt.header != "" {
				args = append(args, "--header", tt.header)
			}
			r, code, stderr := runDoctor(t, append(args, api+"/api/me")...)
			if got := r.Rules(); !slices.Equal(got, []problem.ID{tt.want}) || code != 1 {
				t.Errorf("got rules %v and exit %d, want [%s] and 1; stderr: %s\n%+v", got, code, tt.want, stderr, r.Findings)
			}
		})
	}
}
