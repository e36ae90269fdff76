package express

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/internal/node"
)

// DefaultName is express-session's default cookie name (index.js: name, else
// key, else "connect.sid").
const DefaultName = "connect.sid"

// IDLen is the length of an ID from NewID: 24 bytes in unpadded base64url.
const IDLen = 32

// A Codec encodes and decodes express-session cookie values. It is safe for
// concurrent use.
type Codec struct {
	secrets *node.Secrets
}

// NewCodec returns a codec for the Express app's `secret` option: the first
// secret signs, every secret verifies. An empty list or an empty secret is an
// error (rule SES030): express-session treats "" as having no secret at all.
func NewCodec(secrets []string) (*Codec, error) {
	s, err := node.NewSecrets(secrets...)
	if err != nil {
		return nil, err
	}
	return &Codec{secrets: s}, nil
}

// Encode returns the cookie value express-session writes for id, as it appears
// in the header: encodeURIComponent("s:" + sign(id, secrets[0])), so ':' is %3A
// and the signature's '+' and '/' are %2B and %2F.
func (c *Codec) Encode(id string) string {
	return string(c.AppendEncode(make([]byte, 0, 4+3*len(id)+1+node.SigLen+16), id))
}

// AppendEncode appends Encode(id) to dst.
func (c *Codec) AppendEncode(dst []byte, id string) []byte {
	var buf [128]byte
	signed := c.secrets.AppendSign(append(buf[:0], "s:"...), id)
	// encodeURIComponent (ECMA-262 §19.2.6.5), as the Node cookie package's
	// serialize applies it.
	const hex = "0123456789ABCDEF"
	for _, b := range signed {
		if unreserved(b) {
			dst = append(dst, b)
		} else {
			dst = append(dst, '%', hex[b>>4], hex[b&15])
		}
	}
	return dst
}

func unreserved(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("-_.!~*'()", b) >= 0
}

// Decode returns the session ID in a cookie value as it appears in the Cookie
// header (see cookie.Get), and whether express-session would accept it
// (index.js getcookie): one pair of surrounding double quotes is removed; the
// value is URL-decoded only when it holds '%', and kept raw when that fails; it
// must start with "s:" and carry a signature one of the secrets verifies.
func (c *Codec) Decode(raw string) (id string, ok bool) {
	id, _, ok = c.DecodeKey(raw)
	return id, ok
}

// DecodeKey is Decode that also returns the index of the secret that verified the
// signature: above 0, the cookie should be re-issued signed with the first.
func (c *Codec) DecodeKey(raw string) (id string, secret int, ok bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	if strings.IndexByte(raw, '%') >= 0 {
		raw = node.DecodeCookieValue(raw)
	}
	return c.secrets.UnsignCookie(raw)
}

// Get returns the session ID in r's first cookie called name (empty name:
// DefaultName), as express-session reads it: only the first cookie of that name
// counts, even when a later one would verify.
func (c *Codec) Get(r *http.Request, name string) (id string, ok bool) {
	if name == "" {
		name = DefaultName
	}
	raw, ok := cookie.Get(r, name)
	if !ok {
		return "", false
	}
	return c.Decode(raw)
}

// NewID returns a new session ID shaped like express-session's default
// (uid-safe uid(24)): 24 bytes from crypto/rand in unpadded base64url, 32
// characters of [A-Za-z0-9_-], which URL-encoding leaves alone.
func NewID() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}
