package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cmd/sesame/internal/browserprobe"
	dr "github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// needChromium skips a test when no Chromium is installed, saying how to get one.
func needChromium(t *testing.T) string {
	t.Helper()
	path, err := browserprobe.Find("")
	if err != nil {
		t.Skipf("%v (Debian: apt-get install chromium)", err)
	}
	return path
}

type browserReport struct {
	dr.Report
	Errors int `json:"errors"`
}

// runDoctor runs the CLI and decodes its JSON report.
func runDoctor(t *testing.T, args ...string) (browserReport, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"doctor", "--json"}, args...), &stdout, &stderr)
	var r browserReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("output is not JSON (%v); exit %d; stderr: %s\nstdout: %s", err, code, stderr.String(), stdout.String())
	}
	return r, code, stderr.String()
}

func rulesBy(r dr.Report, probe string) []problem.ID {
	var ids []problem.ID
	for _, f := range r.Findings {
		if f.Probe == probe && !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestDoctorBrowserAgainstExpress runs --browser against the Express backends of
// the HTTP doctor's tests: the rules are the HTTP probe's (the browser agrees
// wherever both can see), and the ones Chromium can see come with its evidence.
func TestDoctorBrowserAgainstExpress(t *testing.T) {
	needChromium(t)
	needExpress(t)
	pki := newTestPKI(t)
	const (
		sameSite  = "https://app.example.test"
		crossSite = "https://app.site-a.test"
		httpFront = "http://app.example.test"
		apiSame   = "api.example.test"
		apiCross  = "api.site-b.test"
	)
	tests := []struct {
		scenario   string
		origin     string
		apiHost    string
		https      bool
		header     string
		thirdParty bool         // --third-party-cookies
		want       []problem.ID // every rule, from either probe
		browser    []problem.ID // the rules Chromium's evidence shows
		evidence   string       // in the browser's evidence
		fix        string       // in the fix of the finding with that evidence
		exit       int
	}{
		{scenario: "correct", origin: sameSite, apiHost: apiSame, https: true},
		// Partitioned is the best a cross-site cookie can do; it is still a
		// third-party cookie, which the HTTP probe warns about (SES007).
		{scenario: "cross-site-partitioned", origin: crossSite, apiHost: apiCross, https: true,
			want: []problem.ID{problem.ThirdPartyBlocking}},
		// The seeds' recipe (SameSite=None; Secure) cross-site: a warning for
		// the HTTP probe, an error in a default Chromium profile.
		{scenario: "cross-site-none", origin: crossSite, apiHost: apiCross, https: true,
			want: []problem.ID{problem.ThirdPartyBlocking}, browser: []problem.ID{problem.ThirdPartyBlocking}, evidence: "ThirdPartyPhaseout|UserPreferences", fix: "Partitioned", exit: 1},
		{scenario: "wildcard-with-credentials", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.WildcardCredentials}, browser: []problem.ID{problem.WildcardCredentials}, evidence: "WildcardOriginNotAllowed", exit: 1},
		{scenario: "no-credentials", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.CredentialsDisabled}, browser: []problem.ID{problem.CredentialsDisabled}, evidence: "InvalidAllowCredentials", exit: 1},
		// In a default profile third-party blocking hides Chromium's other
		// reasons: its words go to the HTTP probe's finding for that cookie.
		{scenario: "samesite-lax-cross-site", origin: crossSite, apiHost: apiCross, https: true,
			want: []problem.ID{problem.CrossSiteLax}, evidence: "UserPreferences|ThirdPartyPhaseout", exit: 1},
		{scenario: "samesite-lax-cross-site", origin: crossSite, apiHost: apiCross, https: true, thirdParty: true,
			want: []problem.ID{problem.CrossSiteLax}, browser: []problem.ID{problem.CrossSiteLax}, evidence: "SameSiteLax", exit: 1},
		{scenario: "none-without-secure", origin: crossSite, apiHost: apiCross, https: true,
			want: []problem.ID{problem.NoneWithoutSecure}, evidence: "UserPreferences|ThirdPartyPhaseout", exit: 1},
		{scenario: "none-without-secure", origin: crossSite, apiHost: apiCross, https: true, thirdParty: true,
			want: []problem.ID{problem.NoneWithoutSecure}, browser: []problem.ID{problem.NoneWithoutSecure}, evidence: "SameSiteNoneInsecure", exit: 1},
		{scenario: "cross-site-none", origin: crossSite, apiHost: apiCross, https: true, thirdParty: true,
			want: []problem.ID{problem.ThirdPartyBlocking}},
		{scenario: "secure-over-http", origin: httpFront, apiHost: apiSame,
			want: []problem.ID{problem.SecureOverHTTP, problem.InsecureOrigin}, browser: []problem.ID{problem.SecureOverHTTP}, evidence: "SecureOnly", exit: 1},
		{scenario: "auth-before-cors", origin: sameSite, apiHost: apiSame, https: true, header: "X-Requested-With: XMLHttpRequest",
			want: []problem.ID{problem.PreflightNotReached}, browser: []problem.ID{problem.PreflightNotReached}, evidence: "PreflightMissingAllowOriginHeader", exit: 1},
		{scenario: "header-not-allowed", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.PreflightDenied}, browser: []problem.ID{problem.PreflightDenied}, evidence: "HeaderDisallowedByPreflightResponse", exit: 1},
		{scenario: "duplicate-acao", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.DuplicateCORS}, browser: []problem.ID{problem.DuplicateCORS}, evidence: "MultipleAllowOriginValues", exit: 1},
		{scenario: "domain-mismatch", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.InvalidDomain}, browser: []problem.ID{problem.InvalidDomain}, evidence: "InvalidDomain", exit: 1},
		{scenario: "host-prefix-domain", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.CookiePrefix}, browser: []problem.ID{problem.CookiePrefix}, evidence: "InvalidPrefix", exit: 1},
		{scenario: "no-vary-origin", origin: sameSite, apiHost: apiSame, https: true,
			want: []problem.ID{problem.MissingVaryOrigin}},
	}
	for _, tt := range tests {
		name := tt.scenario
		if tt.thirdParty {
			name += "/third-party-cookies"
		}
		t.Run(name, func(t *testing.T) {
			port := startExpress(t, tt.scenario, tt.https, pki)
			scheme := "http"
			if tt.https {
				scheme = "https"
			}
			api := fmt.Sprintf("%s://%s:%d", scheme, tt.apiHost, port)
			args := []string{"--browser", "--origin", tt.origin,
				"--resolve", fmt.Sprintf("%s:%d:127.0.0.1", tt.apiHost, port), "--cacert", pki.caFile,
				"--login", api + "/api/login", "--data", `{"user":"ann"}`}
			if tt.header != "" {
				args = append(args, "--header", tt.header)
			}
			if tt.thirdParty {
				args = append(args, "--third-party-cookies")
			}
			r, code, stderr := runDoctor(t, append(args, api+"/api/me")...)
			out, _ := json.MarshalIndent(r, "", "  ")
			got := r.Rules()
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules: got %v, want %v\n%s", got, want, out)
			}
			if b := rulesBy(r.Report, dr.ProbeBrowser); !slices.Equal(b, tt.browser) {
				t.Errorf("rules from Chromium's evidence: got %v, want %v\n%s", b, tt.browser, out)
			}
			if tt.evidence != "" && !slices.ContainsFunc(r.Findings, func(f dr.Finding) bool {
				return strings.Contains(f.Evidence, "Chromium") && strings.Contains(f.Fix, tt.fix) &&
					slices.ContainsFunc(strings.Split(tt.evidence, "|"), func(e string) bool { return strings.Contains(f.Evidence, e) })
			}) {
				t.Errorf("no finding with Chromium's %q in its evidence and %q in its fix\n%s", tt.evidence, tt.fix, out)
			}
			if code != tt.exit {
				t.Errorf("exit status: got %d, want %d; stderr: %s", code, tt.exit, stderr)
			}
		})
	}
}

func needExpress(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: apt-get install nodejs npm, then npm ci --prefix doctor/testdata/express")
	}
	if _, err := os.Stat(filepath.Join(expressDir, "node_modules", "express-session")); err != nil {
		t.Fatal("doctor/testdata/express/node_modules is missing: run `npm ci --prefix doctor/testdata/express` from the repository root")
	}
}
