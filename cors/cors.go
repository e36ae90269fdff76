package cors

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/sesame-go/sesame/internal/oncelog"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// CORS is the validated policy and its middleware. Build one with New; the zero
// value allows no origin. A CORS is immutable and safe for concurrent use.
type CORS struct {
	origins     *origin.List
	credentials bool
	anyMethod   bool
	anyHeader   bool
	debug       bool
	onRefuse    func(*http.Request, problem.ID) // nil: refusals are only logged

	methods      map[string]struct{} // allowed methods, safelisted ones included
	headers      map[string]struct{} // allowed request headers, lower-case
	headerList   []string            // the same, when there are few: see allowsHeader
	maxHeaderLen int

	// Prebuilt response header values, shared by every response (see one).
	acam []string
	acma []string // nil: omitted
	aceh []string // nil: omitted

	warnings []*problem.Problem
	log      oncelog.Log
	fields   problem.Fields
}

// New validates cfg and returns the policy, or nil and every problem found,
// joined (errors.Join of *problem.Problem; find them with errors.As). Warnings,
// which do not stop construction (a MaxAge above Chromium's cap), are returned
// by Warnings; New never logs them.
func New(cfg Config) (*CORS, error) {
	c := &CORS{credentials: cfg.Credentials, debug: cfg.Debug, fields: cfg.Fields, onRefuse: cfg.OnRefuse}
	c.log.Logger = cfg.Logger
	if c.log.Logger == nil {
		c.log.Logger = slog.Default()
	}
	var errs []error
	list, err := origin.ParseList(cfg.Origins, origin.Options{
		Credentials:                     cfg.Credentials,
		DangerouslyAllowInsecureOrigins: cfg.DangerouslyAllowInsecureOrigins,
	})
	if err != nil {
		errs = append(errs, err)
	}
	c.origins = list
	c.setMethods(cfg.Methods, &errs)
	c.setRequestHeaders(cfg.RequestHeaders, &errs)
	c.setExposeHeaders(cfg.ExposeHeaders, &errs)
	c.setMaxAge(cfg.MaxAge, &errs)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Origins returns the normalised allowlist, the one the CSRF stage must trust too
// (csrf.Config.Allowlist).
func (c *CORS) Origins() *origin.List { return c.origins }

// Credentials reports whether the policy grants credentialed access.
func (c *CORS) Credentials() bool { return c.credentials }

// Warnings returns the problems New found that do not stop the policy from
// working in every browser. New does not log them: whoever builds the CORS does
// (the sesame Stack logs every stage's warnings once).
func (c *CORS) Warnings() []*problem.Problem { return slices.Clone(c.warnings) }

// name returns what the user calls field, one of this package's Config fields.
func (c *CORS) name(field string) string { return c.fields.Name("cors.Config." + field) }
