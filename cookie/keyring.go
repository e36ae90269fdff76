package cookie

import (
	"bytes"
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

// ErrKeyPattern is wrapped (in a *problem.Problem, rule SES030) by NewKeyring for
// a key with obviously no entropy: one byte value throughout (all zeros), or a
// short pattern repeated ("secretsecret…").
var ErrKeyPattern = errors.New("cookie: signing key is a repeated pattern")

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
// MinKeyLen bytes long and must not be a pattern repeated (all zeros, one byte
// value, "secretsecret…"): such a key is guessable whatever its length. All
// problems are reported together. The keys are copied.
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
		if p := period(k); p <= len(k)/2 {
			errs = append(errs, &problem.Problem{Rule: problem.WeakKey,
				Detail: fmt.Sprintf("cookie: signing key %d repeats its first %d byte(s) throughout, so it is no harder to guess than they are", i, p),
				Fix:    "use 32 random bytes (sesame keygen prints one), not a word, a repeated character or an empty buffer", Err: ErrKeyPattern})
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

// period returns the length of the shortest prefix of k that k repeats (k[i] ==
// k[i-p] for every i >= p); len(k) when there is none.
func period(k []byte) int {
	for p := 1; p <= len(k)/2; p++ {
		if bytes.Equal(k[p:], k[:len(k)-p]) {
			return p
		}
	}
	return len(k)
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

// The Keyring's one signing API is Sign (or AppendSigned, which does not
// allocate) and Verify: value + "." + tag, the tag being the unpadded base64url
// HMAC-SHA256 of value, TagLen characters. The result is made of cookie-octets
// whenever value is.

// Sign returns value + "." + tag, where tag is the base64url HMAC-SHA256 of value
// under the first key.
func (kr *Keyring) Sign(value string) string {
	return string(kr.AppendSigned(make([]byte, 0, len(value)+1+TagLen), value))
}

// AppendSigned appends what Sign returns to dst.
func (kr *Keyring) AppendSigned(dst []byte, value string) []byte {
	var sum [sha256.Size]byte
	kr.mac(0, &sum, value)
	dst = append(dst, value...)
	dst = append(dst, '.')
	return base64.RawURLEncoding.AppendEncode(dst, sum[:])
}

// Verify checks a string written by Sign against every key, first to last, and
// returns the value before the last "." with the index of the key that verified it.
// ok is false for a missing tag or one that no key produced. The comparison is
// constant-time (hmac.Equal).
func (kr *Keyring) Verify(signed string) (value string, key int, ok bool) {
	// The tag has a fixed length and no "." (base64url): the last "." is where
	// it must start, or the value is not one Sign wrote.
	dot := len(signed) - TagLen - 1
	if dot < 0 || signed[dot] != '.' {
		return "", -1, false
	}
	value, tag := signed[:dot], signed[dot+1:]
	// Decode strictly: base64url with no padding, and the canonical last character
	// (a non-canonical one decodes to the same bytes and must not verify twice).
	// A "." in the tag fails here too. The tag is the caller's, not a secret:
	// decoding it, rather than encoding the expected MAC, keeps secret bytes out
	// of table lookups.
	var got [sha256.Size]byte
	var raw [TagLen]byte
	copy(raw[:], tag)
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

var strictB64 = base64.RawURLEncoding.Strict()
