package origin

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sesame-go/sesame/problem"
)

// Options are the deployment facts that decide which entries are acceptable.
type Options struct {
	// Credentials says the allowlist grants credentialed access (cookies). With
	// it, "*" is refused (SES003: browsers ignore Access-Control-Allow-Origin: *
	// on credentialed requests, Fetch §3.2.5) and so are http: origins
	// (SES025) unless they are loopback or DangerouslyAllowInsecureOrigins is set.
	Credentials bool
	// DangerouslyAllowInsecureOrigins accepts http: origins other than loopback
	// with credentials. Any on-path attacker can run script as such an origin
	// and so act as the user. Default false.
	DangerouslyAllowInsecureOrigins bool
}

// A List is a validated origin allowlist. The zero List and a nil *List allow
// nothing. A List is immutable and safe for concurrent use.
type List struct {
	any      bool
	exact    map[string]struct{}
	patterns []Pattern // non-exact entries, in configuration order
	all      []Pattern // every entry but "*", deduplicated, in configuration order
}

// ParseList validates every entry and returns the allowlist, or nil and every
// problem found, joined (errors.Join of *problem.Problem).
func ParseList(entries []string, opt Options) (*List, error) {
	l := &List{exact: make(map[string]struct{}, len(entries))}
	var errs []error
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e == "*" {
			if opt.Credentials {
				errs = append(errs, problem.NewError(problem.WildcardCredentials,
					`origin "*" with credentials: browsers refuse Access-Control-Allow-Origin: * on credentialed requests (Fetch §3.2.5), so no front end would get a response`,
					"list the front-end origins, e.g. \"https://app.example.com\""))
			}
			l.any = true
			continue
		}
		p, probs := ParsePattern(e)
		for _, pb := range probs {
			errs = append(errs, pb)
		}
		if len(probs) > 0 {
			continue
		}
		if opt.Credentials && !opt.DangerouslyAllowInsecureOrigins && !p.Secure() {
			errs = append(errs, problem.NewError(problem.InsecureOrigin,
				fmt.Sprintf("origin %q is plain http with credentials: anyone on the network path can run script as it and act as the user", e),
				"serve the front end over https (http://localhost is allowed for development), or set DangerouslyAllowInsecureOrigins"))
			continue
		}
		key := p.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		l.all = append(l.all, p)
		if p.Exact() {
			l.exact[key] = struct{}{}
		} else {
			l.patterns = append(l.patterns, p)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return l, nil
}

// Allows reports whether origin, an Origin request header value, is on the list.
// Exact entries are a map lookup of the whole value; patterns compare the parts
// Split returns. It does not allocate.
func (l *List) Allows(origin string) bool {
	if l == nil {
		return false
	}
	if l.any {
		return true
	}
	if _, ok := l.exact[origin]; ok {
		return true
	}
	if len(l.patterns) == 0 {
		return false
	}
	scheme, host, port, ok := Split(origin)
	if !ok {
		return false
	}
	for i := range l.patterns {
		if l.patterns[i].Match(scheme, host, port) {
			return true
		}
	}
	return false
}

// Any reports whether the list holds "*", which allows every origin.
func (l *List) Any() bool { return l != nil && l.any }

// Patterns returns a copy of the entries other than "*", normalised and
// deduplicated, in configuration order.
func (l *List) Patterns() []Pattern {
	if l == nil {
		return nil
	}
	return slices.Clone(l.all)
}

// Strings returns the entries in their normalised written form, "*" last.
func (l *List) Strings() []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l.all)+1)
	for _, p := range l.all {
		out = append(out, p.String())
	}
	if l.any {
		out = append(out, "*")
	}
	return out
}
