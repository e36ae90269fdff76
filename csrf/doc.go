// Package csrf refuses state-changing requests that a browser sends on behalf of a
// page from another origin, the Cross-Site Request Forgery a session cookie would
// otherwise make possible (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata").
//
// It is built on net/http.CrossOriginProtection, which reads Sec-Fetch-Site (sent by
// every browser since 2023) and falls back to comparing Origin with Host. On top of
// it, the API's own front ends are trusted through the same allowlist as CORS
// (origin.List: exact origins, "https://*.example.com" subdomain patterns and
// "http://localhost:*"), checked before delegating, since CrossOriginProtection
// only knows exact origins. Trusted front ends must be listed even when they are
// same-site with the API: a front end at http://localhost:5173 calling an API at
// http://localhost:8080, or app.example.com calling api.example.com, sends
// Sec-Fetch-Site: same-site, which is cross-origin and refused unless trusted.
//
// GET, HEAD and OPTIONS always pass (they must not change state), and so does a
// request with neither Origin nor Sec-Fetch-Site: it does not come from a browser,
// so it carries no ambient cookie a forger could use. A refusal is a 403 with an
// RFC 9457 application/problem+json body that names the rule: SES017 when the
// origin looks like one of the deployment's own front ends that is missing from the
// list (same site as the API), SES032 when that origin is a plain-http page of the
// API's own site, SES035 for any other cross-origin request.
package csrf
