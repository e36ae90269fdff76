package cookie

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// SignedValue returns value + "." + tag, where tag is the base64url HMAC-SHA256,
// under kr's first key, of name + "=" + value. Binding the name stops a value
// signed for one cookie from being replayed as another one signed with the same
// keys (OWASP Session Management Cheat Sheet). The result is made of
// cookie-octets whenever value is.
func SignedValue(kr *Keyring, name, value string) string {
	buf := make([]byte, 0, len(value)+1+TagLen)
	return string(AppendSignedValue(buf, kr, name, value))
}

// AppendSignedValue is SignedValue appending to dst.
func AppendSignedValue(dst []byte, kr *Keyring, name, value string) []byte {
	sum := kr.MAC(0, name, "=", value)
	dst = append(dst, value...)
	dst = append(dst, '.')
	return base64.RawURLEncoding.AppendEncode(dst, sum[:])
}

// VerifySigned checks a value written by SignedValue for the cookie called name
// against every key of kr, first to last. It returns the value before the last
// "." and the index of the key that verified it (a key after 0 means the cookie
// should be re-signed: the keys are rotating). ok is false for a missing,
// truncated, padded or non-canonical tag, or one no key produced. The tag is
// compared in constant time (hmac.Equal). It does not allocate.
func VerifySigned(kr *Keyring, name, signed string) (value string, key int, ok bool) {
	dot := lastDot(signed)
	if dot < 0 || len(signed)-dot-1 != TagLen {
		return "", -1, false
	}
	value = signed[:dot]
	var raw [TagLen]byte
	copy(raw[:], signed[dot+1:])
	var got [sha256.Size]byte
	// Strict: a non-canonical last character decodes to the same bytes, and a
	// second spelling of a valid tag must not verify.
	if n, err := strictB64.Decode(got[:], raw[:]); err != nil || n != sha256.Size {
		return "", -1, false
	}
	for i := range kr.Len() {
		want := kr.MAC(i, name, "=", value)
		if hmac.Equal(got[:], want[:]) {
			return value, i, true
		}
	}
	return "", -1, false
}
