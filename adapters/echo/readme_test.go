package echosesame_test

import (
	"testing"

	"github.com/sesame-go/sesame/internal/adaptertest"
)

// The README's section is the Example's code, line for line.
func TestREADME(t *testing.T) {
	adaptertest.CheckREADME(t, "../../README.md", "### echo", "example_test.go")
}
