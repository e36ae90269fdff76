package session

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// randomID returns 32 bytes from crypto/rand in unpadded base64url: 256 bits, far
// above the 64 bits of entropy the OWASP Session Management Cheat Sheet requires
// ("Session ID Entropy").
func randomID() (string, error) {
	var b [32]byte
	rand.Read(b[:]) // never returns an error since Go 1.24; it crashes instead
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// checkID validates an ID from Config.GenerateID: at least 22 characters (128 bits
// of base64url) from the base64url alphabet, which needs no escaping in a cookie.
func checkID(id string) error {
	if !validID(id) {
		return fmt.Errorf("session: GenerateID returned %d characters that are not 22 to 256 of [A-Za-z0-9_-]", len(id))
	}
	return nil
}

func validID(id string) bool {
	if len(id) < 22 || len(id) > 256 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !idByte[id[i]] {
			return false
		}
	}
	return true
}

// idByte marks the base64url alphabet: a table, since every request checks an ID.
var idByte = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" {
		t[c] = true
	}
	return t
}()

// appendStoreKey appends the store key of id, base64url(SHA-256(id)), to dst.
// Stores never see the ID itself, so a leaked store dump holds no usable token.
func appendStoreKey(dst []byte, id string) []byte {
	var buf [256]byte // IDs are at most 256 bytes (checkID); a copy avoids an allocation
	sum := sha256.Sum256(buf[:copy(buf[:], id)])
	return base64.RawURLEncoding.AppendEncode(dst, sum[:])
}
