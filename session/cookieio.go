package session

import (
	"net/http"
	"strings"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// readCookie finds the session cookie without allocating (the first of several
// with that name: RFC 6265bis §5.8.3 sends the most specific path first). A
// DQUOTE-wrapped value (RFC 6265bis §4.1.1 allows it) is unwrapped.
func readCookie(r *http.Request, name string) (string, bool) {
	v, ok := cookie.Get(r, name)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return v, ok
}

// requestIsHTTPS and requestHost are the defaults of Config.IsHTTPS and
// Config.Host: what this server's own connection says.
func requestIsHTTPS(r *http.Request) bool { return r.TLS != nil }
func requestHost(r *http.Request) string  { return r.Host }

// sessionCookie describes the session cookie for this request.
func (m *Manager) sessionCookie(st *state) cookie.Cookie {
	ck := &m.cfg.Cookie
	secure := m.secure(st)
	return cookie.Cookie{
		Name:        ck.Name,
		Domain:      ck.Domain,
		Path:        ck.Path,
		Secure:      secure,
		HttpOnly:    !ck.DisableHTTPOnly,
		SameSite:    ck.SameSite,
		Partitioned: ck.Partitioned && secure,
		Priority:    ck.Priority,
	}
}

// setCookie writes the session cookie: the ID, ".", and its HMAC tag.
func (m *Manager) setCookie(st *state, h http.Header, s *Session) {
	c := m.sessionCookie(st)
	c.Value = string(m.cfg.Format.AppendValue(make([]byte, 0, len(s.id)+1+cookie.TagLen), s.id))
	if !m.cfg.Cookie.BrowserSession {
		c.Expires = s.meta.Expires() // capped at 400 days by the writer (RFC 6265bis §5.6.1)
	}
	m.addSetCookie(st, h, &c)
}

// clearCookie expires the session cookie with exactly the Name, Domain and Path it
// was set with; a clearing cookie with other attributes clears nothing
// (express-session #241).
func (m *Manager) clearCookie(st *state, h http.Header) {
	c := m.sessionCookie(st)
	c = c.Cleared()
	m.addSetCookie(st, h, &c)
}

func (m *Manager) addSetCookie(st *state, h http.Header, c *cookie.Cookie) {
	// The host the browser asked for: behind a proxy, what it forwarded.
	host := m.cfg.Host(st.r)
	line, warnings, err := cookie.AppendSetCookie(make([]byte, 0, 256), c, host)
	for _, w := range warnings {
		m.cfg.Logger.Warn("sesame: "+w.Error(), "rule", string(w.Rule))
	}
	if err != nil {
		// The configuration was checked by New; what is left is the request's
		// own host (a Domain this host cannot set). Say so instead of sending
		// a cookie the browser drops.
		m.cfg.Logger.Error("sesame: the session cookie cannot be set on this request", "err", err, "host", host)
		return
	}
	h["Set-Cookie"] = append(h["Set-Cookie"], string(line))
}

func (m *Manager) secure(st *state) bool {
	ck := &m.cfg.Cookie
	https := m.cfg.IsHTTPS(st.r)
	switch ck.Secure {
	case SecureAlways:
		if !https && !origin.IsLoopback(st.r.Host) && forwardedHTTPS(st.r) {
			// A TLS-terminating proxy in front said https and was not believed.
			// The browser spoke https to it and keeps the Secure cookie: SES001
			// would be a false alarm. What is true is that the proxy is not
			// trusted (SES002), so the app sees its address and plain http.
			m.warnOnce(ruleSecureUntrustedProxy, problem.ProxyNotTrusted,
				"a request came over plain http with a forwarded scheme of https (X-Forwarded-Proto or Forwarded) from a peer that is not trusted, so the forwarded scheme, host and client address are ignored; the session cookie is Secure regardless (set by "+m.cfg.Fields.Name("session.Config.Cookie.Secure")+"), and the browser, which spoke https to the proxy, keeps it",
				"if that peer is your TLS-terminating proxy, configure "+m.cfg.Fields.Name("session.Config.IsHTTPS")+" so that it is trusted: the app then sees https and the client's own address")
		} else if !https && !origin.IsLoopback(st.r.Host) {
			m.warnOnce(ruleSecureOverHTTP, problem.SecureOverHTTP,
				"a Secure session cookie is set on a request that is not HTTPS: browsers drop it",
				"serve over HTTPS; behind a TLS-terminating proxy, configure "+m.cfg.Fields.Name("session.Config.IsHTTPS")+" so that the forwarded scheme (X-Forwarded-Proto, Forwarded) is believed")
		}
		return true
	case SecureNever:
		return false
	}
	if !https && (ck.SameSite == cookie.SameSiteNone || ck.Partitioned) {
		m.warnOnce(ruleNoneInsecure, problem.NoneWithoutSecure,
			"a SameSite=None or Partitioned session cookie is set on a request that is not HTTPS, so it goes without Secure and browsers reject it",
			"serve over HTTPS; behind a TLS-terminating proxy, configure "+m.cfg.Fields.Name("session.Config.IsHTTPS")+" so that the forwarded scheme (X-Forwarded-Proto, Forwarded) is believed")
	}
	return https
}

// forwardedHTTPS reports whether a forwarding header claims that the client used
// https (X-Forwarded-Proto: https, Forwarded: proto=https). It only chooses which
// diagnosis is true; whether the header is believed is Config.IsHTTPS's business.
func forwardedHTTPS(r *http.Request) bool {
	for _, line := range r.Header["X-Forwarded-Proto"] {
		for v := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.TrimSpace(v), "https") {
				return true
			}
		}
	}
	for _, line := range r.Header["Forwarded"] {
		for pair := range strings.FieldsFuncSeq(line, func(c rune) bool { return c == ',' || c == ';' }) {
			k, v, _ := strings.Cut(strings.TrimSpace(pair), "=")
			if strings.EqualFold(k, "proto") && strings.EqualFold(strings.Trim(v, `"`), "https") {
				return true
			}
		}
	}
	return false
}
