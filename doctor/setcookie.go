package doctor

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
)

// A SetCookie is one Set-Cookie header field as a browser parses it (RFC 6265bis,
// "The Set-Cookie Header Field" parsing algorithm): lenient where browsers are
// lenient, so the probe judges what a browser would actually keep, not what a
// strict grammar allows.
type SetCookie struct {
	Raw   string // the header value as received
	Name  string // may be empty: a nameless cookie ("=v" or "v")
	Value string

	Domain    string // lower-cased, leading dot removed; "" when absent or ignored
	HasDomain bool   // a Domain attribute with a non-empty value was present
	Path      string // the Path attribute when it was present and began with "/"
	HasPath   bool

	Secure      bool
	HTTPOnly    bool
	Partitioned bool

	// SameSite is "None", "Lax" or "Strict" when the attribute has one of those
	// values (any case), "" when the attribute is absent or has another value:
	// browsers then apply their default (Chromium: Lax; Firefox, Safari: None).
	SameSite    string
	SameSiteRaw string // the attribute's value as written, "" when absent

	MaxAge    int64 // seconds; meaningful when HasMaxAge
	HasMaxAge bool
	Expires   time.Time // zero when absent or unparseable

	// Oversized lists the attributes that browsers ignore because their value is
	// longer than 1024 bytes (RFC 6265bis, Limits).
	Oversized []string
}

// Errors of ParseSetCookie: the cookie is ignored entirely.
var (
	ErrControlChar = errors.New("Set-Cookie contains a control character")
	ErrEmptyCookie = errors.New("Set-Cookie has neither a name nor a value")
)

// ParseSetCookie parses one Set-Cookie value. An error means every browser ignores
// the whole line.
func ParseSetCookie(line string) (SetCookie, error) {
	c := SetCookie{Raw: line}
	// A control character other than horizontal tab aborts the algorithm.
	for i := 0; i < len(line); i++ {
		if b := line[i]; (b < 0x20 && b != '\t') || b == 0x7f {
			return c, ErrControlChar
		}
	}
	pair, attrs, _ := strings.Cut(line, ";")
	if name, value, ok := strings.Cut(pair, "="); ok {
		c.Name, c.Value = trimWSP(name), trimWSP(value)
	} else {
		c.Value = trimWSP(pair)
	}
	if c.Name == "" && c.Value == "" {
		return c, ErrEmptyCookie
	}
	for attrs != "" {
		var av string
		av, attrs, _ = strings.Cut(attrs, ";")
		name, value, _ := strings.Cut(av, "=")
		name, value = trimWSP(name), trimWSP(value)
		if len(value) > cookie.MaxAttributeLen {
			c.Oversized = append(c.Oversized, name)
			continue
		}
		switch strings.ToLower(name) {
		case "expires":
			if t, err := parseCookieDate(value); err == nil {
				c.Expires = t
			}
		case "max-age":
			if n, ok := parseMaxAge(value); ok {
				c.MaxAge, c.HasMaxAge = n, true
			}
		case "domain":
			// An empty Domain is ignored; a leading dot is dropped.
			if value == "" {
				continue
			}
			c.Domain = strings.ToLower(strings.TrimPrefix(value, "."))
			c.HasDomain = true
		case "path":
			if strings.HasPrefix(value, "/") {
				c.Path, c.HasPath = value, true
			} else {
				c.Path, c.HasPath = "", false
			}
		case "secure":
			c.Secure = true
		case "httponly":
			c.HTTPOnly = true
		case "partitioned":
			c.Partitioned = true
		case "samesite":
			c.SameSiteRaw = value
			switch strings.ToLower(value) {
			case "none":
				c.SameSite = "None"
			case "lax":
				c.SameSite = "Lax"
			case "strict":
				c.SameSite = "Strict"
			default:
				c.SameSite = ""
			}
		}
	}
	return c, nil
}

func trimWSP(s string) string { return strings.Trim(s, " \t") }

// parseMaxAge follows the Max-Age algorithm: an optional "-" then digits only;
// anything else ignores the attribute. Huge values saturate.
func parseMaxAge(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	digits := strings.TrimPrefix(v, "-")
	if digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil { // out of range: saturate, the sign decides
		if strings.HasPrefix(v, "-") {
			return -1 << 62, true
		}
		return 1 << 62, true
	}
	return n, true
}

// parseCookieDate accepts the date forms servers send in practice (IMF-fixdate
// and the obsolete RFC 850 and asctime forms, plus dashes in the date). It is less
// lenient than the RFC's cookie-date algorithm; an unparseable Expires is ignored,
// as a browser would ignore a date it cannot read.
func parseCookieDate(v string) (time.Time, error) {
	if t, err := http.ParseTime(v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"Mon, 02-Jan-2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("unparseable cookie date")
}
