package doctor

import (
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// A Report is what one probe saw: every exchange, as a browser would have made it,
// and every finding.
type Report struct {
	Origin    string     `json:"origin"`
	URL       string     `json:"url"`
	Relation  string     `json:"relation"` // "same-origin", "same-site" or "cross-site"
	Exchanges []Exchange `json:"exchanges"`
	Findings  []Finding  `json:"findings"`
}

// An Exchange is one request the probe sent and the response it got.
type Exchange struct {
	Step     string      `json:"step"` // "login preflight", "login", "preflight", "request"
	Method   string      `json:"method"`
	URL      string      `json:"url"`
	Request  http.Header `json:"request_headers"`
	Status   int         `json:"status"`
	Response http.Header `json:"response_headers"`
	// Stored names the cookies the browser kept from this response.
	Stored []string `json:"stored_cookies"`
	// Blocked reports that a browser would stop here: the preflight failed, or
	// the response is hidden from JavaScript by CORS.
	Blocked bool `json:"blocked"`
	// Unsent reports that a browser would not have sent this request: the
	// preflight before it was refused. The probe sends it anyway, to see what
	// else would go wrong; what it finds is folded under the refusal.
	Unsent bool `json:"unsent,omitempty"`
	// Diagnosis marks a preflight the doctor sent on its own, one thing at a
	// time (the origin, the method, each header), to find why a CORS layer
	// refused the browser's preflight. Blocked is then false: a browser never
	// sends it.
	Diagnosis bool `json:"diagnosis,omitempty"`
	// Probe names what made the exchange: ProbeHTTP or ProbeBrowser. Empty
	// means ProbeHTTP (Probe leaves it empty).
	Probe string `json:"probe,omitempty"`
}

// The probes that produce a Report: the HTTP probe (Probe) behaves as a browser
// would; the browser probe (`sesame doctor --browser`) reports what Chromium did.
const (
	ProbeHTTP    = "http"
	ProbeBrowser = "browser"
)

// A Finding is one rule broken, with the exact header that shows it.
type Finding struct {
	Rule     problem.ID       `json:"rule"`
	Severity problem.Severity `json:"severity"`
	Step     string           `json:"step"`
	URL      string           `json:"url"`
	Evidence string           `json:"evidence"` // header lines as received, or a parenthesised absence
	Detail   string           `json:"detail"`   // what exactly is wrong here
	Fix      string           `json:"fix"`      // the specific fix; the rule's Fix applies when empty
	// Consequences are the findings that follow from this one and go away with
	// it: the login a refused preflight kept from being sent set no cookie, the
	// request after it was refused for the same reason. They are not counted by
	// Errors, Warnings or Rules.
	Consequences []Finding `json:"consequences,omitempty"`
	// Refusal marks the cause of a CORS layer's refusal of a preflight, as the
	// prober found it (Sesame-Cors-Error, or its own follow-up preflights):
	// SES035 for the origin, SES011 for the method or a header. A browser's own
	// account of the refusal (a preflight without Access-Control-Allow-Origin)
	// names only its symptom.
	Refusal bool `json:"refusal,omitempty"`
	// Probe names what found it: ProbeHTTP or ProbeBrowser. Empty means
	// ProbeHTTP (Probe leaves it empty).
	Probe string `json:"probe,omitempty"`
}

// Errors counts the findings of Error severity.
func (r *Report) Errors() int { return r.count(problem.Error) }

// Warnings counts the findings of Warning severity.
func (r *Report) Warnings() int { return r.count(problem.Warning) }

func (r *Report) count(s problem.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Rules lists the rule ids found, in order of first appearance, once each.
func (r *Report) Rules() []problem.ID {
	var ids []problem.ID
	seen := map[problem.ID]bool{}
	for _, f := range r.Findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			ids = append(ids, f.Rule)
		}
	}
	return ids
}
