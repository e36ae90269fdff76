package sesame_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A docs region is Go source between "// docs: FILE NAME begins" and
// "// docs: FILE NAME ends" lines (or, for README.md, "// README begins" and
// "// README ends", the adapters' form), in a file a package of this repository
// compiles: the code of one ```go block of FILE (a Markdown file, relative to the
// repository root), with the region's common indentation removed.
var docsMarker = regexp.MustCompile(`^\s*// docs: (\S+\.md) (.+) (begins|ends)$`)

// readmeMarker is the adapters' form, "// README begins" and "// README ends"
// (internal/adaptertest.CheckREADME): a region of README.md named by its file.
var readmeMarker = regexp.MustCompile(`^\s*// README (begins|ends)$`)

type docsRegion struct {
	doc, name  string // the Markdown file and the block's name
	src        string // the Go file, relative to the repository root
	start, end int    // the region's first and last line in src (1-based)
	code       string
}

// TestDocsCodeBlocks: every ```go block of every Markdown file in the repository
// (README.md, docs/*.md, the modules' READMEs) is a region of a Go file that is
// compiled (an Example, a test file, a package), line for line, so it compiles
// and vets with its package; and that region checks every error: no call whose
// error result is dropped or assigned to _, and every err assigned is tested by
// the statement after it (issue 14, defect 6: the README's quick start threw the
// store's error away and hid a nil-pointer panic). Blocks drift from their
// sources or not at all: the test fails on a block without a region, a region
// without a block, and a difference between the two.
func TestDocsCodeBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the docs' sources with go list -export")
	}
	regions := findDocsRegions(t)
	blocks := map[string][]string{} // Markdown file → its go blocks
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if bs := goBlocks(string(b)); len(bs) > 0 {
				blocks[filepath.ToSlash(path)] = bs
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	used := map[*docsRegion]bool{}
	for doc, bs := range blocks {
		for i, b := range bs {
			var match *docsRegion
			for _, r := range regions {
				if r.doc == doc && r.code == b {
					match = r
				}
			}
			if match == nil {
				t.Errorf("%s, go block %d: no compiled source has it; put it between `// docs: %s NAME begins` and `// docs: %s NAME ends` in a test file or Example that compiles, and paste the region here:\n%s", doc, i+1, doc, doc, b)
				for _, r := range regions {
					if r.doc == doc && !slices.Contains(bs, r.code) {
						t.Errorf("%s, %q (%s:%d) differs from the block; the region is:\n%s", doc, r.name, r.src, r.start, r.code)
					}
				}
				continue
			}
			used[match] = true
		}
	}
	for _, r := range regions {
		if !used[r] && !slices.Contains(blocks[r.doc], r.code) {
			t.Errorf("%s:%d: region %s %q is in no go block of %s", r.src, r.start, r.doc, r.name, r.doc)
		}
	}
	for _, r := range regions {
		checkErrorsHandled(t, r)
	}
}

// goBlocks returns the bodies of the ```go fences of a Markdown text.
func goBlocks(md string) []string {
	var out []string
	var cur []string
	in, indent := false, ""
	for line := range strings.Lines(md) {
		line = strings.TrimRight(line, "\n")
		switch {
		case !in && strings.TrimSpace(line) == "```go":
			// A fence inside a list item is indented; so are its lines.
			in, cur, indent = true, nil, line[:len(line)-len(strings.TrimLeft(line, " "))]
		case in && strings.TrimSpace(line) == "```":
			in = false
			out = append(out, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, strings.TrimPrefix(line, indent))
		}
	}
	return out
}

func findDocsRegions(t *testing.T) []*docsRegion {
	t.Helper()
	var regions []*docsRegion
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || path == "docs_code_test.go" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, []byte("// docs: ")) && !bytes.Contains(b, []byte("// README begins")) {
			return err
		}
		var open *docsRegion
		var lines []string
		n := 0
		for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
			n++
			line := sc.Text()
			m := docsMarker.FindStringSubmatch(line)
			if r := readmeMarker.FindStringSubmatch(line); r != nil {
				m = []string{line, "README.md", filepath.ToSlash(path), r[1]}
			}
			switch {
			case m != nil && m[3] == "begins":
				open, lines = &docsRegion{doc: m[1], name: m[2], src: filepath.ToSlash(path), start: n + 1}, nil
			case m != nil && open != nil && m[1] == open.doc && m[2] == open.name:
				open.end, open.code = n-1, dedent(lines)
				regions = append(regions, open)
				open = nil
			case m != nil:
				t.Errorf("%s:%d: %q ends no open region", path, n, line)
			case open != nil:
				lines = append(lines, line)
			}
		}
		if open != nil {
			t.Errorf("%s:%d: region %q never ends", path, open.start-1, open.name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) == 0 {
		t.Fatal("no docs regions found")
	}
	return regions
}

