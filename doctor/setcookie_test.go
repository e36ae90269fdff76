package doctor_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/doctor"
)

func TestParseSetCookie(t *testing.T) {
	tests := []struct {
		line string
		want doctor.SetCookie
		err  error
	}{
		{line: "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
			want: doctor.SetCookie{Name: "sid", Value: "abc", Path: "/", HasPath: true, HTTPOnly: true, Secure: true, SameSite: "Lax", SameSiteRaw: "Lax"}},
		{line: " sid = abc ;domain=.Example.COM; samesite=none; secure; partitioned",
			want: doctor.SetCookie{Name: "sid", Value: "abc", Domain: "example.com", HasDomain: true, SameSite: "None", SameSiteRaw: "none", Secure: true, Partitioned: true}},
		{line: "sid=abc; SameSite=Bogus",
			want: doctor.SetCookie{Name: "sid", Value: "abc", SameSiteRaw: "Bogus"}},
		{line: "sid=abc; Domain=; Path=relative",
			want: doctor.SetCookie{Name: "sid", Value: "abc"}},
		{line: "sid=abc; Max-Age=60; Max-Age=1x",
			want: doctor.SetCookie{Name: "sid", Value: "abc", MaxAge: 60, HasMaxAge: true}},
		{line: "sid=abc; Max-Age=-5",
			want: doctor.SetCookie{Name: "sid", Value: "abc", MaxAge: -5, HasMaxAge: true}},
		{line: "sid=abc; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
			want: doctor.SetCookie{Name: "sid", Value: "abc", Expires: time.Date(2099, 10, 21, 7, 28, 0, 0, time.UTC)}},
		{line: "sid=abc; Expires=not a date",
			want: doctor.SetCookie{Name: "sid", Value: "abc"}},
		{line: "justavalue", want: doctor.SetCookie{Value: "justavalue"}},
		{line: "=v", want: doctor.SetCookie{Value: "v"}},
		{line: "=", err: doctor.ErrEmptyCookie},
		{line: "sid=a\x01b", err: doctor.ErrControlChar},
		{line: "sid=a\tb; Path=/", want: doctor.SetCookie{Name: "sid", Value: "a\tb", Path: "/", HasPath: true}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := doctor.ParseSetCookie(tt.line)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error: got %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			tt.want.Raw = tt.line
			if !equalCookie(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func equalCookie(a, b doctor.SetCookie) bool {
	return a.Raw == b.Raw && a.Name == b.Name && a.Value == b.Value &&
		a.Domain == b.Domain && a.HasDomain == b.HasDomain && a.Path == b.Path && a.HasPath == b.HasPath &&
		a.Secure == b.Secure && a.HTTPOnly == b.HTTPOnly && a.Partitioned == b.Partitioned &&
		a.SameSite == b.SameSite && a.SameSiteRaw == b.SameSiteRaw &&
		a.MaxAge == b.MaxAge && a.HasMaxAge == b.HasMaxAge && a.Expires.Equal(b.Expires) &&
		slices.Equal(a.Oversized, b.Oversized)
}

func TestParseSetCookieOversizedAttribute(t *testing.T) {
	c, err := doctor.ParseSetCookie("sid=abc; Path=/" + strings.Repeat("a", 1100) + "; Secure")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Oversized, []string{"Path"}) || c.HasPath || !c.Secure {
		t.Errorf("got Oversized=%v HasPath=%v Secure=%v, want [Path] false true", c.Oversized, c.HasPath, c.Secure)
	}
}

// FuzzParseSetCookie: the parser never panics, a parsed cookie has a name or a
// value, names and values are trimmed, and Domain never keeps a leading dot.
func FuzzParseSetCookie(f *testing.F) {
	for _, s := range []string{
		"sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
		"__Host-sid=x; Secure; Path=/; Partitioned",
		"a=b; Domain=.example.com; Max-Age=99999999999999999999",
		"=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
		"x; ;;; =",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := doctor.ParseSetCookie(line)
		if err != nil {
			return
		}
		if c.Name == "" && c.Value == "" {
			t.Errorf("got an empty cookie without error for %q", line)
		}
		if strings.TrimSpace(c.Name) != c.Name && strings.Trim(c.Name, " \t") != c.Name {
			t.Errorf("name %q is not trimmed", c.Name)
		}
		if strings.HasPrefix(c.Domain, ".") && strings.TrimLeft(c.Domain, ".") == "" {
			return
		}
		if c.HasDomain && c.Domain != strings.ToLower(c.Domain) {
			t.Errorf("domain %q is not lower-cased", c.Domain)
		}
		if c.HasPath && !strings.HasPrefix(c.Path, "/") {
			t.Errorf("path %q kept without a leading slash", c.Path)
		}
		switch c.SameSite {
		case "", "None", "Lax", "Strict":
		default:
			t.Errorf("SameSite %q is not a known value", c.SameSite)
		}
		// The verdict never panics either, for any response URL and origin.
		doctor.EvaluateSetCookie(c, doctor.CookieContext{URL: mustURL("https://api.example.com/x"), Origin: mustURL("https://app.other.com")})
	})
}
