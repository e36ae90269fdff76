// Package cors lets the browser front ends of an API read its responses, and
// refuses, when it is built, every configuration that cannot work or is unsafe.
//
// New(Config) checks the whole policy at once and joins every problem, each a
// *problem.Problem naming its rule: "*" with credentials (SES003), "null" (SES024),
// origins not written as a browser sends them (SES015), http: front ends with
// credentials (SES025; loopback is exempt, W3C Secure Contexts §3.1), subdomain
// patterns over a public suffix such as "https://*.herokuapp.com" (SES026), exposing
// Set-Cookie (SES020), "*" headers or methods with credentials (SES034), a preflight
// max-age above the browsers' caps (SES027), and method or header names no script
// can use (SES039). The allowlist itself lives in package origin, so the CSRF stage
// trusts exactly the same front ends (CORS.Origins).
//
// At run time a preflight (OPTIONS with Origin and Access-Control-Request-Method,
// Fetch §4.8) is answered by the stage and never reaches the application: allowed,
// with the Access-Control-Allow-* headers the browser reads; refused, with a 403;
// both with a Vary naming Origin and the preflight's two request headers (a
// response to OPTIONS is not cacheable, RFC 9110 §9.3.7, but a CDN can be told to
// cache it). Every other request reaches the application, with CORS
// headers only when its origin is allowed, and always with Vary: Origin. Origins are matched by scheme, host and port, never by
// substring; a request Origin that is not in browser-serialised form (for example
// with upper case) is not matched, because no browser sends one. Allowed requests
// and preflights cost no allocation: response header values are prebuilt and shared,
// so a handler may replace or append to them but must not assign to their elements.
// Access-Control-Request-Headers is read with bounded work (at most 2048 bytes and
// 64 elements), the defence against comma floods such as CVE-2025-47908 in rs/cors.
//
// Private Network Access is deliberately not implemented: the stage neither reads
// Access-Control-Request-Private-Network nor sends Access-Control-Allow-Private-Network.
// Chromium, the only engine that sent those preflights, put PNA on hold and replaced
// it with the Local Network Access permission prompt, which needs no server opt-in
// ("New permission prompt for Local Network Access", Chrome for Developers blog,
// 9 June 2025: "Local Network Access replaces that effort, after PNA was put on
// hold"; shipped by default in Chrome 142, blink-dev "Intent to Ship: Local Network
// Access restrictions", September 2025). Firefox and Safari never sent them.
//
// Diagnostics at run time go to Config.Logger, once per cause, each with a "rule"
// attribute: an origin not on the list (SES035), a refused preflight (SES011), a
// handler or outer middleware that set Access-Control-Allow-Origin as well
// (SES013), a handler that dropped Vary: Origin (SES014). The last two are found by
// reading the response headers after the handler returns instead of wrapping the
// ResponseWriter, which would cost an allocation per request.
package cors
