package doctor

// Rule ids added with the probe. They follow the numbering of problem.go and belong
// there; they live here until the owner of problem.go moves them.
const (
	// NoCookieSet: a login answered without any Set-Cookie, so there is nothing
	// for the browser to keep. Seen from outside only (by the probe).
	NoCookieSet ID = "SES036"
)
