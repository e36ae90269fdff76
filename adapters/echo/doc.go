// Package echosesame runs a sesame Stack (or any one stage: a session.Manager, a
// cors.CORS) in an echo v4 server.
//
//	e := echo.New()
//	e.Pre(echosesame.Middleware(stack)) // Pre: before routing
//	e.POST("/api/login", func(c echo.Context) error {
//		s := echosesame.Session(c)
//		...
//	})
//
// Middleware is meant for e.Pre, which runs before echo's router: a preflight
// (OPTIONS) to a path echo has no route for, or has only other methods for, is
// answered by the CORS stage instead of echo's 404, 405 or its own OPTIONS
// answer, which carry no CORS headers.
//
// Handlers write through c.Response(), whose Writer Middleware points at
// sesame's writer for the rest of the chain, so the session is committed before
// the first byte and a change after it is logged (SES029). An error a handler
// returns is handed to echo's HTTPErrorHandler (c.Error) while sesame's writer
// is still in place, so error responses carry the session's cookie and CORS
// headers too. When the stack answers a request itself (a preflight, a refused
// cross-origin write, a 503 for a store that is down), the handler does not run.
//
// echo.Context is not a context.Context: reach the session with Session(c) or
// session.From(c.Request().Context()).
package echosesame
