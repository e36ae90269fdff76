package problem

import (
	"fmt"
	"strings"
)

// An ID names a rule of the catalogue. IDs are stable: a rule that is retired keeps
// its number, and a new rule gets the next one.
type ID string

// The rules. The catalogue (Rules) holds each one's symptom, cause and fix.
const (
	SecureOverHTTP       ID = "SES001" // Secure cookie on a request that is not HTTPS
	ProxyNotTrusted      ID = "SES002" // forwarding headers from an untrusted private peer
	WildcardCredentials  ID = "SES003" // Access-Control-Allow-Origin "*" with credentials
	CredentialsDisabled  ID = "SES004" // CORS without Access-Control-Allow-Credentials
	CrossSiteLax         ID = "SES005" // cross-site front end, cookie SameSite=Lax/Strict
	NoneWithoutSecure    ID = "SES006" // SameSite=None without Secure
	ThirdPartyBlocking   ID = "SES007" // cross-site API: third-party cookie blocking
	InvalidDomain        ID = "SES008" // Domain attribute the browser rejects
	NoCredentialsSent    ID = "SES009" // front end forgot credentials:'include' / withCredentials
	PreflightNotReached  ID = "SES010" // OPTIONS answered 404/405/401 before CORS
	PreflightDenied      ID = "SES011" // preflight asks for a method or header not allowed
	PreflightRedirect    ID = "SES012" // a redirect answers a preflight
	DuplicateCORS        ID = "SES013" // ACAO set twice / by something else
	MissingVaryOrigin    ID = "SES014" // ACAO varies by Origin without Vary: Origin
	MalformedOrigin      ID = "SES015" // configured origin with a path, slash, default port…
	SpoofableClientIP    ID = "SES016" // forwarding headers from the public internet
	CSRFUnknownFrontend  ID = "SES017" // CSRF check does not know the front-end origins
	CookieTooLarge       ID = "SES018" // cookie over 4096 bytes or an attribute over 1024
	LifetimeCapped       ID = "SES019" // Max-Age/Expires beyond the browsers' 400-day cap
	ExposeSetCookie      ID = "SES020" // Set-Cookie listed in Access-Control-Expose-Headers
	SecretChanged        ID = "SES021" // signature no key verifies: secret changed without rotation
	SessionsEvicted      ID = "SES022" // validly signed IDs the store does not know
	CSRFDisabled         ID = "SES023" // no CSRF protection for a SameSite=None cookie
	NullOrigin           ID = "SES024" // "null" in the CORS allowlist
	InsecureOrigin       ID = "SES025" // http: front-end origin with credentials
	PublicSuffixWildcard ID = "SES026" // "https://*.herokuapp.com": a wildcard over a public suffix
	MaxAgeCapped         ID = "SES027" // Access-Control-Max-Age above the browsers' caps
	CookiePrefix         ID = "SES028" // __Host-/__Secure- prefix rules violated
	ChangeAfterResponse  ID = "SES029" // session changed after the response started
	WeakKey              ID = "SES030" // signing key missing or shorter than 32 bytes
	StoreUnavailable     ID = "SES031" // the session store failed or timed out
	MixedScheme          ID = "SES032" // http front end with https API (schemeful same-site)
	InvalidProxyConfig   ID = "SES033" // a trusted-proxy entry that is not an address, CIDR or named range (a hop count goes in Hops)
	WildcardHeaders      ID = "SES034" // "*" in allowed/exposed headers means nothing with credentials
	OriginMismatch       ID = "SES035" // request Origin not in the allowlist
	NoCookieSet          ID = "SES036" // a login answered without any Set-Cookie
	CookieSyntax         ID = "SES037" // a cookie name, value or attribute outside the grammar
	PartitionedNoSecure  ID = "SES038" // Partitioned (CHIPS) without Secure
	InvalidName          ID = "SES039" // a CORS method or header name no script can use
	StoreIgnoresDeadline ID = "SES040" // a store client that does not give up on a deadline
	InvalidStoreConfig   ID = "SES041" // a store option out of range
)

// Severity says whether a problem stops a deployment from working.
type Severity int

const (
	// Error: the configuration cannot work, in any browser.
	Error Severity = iota
	// Warning: it works only in some browsers or situations.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText writes "error" or "warning", so reports read well as JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("problem: unknown severity %q", b)
	}
	return nil
}

// A Problem is one finding: a rule, its severity and what exactly was wrong. It is
// an error, so constructors join Problems with errors.Join and callers find them
// with errors.As. Problem values are comparable.
type Problem struct {
	Rule     ID
	Severity Severity
	Detail   string // what was found, e.g. `origin "https://app.example.com/" has a trailing slash`
	Fix      string // what to do instead; optional (the catalogue has the general fix)
	Err      error  // an underlying sentinel or cause, for errors.Is; optional
}

// Unwrap returns the underlying error, so errors.Is finds a package's sentinel
// through the Problem that reports it.
func (p *Problem) Unwrap() error { return p.Err }

func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(string(p.Rule))
	if p.Severity == Warning {
		b.WriteString(" (warning)")
	}
	b.WriteString(": ")
	b.WriteString(p.Detail)
	if p.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// Errorf-like constructors keep call sites short.

// NewError returns an Error-severity problem.
func NewError(rule ID, detail, fix string) *Problem {
	return &Problem{Rule: rule, Severity: Error, Detail: detail, Fix: fix}
}

// NewWarning returns a Warning-severity problem.
func NewWarning(rule ID, detail, fix string) *Problem {
	return &Problem{Rule: rule, Severity: Warning, Detail: detail, Fix: fix}
}
