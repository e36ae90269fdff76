package browserprobe

import (
	"github.com/chromedp/cdproto/network"

	"github.com/sesame-go/sesame/problem"
)

// thirdParty reports whether a Chromium reason is its third-party cookie
// blocking: the profile's setting (UserPreferences) or the phase-out
// (ThirdPartyPhaseout). Both hide any other reason a cookie would have been
// refused for, and both are lifted by CHIPS (Partitioned).
func thirdParty(reason string) bool {
	return reason == string(network.SetCookieBlockedReasonUserPreferences) ||
		reason == string(network.SetCookieBlockedReasonThirdPartyPhaseout) ||
		reason == "ThirdPartyBlockedInFirstPartySet"
}

// setCookieRule maps Chromium's reason for refusing a Set-Cookie
// (Network.SetCookieBlockedReason) to the catalogue's rule; ok is false for a
// reason no rule covers.
func setCookieRule(reason network.SetCookieBlockedReason) (problem.ID, bool) {
	switch reason {
	case network.SetCookieBlockedReasonSecureOnly:
		return problem.SecureOverHTTP, true
	case network.SetCookieBlockedReasonSameSiteStrict, network.SetCookieBlockedReasonSameSiteLax,
		network.SetCookieBlockedReasonSameSiteUnspecifiedTreatedAsLax:
		return problem.CrossSiteLax, true
	case network.SetCookieBlockedReasonSchemefulSameSiteStrict, network.SetCookieBlockedReasonSchemefulSameSiteLax,
		network.SetCookieBlockedReasonSchemefulSameSiteUnspecifiedTreatedAsLax:
		return problem.MixedScheme, true
	case network.SetCookieBlockedReasonSameSiteNoneInsecure:
		return problem.NoneWithoutSecure, true
	case network.SetCookieBlockedReasonUserPreferences, network.SetCookieBlockedReasonThirdPartyPhaseout:
		return problem.ThirdPartyBlocking, true
	case network.SetCookieBlockedReasonInvalidDomain:
		return problem.InvalidDomain, true
	case network.SetCookieBlockedReasonInvalidPrefix:
		return problem.CookiePrefix, true
	case network.SetCookieBlockedReasonNameValuePairExceedsMaxSize:
		return problem.CookieTooLarge, true
	case network.SetCookieBlockedReasonSyntaxError, network.SetCookieBlockedReasonDisallowedCharacter,
		network.SetCookieBlockedReasonNoCookieContent:
		return problem.CookieSyntax, true
	}
	return "", false
}

// cookieRule maps Chromium's reason for not sending a stored cookie
// (Network.CookieBlockedReason) to the catalogue's rule. Path, domain and port
// mismatches are not faults: the cookie simply belongs elsewhere.
func cookieRule(reason network.CookieBlockedReason) (problem.ID, bool) {
	switch reason {
	case network.CookieBlockedReasonSecureOnly:
		return problem.SecureOverHTTP, true
	case network.CookieBlockedReasonSameSiteStrict, network.CookieBlockedReasonSameSiteLax,
		network.CookieBlockedReasonSameSiteUnspecifiedTreatedAsLax:
		return problem.CrossSiteLax, true
	case network.CookieBlockedReasonSchemefulSameSiteStrict, network.CookieBlockedReasonSchemefulSameSiteLax,
		network.CookieBlockedReasonSchemefulSameSiteUnspecifiedTreatedAsLax:
		return problem.MixedScheme, true
	case network.CookieBlockedReasonSameSiteNoneInsecure:
		return problem.NoneWithoutSecure, true
	case network.CookieBlockedReasonUserPreferences, network.CookieBlockedReasonThirdPartyPhaseout:
		return problem.ThirdPartyBlocking, true
	case network.CookieBlockedReasonNameValuePairExceedsMaxSize:
		return problem.CookieTooLarge, true
	}
	return "", false
}

// corsRule maps the CORS error Chromium raised (Network.CorsError) to the
// catalogue's rule, as the HTTP probe's CORS check (Fetch, "CORS check" and
// "CORS-preflight fetch") would name it. anyCORS tells whether the response had
// any Access-Control-Allow-* header: a preflight without one never reached the
// CORS layer (SES010), one with some but no Allow-Origin allowed another origin.
func corsRule(e network.CorsError, anyCORS bool) (problem.ID, bool) {
	switch e {
	case network.CorsErrorWildcardOriginNotAllowed, network.CorsErrorPreflightWildcardOriginNotAllowed:
		return problem.WildcardCredentials, true
	case network.CorsErrorInvalidAllowCredentials, network.CorsErrorPreflightInvalidAllowCredentials:
		return problem.CredentialsDisabled, true
	case network.CorsErrorMultipleAllowOriginValues, network.CorsErrorPreflightMultipleAllowOriginValues:
		return problem.DuplicateCORS, true
	case network.CorsErrorAllowOriginMismatch, network.CorsErrorInvalidAllowOriginValue,
		network.CorsErrorPreflightAllowOriginMismatch, network.CorsErrorPreflightInvalidAllowOriginValue,
		network.CorsErrorMissingAllowOriginHeader:
		return problem.OriginMismatch, true
	case network.CorsErrorPreflightMissingAllowOriginHeader:
		if anyCORS {
			return problem.OriginMismatch, true
		}
		return problem.PreflightNotReached, true
	case network.CorsErrorInsecureLocalNetwork:
		// "The request client is not a secure context": an http: front end.
		return problem.InsecureOrigin, true
	case network.CorsErrorPreflightInvalidStatus:
		return problem.PreflightNotReached, true
	case network.CorsErrorPreflightDisallowedRedirect:
		return problem.PreflightRedirect, true
	case network.CorsErrorMethodDisallowedByPreflightResponse, network.CorsErrorHeaderDisallowedByPreflightResponse,
		network.CorsErrorInvalidAllowMethodsPreflightResponse, network.CorsErrorInvalidAllowHeadersPreflightResponse:
		return problem.PreflightDenied, true
	}
	return "", false
}
