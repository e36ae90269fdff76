package cookie_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
)

func enc(b byte) string { return base64.RawURLEncoding.EncodeToString(key(b)) }

func TestParseKeys(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     [][]byte
		errHas   string // "" means no error
	}{
		{"one key, as keygen prints it", enc(1) + "\n", [][]byte{key(1)}, ""},
		{"first signs, order kept", enc(2) + "\n" + enc(1) + "\n", [][]byte{key(2), key(1)}, ""},
		{"comments and blank lines", "# rotated 2026-01\n\n  " + enc(3) + "  \r\n# old\n" + enc(4), [][]byte{key(3), key(4)}, ""},
		{"padding tolerated", enc(5) + "=", [][]byte{key(5)}, ""},
		{"commas and spaces, as an env var holds them", enc(6) + "," + enc(7) + " " + enc(8), [][]byte{key(6), key(7), key(8)}, ""},
		{"short keys are returned, NewKeyring judges them", "AAAA", [][]byte{{0, 0, 0}}, ""},
		{"empty", "", nil, "holds no key"},
		{"comments only", "# nothing\n\n", nil, "holds no key"},
		{"padding alone", "==", nil, "src:1: not a base64url key"},
		{"standard base64 is not base64url", enc(1) + "\n+/+/+/+/\n", nil, "src:2: not a base64url key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cookie.ParseKeys("src", []byte(tc.in))
			if tc.errHas != "" {
				var p *problem.Problem
				if !errors.As(err, &p) || p.Rule != problem.WeakKey || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("got error %v, want a SES030 problem containing %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d keys, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if !bytes.Equal(got[i], tc.want[i]) {
					t.Errorf("key %d: got %x, want %x", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestParseKeysNeverPrintsTheKey(t *testing.T) {
	secret := "thisIsASecretThatIsNotBase64url!!" + enc(1)
	_, err := cookie.ParseKeys("f", []byte(secret))
	if err == nil || strings.Contains(err.Error(), "thisIsASecret") {
		t.Fatalf("got %v, want an error that does not quote the line", err)
	}
}

func TestKeyringFromEnv(t *testing.T) {
	t.Setenv("SESAME_TEST_KEYS", enc(1)+","+enc(2))
	kr, err := cookie.KeyringFromEnv("SESAME_TEST_KEYS")
	if err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 2 {
		t.Fatalf("got %d keys, want 2", kr.Len())
	}
	// The first key signs: a keyring of the first key alone verifies the tag.
	only1, _ := cookie.NewKeyring(key(1))
	if v, _, ok := only1.Verify(kr.Sign("v")); !ok || v != "v" {
		t.Fatalf("got (%q, %v) from the first key alone, want it to verify what the env keyring signed", v, ok)
	}

	for _, tc := range []struct{ name, value, errHas string }{
		{"empty", "  ", "SESAME_TEST_KEYS is unset or empty"},
		{"short key", "AAAA", "under the 32 bytes"},
		{"not base64url", "%%%", "$SESAME_TEST_KEYS:1: not a base64url key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SESAME_TEST_KEYS", tc.value)
			_, err := cookie.KeyringFromEnv("SESAME_TEST_KEYS")
			var p *problem.Problem
			if !errors.As(err, &p) || p.Rule != problem.WeakKey || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("got %v, want a SES030 problem containing %q", err, tc.errHas)
			}
		})
	}
	t.Run("unset", func(t *testing.T) {
		_, err := cookie.KeyringFromEnv("SESAME_TEST_KEYS_NEVER_SET")
		if err == nil || !strings.Contains(err.Error(), "set SESAME_TEST_KEYS_NEVER_SET to the output of `sesame keygen`") {
			t.Fatalf("got %v, want the fix naming the variable", err)
		}
	})
}

func TestKeyringFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(path, []byte(enc(9)+"\n"+enc(8)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kr, err := cookie.KeyringFromFile(path)
	if err != nil || kr.Len() != 2 {
		t.Fatalf("got (%v, %v), want a keyring of 2 keys", kr, err)
	}
	_, err = cookie.KeyringFromFile(filepath.Join(dir, "missing"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "sesame keygen >") {
		t.Fatalf("got %v, want a not-exist error telling how to write the file", err)
	}
}

// FuzzParseKeys: the parser never panics, every key it returns is the decoding
// of a field of its input, and keys it is given come back in order.
func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"", enc(1), enc(1) + "\n" + enc(2), "# c\n\n" + enc(3) + "==", "a,b c\td", "\xff\xfe", "=\n=", "#\r\n" + enc(1) + "\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		keys, err := cookie.ParseKeys("fuzz", []byte(in))
		if err != nil {
			if len(keys) != 0 {
				t.Fatalf("got %d keys with error %v, want none", len(keys), err)
			}
			return
		}
		if len(keys) == 0 {
			t.Fatalf("got no keys and no error for %q", in)
		}
		for _, k := range keys {
			if e := base64.RawURLEncoding.EncodeToString(k); !strings.Contains(in, e) {
				t.Fatalf("key %q is not in the input %q", e, in)
			}
		}
		// Writing the keys back one per line and parsing again gives the same keys.
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(base64.RawURLEncoding.EncodeToString(k) + "\n")
		}
		again, err := cookie.ParseKeys("again", []byte(b.String()))
		if err != nil || len(again) != len(keys) {
			t.Fatalf("round trip: got (%d keys, %v), want %d keys", len(again), err, len(keys))
		}
		for i := range keys {
			if !bytes.Equal(again[i], keys[i]) {
				t.Fatalf("round trip key %d: got %x, want %x", i, again[i], keys[i])
			}
		}
	})
}
