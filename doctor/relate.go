package doctor

import (
	"net/url"

	"github.com/sesame-go/sesame/origin"
)

// The prober works with URLs; package origin decides what an origin and a site
// are. These adapters are the only place the two meet.

// relate is origin.Relate for the origins of two URLs.
func relate(from, to *url.URL) (rel origin.Relation, schemeOnly bool) {
	return origin.Relate(origin.FromURL(from), origin.FromURL(to))
}

func sameOrigin(a, b *url.URL) bool { return origin.FromURL(a) == origin.FromURL(b) }

// originString serialises a URL's origin as the Origin header does.
func originString(u *url.URL) string { return origin.FromURL(u).String() }

// hostOf is the URL's host as origin.FromURL has it: lower case, no trailing dot
// or port, an IPv6 address in brackets.
func hostOf(u *url.URL) string { return origin.FromURL(u).Host }

// secureScheme reports whether a cookie set or sent on u counts as secure in every
// browser; isLoopback whether it counts in Chromium and Firefox (origin.IsLoopback).
func secureScheme(u *url.URL) bool { return u.Scheme == "https" || u.Scheme == "wss" }

func isLoopback(host string) bool { return origin.IsLoopback(host) }
