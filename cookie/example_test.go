package cookie_test

import (
	"errors"
	"fmt"

	"net/http/httptest"
	"net/url"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
)

func ExampleSet() {
	r := httptest.NewRequest("GET", "https://api.example.com/login", nil)
	w := httptest.NewRecorder()
	c := cookie.Cookie{
		Name: "__Host-sid", Value: "opaque-id", Secure: true, HttpOnly: true,
		SameSite: cookie.SameSiteNone, Partitioned: true, Priority: cookie.PriorityHigh,
	}
	if _, err := cookie.Set(w, r, &c); err != nil {
		fmt.Println(err)
	}
	fmt.Println(w.Header().Get("Set-Cookie"))
	// Output: __Host-sid=opaque-id; Path=/; HttpOnly; Secure; Partitioned; Priority=High; SameSite=None
}

// The wrong way: a cross-site cookie without Secure. net/http would send it and
// the browser would drop it; Set refuses and says why.
func ExampleSet_wrong() {
	r := httptest.NewRequest("GET", "http://api.example.com/login", nil)
	w := httptest.NewRecorder()
	c := cookie.Cookie{Name: "sid", Value: "x", SameSite: cookie.SameSiteNone, Domain: "example.org"}
	_, err := cookie.Set(w, r, &c)
	var p *problem.Problem
	fmt.Println(errors.As(err, &p), p.Rule)
	fmt.Println(err)
	fmt.Println(len(w.Header().Values("Set-Cookie")), "header written")
	// Output:
	// true SES008
	// SES008: Domain "example.org" does not domain-match the request host "api.example.com" (RFC 6265bis §5.1.3); fix: use the request host or one of its parent domains, or leave Domain empty
	// SES006: cookie "sid" is SameSite=None without Secure; browsers reject it (RFC 6265bis §5.7); fix: set Secure and serve the API over HTTPS
	// 0 header written
}

func ExampleAppendSetCookie() {
	c := cookie.Cookie{Name: "prefs", Value: url.PathEscape("dark mode"), Path: "/app", MaxAge: 30 * 24 * time.Hour}
	line, warnings, err := cookie.AppendSetCookie(nil, &c, "app.example.com")
	fmt.Println(string(line), warnings, err)
	// Output: prefs=dark%20mode; Max-Age=2592000; Path=/app; SameSite=Lax [] <nil>
}

// A lifetime past the browsers' 400-day cap is written capped, with a warning.
func ExampleAppendSetCookie_capped() {
	c := cookie.Cookie{Name: "remember", Value: "1", MaxAge: 5 * 365 * 24 * time.Hour}
	line, warnings, err := cookie.AppendSetCookie(nil, &c, "")
	fmt.Println(string(line), err)
	fmt.Println(warnings[0].Rule, warnings[0].Severity)
	// Output:
	// remember=1; Max-Age=34560000; Path=/; SameSite=Lax <nil>
	// SES019 warning
}

func ExampleCookie_Check() {
	c := cookie.Cookie{Name: "__Host-sid", Domain: "example.com", Secure: true}
	_, err := c.Check("api.example.com")
	fmt.Println(err)
	// Output: SES028: cookie "__Host-sid" is a __Host- cookie with a Domain attribute; fix: leave Domain empty, or drop the __Host- prefix for __Secure-
}

func ExampleClear() {
	r := httptest.NewRequest("POST", "https://app.example.com/logout", nil)
	w := httptest.NewRecorder()
	session := cookie.Cookie{Name: "sid", Domain: "example.com", Path: "/app", Secure: true, HttpOnly: true}
	if err := cookie.Clear(w, r, &session); err != nil {
		fmt.Println(err)
	}
	fmt.Println(w.Header().Get("Set-Cookie"))
	// Output: sid=; Max-Age=0; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax
}

func ExampleGet() {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "theme=dark; sid=abc; sid=older")
	v, ok := cookie.Get(r, "sid")
	fmt.Println(v, ok)
	// Output: abc true
}

func ExampleParse() {
	for _, p := range cookie.Parse(` a = 1 ; flag; b="q"`) {
		fmt.Printf("%q=%q\n", p.Name, p.Value)
	}
	// Output:
	// "a"="1"
	// ""="flag"
	// "b"="\"q\""
}

func ExamplePairs() {
	for name, value := range cookie.Pairs("a=1; b=2") {
		fmt.Println(name, value)
	}
	// Output:
	// a 1
	// b 2
}

func ExampleAll() {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Cookie", "sid=new")
	r.Header.Add("Cookie", "sid=old")
	fmt.Println(cookie.All(r))
	// Output: [{sid new} {sid old}]
}

func ExampleLookup() {
	fmt.Println(cookie.Lookup("a=1; b=2", "b"))
	// Output: 2 true
}

func ExampleKeyring_Sign() {
	kr, err := cookie.NewKeyring([]byte("example-key-0123456789abcdef0123456789"))
	if err != nil {
		panic(err)
	}
	v := kr.Sign("user-42")
	fmt.Println(kr.Verify(v))
	fmt.Println(kr.Verify(v[:len(v)-1] + "x")) // tampered
	// Output:
	// user-42 0 true
	//  -1 false
}

func ExampleNewKeyring() {
	_, err := cookie.NewKeyring([]byte("too short"))
	fmt.Println(err)
	// Output: SES030: cookie: signing key 0 is 9 bytes, under the 32 bytes HMAC-SHA256 needs; fix: use 32 random bytes (sesame keygen prints one)
}

func ExampleKeyring_AppendSigned() {
	kr, err := cookie.NewKeyring([]byte("example-key-0123456789abcdef0123456789"))
	if err != nil {
		panic(err)
	}
	buf := kr.AppendSigned([]byte("sid="), "v") // no allocation with room in buf
	fmt.Println(len(buf) == len("sid=v.")+cookie.TagLen)
	// Output: true
}

func ExampleCookie_Cleared() {
	session := cookie.Cookie{Name: "__Host-sid", Value: "x", Secure: true, HttpOnly: true, SameSite: cookie.SameSiteNone}
	gone := session.Cleared()
	line, _, _ := cookie.AppendSetCookie(nil, &gone, "")
	fmt.Println(string(line))
	// Output: __Host-sid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None
}

func ExampleKeyring_Verify() {
	newKey, oldKey := []byte("new-key-0123456789abcdef0123456789abc"), []byte("old-key-0123456789abcdef0123456789abc")
	kr, err := cookie.NewKeyring(newKey, oldKey) // the first signs, both verify
	if err != nil {
		panic(err)
	}
	old, err := cookie.NewKeyring(oldKey)
	if err != nil {
		panic(err)
	}
	v, key, ok := kr.Verify(old.Sign("a.b"))
	fmt.Println(v, key, ok) // key 1: verified by an older key, re-sign it
	// Output: a.b 1 true
}

func ExampleNewKeyring_pattern() {
	_, err := cookie.NewKeyring(make([]byte, 32)) // an all-zero buffer, never filled
	fmt.Println(err)
	// Output: SES030: cookie: signing key 0 repeats its first 1 byte(s) throughout, so it is no harder to guess than they are; fix: use 32 random bytes (sesame keygen prints one), not a word, a repeated character or an empty buffer
}
