package doctor_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/doctor"
)

var update = flag.Bool("update", false, "rewrite docs/doctor.md and the README's doctor section from the catalogue")

const (
	docsFile   = "../docs/doctor.md"
	readmeFile = "../README.md"
)

// TestDocs fails when docs/doctor.md or the README's "Why is my cookie not set?"
// section differs from what the catalogue generates. Rewrite both with
// `go test ./doctor -run TestDocs -update`.
func TestDocs(t *testing.T) {
	t.Run("docs/doctor.md", func(t *testing.T) {
		var want bytes.Buffer
		if err := doctor.WriteMarkdown(&want); err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(docsFile, want.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(docsFile)
		if err != nil {
			t.Fatalf("%v; generate it with: go test ./doctor -run TestDocs -update", err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("docs/doctor.md is not what the catalogue generates (%d bytes, want %d); run: go test ./doctor -run TestDocs -update", len(got), want.Len())
		}
	})
	t.Run("README.md", func(t *testing.T) {
		var want bytes.Buffer
		if err := doctor.WriteTable(&want, "docs/doctor.md"); err != nil {
			t.Fatal(err)
		}
		readme, err := os.ReadFile(readmeFile)
		if err != nil {
			t.Fatal(err)
		}
		before, section, after, found := splitSection(string(readme))
		if *update {
			if !found {
				before, after = strings.TrimRight(string(readme), "\n")+"\n\n", ""
			}
			next := before + want.String() + after
			if err := os.WriteFile(readmeFile, []byte(next), 0o644); err != nil {
				t.Fatal(err)
			}
			section, found = want.String(), true
		}
		if !found {
			t.Fatalf("README.md has no %s … %s section; run: go test ./doctor -run TestDocs -update", doctor.TableBegin, doctor.TableEnd)
		}
		if section != want.String() {
			t.Errorf("README.md's doctor section is not what the catalogue generates; run: go test ./doctor -run TestDocs -update")
		}
	})
}

// splitSection cuts the README around the generated section, markers and the
// end marker's newline included in section.
func splitSection(s string) (before, section, after string, found bool) {
	i := strings.Index(s, doctor.TableBegin)
	j := strings.Index(s, doctor.TableEnd)
	if i < 0 || j < i {
		return s, "", "", false
	}
	end := j + len(doctor.TableEnd)
	if end < len(s) && s[end] == '\n' {
		end++
	}
	return s[:i], s[i:end], s[end:], true
}

func TestDocsAnchors(t *testing.T) {
	var md bytes.Buffer
	if err := doctor.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, r := range doctor.Rules() {
		heading := "\n## " + string(r.ID) + "\n"
		if !strings.Contains(md.String(), heading) {
			t.Errorf("docs: got no heading %q (anchor #%s), want one per rule", strings.TrimSpace(heading), r.Anchor())
		}
	}
}
