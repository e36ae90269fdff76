package cookie

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// Check reports every problem c has as a cookie set in answer to a request for
// host (a Host header value; a port is ignored). An empty host skips the one rule
// that needs it: that Domain domain-matches the request host.
//
// err joins the *problem.Problem values (severity Error) for which a browser would
// drop the cookie or the attribute; find them with errors.As. warnings holds what
// a browser would quietly change: a lifetime beyond MaxLifetime (SES019), which
// AppendSetCookie caps. Check does not allocate when there is nothing to report.
func (c *Cookie) Check(host string) (warnings []*problem.Problem, err error) {
	return c.check(host, time.Now())
}

// CheckAt is Check with the time the lifetime cap counts Expires from: what a
// prober judging a recorded response, or a test, needs.
func (c *Cookie) CheckAt(host string, now time.Time) (warnings []*problem.Problem, err error) {
	return c.check(host, now)
}

func (c *Cookie) check(host string, now time.Time) (warnings []*problem.Problem, err error) {
	var errs []error
	add := func(p *problem.Problem) { errs = append(errs, p) }

	switch {
	case c.Name == "":
		add(problem.NewError(problem.CookieSyntax, "cookie name is empty", "name the cookie"))
	case !isToken(c.Name):
		add(problem.NewError(problem.CookieSyntax, "cookie name "+quote(c.Name)+" is not an RFC 9110 token (RFC 6265bis §4.1.1)",
			"use letters, digits and !#$%&'*+-.^_`|~ only"))
	}
	if !isCookieValue(c.Value) {
		add(problem.NewError(problem.CookieSyntax, "value of cookie "+quote(c.Name)+" holds a character outside the cookie-octet grammar (RFC 6265bis §4.1.1): space, '\"', ',', ';', '\\\\', a control or a non-ASCII byte",
			"encode the value first, e.g. with url.QueryEscape or base64url"))
	}
	if n := len(c.Name) + len(c.Value); n > MaxNameValueLen {
		add(problem.NewError(problem.CookieTooLarge, "cookie "+quote(c.Name)+" has "+strconv.Itoa(n)+" bytes of name and value; browsers drop cookies over 4096 (RFC 6265bis §5.6)",
			"store the data server-side and keep only an ID in the cookie"))
	}
	if len(c.Domain) > MaxAttributeLen {
		add(problem.NewError(problem.CookieTooLarge, "Domain of cookie "+quote(c.Name)+" is over 1024 bytes; browsers ignore it (RFC 6265bis §5.6)", ""))
	} else if c.Domain != "" {
		if p := checkDomain(c.Domain, host); p != nil {
			add(p)
		}
	}
	path := c.path()
	switch {
	case len(path) > MaxAttributeLen:
		add(problem.NewError(problem.CookieTooLarge, "Path of cookie "+quote(c.Name)+" is over 1024 bytes; browsers ignore it (RFC 6265bis §5.6)", ""))
	case path[0] != '/':
		add(problem.NewError(problem.CookieSyntax, "Path "+quote(path)+" of cookie "+quote(c.Name)+" does not start with \"/\"; browsers replace it with the request's directory (RFC 6265bis §5.6.4)",
			"write an absolute path such as \"/\""))
	case !isAttrValue(path):
		add(problem.NewError(problem.CookieSyntax, "Path "+quote(path)+" of cookie "+quote(c.Name)+" holds ';' or a control character", ""))
	}
	if c.SameSite > SameSiteOmit {
		add(problem.NewError(problem.CookieSyntax, "cookie "+quote(c.Name)+" has an unknown SameSite value "+strconv.Itoa(int(c.SameSite)), ""))
	}
	if c.Priority > PriorityHigh {
		add(problem.NewError(problem.CookieSyntax, "cookie "+quote(c.Name)+" has an unknown Priority value "+strconv.Itoa(int(c.Priority)), ""))
	}
	if c.SameSite == SameSiteNone && !c.Secure {
		add(problem.NewError(problem.NoneWithoutSecure, "cookie "+quote(c.Name)+" is SameSite=None without Secure; browsers reject it (RFC 6265bis §5.7)",
			"set Secure and serve the API over HTTPS"))
	}
	if c.Partitioned && !c.Secure {
		add(problem.NewError(problem.PartitionedNoSecure, "cookie "+quote(c.Name)+" is Partitioned without Secure; browsers reject it (CHIPS)",
			"set Secure"))
	}
	checkPrefix(c, add)
	if !c.Expires.IsZero() && c.Expires.Year() < 1601 {
		add(problem.NewError(problem.CookieSyntax, "Expires of cookie "+quote(c.Name)+" is before 1601, which the cookie date format cannot express",
			"use a time after 1970, e.g. time.Unix(0, 0), to expire a cookie"))
	}

	if 0 < c.MaxAge && c.MaxAge < time.Second {
		// Max-Age counts whole seconds: this would be written as Max-Age=0 and
		// delete the cookie. Usually seconds passed as a time.Duration.
		add(problem.NewError(problem.CookieSyntax, "MaxAge of cookie "+quote(c.Name)+" is "+c.MaxAge.String()+", under a second: it would be written as Max-Age=0, which deletes the cookie",
			"MaxAge is a time.Duration: write e.g. 3600 * time.Second, or a negative value to delete"))
	}
	if c.MaxAge > MaxLifetime {
		warnings = append(warnings, problem.NewWarning(problem.LifetimeCapped,
			"Max-Age of cookie "+quote(c.Name)+" is "+c.MaxAge.String()+"; browsers cap it at 400 days (RFC 6265bis §5.6.2), so it is written as 400 days",
			"use a lifetime of at most 400 days, and renew the cookie while the user is active"))
	}
	if !c.Expires.IsZero() && c.Expires.Sub(now) > MaxLifetime {
		warnings = append(warnings, problem.NewWarning(problem.LifetimeCapped,
			"Expires of cookie "+quote(c.Name)+" is "+c.Expires.UTC().Format(time.RFC3339)+", more than 400 days ahead; browsers cap it (RFC 6265bis §5.6.1), so it is written as now + 400 days",
			"use a lifetime of at most 400 days, and renew the cookie while the user is active"))
	}
	return warnings, errors.Join(errs...)
}

