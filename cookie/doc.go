// Package cookie signs, writes and reads HTTP cookies the way browsers actually
// accept them.
//
// A Keyring signs values with HMAC-SHA256 under its first key and verifies them
// under any of its keys, so keys rotate without signing anyone out; SignedValue
// and VerifySigned bind the tag to the cookie name as well. A Cookie carries every
// attribute browsers honour (Priority and Partitioned included), and
// AppendSetCookie and Set write it only after checking what a browser would
// otherwise drop without a word: the cookie grammar, the __Host- and __Secure-
// prefixes, the 4096/1024-byte limits, SameSite=None or Partitioned without
// Secure, a Domain that is a public suffix, an IP address or not the request's.
// Each is an error holding *doctor.Problem values with the rule id; a lifetime
// beyond the browsers' 400 days is capped and reported as a warning. Get reads one
// cookie from a request without allocating.
package cookie
