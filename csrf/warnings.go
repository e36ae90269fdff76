package csrf

import "github.com/sesame-go/sesame/problem"

// Warnings returns the problems New found that do not stop the policy from
// working. New never logs them: whoever builds the CSRF does (the sesame Stack
// logs every stage's warnings once). A CSRF has none today; the method gives
// every stage the same shape.
func (c *CSRF) Warnings() []*problem.Problem { return nil }

// originsField names the field a refused front end belongs in.
func (c *CSRF) originsField() string {
	const own = "csrf.Config.TrustedOrigins"
	if _, renamed := c.fields[own]; renamed || c.ownList || len(c.trusted) == 0 {
		return c.fields.Name(own)
	}
	// Only an Allowlist built elsewhere, normally the CORS stage's.
	return "the list given as csrf.Config.Allowlist (cors.Config.Origins when it is the CORS stage's)"
}
