package doctor

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/origin"
)

// jar keeps the cookies the probe's browser accepted and decides which to send,
// following RFC 6265bis's Storage and Retrieval Models for the cases a credentialed
// fetch meets. It is not safe for concurrent use; a probe is sequential.
type jar struct {
	cookies []storedCookie
	seq     int
}

type storedCookie struct {
	name, value string
	domain      string // the host for a host-only cookie
	hostOnly    bool
	path        string
	secure      bool
	sameSite    string
	expires     time.Time // zero: a session cookie
	created     int
}

// store keeps or deletes the cookie of an accepted Set-Cookie.
func (j *jar) store(c SetCookie, u *url.URL, now time.Time) {
	sc := storedCookie{name: c.Name, value: c.Value, secure: c.Secure, sameSite: c.SameSite}
	host := hostOf(u)
	if c.HasDomain && c.Domain != host {
		sc.domain = c.Domain
	} else {
		sc.domain, sc.hostOnly = host, true
	}
	sc.path = c.Path
	if !c.HasPath {
		sc.path = defaultPath(u)
	}
	switch {
	case c.HasMaxAge && c.MaxAge <= 0:
		sc.expires = time.Unix(0, 0)
	case c.HasMaxAge:
		sc.expires = now.Add(min(time.Duration(c.MaxAge)*time.Second, cookie.MaxLifetime))
	case !c.Expires.IsZero():
		sc.expires = c.Expires
	}
	expired := !sc.expires.IsZero() && !sc.expires.After(now)
	for i, old := range j.cookies {
		if old.name == sc.name && old.domain == sc.domain && old.path == sc.path {
			if expired {
				j.cookies = append(j.cookies[:i], j.cookies[i+1:]...)
				return
			}
			sc.created = old.created
			j.cookies[i] = sc
			return
		}
	}
	if expired {
		return
	}
	j.seq++
	sc.created = j.seq
	j.cookies = append(j.cookies, sc)
}

// header is the Cookie header a browser sends on a credentialed fetch of u from a
// page with the given relation to u; "" when no cookie applies.
func (j *jar) header(u *url.URL, rel origin.Relation, now time.Time) string {
	host := hostOf(u)
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	var send []storedCookie
	for _, c := range j.cookies {
		if !c.expires.IsZero() && !c.expires.After(now) {
			continue
		}
		if c.hostOnly && host != c.domain || !c.hostOnly && !cookie.DomainMatch(host, c.domain) {
			continue
		}
		if !pathMatch(path, c.path) {
			continue
		}
		if c.secure && !secureScheme(u) && !isLoopback(host) {
			continue
		}
		// On a cross-site fetch only SameSite=None cookies go along.
		if rel == origin.CrossSite && c.sameSite != "None" {
			continue
		}
		send = append(send, c)
	}
	// Longer paths first, then older cookies first (RFC 6265bis, Retrieval Model).
	sort.SliceStable(send, func(a, b int) bool {
		if len(send[a].path) != len(send[b].path) {
			return len(send[a].path) > len(send[b].path)
		}
		return send[a].created < send[b].created
	})
	parts := make([]string, 0, len(send))
	for _, c := range send {
		if c.name == "" {
			parts = append(parts, c.value)
		} else {
			parts = append(parts, c.name+"="+c.value)
		}
	}
	return strings.Join(parts, "; ")
}

// defaultPath is the directory of the request path (RFC 6265bis, Paths and
// Path-Match).
func defaultPath(u *url.URL) string {
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		return "/"
	}
	i := strings.LastIndex(p, "/")
	if i == 0 {
		return "/"
	}
	return p[:i]
}

func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == cookiePath {
		return true
	}
	if !strings.HasPrefix(reqPath, cookiePath) {
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
}
