package adaptertest

import (
	"os"
	"strings"
	"testing"
)

// CheckREADME fails t unless the first ```go block after the line heading in
// the README at readme is the code between "// README begins" and "// README
// ends" in the Go file src (one tab of indentation removed), line for line: the
// README's code then compiles and checks its errors, as the Example it comes
// from does.
func CheckREADME(t *testing.T, readme, heading, src string) {
	t.Helper()
	doc, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s has no %q section", readme, heading)
	}
	_, block, ok := strings.Cut(after, "```go\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatalf("%s: no ```go block under %q", readme, heading)
	}
	code, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(code), "// README begins\n")
	body, _, ok2 = strings.Cut(body, "// README ends")
	if !ok || !ok2 {
		t.Fatalf("%s: no // README begins … // README ends markers", src)
	}
	var want strings.Builder
	for line := range strings.Lines(body) {
		want.WriteString(strings.TrimPrefix(line, "\t"))
	}
	got := strings.TrimSpace(block)
	if w := strings.TrimSpace(want.String()); got != w {
		t.Errorf("README %q block:\n%s\nwant (from %s):\n%s", heading, got, src, w)
	}
}
