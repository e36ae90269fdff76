package mongostore_test

import (
	"os/exec"
	"strings"
	"testing"
)

// FerretDB is for the tests only: a program that imports mongostore must not
// build it.
func TestFerretDBIsTestOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/sesame-go/sesame/stores/mongostore").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "FerretDB") {
			t.Errorf("go list -deps mongostore: got %s, want no FerretDB package outside the tests", pkg)
		}
	}
}
