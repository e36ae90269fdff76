package session

// Explain says in plain words, for a developer looking at a 401 or the
// Sesame-Why header (which carries only Reason.String's code, e.g. "no-cookie"),
// why a request has or has no session, and what to look at. Every application
// can show it in development; do not send it to browsers in production: it
// tells a caller whether its cookie was forged or expired.
func (r Reason) Explain() string {
	switch r {
	case NotLoaded:
		return "The handler did not use the session, so it was not looked up."
	case Found:
		return "The session cookie named a live session."
	case NoCookie:
		return "The request carried no session cookie. A front end on another origin must ask the browser to send it: fetch(url, {credentials: 'include'}) or axios withCredentials: true (rule SES009). If the sign-in answered 200 and this still happens, the browser refused to store the cookie: the Set-Cookie issues in the network panel say why."
	case Malformed:
		return "A cookie with the session cookie's name was sent that this server did not write: another application on the same site uses the name, or the value was changed."
	case BadSignature:
		return "The session cookie's signature matches none of the signing keys: the key changed without rotation (keep the old key after the new one), or the cookie was forged (rule SES021)."
	case Unknown:
		return "The session cookie is valid but the store does not know the session: it ended (sign-out, timeout) or the store lost it (rule SES022)."
	case StoreFailed:
		return "The session store could not be asked, so whether the request has a session is unknown (rule SES031)."
	default:
		return "The request has no session."
	}
}
