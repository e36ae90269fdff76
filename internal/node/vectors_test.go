package node_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/internal/node"
	"github.com/sesame-go/sesame/internal/vectors"
)

func secrets(t *testing.T, s ...string) *node.Secrets {
	t.Helper()
	es, err := node.NewSecrets(s...)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestCookieSignatureVectors(t *testing.T) {
	v := load(t, vectors.LoadSignature)
	if len(v.Sign) == 0 || len(v.Unsign) == 0 || len(v.Rotation.FunctionLevel) == 0 {
		t.Fatal("cookie-signature.json: no cases read")
	}
	for _, c := range v.Sign {
		t.Run("sign/"+c.Name, func(t *testing.T) {
			if c.Secret == "" {
				// A legal HMAC key, refused by NewSecrets because
				// express-session treats "" as no secret.
				if _, err := node.NewSecrets(""); !hasRule(err, "SES030") {
					t.Fatalf("empty secret: got %v, want SES030", err)
				}
				return
			}
			s := secrets(t, c.Secret)
			if got := s.Sign(c.Value); got != c.Signed {
				t.Fatalf("got %q, want %q", got, c.Signed)
			}
			if got, i, ok := s.Unsign(c.Signed); !ok || got != c.Value || i != 0 {
				t.Fatalf("Unsign: got (%q, %d, %v), want (%q, 0, true)", got, i, ok, c.Value)
			}
		})
	}
	for _, c := range v.Unsign {
		t.Run("unsign/"+c.Name, func(t *testing.T) {
			got, _, ok := secrets(t, c.Secret).Unsign(c.Input)
			switch want := c.Expected.(type) {
			case string:
				if !ok || got != want {
					t.Fatalf("got (%q, %v), want (%q, true)", got, ok, want)
				}
			case bool:
				if ok {
					t.Fatalf("got (%q, true), want false", got)
				}
			default:
				t.Fatalf("unexpected expectation %#v", c.Expected)
			}
		})
	}
	for _, c := range v.Rotation.FunctionLevel {
		t.Run("rotation/"+c.Name, func(t *testing.T) {
			got, i, ok := secrets(t, c.Secrets...).UnsignCookie(c.CookieValue)
			if c.MatchedSecretIndex == nil {
				if ok {
					t.Fatalf("got (%q, %d, true), want false", got, i)
				}
				return
			}
			if !ok || got != c.Expected || i != *c.MatchedSecretIndex {
				t.Fatalf("got (%q, %d, %v), want (%v, %d, true)", got, i, ok, c.Expected, *c.MatchedSecretIndex)
			}
		})
	}
}

// resCookie does what Express's res.cookie does with these options, using this
// package: the value is a string, "j:" + JSON for objects, optionally signed,
// then URL-encoded; maxAge gives Max-Age and Expires.
func resCookie(t *testing.T, s *node.Secrets, name string, raw, rawOpts json.RawMessage) cookie.Cookie {
	t.Helper()
	var opts struct {
		Signed      bool
		MaxAge      *float64
		Domain      string
		Path        string
		HTTPOnly    bool `json:"httpOnly"`
		Secure      bool
		Partitioned bool
		Priority    string
		SameSite    string
		Expires     struct{ Date time.Time }
	}
	var value string
	switch {
	case string(rawOpts) == `"clear"`: // res.clearCookie(name)
		return cookie.Cookie{Name: name, Expires: time.UnixMilli(1), SameSite: cookie.SameSiteOmit}
	case len(raw) > 0 && (raw[0] == '{' || raw[0] == '[' || string(raw) == "null"):
		var err error
		if value, err = node.JSONCookie(raw); err != nil {
			t.Fatal(err)
		}
	case len(raw) > 0 && raw[0] == '"':
		if err := json.Unmarshal(raw, &value); err != nil {
			t.Fatal(err)
		}
	default: // a number: String(v)
		value = string(raw)
	}
	if string(rawOpts) != "null" {
		if err := json.Unmarshal(rawOpts, &opts); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Signed {
		value = s.SignCookie(value)
	}
	c := cookie.Cookie{
		Name: name, Value: node.EncodeURIComponent(value), Domain: opts.Domain, Path: opts.Path,
		HttpOnly: opts.HTTPOnly, Secure: opts.Secure, Partitioned: opts.Partitioned,
		SameSite: cookie.SameSiteOmit, Expires: opts.Expires.Date,
	}
	if opts.MaxAge != nil {
		d := time.Duration(*opts.MaxAge) * time.Millisecond
		c.MaxAge = d
		c.Expires = time.Now().Add(d)
	}
	switch opts.SameSite {
	case "strict":
		c.SameSite = cookie.SameSiteStrict
	case "lax":
		c.SameSite = cookie.SameSiteLax
	case "none":
		c.SameSite = cookie.SameSiteNone
	}
	switch opts.Priority {
	case "low":
		c.Priority = cookie.PriorityLow
	case "medium":
		c.Priority = cookie.PriorityMedium
	case "high":
		c.Priority = cookie.PriorityHigh
	}
	return c
}

// frozen is the vectors' clock (FORMATS.md "Clock").
var frozen = time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)

// atFrozenClock runs f in a synctest bubble whose clock reads frozen.
func atFrozenClock(t *testing.T, f func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(frozen)) // moves the bubble's fake clock, instantly
		f(t)
	})
}

