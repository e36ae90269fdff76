package cors_test

import (
	"errors"
	"sort"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// problems lists the rules of the *problem.Problem values joined in err, sorted.
func problems(err error) string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var p *problem.Problem
		if errors.As(e, &p) {
			out = append(out, string(p.Rule))
		}
	}
	if err != nil {
		walk(err)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
