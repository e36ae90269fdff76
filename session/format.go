package session

import (
	"strings"

	"github.com/sesame-go/sesame/cookie"
)

// A Format turns session IDs into cookie values and store keys. The default,
// used when Config.Format is nil, is sesame's own: a 256-bit random ID with an
// HMAC-SHA256 tag from Config.Keys in the cookie, and SHA-256 of the ID as the
// store key. compat/express provides express-session's format, to share users
// with a running Express application.
//
// A Format must be safe for concurrent use.
type Format interface {
	// NewID returns a fresh session ID.
	NewID() (string, error)
	// AppendValue appends the cookie value for id to dst.
	AppendValue(dst []byte, id string) []byte
	// Decode returns the ID a cookie value carries, with Found, or the reason
	// it carries none (Malformed, BadSignature). It must not allocate for
	// values it rejects.
	Decode(value string) (id string, why Reason)
	// AppendStoreKey appends the key the store keeps id's record under.
	AppendStoreKey(dst []byte, id string) []byte
}

// nativeFormat is sesame's own format.
type nativeFormat struct {
	keys       *cookie.Keyring
	generateID func() (string, error)
}

func (f nativeFormat) NewID() (string, error) {
	id, err := f.generateID()
	if err == nil {
		err = checkID(id)
	}
	return id, err
}

func (f nativeFormat) AppendValue(dst []byte, id string) []byte {
	return f.keys.AppendSigned(dst, id)
}

// Decode checks a cookie value: the ID, ".", and its tag.
func (f nativeFormat) Decode(raw string) (string, Reason) {
	// The tag is the last cookie.TagLen characters, after a "." and holding
	// none (what strings.LastIndexByte would find, without the byte-by-byte
	// scan from the end).
	dot := len(raw) - cookie.TagLen - 1
	if dot < 0 || raw[dot] != '.' || strings.IndexByte(raw[dot+1:], '.') >= 0 || !validID(raw[:dot]) {
		return "", Malformed
	}
	id, _, ok := f.keys.Verify(raw)
	if !ok {
		return "", BadSignature
	}
	return id, Found
}

func (f nativeFormat) AppendStoreKey(dst []byte, id string) []byte { return appendStoreKey(dst, id) }
