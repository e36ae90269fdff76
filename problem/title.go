package problem

// The rules' short titles: the one home of the words a person reads first, in a
// problem+json response (Response.Title), a log line and the doctor's catalogue,
// which takes its titles from here.
var titles = map[ID]string{
	SecureOverHTTP:       "Secure cookie set over plain HTTP",
	ProxyNotTrusted:      "Forwarding headers from a proxy that is not trusted",
	WildcardCredentials:  `Access-Control-Allow-Origin "*" on a credentialed request`,
	CredentialsDisabled:  "CORS without Access-Control-Allow-Credentials: true",
	CrossSiteLax:         "Cross-site front end, session cookie SameSite=Lax or Strict",
	NoneWithoutSecure:    "SameSite=None without Secure",
	ThirdPartyBlocking:   "Cross-site API: third-party cookies are blocked",
	InvalidDomain:        "Domain attribute the browser rejects",
	NoCredentialsSent:    "The front end does not send credentials",
	PreflightNotReached:  "The preflight never reaches CORS",
	PreflightDenied:      "The preflight does not allow the method or a header",
	PreflightRedirect:    "A redirect answers the preflight",
	DuplicateCORS:        "Access-Control-Allow-Origin sent twice",
	MissingVaryOrigin:    "Access-Control-Allow-Origin varies by Origin without Vary: Origin",
	MalformedOrigin:      "A configured origin is not an origin",
	SpoofableClientIP:    "Forwarding headers trusted from the public internet",
	CSRFUnknownFrontend:  "The CSRF check does not know the front-end origins",
	CookieTooLarge:       "Cookie larger than browsers keep",
	LifetimeCapped:       "Cookie lifetime beyond the browsers' caps",
	ExposeSetCookie:      "Set-Cookie listed in Access-Control-Expose-Headers",
	SecretChanged:        "Signing secret changed without rotation",
	SessionsEvicted:      "The store forgets validly signed sessions",
	CSRFDisabled:         "No CSRF protection for a SameSite=None cookie",
	NullOrigin:           `"null" in the CORS allowlist`,
	InsecureOrigin:       "http: front-end origin with credentials",
	PublicSuffixWildcard: "A wildcard origin over a public suffix",
	MaxAgeCapped:         "Access-Control-Max-Age above the browsers' caps",
	CookiePrefix:         "__Host- or __Secure- prefix rules violated",
	ChangeAfterResponse:  "Session changed after the response started",
	WeakKey:              "Signing key missing or shorter than 32 bytes",
	StoreUnavailable:     "The session store failed or timed out",
	MixedScheme:          "http: front end with an https: API is cross-site",
	InvalidProxyConfig:   "A trusted proxy that is not an address, CIDR or named range",
	WildcardHeaders:      `"*" in allowed or exposed headers means nothing with credentials`,
	OriginMismatch:       "The request's origin is not allowed",
	NoCookieSet:          "The login sets no cookie at all",
	CookieSyntax:         "A cookie name, value or attribute outside the cookie grammar",
	PartitionedNoSecure:  "Partitioned cookie without Secure",
	InvalidName:          "A CORS method or header name no script can use",
	StoreIgnoresDeadline: "A store client that does not give up on a deadline",
	InvalidStoreConfig:   "A session store option out of range",
}

// Title returns the rule's short title, or "" for an id that is not a rule.
func (id ID) Title() string { return titles[id] }

// DocsURL is where the catalogue explains every rule at length; each rule has
// the anchor of its lower-case id (DocsURL + "#ses001").
const DocsURL = "https://github.com/sesame-go/sesame/blob/main/docs/doctor.md"

// URL is the link to the rule's section of the documentation.
func (id ID) URL() string { return DocsURL + "#" + lower(string(id)) }

// lower is strings.ToLower for the ASCII ids, kept here so that this file needs
// no import.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
