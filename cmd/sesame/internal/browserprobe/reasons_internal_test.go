package browserprobe

// An internal test: the mappings are unexported (nothing outside this package
// calls them); the black-box tests in cmd/sesame run them against Chromium.

import (
	"testing"

	"github.com/chromedp/cdproto/network"

	"github.com/sesame-go/sesame/problem"
)

func TestSetCookieRule(t *testing.T) {
	tests := []struct {
		reason network.SetCookieBlockedReason
		want   problem.ID
		ok     bool
	}{
		{network.SetCookieBlockedReasonSecureOnly, problem.SecureOverHTTP, true},
		{network.SetCookieBlockedReasonSameSiteLax, problem.CrossSiteLax, true},
		{network.SetCookieBlockedReasonSameSiteUnspecifiedTreatedAsLax, problem.CrossSiteLax, true},
		{network.SetCookieBlockedReasonSchemefulSameSiteLax, problem.MixedScheme, true},
		{network.SetCookieBlockedReasonSameSiteNoneInsecure, problem.NoneWithoutSecure, true},
		{network.SetCookieBlockedReasonUserPreferences, problem.ThirdPartyBlocking, true},
		{network.SetCookieBlockedReasonThirdPartyPhaseout, problem.ThirdPartyBlocking, true},
		{network.SetCookieBlockedReasonInvalidDomain, problem.InvalidDomain, true},
		{network.SetCookieBlockedReasonInvalidPrefix, problem.CookiePrefix, true},
		{network.SetCookieBlockedReasonNameValuePairExceedsMaxSize, problem.CookieTooLarge, true},
		{network.SetCookieBlockedReasonDisallowedCharacter, problem.CookieSyntax, true},
		{network.SetCookieBlockedReasonUnknownError, "", false},
		{"SomethingNew", "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.reason), func(t *testing.T) {
			got, ok := setCookieRule(tt.reason)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCookieRule(t *testing.T) {
	tests := []struct {
		reason network.CookieBlockedReason
		want   problem.ID
		ok     bool
	}{
		{network.CookieBlockedReasonSecureOnly, problem.SecureOverHTTP, true},
		{network.CookieBlockedReasonSameSiteStrict, problem.CrossSiteLax, true},
		{network.CookieBlockedReasonSchemefulSameSiteStrict, problem.MixedScheme, true},
		{network.CookieBlockedReasonThirdPartyPhaseout, problem.ThirdPartyBlocking, true},
		{network.CookieBlockedReasonNotOnPath, "", false},
		{network.CookieBlockedReasonDomainMismatch, "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.reason), func(t *testing.T) {
			got, ok := cookieRule(tt.reason)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCORSRule(t *testing.T) {
	tests := []struct {
		err     network.CorsError
		anyCORS bool
		want    problem.ID
		ok      bool
	}{
		{network.CorsErrorWildcardOriginNotAllowed, true, problem.WildcardCredentials, true},
		{network.CorsErrorPreflightInvalidAllowCredentials, true, problem.CredentialsDisabled, true},
		{network.CorsErrorMultipleAllowOriginValues, true, problem.DuplicateCORS, true},
		{network.CorsErrorAllowOriginMismatch, true, problem.OriginMismatch, true},
		{network.CorsErrorMissingAllowOriginHeader, false, problem.OriginMismatch, true},
		// A preflight answered without any CORS header never reached the CORS
		// layer; with some, it reached one that does not allow this origin.
		{network.CorsErrorPreflightMissingAllowOriginHeader, false, problem.PreflightNotReached, true},
		{network.CorsErrorPreflightMissingAllowOriginHeader, true, problem.OriginMismatch, true},
		{network.CorsErrorPreflightInvalidStatus, false, problem.PreflightNotReached, true},
		{network.CorsErrorPreflightDisallowedRedirect, false, problem.PreflightRedirect, true},
		{network.CorsErrorHeaderDisallowedByPreflightResponse, true, problem.PreflightDenied, true},
		{network.CorsErrorMethodDisallowedByPreflightResponse, true, problem.PreflightDenied, true},
		{network.CorsErrorInsecureLocalNetwork, false, problem.InsecureOrigin, true},
		{network.CorsErrorLocalNetworkAccessPermissionDenied, false, "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.err), func(t *testing.T) {
			got, ok := corsRule(tt.err, tt.anyCORS)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzHTTPHeader: Chromium joins repeated headers with "\n"; every line comes
// back as its own value and nothing is lost.
func FuzzHTTPHeader(f *testing.F) {
	f.Add("Set-Cookie", "a=1; Secure\nb=2")
	f.Add("Vary", "")
	f.Fuzz(func(t *testing.T, name, value string) {
		if name == "" {
			return
		}
		h := httpHeader(network.Headers{name: value})
		n := 0
		for _, vs := range h {
			n += len(vs)
		}
		want := 1
		for _, c := range value {
			if c == '\n' {
				want++
			}
		}
		if n != want {
			t.Errorf("httpHeader(%q: %q): got %d values, want %d", name, value, n, want)
		}
	})
}
