// Package origin is the one place in sesame that knows what an origin and a site
// are. Everything that decides by them — the CORS and CSRF allowlist, the session
// cookie's SameSite and Secure policy, the doctor's prober — asks this package.
//
// An Origin is a tuple origin (scheme, host, port); FromURL takes one from a URL.
// A Site is a schemeful site (HTML Standard; RFC 6265bis §5.2): the scheme and the
// registrable domain by the public suffix list, ICANN and private sections alike,
// so two apps on herokuapp.com are two sites. Relate says whether two origins are
// same-origin, same-site or cross-site, schemefully. IsLoopback is the one
// definition of a loopback host (localhost and *.localhost per RFC 6761, 127.0.0.0/8,
// ::1: the Fetch standard's potentially trustworthy hosts, where http: pages are a
// secure context); IsLocalhost the names alone. IsPublicSuffix and PublicSuffix are
// the public-suffix helpers.
//
// A List is an allowlist. An entry is an exact origin ("https://app.example.com"), a
// subdomain pattern ("https://*.example.com": any depth of subdomain, never the
// apex), an any-port pattern ("http://localhost:*", for development servers), or "*"
// (every origin; refused with credentials). Entries must be written in the form a
// browser serialises an origin (HTML Standard, "serialization of an origin"; RFC 6454
// §6.2): lower-case scheme and host, IDNs in punycode, no trailing dot, no default
// port, no userinfo, path, query or fragment. ParseList reports every entry that is
// not, with the form to use instead, as *problem.Problem values (rules SES003,
// SES015, SES024, SES025, SES026). A subdomain pattern is refused (SES026) when its
// parent is a public suffix ("https://*.herokuapp.com") or when every child of its
// parent is one, by a wildcard rule of the list ("https://*.kawasaki.jp",
// "https://*.r.appspot.com"): either way it would allow sites anyone can register.
//
// Matching never uses substrings or regular expressions: a request's Origin is split
// into scheme, host and port, and a pattern compares them component by component,
// the host label by label from the right. A request Origin that is not in the
// serialised form is never matched: browsers always send that form, so anything
// else (upper case, a default port, raw Unicode) did not come from a browser's
// fetch and gains nothing from a CORS or CSRF allowance. A host ending in a dot is
// the one exception browsers do send (the URL Standard keeps the dot:
// "https://app.example.com." is the origin of a page at https://app.example.com./),
// but it is a different origin from the dotless one, so it matches only an entry
// that has the dot, and entries are refused with one (SES015). List.Allows does
// not allocate.
package origin
