// Package origin parses, validates and matches web origins for sesame's CORS and
// CSRF stages, so that both use one allowlist built once.
//
// An allowlist entry is an exact origin ("https://app.example.com"), a subdomain
// pattern ("https://*.example.com": any depth of subdomain, never the apex), an
// any-port pattern ("http://localhost:*", for development servers), or "*" (every
// origin; refused with credentials). Entries must be written in the form a browser
// serialises an origin (HTML Standard, "serialization of an origin"; RFC 6454 §6.2):
// lower-case scheme and host, IDNs in punycode, no trailing dot, no default port, no
// userinfo, path, query or fragment. ParseList reports every entry that is not, with
// the form to use instead, as *doctor.Problem values (rules SES003, SES015, SES024,
// SES025, SES026).
//
// Matching never uses substrings or regular expressions: a request's Origin is split
// into scheme, host and port, and a pattern compares them component by component,
// the host label by label from the right. A request Origin that is not in the
// serialised form is never matched: browsers always send that form, so anything
// else (upper case, a trailing dot, a default port, raw Unicode) did not come from a
// browser's fetch and gains nothing from a CORS or CSRF allowance. List.Allows does
// not allocate.
package origin
