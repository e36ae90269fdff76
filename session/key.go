package session

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalidKey is wrapped by the error Set returns for a key name no store can
// keep byte for byte.
var ErrInvalidKey = errors.New("a session key must be valid UTF-8 without NUL")

// CheckKey reports whether name can be a session key: valid UTF-8 without NUL.
// It is the one rule for every store: PostgreSQL's jsonb holds neither NUL nor
// invalid UTF-8 (it refused the first on every attempt and renamed the second
// to U+FFFD), JSON documents must be UTF-8 (RFC 8259 §8.1), and a key that some
// stores kept and others did not would make a deployment's behaviour depend on
// its store. Every key CheckKey accepts, every store keeps exactly (the
// conformance suite checks it).
func CheckKey(name string) error {
	if i := strings.IndexByte(name, 0); i >= 0 {
		return fmt.Errorf("session: key %q: NUL at byte %d: %w", name, i, ErrInvalidKey)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("session: key %q: invalid UTF-8: %w", name, ErrInvalidKey)
	}
	return nil
}
