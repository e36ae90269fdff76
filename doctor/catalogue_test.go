package doctor_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// declaredIDs reads every `X ID = "SES…"` constant from the package's sources, so
// a rule added to problem.go without a catalogue entry fails this test.
func declaredIDs(t *testing.T) []problem.ID {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir("../problem")
	if err != nil {
		t.Fatal(err)
	}
	var ids []problem.ID
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, "../problem/"+e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "ID" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					ids = append(ids, problem.ID(s))
				}
			}
			return true
		})
	}
	slices.Sort(ids)
	return ids
}

func TestCatalogueCoversEveryID(t *testing.T) {
	declared := declaredIDs(t)
	if len(declared) < 35 {
		t.Fatalf("declared ids: got %d, want at least 35", len(declared))
	}
	var listed []problem.ID
	for _, r := range doctor.Rules() {
		listed = append(listed, r.ID)
	}
	if !slices.Equal(listed, declared) {
		t.Errorf("catalogue ids: got %v, want %v (every declared id, in order, once)", listed, declared)
	}
}

func TestRulesAreComplete(t *testing.T) {
	for _, r := range doctor.Rules() {
		t.Run(string(r.ID), func(t *testing.T) {
			for name, v := range map[string]string{"Title": r.Title, "Symptom": r.Symptom, "Cause": r.Cause, "Fix": r.Fix} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: got empty, want text", name)
				}
			}
			if r.Layers == 0 {
				t.Errorf("Layers: got none, want at least one")
			}
			if len(r.Refs) == 0 {
				t.Errorf("Refs: got none, want at least one citation")
			}
			if got, want := r.URL(), doctor.DocsURL+"#"+strings.ToLower(string(r.ID)); got != want {
				t.Errorf("URL: got %q, want %q", got, want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		id    problem.ID
		found bool
		title string
	}{
		{problem.WildcardCredentials, true, `Access-Control-Allow-Origin "*" on a credentialed request`},
		{problem.NoCookieSet, true, "The login sets no cookie at all"},
		{"SES999", false, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			r, ok := doctor.Lookup(tt.id)
			if ok != tt.found || r.Title != tt.title {
				t.Errorf("Lookup(%s): got (%q, %v), want (%q, %v)", tt.id, r.Title, ok, tt.title, tt.found)
			}
		})
	}
}

func TestRulesReturnsACopy(t *testing.T) {
	a := doctor.Rules()
	a[0].Title = "changed"
	a[0].Refs[0] = "changed"
	b := doctor.Rules()
	if b[0].Title == "changed" || b[0].Refs[0] == "changed" {
		t.Errorf("Rules: got a shared slice, want a copy the caller may change")
	}
}

func TestLayerString(t *testing.T) {
	tests := []struct {
		l    doctor.Layer
		want string
	}{
		{0, "none"},
		{doctor.LayerProbe, "probe"},
		{doctor.LayerConstruction | doctor.LayerRequest | doctor.LayerProbe, "construction, request, probe"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("Layer(%d).String(): got %q, want %q", tt.l, got, tt.want)
		}
	}
}
