package acrh_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cors/internal/acrh"
)

func allowAB(name string) bool { return name == "a" || name == "b" || name == "content-type" }

func TestScan(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  acrh.Result
		bad   string
	}{
		{"none", nil, acrh.OK, ""},
		{"browser form", []string{"a,b,content-type"}, acrh.OK, ""},
		{"ows", []string{" a ,\tb\t, content-type "}, acrh.OK, ""},
		{"split lines", []string{"a", "b"}, acrh.OK, ""},
		{"empty elements", []string{",a,,b,"}, acrh.OK, ""},
		{"empty line", []string{""}, acrh.OK, ""},
		{"refused", []string{"a,x-evil,b"}, acrh.Refused, "x-evil"},
		{"malformed", []string{"a,b c"}, acrh.Malformed, "b c"},
		{"non-ascii", []string{"é"}, acrh.Malformed, "é"},
		{"comma flood", []string{strings.Repeat(",", 100000)}, acrh.TooLarge, ""},
		{"element flood", []string{strings.Repeat("a,", acrh.MaxElements)}, acrh.TooLarge, ""},
		{"line flood", make([]string, 10000), acrh.TooLarge, ""},
		{"byte flood", []string{strings.Repeat(" ", acrh.MaxBytes+1)}, acrh.TooLarge, ""},
		{"bytes over lines", []string{strings.Repeat(" ", acrh.MaxBytes/2) + "a", strings.Repeat(" ", acrh.MaxBytes/2) + "b"}, acrh.TooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad := acrh.Scan(tt.lines, allowAB)
			if got != tt.want || bad != tt.bad {
				t.Errorf("got %v %q, want %v %q", got, bad, tt.want, tt.bad)
			}
		})
	}
}

// reference is Scan written the obvious way (split, trim, check), which Scan
// must agree with.
func reference(lines []string, allow func(string) bool) (acrh.Result, string) {
	bytes, elems := 0, 0
	for _, line := range lines {
		bytes += len(line)
		if bytes > acrh.MaxBytes {
			return acrh.TooLarge, ""
		}
		for _, e := range strings.Split(line, ",") {
			elems++
			if elems > acrh.MaxElements {
				return acrh.TooLarge, ""
			}
			name := strings.Trim(e, " \t")
			switch {
			case name == "":
			case !acrh.IsToken(name):
				return acrh.Malformed, name
			case !allow(name):
				return acrh.Refused, name
			}
		}
	}
	return acrh.OK, ""
}

// FuzzScan checks that Scan never reads past its caps, that every element it
// hands to allow is a trimmed, non-empty token, and that it agrees with
// reference.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"a,b", " a , b ", ",,,", "x y", "content-type,x-requested-with", "a,\tdeny ,b", "a b,deny", "é, a", " , \t,"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, l1, l2 string) {
		calls := 0
		res, bad := acrh.Scan([]string{l1, l2}, func(name string) bool {
			calls++
			if !acrh.IsToken(name) {
				t.Fatalf("allow got %q, not a token", name)
			}
			return name != "deny"
		})
		if calls > acrh.MaxElements {
			t.Fatalf("got %d calls, want at most %d", calls, acrh.MaxElements)
		}
		if len(l1)+len(l2) > acrh.MaxBytes && res != acrh.TooLarge && bad == "" {
			t.Fatalf("got %v for %d bytes, want TooLarge", res, len(l1)+len(l2))
		}
		if (res == acrh.Refused) != (bad == "deny") {
			t.Fatalf("got %v %q", res, bad)
		}
		wantRes, wantBad := reference([]string{l1, l2}, func(name string) bool { return name != "deny" })
		if res != wantRes || bad != wantBad {
			t.Fatalf("Scan(%q, %q) = %v %q, reference %v %q", l1, l2, res, bad, wantRes, wantBad)
		}
	})
}

func BenchmarkScan(b *testing.B) {
	lines := []string{"authorization,content-type,x-requested-with"}
	allow := func(string) bool { return true }
	b.ReportAllocs()
	for b.Loop() {
		acrh.Scan(lines, allow)
	}
}
