package sesame_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers holds the import direction problem ← origin ← cookie ← stages ←
// sesame ← doctor ← cmd: no library package depends on doctor (its catalogue
// prose, docs generator and prober stay out of every binary that serves
// requests), and the leaves import nothing of sesame's above them.
func TestLayers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	const mod = "github.com/sesame-go/sesame"
	list := func(t *testing.T, args ...string) []string {
		t.Helper()
		out, err := exec.Command(goTool, append([]string{"list"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.Fields(string(out))
	}

	// What each package may depend on among sesame's own: nothing above it.
	allowed := map[string][]string{
		"problem": {},
		"origin":  {"problem"},
		"cookie":  {"problem", "origin"},
		"proxy":   {"problem", "origin", "cookie"},
		"cors":    {"problem", "origin", "cookie"},
		"csrf":    {"problem", "origin", "cookie"},
		"session": {"problem", "origin", "cookie"},
		"":        {"problem", "origin", "cookie", "proxy", "cors", "csrf", "session"},
		// The doctor is built on the model, not on the stages or the Stack.
		"doctor": {"problem", "origin", "cookie"},
	}
	for pkg, ok := range allowed {
		path := mod
		if pkg != "" {
			path += "/" + pkg
		}
		t.Run(path, func(t *testing.T) {
			for _, dep := range list(t, "-deps", path) {
				rel, found := strings.CutPrefix(dep, mod+"/")
				if !found || dep == path || strings.HasPrefix(rel, "internal/") {
					continue
				}
				top, _, _ := strings.Cut(rel, "/")
				if top == "doctor" {
					t.Errorf("%s depends on %s: the library must not import doctor", path, dep)
					continue
				}
				if !contains(ok, top) && !strings.HasPrefix(rel, pkg+"/") {
					t.Errorf("%s depends on %s, above it in the layers", path, dep)
				}
			}
		})
	}

	// Only doctor's own packages and the command import doctor (tests are not
	// listed here; the workspace lists the command's module too).
	for _, line := range strings.Split(strings.Join(list(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}}", mod+"/..."), "\n"), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		if strings.HasPrefix(pkg, mod+"/doctor") || strings.HasPrefix(pkg, mod+"/cmd/") {
			continue
		}
		for _, imp := range strings.Split(imports, ",") {
			if imp == mod+"/doctor" || strings.HasPrefix(imp, mod+"/doctor/") {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
