package cookie

import (
	"net/http"
	"strconv"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// AppendSetCookie appends the Set-Cookie header value for c to dst, after checking
// it as Check(host) does.
//
// When c breaks a rule a browser enforces by dropping the cookie or an attribute,
// nothing is appended: AppendSetCookie returns dst unchanged and err joining every
// problem (*problem.Problem, found with errors.As). A lifetime beyond MaxLifetime is
// not an error: it is written capped to 400 days from now, exactly what the
// browser would keep anyway, and reported in warnings (SES019). warnings is nil,
// and nothing is allocated beyond dst's growth, when there is nothing to report.
//
// It is safe for concurrent use as long as c is not being modified.
func AppendSetCookie(dst []byte, c *Cookie, host string) (line []byte, warnings []*problem.Problem, err error) {
	now := time.Now()
	warnings, err = c.check(host, now)
	if err != nil {
		return dst, warnings, err
	}
	return c.appendTo(dst, now), warnings, nil
}

// appendTo writes a cookie already checked. The order is Express's
// (express/lib/response.js res.cookie, cookie@0.7 serialize): Max-Age, Domain,
// Path, Expires, HttpOnly, Secure, Partitioned, Priority, SameSite.
func (c *Cookie) appendTo(dst []byte, now time.Time) []byte {
	dst = append(dst, c.Name...)
	dst = append(dst, '=')
	dst = append(dst, c.Value...)
	switch {
	case c.MaxAge < 0:
		dst = append(dst, "; Max-Age=0"...)
	case c.MaxAge > 0:
		dst = append(dst, "; Max-Age="...)
		dst = strconv.AppendInt(dst, int64(min(c.MaxAge, MaxLifetime)/time.Second), 10)
	}
	if c.Domain != "" {
		dst = append(dst, "; Domain="...)
		dst = append(dst, c.Domain...)
	}
	dst = append(dst, "; Path="...)
	dst = append(dst, c.path()...)
	if !c.Expires.IsZero() {
		exp := c.Expires
		if limit := now.Add(MaxLifetime); exp.After(limit) {
			exp = limit
		}
		dst = append(dst, "; Expires="...)
		dst = exp.UTC().AppendFormat(dst, http.TimeFormat)
	}
	if c.HttpOnly {
		dst = append(dst, "; HttpOnly"...)
	}
	if c.Secure {
		dst = append(dst, "; Secure"...)
	}
	if c.Partitioned {
		dst = append(dst, "; Partitioned"...)
	}
	switch c.Priority {
	case PriorityLow:
		dst = append(dst, "; Priority=Low"...)
	case PriorityMedium:
		dst = append(dst, "; Priority=Medium"...)
	case PriorityHigh:
		dst = append(dst, "; Priority=High"...)
	}
	switch c.SameSite {
	case SameSiteLax:
		dst = append(dst, "; SameSite=Lax"...)
	case SameSiteStrict:
		dst = append(dst, "; SameSite=Strict"...)
	case SameSiteNone:
		dst = append(dst, "; SameSite=None"...)
	}
	return dst
}

// Set adds a Set-Cookie header for c to w, checked against r.Host as
// AppendSetCookie describes; on error nothing is added. Behind a proxy that
// rewrites Host, use AppendSetCookie with the public host instead.
//
// The cookie is added to the header map: call Set before the response is
// written, like http.SetCookie.
func Set(w http.ResponseWriter, r *http.Request, c *Cookie) (warnings []*problem.Problem, err error) {
	var buf [256]byte
	line, warnings, err := AppendSetCookie(buf[:0], c, r.Host)
	if err != nil {
		return warnings, err
	}
	h := w.Header()
	h["Set-Cookie"] = append(h["Set-Cookie"], string(line))
	return warnings, nil
}

// Cleared returns the cookie that deletes c: the same Name, Domain and Path
// (a deletion with any other Domain or Path is a different cookie and clears
// nothing, express-session issue #241), the same Secure, Partitioned and SameSite
// (a SameSite=None deletion without Secure is itself refused, and a partitioned
// cookie is only reached from its partition), an empty value, Max-Age=0 and an
// Expires in the past for clients that ignore Max-Age.
func (c *Cookie) Cleared() Cookie {
	return Cookie{
		Name:        c.Name,
		Domain:      c.Domain,
		Path:        c.Path,
		MaxAge:      -1,
		Expires:     time.Unix(0, 0),
		Secure:      c.Secure,
		HttpOnly:    c.HttpOnly,
		SameSite:    c.SameSite,
		Partitioned: c.Partitioned,
		Priority:    c.Priority,
	}
}

// Clear adds to w the Set-Cookie header that deletes c (see Cleared).
func Clear(w http.ResponseWriter, r *http.Request, c *Cookie) error {
	d := c.Cleared()
	_, err := Set(w, r, &d)
	return err
}
