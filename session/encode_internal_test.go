package session

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEncodeValueMatchesMarshal(t *testing.T) {
	for _, s := range []string{"", "alice", "a b", "~", "<", ">", "&", `"`, `\`, "\x00", "\x1f", "\x7f", "é", "\u2028", "\xff", "12345678901234567890"} {
		got, err := encodeValue(s)
		want, _ := json.Marshal(s)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("encodeValue(%q) = %q, %v; json.Marshal gives %q", s, got, err, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { encodeValue("alice") }); n != 1 {
		t.Errorf("encodeValue of a plain string: %.0f allocations, want 1 (its bytes)", n)
	}
}

func FuzzEncodeValue(f *testing.F) {
	f.Add("alice")
	f.Add("<script>")
	f.Add("\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := encodeValue(s)
		want, werr := json.Marshal(s)
		if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("encodeValue(%q) = %q, %v; json.Marshal gives %q, %v", s, got, err, want, werr)
		}
	})
}
