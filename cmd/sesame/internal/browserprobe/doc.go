// Package browserprobe is `sesame doctor --browser`: it runs the doctor's probe
// sequence (a preflight when one is needed, an optional login, the credentialed
// request) from inside a real Chromium page whose origin is the front end's, and
// turns what Chromium reports over its DevTools protocol into the doctor's rules.
//
// The front end's page is served by the DevTools protocol's request interception
// (Fetch.enable and Fetch.fulfillRequest), so no front-end server is needed. The
// evidence is the browser's own: the reasons it gives for refusing a Set-Cookie
// (Network.responseReceivedExtraInfo blockedCookies), for not sending a cookie
// (Network.requestWillBeSentExtraInfo associatedCookies), the CORS error it
// raised (Network.loadingFailed corsErrorStatus) and its console message. With a
// page URL it opens the real front end instead, lets it run, and reports every
// request to the API that went out without the session cookie the browser holds
// (SES009).
//
// Every run uses a fresh profile, as a user's default profile is: third-party
// cookies blocked unless Config.ThirdPartyCookies is set. Chromium runs in its
// own process group, which is killed when the run ends, so no process is left
// behind.
package browserprobe
