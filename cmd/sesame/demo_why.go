package main

import "github.com/sesame-go/sesame/session"

// explainMissing says, for people, why a request has no session (development
// mode only: it tells a caller whether its cookie was forged or expired).
func explainMissing(why session.Reason) string {
	switch why {
	case session.NoCookie:
		return "The request carried no session cookie. A front end on another origin must ask the browser to send it: fetch(url, {credentials: 'include'}) or axios withCredentials: true (rule SES009). If the sign-in answered 200 and this still happens, the browser refused to store the cookie: the Set-Cookie issues in the network panel say why."
	case session.BadSignature:
		return "The session cookie's signature matches none of the signing keys: the key changed without rotation, or the cookie was forged (rule SES021)."
	case session.Malformed:
		return "A cookie with the session cookie's name was sent that this server did not write."
	case session.Unknown:
		return "The session cookie is valid but the store does not know the session: it ended (sign-out, timeout) or the store lost it (rule SES022)."
	case session.StoreFailed:
		return "The session store could not be asked (rule SES031)."
	default:
		return "The request has no session."
	}
}
