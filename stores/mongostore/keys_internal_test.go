package mongostore

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeKey(t *testing.T) {
	for _, tt := range []struct{ name, field string }{
		{"cart", "cart"},
		{"two words", "two words"},
		{"", "%"},
		{"a.b", "a%2Eb"},
		{" ", "%20"},
		{" a ", "%20a%20"},
		{"\ta\n", "%09a%0A"},
		{"\u00a0x", "%C2%A0x"},
		{"x\u3000", "x%E3%80%80"},
		{"%20", "%2520"},
	} {
		if got := escapeKey(tt.name); got != tt.field {
			t.Errorf("escapeKey(%q) = %q, want %q", tt.name, got, tt.field)
		}
		if got, ok := unescapeKey(tt.field); !ok || got != tt.name {
			t.Errorf("unescapeKey(%q) = %q, %v, want %q", tt.field, got, ok, tt.name)
		}
	}
}

// FuzzEscapeKey: every name comes back, and its field is one FerretDB and
// MongoDB take as an update path element (not empty, no '.', no NUL, no '$' at
// the start, equal to its own TrimSpace).
func FuzzEscapeKey(f *testing.F) {
	for _, s := range []string{"", " ", "a.b", "$x", "\u2028", "%", "\xff "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		field := escapeKey(name)
		if got, ok := unescapeKey(field); !ok || got != name {
			t.Fatalf("unescapeKey(escapeKey(%q)) = %q, %v", name, got, ok)
		}
		if field == "" || strings.ContainsAny(field, ".\x00") || field[0] == '$' || strings.TrimSpace(field) != field {
			t.Fatalf("escapeKey(%q) = %q, not a usable path element", name, field)
		}
		if utf8.ValidString(name) && !utf8.ValidString(field) {
			t.Fatalf("escapeKey(%q) = %q is not UTF-8", name, field)
		}
	})
}