// dedent removes the indentation the lines share (tabs, as gofmt writes).
func dedent(lines []string) string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			l = l[common:]
		}
		out[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(out, "\n")
}

// checkErrorsHandled type-checks the region's file against its imports' export
// data (go list -export, from the file's own module) and reports, inside the
// region, a call whose error result is dropped or assigned to _, and an err that
// the next statement does not test.
func checkErrorsHandled(t *testing.T, r *docsRegion) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, r.src, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Errorf("%s: %v", r.src, err)
		return
	}
	var imports []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		imports = append(imports, p)
	}
	exports := map[string]string{}
	if len(imports) > 0 {
		cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-json=ImportPath,Export"}, imports...)...)
		cmd.Dir = filepath.Dir(r.src)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("%s: go list -export: %v\n%s", r.src, err, stderr.String())
			return
		}
		for dec := json.NewDecoder(bytes.NewReader(out)); ; {
			var p struct{ ImportPath, Export string }
			if err := dec.Decode(&p); err != nil {
				break
			}
			exports[p.ImportPath] = p.Export
		}
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			return os.Open(exports[path])
		}),
		Error: func(error) {}, // other files of the package hold what this one uses; the region must type-check on its own
	}
	conf.Check(f.Name.Name, fset, []*ast.File{f}, info)

	inRegion := func(n ast.Node) bool {
		l := fset.Position(n.Pos()).Line
		return l >= r.start && l <= r.end
	}
	where := func(n ast.Node) string { return r.src + ":" + strconv.Itoa(fset.Position(n.Pos()).Line) }
	errorType := types.Universe.Lookup("error").Type()
	returnsError := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		if !ok {
			return false
		}
		if tup, ok := tv.Type.(*types.Tuple); ok {
			for v := range tup.Variables() {
				if types.Identical(v.Type(), errorType) {
					return true
				}
			}
			return false
		}
		return tv.Type != nil && types.Identical(tv.Type, errorType)
	}
	mentionsErr := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "err" {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || !inRegion(n) {
			return true
		}
		switch n := n.(type) {
		case *ast.ExprStmt:
			if call, ok := n.X.(*ast.CallExpr); ok && returnsError(call) {
				t.Errorf("%s (%s %q): the error of %s is dropped", where(n), r.doc, r.name, types.ExprString(call.Fun))
			}
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) > 1 {
				if tv, ok := info.Types[n.Rhs[0]]; ok {
					if tup, ok := tv.Type.(*types.Tuple); ok && tup.Len() == len(n.Lhs) {
						for i, l := range n.Lhs {
							if id, ok := l.(*ast.Ident); ok && id.Name == "_" && types.Identical(tup.At(i).Type(), errorType) {
								t.Errorf("%s (%s %q): the error of %s is assigned to _", where(n), r.doc, r.name, types.ExprString(n.Rhs[0]))
							}
						}
					}
				}
			}
		case *ast.BlockStmt:
			for i, s := range n.List {
				as, ok := s.(*ast.AssignStmt)
				if !ok || !inRegion(as) {
					continue
				}
				assignsErr := false
				for _, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "err" {
						assignsErr = true
					}
				}
				if !assignsErr {
					continue
				}
				if i+1 >= len(n.List) {
					t.Errorf("%s (%s %q): err is assigned last and never tested", where(as), r.doc, r.name)
					continue
				}
				switch next := n.List[i+1].(type) {
				case *ast.IfStmt:
					if mentionsErr(next.Cond) {
						continue
					}
				case *ast.ReturnStmt:
					if mentionsErr(next) {
						continue
					}
				}
				t.Errorf("%s (%s %q): err is not tested by the statement after it", where(as), r.doc, r.name)
			}
		}
		return true
	})
}
