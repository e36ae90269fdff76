package sesame

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/proxy"
	"github.com/sesame-go/sesame/session"
)

// TestEveryStageFieldNameIsRenamed walks the sources of the stages the Stack
// composes and finds every configuration field a message of theirs can name
// (the names they pass to problem.Fields: "proxy.Config.Hops", cors's
// name("Methods")). Each must be a field of that stage's Config, and the Stack's
// table (fields) must rename it to sesame.Config's, unless the Stack can never
// produce that message (listed below, with the reason). A message text with a
// stage's field written into it, not passed through Fields, fails too. This is
// what makes "every fix text names a field of the API called" hold for every
// rule, not only for the ones the example-driven walks trigger (issue 14,
// defect 3).
func TestEveryStageFieldNameIsRenamed(t *testing.T) {
	configs := map[string]reflect.Type{
		"proxy": reflect.TypeFor[proxy.Config](), "cors": reflect.TypeFor[cors.Config](),
		"csrf": reflect.TypeFor[csrf.Config](), "session": reflect.TypeFor[session.Config](),
	}
	unreachable := map[string]string{
		"session.Config.Cookie.SameSite": "the Stack always sets SameSite from its policy (policy.go)",
	}
	// Texts that name a stage field on purpose: the prefix cors's name() adds,
	// and csrf's account of an Allowlist built elsewhere, which the Stack (whose
	// TrustedOrigins is renamed) never reaches.
	allowedText := map[string]bool{
		"cors.Config.": true,
		"the list given as csrf.Config.Allowlist (cors.Config.Origins when it is the CORS stage's)": true,
	}
	whole := regexp.MustCompile(`^(proxy|cors|csrf|session)\.Config\.([A-Z][A-Za-z.]*)$`)
	anywhere := regexp.MustCompile(`\b(proxy|cors|csrf|session)\.Config\.`)
	found := map[string]string{} // name → where
	for pkg := range configs {
		files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					// cors names its fields by their bare name: c.name("Methods").
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && pkg == "cors" && sel.Sel.Name == "name" && len(n.Args) == 1 {
						if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							found["cors.Config."+s] = fset.Position(lit.Pos()).String()
						}
					}
				case *ast.BasicLit:
					if n.Kind != token.STRING {
						return true
					}
					s, err := strconv.Unquote(n.Value)
					if err != nil {
						return true
					}
					switch {
					case whole.MatchString(s):
						found[s] = fset.Position(n.Pos()).String()
					case anywhere.MatchString(s) && !allowedText[s]:
						t.Errorf("%s: %q writes a stage's field into a message; pass the name through problem.Fields so the Stack can rename it", fset.Position(n.Pos()), s)
					}
				}
				return true
			})
		}
	}
	if len(found) < 10 {
		t.Fatalf("found %d field names in the stages' sources, want the dozen or more they use: %v", len(found), found)
	}
	for name, where := range found {
		m := whole.FindStringSubmatch(name)
		typ := configs[m[1]]
		for part := range strings.SplitSeq(m[2], ".") {
			f, ok := typ.FieldByName(part)
			if !ok {
				t.Errorf("%s: %s is not a field of %s.Config", where, name, m[1])
				break
			}
			typ = f.Type
		}
		to, renamed := fields[name]
		switch {
		case renamed:
			if _, ok := reflect.TypeFor[Config]().FieldByName(strings.TrimPrefix(to, "sesame.Config.")); !ok || !strings.HasPrefix(to, "sesame.Config.") {
				t.Errorf("fields renames %s to %s, which is not a field of sesame.Config", name, to)
			}
		case unreachable[name] == "":
			t.Errorf("%s: messages can name %s, which the Stack's fields table does not rename: a message from sesame.New would name a field sesame.Config does not have", where, name)
		}
	}
}