func TestResCookieVectors(t *testing.T) {
	v := load(t, vectors.LoadParser)
	if len(v.Set) == 0 {
		t.Fatal("cookie-parser.json: no set cases read")
	}
	for _, c := range v.Set {
		t.Run(c.Name, func(t *testing.T) {
			atFrozenClock(t, func(t *testing.T) {
				s := secrets(t, v.Secrets...)
				name, _, _ := strings.Cut(c.SetCookie, "=")
				ck := resCookie(t, s, name, c.Value, c.Options)
				line, warns, err := cookie.AppendSetCookie(nil, &ck, "")
				if err != nil || warns != nil {
					t.Fatalf("got (%v, %v), want no problem", warns, err)
				}
				if string(line) != c.SetCookie {
					t.Fatalf("got  %s\nwant %s", line, c.SetCookie)
				}
			})
			checkParsed(t, c, secrets(t, v.Secrets...))
		})
	}
}

func TestCookieParserVectors(t *testing.T) {
	v := load(t, vectors.LoadParser)
	if len(v.Parse) == 0 || len(v.WithoutSecret.Cases) == 0 {
		t.Fatal("cookie-parser.json: no parse cases read")
	}
	for _, c := range v.Parse {
		t.Run(c.Name, func(t *testing.T) { checkParsed(t, c, secrets(t, v.Secrets...)) })
	}
	for _, c := range v.WithoutSecret.Cases {
		t.Run(c.Name, func(t *testing.T) { checkParsed(t, c, nil) })
	}
}

func checkParsed(t *testing.T, c vectors.ParserCase, s *node.Secrets) {
	t.Helper()
	cookies, signed := node.ParseCookies(c.RequestCookieHeader, s)
	for _, m := range []struct {
		what string
		got  map[string]node.Value
		want map[string]any
	}{{"cookies", cookies, c.Parsed.Cookies}, {"signedCookies", signed, c.Parsed.SignedCookies}} {
		got := map[string]any{}
		for k, v := range m.got {
			got[k] = v.Express()
		}
		want := m.want
		if want == nil {
			want = map[string]any{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s of %q: got %#v, want %#v", m.what, c.RequestCookieHeader, got, want)
		}
	}
}

func TestParseCookiesQuirks(t *testing.T) {
	tests := []struct {
		header string
		want   map[string]string
	}{
		{"a", map[string]string{}},                        // under 2 bytes
		{"a=", map[string]string{"a": ""}},                // empty value
		{"=v", map[string]string{"": "v"}},                // empty name
		{`a="`, map[string]string{"a": ""}},               // lone quote
		{`a=""`, map[string]string{"a": ""}},              // empty quoted
		{`a="x`, map[string]string{"a": `"x`}},            // unbalanced
		{"flag; other; a=1", map[string]string{"a": "1"}}, // pieces without '='
		{"a=1; flag; a=2", map[string]string{"a": "1"}},   // first wins
		{"x=%E2%9C%93; y=%ZZ", map[string]string{"x": "✓", "y": "%ZZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			cookies, _ := node.ParseCookies(tt.header, nil)
			got := map[string]string{}
			for k, v := range cookies {
				got[k] = v.Value
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeJSONCookie(t *testing.T) {
	tests := []struct {
		in   string
		want any
		ok   bool
	}{
		{`j:{"a":1}`, map[string]any{"a": 1.0}, true},
		{`j:[]`, []any{}, true},
		{`j:"s"`, "s", true},
		{`j:1.5`, 1.5, true},
		{`j:true`, true, true},
		{`j:0`, nil, false},
		{`j:-0`, nil, false},
		{`j:0e5`, nil, false},
		{`j:false`, nil, false},
		{`j:null`, nil, false},
		{`j:""`, nil, false},
		{`j:{bad`, nil, false},
		{`{"a":1}`, nil, false},
		{`J:{}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := node.DecodeJSONCookie(tt.in)
			if ok != tt.ok || (ok && !reflect.DeepEqual(got, tt.want)) {
				t.Fatalf("got (%#v, %v), want (%#v, %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestJSONCookie(t *testing.T) {
	got, err := node.JSONCookie(struct {
		B string `json:"b"`
		A int    `json:"a"`
	}{"<&>", 1})
	if want := `j:{"b":"<&>","a":1}`; err != nil || got != want {
		t.Fatalf("got (%q, %v), want %q", got, err, want)
	}
	if _, err := node.JSONCookie(func() {}); err == nil {
		t.Fatal("got no error for a func, want one")
	}
}

func TestNewSecrets(t *testing.T) {
	if _, err := node.NewSecrets(); !hasRule(err, "SES030") {
		t.Fatalf("no secret: got %v, want SES030", err)
	}
	if _, err := node.NewSecrets("ok", ""); !hasRule(err, "SES030") {
		t.Fatalf("empty secret: got %v, want SES030", err)
	}
	s := secrets(t, "a", "b")
	if s.Len() != 2 {
		t.Fatalf("Len: got %d, want 2", s.Len())
	}
	if _, _, ok := s.UnsignCookie("x"); ok {
		t.Fatal(`UnsignCookie("x"): got ok, want not ok`)
	}
	// A signed cookie survives res.cookie's encoding and the reader's decoding.
	enc := node.EncodeURIComponent(s.SignCookie("a b+c/d"))
	dec, err := url.PathUnescape(enc)
	if err != nil || node.DecodeCookieValue(enc) != dec {
		t.Fatalf("decode: got %q, want %q (%v)", node.DecodeCookieValue(enc), dec, err)
	}
	if v, i, ok := s.UnsignCookie(dec); !ok || v != "a b+c/d" || i != 0 {
		t.Fatalf("got (%q, %d, %v), want (%q, 0, true)", v, i, ok, "a b+c/d")
	}
}

func BenchmarkExpressUnsign(b *testing.B) {
	s, _ := node.NewSecrets("keyboard cat", "old")
	signed := s.Sign("ENEXZGbrammM35qNYL5qUXmPOcFM7qzC")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := s.Unsign(signed); !ok {
			b.Fatal("did not verify")
		}
	}
}
