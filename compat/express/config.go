package express

import (
	"errors"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
)

// Options describe the Express deployment a sesame Manager joins: the options
// its express-session and RedisStore were given.
type Options struct {
	// Secrets is express-session's `secret`: the first signs, every one
	// verifies. Required.
	Secrets []string
	// Cookie is express-session's `name` and `cookie` options. Its zero value is
	// express-session's default: connect.sid, Path=/, HttpOnly, no maxAge.
	Cookie CookieOptions
	// TTL is connect-redis's `ttl` option, the lifetime of a session whose
	// cookie has no maxAge. Default DefaultTTL (86400 seconds).
	TTL time.Duration
	// Rolling is express-session's `rolling`: the cookie is re-sent on every
	// response. Default false.
	Rolling bool
}

// SessionConfig returns the session.Config that makes a Manager share sessions
// with the Express deployment o describes, over store (connectredis.New, built
// with the same Cookie and TTL):
//
//   - express-session's cookie (Format), name, Domain, Path, HttpOnly,
//     Partitioned and Priority;
//   - IdleTimeout is cookie.maxAge, or TTL without one, and the cookie is then
//     a browser-session cookie, as express-session's;
//   - AbsoluteTimeout is off: Express has none, and one enforced only by the Go
//     routes would sign users out of half the site;
//   - SameSite is the Express app's, or Lax where it sets none: sesame always
//     writes one (Chromium treats a missing SameSite as Lax, other browsers as
//     None; RFC 6265bis §5.6.7);
//   - Secure is always set when the Express cookie is secure, else set on HTTPS
//     requests (SecureAuto), where Express leaves it off.
//
// Change the returned Config's other fields (ErrorFunc, Logger, StoreTimeout,
// Dev) as for any Manager.
func SessionConfig(store session.Store, o Options) (session.Config, error) {
	var errs []error
	f, err := NewFormat(o.Secrets)
	errs = append(errs, err)
	base, err := o.Cookie.base()
	errs = append(errs, err)
	if store == nil {
		errs = append(errs, errors.New("express: SessionConfig needs the connect-redis store (connectredis.New)"))
	}
	if err := errors.Join(errs...); err != nil {
		return session.Config{}, err
	}
	ttl := o.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	c := session.Config{
		Store:           store,
		Format:          f,
		IdleTimeout:     o.Cookie.MaxAge,
		AbsoluteTimeout: -1,
		Rolling:         o.Rolling,
		Cookie: session.CookieConfig{
			Name:            base.Name,
			Domain:          base.Domain,
			Path:            base.Path,
			SameSite:        base.SameSite,
			Partitioned:     base.Partitioned,
			Priority:        base.Priority,
			DisableHTTPOnly: o.Cookie.NoHTTPOnly,
			BrowserSession:  o.Cookie.MaxAge == 0,
		},
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = ttl
	}
	if c.Cookie.SameSite == cookie.SameSiteOmit {
		c.Cookie.SameSite = cookie.SameSiteLax
	}
	if o.Cookie.Secure {
		c.Cookie.Secure = session.SecureAlways
	}
	return c, nil
}
