package ginsesame_test

import (
	"testing"

	"github.com/sesame-go/sesame/internal/adaptertest"
)

// The README's section is the Example's code, line for line.
func TestREADME(t *testing.T) {
	adaptertest.CheckREADME(t, "../../README.md", "### gin", "example_test.go")
}
