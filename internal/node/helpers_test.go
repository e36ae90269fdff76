package node_test

import (
	"errors"
	"testing"

	"github.com/sesame-go/sesame/problem"
)

// load reads one vector file or stops the test with the loader's message,
// which names the make target that regenerates the files.
func load[T any](t testing.TB, f func() (*T, error)) *T {
	t.Helper()
	v, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func hasRule(err error, id problem.ID) bool {
	var p *problem.Problem
	if errors.As(err, &p) && p.Rule == id {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if hasRule(e, id) {
				return true
			}
		}
	}
	return false
}
