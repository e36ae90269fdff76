// Package cookie signs, writes and reads HTTP cookies the way browsers actually
// accept them.
//
// A Keyring signs values with HMAC-SHA256 under its first key and verifies them
// under any of its keys, so keys rotate without signing anyone out. Its one
// signing API is Sign (AppendSigned without allocating) and Verify; give each
// kind of signed cookie a keyring of its own, so that a value signed for one
// cannot be replayed as another. NewKeyring refuses short keys and keys that
// repeat a pattern (SES030). A Cookie carries every
// attribute browsers honour (Priority and Partitioned included), and
// AppendSetCookie and Set write it only after checking what a browser would
// otherwise drop without a word: the cookie grammar, the __Secure-, __Host-,
// __Http- and __Host-Http- prefixes, the 4096/1024-byte limits, SameSite=None or
// Partitioned without Secure, a Domain that is a public suffix, an IP address or
// does not domain-match the request's host (DomainMatch). Each is an error holding
// *problem.Problem values with the rule id; a lifetime beyond the browsers' 400
// days (MaxLifetime) is capped and reported as a warning. Check and CheckAt apply
// the same rules without writing: they are the one copy of the browsers'
// acceptance rules, which sesame's doctor also judges other servers' cookies by.
// Get reads one cookie from a request without allocating.
package cookie
