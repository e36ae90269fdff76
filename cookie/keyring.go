package cookie

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"sync"

	"github.com/sesame-go/sesame/problem"
)

// MinKeyLen is the shortest key a Keyring accepts: 32 bytes, the output size of
// SHA-256, as RFC 2104 §3 recommends for HMAC keys (shorter keys weaken the MAC;
// OWASP Session Management Cheat Sheet: secrets must have enough entropy).
const MinKeyLen = 32

// TagLen is the length in characters of a tag written by Keyring.Sign: the full
// 32-byte HMAC-SHA256 in unpadded base64url.
const TagLen = 43

// ErrKeyTooShort is wrapped (in a *problem.Problem, rule SES030) by NewKeyring for a key under MinKeyLen bytes.
var ErrKeyTooShort = errors.New("cookie: signing key shorter than 32 bytes")

// ErrNoKeys is wrapped (in a *problem.Problem, rule SES030) by NewKeyring when it is given no key at all.
var ErrNoKeys = errors.New("cookie: a keyring needs at least one key")

// A Keyring signs and verifies values with HMAC-SHA256. The first key signs; every
// key verifies, so a new key can be put first while cookies signed with the old ones
// keep working until they expire (rotation without signing anyone out).
//
// A Keyring is safe for concurrent use by multiple goroutines.
type Keyring struct {
	keys  [][]byte
	pools []sync.Pool // one pool of HMAC states per key: hmac.New allocates
}

// NewKeyring returns a keyring whose first key signs. Every key must be at least
// MinKeyLen bytes long; all problems are reported together. The keys are copied.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, &problem.Problem{Rule: problem.WeakKey, Detail: "cookie: no signing key",
			Fix: "give at least one key of 32 random bytes (sesame keygen prints one)", Err: ErrNoKeys}
	}
	var errs []error
	kr := &Keyring{keys: make([][]byte, len(keys)), pools: make([]sync.Pool, len(keys))}
	for i, k := range keys {
		if len(k) < MinKeyLen {
			errs = append(errs, &problem.Problem{Rule: problem.WeakKey,
				Detail: fmt.Sprintf("cookie: signing key %d is %d bytes, under the %d bytes HMAC-SHA256 needs", i, len(k), MinKeyLen),
				Fix:    "use 32 random bytes (sesame keygen prints one)", Err: ErrKeyTooShort})
			continue
		}
		key := append([]byte(nil), k...)
		kr.keys[i] = key
		kr.pools[i].New = func() any { return &macState{h: hmac.New(sha256.New, key)} }
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return kr, nil
}

// Len reports how many keys the keyring holds.
func (kr *Keyring) Len() int { return len(kr.keys) }

type macState struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

// mac computes HMAC-SHA256(key i, parts...) into out without allocating.
func (kr *Keyring) mac(i int, out *[sha256.Size]byte, parts ...string) {
	st := kr.pools[i].Get().(*macState)
	st.h.Reset()
	// Copy into a pooled buffer: converting a string to []byte for an interface
	// call would allocate on every request.
	st.buf = st.buf[:0]
	for _, p := range parts {
		st.buf = append(st.buf, p...)
	}
	st.h.Write(st.buf)
	st.h.Sum(st.sum[:0])
	*out = st.sum
	kr.pools[i].Put(st)
}

// Sign returns value + "." + tag, where tag is the base64url HMAC-SHA256 of value
// under the first key.
func (kr *Keyring) Sign(value string) string {
	buf := make([]byte, 0, len(value)+1+TagLen)
	buf = append(buf, value...)
	buf = append(buf, '.')
	buf = kr.AppendTag(buf, value)
	return string(buf)
}

// AppendTag appends the base64url tag of value under the first key to dst.
func (kr *Keyring) AppendTag(dst []byte, value string) []byte {
	var sum [sha256.Size]byte
	kr.mac(0, &sum, value)
	return base64.RawURLEncoding.AppendEncode(dst, sum[:])
}

// Verify checks a string written by Sign against every key, first to last, and
// returns the value before the last "." with the index of the key that verified it.
// ok is false for a missing tag or one that no key produced. The comparison is
// constant-time (hmac.Equal).
func (kr *Keyring) Verify(signed string) (value string, key int, ok bool) {
	dot := lastDot(signed)
	if dot < 0 || len(signed)-dot-1 != TagLen {
		return "", -1, false
	}
	value, tag := signed[:dot], signed[dot+1:]
	var got [sha256.Size]byte
	var raw [TagLen]byte
	copy(raw[:], tag)
	// Decode strictly: base64url with no padding, and the canonical last character
	// (a non-canonical one decodes to the same bytes and must not verify twice).
	if n, err := strictB64.Decode(got[:], raw[:]); err != nil || n != sha256.Size {
		return "", -1, false
	}
	var want [sha256.Size]byte
	for i := range kr.keys {
		kr.mac(i, &want, value)
		if hmac.Equal(got[:], want[:]) {
			return value, i, true
		}
	}
	return "", -1, false
}

// MAC computes the raw HMAC-SHA256 of the concatenated parts under key i (0 signs).
// It exists for formats that encode the tag differently, such as cookie-signature's
// standard-alphabet base64. i out of range panics, like a slice index.
func (kr *Keyring) MAC(i int, parts ...string) [sha256.Size]byte {
	var sum [sha256.Size]byte
	kr.mac(i, &sum, parts...)
	return sum
}

var strictB64 = base64.RawURLEncoding.Strict()

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}
