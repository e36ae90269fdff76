package doctor

import (
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// A Layer says where sesame can catch a rule: when a stage is constructed, per
// request in the running server, or from outside by `sesame doctor`.
type Layer uint8

// The layers. A rule's Layers is a bit set of them.
const (
	LayerConstruction Layer = 1 << iota // New(Config) refuses or warns
	LayerRequest                        // the running server reports it (logged once per cause)
	LayerProbe                          // `sesame doctor` sees it from outside, on any backend
)

// Has reports whether every layer in x is in l.
func (l Layer) Has(x Layer) bool { return l&x == x }

// String lists the layers in a fixed order, e.g. "construction, probe".
func (l Layer) String() string {
	var parts []string
	if l.Has(LayerConstruction) {
		parts = append(parts, "construction")
	}
	if l.Has(LayerRequest) {
		parts = append(parts, "request")
	}
	if l.Has(LayerProbe) {
		parts = append(parts, "probe")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// A Rule is one entry of the catalogue: a misconfiguration a developer meets, told
// as they meet it (Symptom: what DevTools or the console shows), why it happens
// (Cause), and what to change (Fix for sesame, Express for an Express backend).
type Rule struct {
	ID       problem.ID
	Title    string
	Severity problem.Severity // the usual severity; a single Problem may be milder (a warning for one browser family)
	Symptom  string
	Cause    string
	Fix      string // with sesame
	Express  string // with express, express-session and cors; empty when it does not apply
	Layers   Layer
	Refs     []string // specifications, MDN, OWASP and issue threads, as plain citations
}

// Anchor is the rule's anchor in docs/doctor.md, e.g. "ses003".
func (r Rule) Anchor() string { return strings.ToLower(string(r.ID)) }

// DocsURL is where the rules are explained at length (problem.DocsURL).
const DocsURL = problem.DocsURL

// URL is the link to the rule's section of the documentation (ID.URL).
func (r Rule) URL() string { return r.ID.URL() }

// Rules returns the catalogue in a stable order (by id). The slice is a copy: the
// caller may change it.
func Rules() []Rule {
	out := make([]Rule, len(catalogue))
	copy(out, catalogue)
	for i := range out {
		out[i].Refs = append([]string(nil), out[i].Refs...)
	}
	return out
}

// Lookup returns the rule with the given id.
func Lookup(id problem.ID) (Rule, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			r.Refs = append([]string(nil), r.Refs...)
			return r, true
		}
	}
	return Rule{}, false
}
