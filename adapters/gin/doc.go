// Package ginsesame runs a sesame Stack (or any one stage: a session.Manager, a
// cors.CORS) in a gin engine.
//
//	r := gin.New()
//	r.Use(ginsesame.Middleware(stack)) // on the engine, not on a group
//	r.POST("/api/login", func(c *gin.Context) {
//		s := ginsesame.Session(c)
//		...
//	})
//
// Three things a plain net/http adapter gets wrong in gin, and this one does not:
//
//   - gin writes through c.Writer, not through the http.ResponseWriter a net/http
//     middleware hands on. An adapter that swaps only c.Request loses the
//     session's Set-Cookie (login answers 200 with no cookie) and the SES029 log
//     of a change made after the response started. Middleware points c.Writer at
//     sesame's writer for the rest of the chain, keeping gin's semantics
//     (c.Status records the status; the first write sends it).
//   - session.From(c) on a *gin.Context finds nothing when the engine leaves
//     ContextWithFallback false (the default): gin's Context.Value does not look
//     into the request's context. Middleware also stores the session under
//     session.FrameworkKey with c.Set, which From consults, so session.From(c),
//     session.From(c.Request.Context()) and Session(c) all work.
//   - A preflight (OPTIONS) to a path gin has no route for must still be answered
//     by the CORS stage. gin runs engine-wide middleware for unknown routes (its
//     NoRoute chain) and for known paths with another method (NoMethod, when
//     HandleMethodNotAllowed is set), so Middleware installed with engine.Use
//     sees them. Installed on a group (r.Group("/api").Use), it does not.
//
// When the stack answers a request itself (a preflight, a refused cross-origin
// write, a 503 for a store that is down), the rest of gin's chain does not run:
// Middleware calls c.Abort.
package ginsesame