// checkPrefix applies the cookie name prefixes (RFC 6265bis §4.1.3). Browsers
// match them case-insensitively (§5.7 steps 20-21), so "__host-" is held to the
// same rules. The later "__Http-" and "__Host-Http-" prefixes also require
// HttpOnly.
func checkPrefix(c *Cookie, add func(*problem.Problem)) {
	name := c.Name
	host := hasPrefixFold(name, "__Host-")
	secure := host || hasPrefixFold(name, "__Secure-")
	httpOnly := hasPrefixFold(name, "__Http-") || hasPrefixFold(name, "__Host-Http-")
	if !secure && !httpOnly {
		return
	}
	if !c.Secure {
		add(problem.NewError(problem.CookiePrefix, "cookie "+quote(name)+" has a prefix that requires Secure",
			"set Secure and serve the API over HTTPS"))
	}
	if host && c.Domain != "" {
		add(problem.NewError(problem.CookiePrefix, "cookie "+quote(name)+" is a __Host- cookie with a Domain attribute",
			"leave Domain empty, or drop the __Host- prefix for __Secure-"))
	}
	if host && c.path() != "/" {
		add(problem.NewError(problem.CookiePrefix, "cookie "+quote(name)+" is a __Host- cookie with Path "+quote(c.Path)+"; it must be \"/\"",
			"use Path \"/\", or drop the __Host- prefix for __Secure-"))
	}
	if httpOnly && !c.HttpOnly {
		add(problem.NewError(problem.CookiePrefix, "cookie "+quote(name)+" has an __Http- prefix that requires HttpOnly", "set HttpOnly"))
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isToken reports whether s is an RFC 9110 token (the cookie-name grammar).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return true
}

var tokenChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// isCookieValue reports whether v matches cookie-value (RFC 6265bis §4.1.1):
// cookie-octets, optionally between two double quotes.
func isCookieValue(v string) bool {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	for i := 0; i < len(v); i++ {
		if !cookieOctet(v[i]) {
			return false
		}
	}
	return true
}

// cookieOctet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E, i.e. visible ASCII
// except '"', ',', ';' and '\'.
func cookieOctet(b byte) bool {
	return 0x20 < b && b < 0x7f && b != '"' && b != ',' && b != ';' && b != '\\'
}

// isAttrValue: av-octet, any CHAR except CTLs or ';' (RFC 6265bis §4.1.1).
func isAttrValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 || b == 0x7f || b == ';' || b >= 0x80 {
			return false
		}
	}
	return true
}
