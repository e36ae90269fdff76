package session_test

import (
	"crypto/sha256"
	"encoding/base64"
)

// storeKey is the store key of a session ID in sesame's own format, as the
// package documents it: unpadded base64url of SHA-256(id). Tests use it to look a
// session up in the store behind the Manager's back.
func storeKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
