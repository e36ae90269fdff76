// Package sesame gives a Go API what an Express backend assembles from
// express-session, cookie-parser, cors, connect-redis and `trust proxy`, for
// browser front ends on another origin, from one description of the deployment.
//
// New takes a Config (the API's public origin, the front-end origins, the trusted
// proxies, the keys and the store) and derives what people otherwise guess:
// SameSite=Lax when every front end is same-site with the API (decided with the
// public suffix list, so herokuapp.com siblings are not mistaken for one site),
// SameSite=None; Secure; Partitioned when one is cross-site, the __Host- cookie
// prefix whenever the attributes allow it, and one origin allowlist for both CORS
// and CSRF. What cannot work is refused with the doctor rule that explains it;
// what works only in some browsers is a warning, logged once and kept in
// Stack.Warnings whichever stage found it. Config is the one configuration layer:
// every setting is in it once, and every message names its fields. Stack.Handler
// chains the stages proxy → CORS → (no-cookie watch) → CSRF → session, and
// Stack.Explain says the policy in sentences.
package sesame
