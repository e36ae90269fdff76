package cookie

import "time"

// Limits browsers enforce (RFC 6265bis §5.6, §5.7). A cookie over them is not
// stored, or loses the attribute, without any error the server could see.
const (
	// MaxNameValueLen is the most a cookie's name and value may hold together.
	MaxNameValueLen = 4096
	// MaxAttributeLen is the longest attribute value (Domain, Path) honoured.
	MaxAttributeLen = 1024
	// MaxLifetime is the browsers' cap on Max-Age and Expires: 400 days.
	MaxLifetime = 400 * 24 * time.Hour
)

// A Cookie describes one Set-Cookie header. Unlike net/http's Cookie it carries
// every attribute browsers honour, including Priority and Partitioned, and it is
// never silently changed when written: a rule a browser would enforce by dropping
// the cookie is an error (a *problem.Problem) when the cookie is written.
//
// Attributes are written in this order, the one Express's res.cookie uses
// (express-session's is the same without Max-Age):
//
//	Max-Age; Domain; Path; Expires; HttpOnly; Secure; Partitioned; Priority; SameSite
//
// Browsers do not care about the order; byte-identical interop does.
type Cookie struct {
	// Name is the cookie name: an RFC 9110 token, not empty. A "__Host-" or
	// "__Secure-" prefix (any case) makes the browser enforce extra rules,
	// checked here too (RFC 6265bis §4.1.3).
	Name string

	// Value is written as is: it must already be made of cookie-octets
	// (RFC 6265bis §4.1.1), optionally wrapped in double quotes. Encode
	// anything else first (for instance with url.QueryEscape or base64url).
	Value string

	// Domain, when not empty, lets the cookie be sent to subdomains of it.
	// Empty (the default) makes a host-only cookie, which is what a session
	// cookie should be. A leading dot is accepted and written as given;
	// browsers ignore it (RFC 6265bis §5.6.3).
	Domain string

	// Path is the path prefix the cookie is sent for. Empty means "/", and
	// "/" is written out: the browser's default-path (the directory of the
	// request URL) is a classic source of cookies that logout cannot clear.
	Path string

	// Expires, when not zero, is written as the Expires attribute. A time more
	// than MaxLifetime ahead is capped (see AppendSetCookie).
	Expires time.Time

	// MaxAge, when positive, is written as Max-Age in whole seconds (rounded
	// down, as Express does); under one second is an error, as it would delete
	// the cookie. Negative writes Max-Age=0: delete now. Zero (the default)
	// writes no Max-Age. More than MaxLifetime is capped.
	MaxAge time.Duration

	// Secure restricts the cookie to HTTPS. Required by SameSiteNone,
	// Partitioned and the cookie prefixes.
	Secure bool

	// HttpOnly hides the cookie from JavaScript (document.cookie).
	HttpOnly bool

	// SameSite is the cross-site policy. The zero value is SameSiteLax,
	// written explicitly; SameSiteOmit writes nothing.
	SameSite SameSite

	// Partitioned asks for a cookie partitioned by top-level site (CHIPS),
	// the kind third-party cookie blocking still allows. Requires Secure.
	Partitioned bool

	// Priority is Chromium's eviction priority. Zero writes nothing.
	Priority Priority
}

// path returns the Path to write: "/" when empty.
func (c *Cookie) path() string {
	if c.Path == "" {
		return "/"
	}
	return c.Path
}
