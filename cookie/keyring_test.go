package cookie_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
)

// key returns a test key named by b: SHA-256 of it, 32 bytes with no pattern.
func key(b byte) []byte { k := sha256.Sum256([]byte{b}); return k[:] }

func TestKeyringRotation(t *testing.T) {
	old, _ := cookie.NewKeyring(key('o'))
	signedOld := old.Sign("session-id")

	rotated, err := cookie.NewKeyring(key('n'), key('o'))
	if err != nil {
		t.Fatal(err)
	}
	v, k, ok := rotated.Verify(signedOld)
	if !ok || v != "session-id" || k != 1 {
		t.Fatalf("old-key value: got (%q, %d, %v), want (%q, 1, true)", v, k, ok, "session-id")
	}
	signedNew := rotated.Sign("session-id")
	if signedNew == signedOld {
		t.Fatalf("rotated keyring signed with the old key: got %q twice", signedNew)
	}
	if v, k, ok := rotated.Verify(signedNew); !ok || v != "session-id" || k != 0 {
		t.Fatalf("new-key value: got (%q, %d, %v), want (%q, 0, true)", v, k, ok, "session-id")
	}
	if _, _, ok := old.Verify(signedNew); ok {
		t.Fatalf("a keyring without the new key verified its tag: got ok, want not ok")
	}
}

func TestKeyringRefusesWeakKeys(t *testing.T) {
	tests := []struct {
		name string
		keys [][]byte
		want error
		n    int // how many problems are joined
	}{
		{"none", nil, cookie.ErrNoKeys, 1},
		{"short", [][]byte{make([]byte, 31)}, cookie.ErrKeyTooShort, 1},
		{"second short", [][]byte{key('a'), []byte("secret")}, cookie.ErrKeyTooShort, 1},
		{"all reported", [][]byte{[]byte("a"), []byte("b")}, cookie.ErrKeyTooShort, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := cookie.NewKeyring(tt.keys...)
			if kr != nil || !errors.Is(err, tt.want) {
				t.Fatalf("got (%v, %v), want (nil, %v)", kr, err, tt.want)
			}
			if got := strings.Count(err.Error(), "SES030"); got != tt.n {
				t.Fatalf("rule SES030 named %d times in %q, want %d", got, err, tt.n)
			}
		})
	}
}

func TestKeyringCopiesKeys(t *testing.T) {
	k := key('x')
	kr, _ := cookie.NewKeyring(k)
	signed := kr.Sign("v")
	k[0] = 'y'
	if _, _, ok := kr.Verify(signed); !ok {
		t.Fatalf("changing the caller's slice changed the keyring: got not ok, want ok")
	}
}

func TestKeyringRejectsTampering(t *testing.T) {
	kr, _ := cookie.NewKeyring(key('k'))
	good := kr.Sign("a.b")
	dot := strings.LastIndexByte(good, '.')
	tag := good[dot+1:]
	// The last of 43 base64 characters carries 4 bits: flipping the lowest two
	// gives the same 32 bytes under a lenient decoder.
	last := tag[len(tag)-1]
	nonCanonical := good[:len(good)-1] + string(rune(last^1))
	tests := []struct{ name, in string }{
		{"tampered value", "a.c" + good[3:]},
		{"tampered tag", good[:dot+1] + flip(tag[0]) + tag[1:]},
		{"truncated", good[:len(good)-1]},
		{"padded", good + "="},
		{"non-canonical last char", nonCanonical},
		{"standard alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(good)},
		{"no tag", "a.b"},
		{"empty", ""},
		{"tag only", "." + tag},
		{"extra dot", good + "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in == good {
				t.Skip("the mutation left the input unchanged for this tag")
			}
			if v, k, ok := kr.Verify(tt.in); ok {
				t.Fatalf("Verify(%q): got (%q, %d, true), want not ok", tt.in, v, k)
			}
		})
	}
	if v, _, ok := kr.Verify(good); !ok || v != "a.b" {
		t.Fatalf("Verify(%q): got (%q, %v), want (%q, true)", good, v, ok, "a.b")
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestKeyringTagShape(t *testing.T) {
	kr, _ := cookie.NewKeyring(key('k'))
	signed := kr.Sign("")
	if len(signed) != 1+cookie.TagLen || signed[0] != '.' {
		t.Fatalf("Sign(\"\"): got %q, want \".\" and %d characters", signed, cookie.TagLen)
	}
	dst := kr.AppendSigned([]byte("x="), "")
	if string(dst) != "x="+signed {
		t.Fatalf("AppendSigned: got %q, want %q", dst, "x="+signed)
	}
	if kr.Len() != 1 {
		t.Fatalf("Len: got %d, want 1", kr.Len())
	}
}

func BenchmarkKeyringSign(b *testing.B) {
	kr, _ := cookie.NewKeyring(key('k'))
	id := strings.Repeat("x", 43)
	dst := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		dst = kr.AppendSigned(dst[:0], id)
	}
}

func BenchmarkKeyringVerify(b *testing.B) {
	kr, _ := cookie.NewKeyring(key('n'), key('o'))
	old, _ := cookie.NewKeyring(key('o'))
	id := strings.Repeat("x", 43)
	for _, bc := range []struct{ name, signed string }{
		{"first key", kr.Sign(id)},
		{"second key", old.Sign(id)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, ok := kr.Verify(bc.signed); !ok {
					b.Fatal("did not verify")
				}
			}
		})
	}
}

// TestNewKeyringRefusesPatterns: keys with obviously no entropy are refused
// (SES030), however long; a random key of the same length is accepted.
func TestNewKeyringRefusesPatterns(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		want error // nil: accepted
	}{
		{"all zero", make([]byte, 32), cookie.ErrKeyPattern},
		{"one byte value", bytes.Repeat([]byte("k"), 64), cookie.ErrKeyPattern},
		{"a word repeated", bytes.Repeat([]byte("secret"), 6), cookie.ErrKeyPattern},
		{"half repeated", append(key('a')[:16:16], key('a')[:16]...), cookie.ErrKeyPattern},
		{"random", key('r'), nil},
		{"passphrase", []byte("correct horse battery staple, twice over"), nil},
		{"short", []byte("short"), cookie.ErrKeyTooShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cookie.NewKeyring(tt.key)
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var p *problem.Problem
			if tt.want != nil && (!errors.As(err, &p) || p.Rule != problem.WeakKey) {
				t.Errorf("got %v, want an SES030 problem", err)
			}
		})
	}
}
