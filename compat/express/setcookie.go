package express

import (
	"fmt"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
)

// CookieOptions mirror express-session's `cookie` option (plus `name`), with its
// defaults for the zero value, so that a Go server sends the cookie an Express
// server configured the same way would send.
type CookieOptions struct {
	// Name is the cookie name. Default DefaultName ("connect.sid").
	Name string
	// Domain is written as given, a leading dot included, as Express does.
	// Default: none (host-only).
	Domain string
	// Path defaults to "/".
	Path string
	// MaxAge gives the cookie an Expires of now + MaxAge (express-session
	// never writes Max-Age). Zero (the default): no Expires, a browser-session
	// cookie, as express-session without maxAge.
	MaxAge time.Duration
	// NoHTTPOnly is express-session's httpOnly: false. Default: HttpOnly is
	// written, as express-session does.
	NoHTTPOnly bool
	// Secure writes Secure. express-session then sends no cookie at all on a
	// request it does not consider secure; that decision is the caller's.
	Secure bool
	// Partitioned writes Partitioned (CHIPS).
	Partitioned bool
	// Priority is "", "low", "medium" or "high" (any case), as express-session
	// takes it. Default: none.
	Priority string
	// SameSite is "", "lax", "strict", "none" (any case) or "true" (Strict), as
	// express-session takes it. Default: none written, as express-session does,
	// which leaves the policy to each browser; sesame's own cookies always
	// write one.
	SameSite string
}

func (o *CookieOptions) base() (cookie.Cookie, error) {
	c := cookie.Cookie{
		Name:        o.Name,
		Domain:      o.Domain,
		Path:        o.Path,
		HttpOnly:    !o.NoHTTPOnly,
		Secure:      o.Secure,
		Partitioned: o.Partitioned,
	}
	if c.Name == "" {
		c.Name = DefaultName
	}
	switch strings.ToLower(o.SameSite) {
	case "":
		c.SameSite = cookie.SameSiteOmit
	case "lax":
		c.SameSite = cookie.SameSiteLax
	case "strict", "true":
		c.SameSite = cookie.SameSiteStrict
	case "none":
		c.SameSite = cookie.SameSiteNone
	default:
		return c, fmt.Errorf("express: option sameSite %q is invalid (cookie serialize throws on it)", o.SameSite)
	}
	switch strings.ToLower(o.Priority) {
	case "":
	case "low":
		c.Priority = cookie.PriorityLow
	case "medium":
		c.Priority = cookie.PriorityMedium
	case "high":
		c.Priority = cookie.PriorityHigh
	default:
		return c, fmt.Errorf("express: option priority %q is invalid (cookie serialize throws on it)", o.Priority)
	}
	return c, nil
}

// Cookie returns the cookie express-session sets for session id at time now,
// to be written with cookie.Set or cookie.AppendSetCookie, which produce
// express-session's exact line:
//
//	connect.sid=s%3A<id>.<sig>; Domain=…; Path=/; Expires=…; HttpOnly; Secure; Partitioned; Priority=…; SameSite=…
//
// Expires is now + MaxAge, printed to the second (Date#toUTCString truncates the
// milliseconds).
func (c *Codec) Cookie(id string, o CookieOptions, now time.Time) (cookie.Cookie, error) {
	ck, err := o.base()
	if err != nil {
		return ck, err
	}
	ck.Value = c.Encode(id)
	if o.MaxAge != 0 {
		ck.Expires = now.Add(o.MaxAge)
	}
	return ck, nil
}

// ClearCookie returns the cookie Express's res.clearCookie(name, {domain, path})
// writes to end the session in the browser: an empty value and
// Expires=Thu, 01 Jan 1970 00:00:00 GMT, with the Name, Domain and Path of o
// (a deletion for another Domain or Path deletes nothing, express-session issue
// #241). Secure, Partitioned and SameSite are kept, since a browser refuses a
// SameSite=None deletion without Secure and reaches a partitioned cookie only
// through its partition; HttpOnly, Priority and MaxAge are left out, as
// res.clearCookie(name) leaves them.
func ClearCookie(o CookieOptions) (cookie.Cookie, error) {
	ck, err := o.base()
	if err != nil {
		return ck, err
	}
	ck.HttpOnly = false
	ck.Priority = cookie.PriorityOmit
	ck.Expires = time.UnixMilli(1) // new Date(1), express lib/response.js clearCookie
	return ck, nil
}
