package node

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"strings"
	"sync"

	"github.com/sesame-go/sesame/problem"
)

// SigLen is the length of a cookie-signature signature: 32 bytes of
// HMAC-SHA256 in standard base64 with the "=" removed.
const SigLen = 43

// Secrets signs and verifies values the way the Node cookie-signature
// package does for Express, express-session and cookie-parser:
//
//	sign(value, secret) = value + "." + base64(HMAC-SHA256(key = secret, value))
//
// with the standard base64 alphabet and no padding. The secrets are the strings an
// Express app was configured with (the `secret` option): arbitrary, often short,
// used as the HMAC key byte for byte. That is why they are not a Keyring, which
// demands 32-byte keys: share sessions with Express using its secrets, and give
// sesame's own cookies a Keyring.
//
// The first secret signs; every secret verifies, in order (express-session
// index.js unsigncookie, cookie-parser signedCookie).
//
// A Secrets is safe for concurrent use.
type Secrets struct {
	secrets []string
	pools   []sync.Pool // HMAC states per secret: hmac.New allocates
}

// NewSecrets returns the signer for secrets, the first of which signs.
// Empty secrets are refused (SES030): express-session treats "" as no secret at
// all, so a value signed with it would not be understood by Express.
func NewSecrets(secrets ...string) (*Secrets, error) {
	if len(secrets) == 0 {
		return nil, problem.NewError(problem.WeakKey, "no Express secret given", "pass the secret (or secrets, newest first) the Express app uses")
	}
	var errs []error
	s := &Secrets{secrets: append([]string(nil), secrets...), pools: make([]sync.Pool, len(secrets))}
	for i, sec := range s.secrets {
		if sec == "" {
			errs = append(errs, problem.NewError(problem.WeakKey, "Express secret "+strconv.Itoa(i)+" is empty", "remove it"))
			continue
		}
		key := []byte(sec)
		s.pools[i].New = func() any { return &macState{h: hmac.New(sha256.New, key)} }
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// Len reports how many secrets there are.
func (s *Secrets) Len() int { return len(s.secrets) }

type macState struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

// sig writes the base64 signature of value under secret i into out.
func (s *Secrets) sig(i int, value string, out *[SigLen]byte) {
	st := s.pools[i].Get().(*macState)
	st.h.Reset()
	st.buf = append(st.buf[:0], value...)
	st.h.Write(st.buf)
	st.h.Sum(st.sum[:0])
	base64.RawStdEncoding.Encode(out[:], st.sum[:])
	if cap(st.buf) > 64<<10 {
		st.buf = nil // do not pin a huge buffer in the pool
	}
	s.pools[i].Put(st)
}

// Sign returns cookie-signature's sign(value, secrets[0]).
func (s *Secrets) Sign(value string) string {
	return string(s.AppendSign(make([]byte, 0, len(value)+1+SigLen), value))
}

// AppendSign appends Sign(value) to dst.
func (s *Secrets) AppendSign(dst []byte, value string) []byte {
	var sig [SigLen]byte
	s.sig(0, value, &sig)
	dst = append(dst, value...)
	dst = append(dst, '.')
	return append(dst, sig[:]...)
}

// Unsign returns the value of a string written by Sign and the index of the
// secret that verified it; ok is false where cookie-signature's unsign returns
// false. As there, the value is everything before the last "." and the input must
// equal sign(value, secret) as a whole string: a "=" pad, the URL-safe alphabet, a
// non-canonical last character or any other spelling of the same MAC is refused.
// The comparison is constant-time (hmac.Equal) and it does not allocate.
//
// Unsign does not strip the "s:" that express-session and cookie-parser put in
// front of signed values: see UnsignCookie.
func (s *Secrets) Unsign(input string) (value string, secret int, ok bool) {
	dot := strings.LastIndexByte(input, '.')
	// The value part of sign(value) is input[:dot] by construction, so
	// comparing the whole strings comes down to comparing what follows the dot.
	if dot < 0 || len(input)-dot-1 != SigLen {
		return "", -1, false
	}
	value = input[:dot]
	var got, want [SigLen]byte
	copy(got[:], input[dot+1:])
	for i := range s.secrets {
		s.sig(i, value, &want)
		if hmac.Equal(got[:], want[:]) {
			return value, i, true
		}
	}
	return "", -1, false
}

// SignCookie returns the value express-session and res.cookie(..., {signed:
// true}) put in a cookie before URL-encoding: "s:" + Sign(value).
func (s *Secrets) SignCookie(value string) string {
	return string(s.AppendSign(append(make([]byte, 0, 2+len(value)+1+SigLen), "s:"...), value))
}

// UnsignCookie verifies a decoded cookie value written by SignCookie: it must
// start with "s:" (express-session index.js getcookie) and the rest must Unsign.
func (s *Secrets) UnsignCookie(value string) (unsigned string, secret int, ok bool) {
	if len(value) < 2 || value[:2] != "s:" {
		return "", -1, false
	}
	return s.Unsign(value[2:])
}
