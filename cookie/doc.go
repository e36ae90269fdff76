// Package cookie signs, writes and reads HTTP cookies the way browsers actually
// accept them.
//
// A Keyring signs values with HMAC-SHA256 under its first key and verifies them
// under any of its keys, so keys rotate without signing anyone out. The rest of the
// package writes Set-Cookie lines with every attribute browsers honour, enforces
// the cookie prefixes and size limits of RFC 6265bis at the moment a cookie is set
// (an error, not a cookie the browser silently drops), and reads and writes the
// "s:" (signed) and "j:" (JSON) values that Express's cookie-parser uses.
package cookie
