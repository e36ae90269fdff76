package express

import (
	"strings"

	"github.com/sesame-go/sesame/internal/node"
	"github.com/sesame-go/sesame/session"
)

// Format is express-session's cookie and store-key format as a session.Format:
// the cookie is connect.sid=s%3A<id>.<signature> and the store key is the raw
// session ID, which connect-redis prefixes with "sess:". Put it in
// session.Config.Format (SessionConfig does) to share sessions with an Express
// application. It is safe for concurrent use.
type Format struct {
	codec *Codec
}

var _ session.Format = (*Format)(nil)

// NewFormat returns the format for the Express app's `secret` option: the first
// secret signs, every secret verifies, in order. An empty list or an empty
// secret is an error (rule SES030), as for NewCodec.
func NewFormat(secrets []string) (*Format, error) {
	c, err := NewCodec(secrets)
	if err != nil {
		return nil, err
	}
	return &Format{codec: c}, nil
}

// Codec returns the cookie codec the format signs with.
func (f *Format) Codec() *Codec { return f.codec }

// NewID returns an ID shaped like express-session's default (NewID).
func (f *Format) NewID() (string, error) { return NewID(), nil }

// AppendValue appends the cookie value express-session writes for id.
func (f *Format) AppendValue(dst []byte, id string) []byte { return f.codec.AppendEncode(dst, id) }

// AppendStoreKey appends id itself: connect-redis keys records by the raw
// session ID (prefix + ID). This is the documented exception to sesame storing
// only a hash of the ID: anyone who can read the Redis keys can use them as
// cookies, as in every Express deployment.
func (f *Format) AppendStoreKey(dst []byte, id string) []byte { return append(dst, id...) }

// maxStackValue bounds the cookie values Decode decodes without allocating. An
// express-session value with a default ID is about 110 bytes.
const maxStackValue = 512

// Decode reads a cookie value as express-session's getcookie does (one pair of
// surrounding quotes is already removed by the Manager): URL-decoded only when
// it holds '%', kept raw when decoding fails (decodeURIComponent throws), then
// "s:" + ID + "." + a signature one of the secrets verifies. A value without
// the "s:" prefix or a signature-shaped tail is Malformed; a signature no
// secret verifies is BadSignature. Rejected values cost no allocation (values
// over 512 bytes excepted); an accepted one costs the ID string.
func (f *Format) Decode(value string) (string, session.Reason) {
	var buf [maxStackValue]byte
	v := value
	if strings.IndexByte(value, '%') >= 0 {
		if len(value) <= maxStackValue {
			if b, ok := node.AppendDecodeURIComponent(buf[:0], value); ok {
				v = unsafeString(b)
			}
		} else {
			v = node.DecodeCookieValue(value)
		}
	}
	if len(v) < 2 || v[0] != 's' || v[1] != ':' {
		return "", session.Malformed
	}
	dot := strings.LastIndexByte(v, '.')
	if dot < 3 || len(v)-dot-1 != node.SigLen {
		return "", session.Malformed
	}
	id, _, ok := f.codec.secrets.Unsign(v[2:])
	if !ok {
		return "", session.BadSignature
	}
	// id may point into buf: copy it before buf goes away.
	return strings.Clone(id), session.Found
}
