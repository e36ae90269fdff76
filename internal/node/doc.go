// Package node reproduces, byte for byte, the Node.js packages an Express
// application uses for its cookies, so that sesame can share users with one:
//
//   - cookie-signature's sign and unsign (Secrets), with Express's own secret
//     strings as HMAC-SHA256 keys;
//   - cookie-parser over the Node cookie package (ParseCookies): req.cookies and
//     req.signedCookies, with their "s:" and "j:" values;
//   - JavaScript's encodeURIComponent and decodeURIComponent, and the cookie
//     package's decode-only-when-'%' rule (DecodeCookieValue).
//
// It is an emulation of another ecosystem, so it lives next to its only user,
// compat/express, and is checked against vectors the real packages produced
// (compat/express/testdata/vectors). sesame's own cookies use package cookie.
package node
