package frameworks_test

import (
	"testing"

	"github.com/sesame-go/sesame/internal/adaptertest"
)

// The README's chi section is Example_chi's code, line for line.
func TestREADME(t *testing.T) {
	adaptertest.CheckREADME(t, "../../README.md", "### chi", "example_chi_test.go")
}
