package vectors_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/internal/vectors"
)

// The counts testdata/vectors/README.md documents. A regenerated set that adds
// cases changes them here and there together.
const (
	signCases         = 31
	unsignCases       = 20
	unsignNegative    = 16
	rotationFunctions = 4
	rotationLiveSteps = 4
	setCases          = 16
	parseCases        = 21
	noSecretCases     = 2
	sessionScenarios  = 22
	redisScenarios    = 15
	foreignRecords    = 10
)

// frozen is the generator's clock (README "Clock").
var frozen = time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)

// Every file decodes with unknown fields refused (vectors.Read), so the field
// names are the documented ones; these tests check the counts and the fields
// every case must have.
func TestFormat(t *testing.T) {
	type count struct {
		what      string
		got, want int
	}
	check := func(t *testing.T, cs ...count) {
		t.Helper()
		for _, c := range cs {
			if c.got != c.want {
				t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
			}
		}
	}
	header := func(t *testing.T, name string, h vectors.Header) {
		t.Helper()
		if h.GeneratedBy == "" || h.Description == "" || !h.FrozenClockStart.Equal(frozen) {
			t.Errorf("%s: header got (%q, %q, %v), want a generator, a description and clock %v", name, h.GeneratedBy, h.Description, h.FrozenClockStart, frozen)
		}
		for _, pkg := range []string{"express", "express-session", "connect-redis", "cookie-parser", "node"} {
			if h.Versions[pkg] == "" {
				t.Errorf("%s: versions has no %q", name, pkg)
			}
		}
	}

	t.Run(vectors.SignatureFile, func(t *testing.T) {
		v, err := vectors.LoadSignature()
		if err != nil {
			t.Fatal(err)
		}
		header(t, vectors.SignatureFile, v.Header)
		neg := 0
		for _, c := range v.Unsign {
			if c.Expected == false {
				neg++
			} else if _, ok := c.Expected.(string); !ok {
				t.Errorf("unsign %s: expected got %#v, want a string or false", c.Name, c.Expected)
			}
		}
		check(t,
			count{"sign cases", len(v.Sign), signCases},
			count{"unsign cases", len(v.Unsign), unsignCases},
			count{"negative unsign cases", neg, unsignNegative},
			count{"rotation.function_level", len(v.Rotation.FunctionLevel), rotationFunctions},
			count{"rotation.live_express_session.steps", len(v.Rotation.Live.Steps), rotationLiveSteps})
		names := map[string]bool{}
		for _, c := range v.Sign {
			if names[c.Name] {
				t.Errorf("sign %s: name used twice", c.Name)
			}
			names[c.Name] = true
			if len(c.Signature) != 43 || c.Signed != c.Value+"."+c.Signature {
				t.Errorf("sign %s: got signed %q, signature %q; want value + \".\" + 43 characters", c.Name, c.Signed, c.Signature)
			}
			if b, err := hex.DecodeString(c.HMACSHA256Hex); err != nil || len(b) != 32 {
				t.Errorf("sign %s: hmac_sha256_hex got %q, want 64 hex digits", c.Name, c.HMACSHA256Hex)
			}
		}
	})

	t.Run(vectors.ParserFile, func(t *testing.T) {
		v, err := vectors.LoadParser()
		if err != nil {
			t.Fatal(err)
		}
		header(t, vectors.ParserFile, v.Header)
		check(t,
			count{"secrets", len(v.Secrets), 2},
			count{"set", len(v.Set), setCases},
			count{"parse", len(v.Parse), parseCases},
			count{"without_secret.cases", len(v.WithoutSecret.Cases), noSecretCases})
		for _, c := range v.Set {
			if c.SetCookie == "" || c.CookieName == "" || len(c.Value) == 0 || len(c.Options) == 0 || !strings.HasPrefix(c.SetCookie, c.CookieName+"=") {
				t.Errorf("set %s: got set_cookie %q, cookie_name %q, value %s, options %s; want all four, the line starting with the name", c.Name, c.SetCookie, c.CookieName, c.Value, c.Options)
			}
		}
		for _, c := range append(append([]vectors.ParserCase{}, v.Set...), v.Parse...) {
			if c.RequestCookieHeader == "" || c.Parsed.Cookies == nil || c.Parsed.SignedCookies == nil || c.Parsed.Secret == nil {
				t.Errorf("%s: got header %q and parsed %+v, want a header, both maps and the secret", c.Name, c.RequestCookieHeader, c.Parsed)
			}
		}
	})

	scenarios := func(t *testing.T, what string, scs []vectors.Scenario, redis bool) {
		t.Helper()
		names := map[string]bool{}
		for _, sc := range scs {
			if names[sc.Name] || sc.Name == "" || sc.Description == "" {
				t.Errorf("%s %q: want a unique name and a description", what, sc.Name)
			}
			names[sc.Name] = true
			if len(sc.SessionOptions.Secret) == 0 || sc.SessionOptions.Genid == "" || len(sc.Steps) == 0 {
				t.Errorf("%s %s: got %d secrets, genid %q, %d steps; want all", what, sc.Name, len(sc.SessionOptions.Secret), sc.SessionOptions.Genid, len(sc.Steps))
			}
			if redis && sc.StoreOptions == nil {
				t.Errorf("%s %s: no store_options", what, sc.Name)
			}
			for _, st := range sc.Steps {
				if st.Label == "" || st.Clock.Before(frozen) || st.Request.Method == "" || st.Request.Path == "" || st.Response.Status == 0 {
					t.Errorf("%s %s, step %q: want a label, a clock from %v, the request and the status", what, sc.Name, st.Label, frozen)
				}
				if len(st.Decoded) != len(st.Response.SetCookie) {
					t.Errorf("%s %s, step %q: got %d decoded lines for %d Set-Cookie lines", what, sc.Name, st.Label, len(st.Decoded), len(st.Response.SetCookie))
				}
				for i, d := range st.Decoded {
					if d.Line != st.Response.SetCookie[i] || !strings.HasPrefix(d.Line, d.Name+"="+d.RawValue) {
						t.Errorf("%s %s, step %q: decoded line %d does not match %q", what, sc.Name, st.Label, i, st.Response.SetCookie[i])
					}
					if d.SessionID != "" && (d.SignedWithSecretIndex == nil || len(d.Signature) != 43) {
						t.Errorf("%s %s, step %q: a session cookie without its signature or secret index", what, sc.Name, st.Label)
					}
				}
				if redis && st.RedisCommands == nil {
					t.Errorf("%s %s, step %q: no redis_commands", what, sc.Name, st.Label)
				}
			}
		}
	}

	t.Run(vectors.SessionFile, func(t *testing.T) {
		v, err := vectors.LoadSession()
		if err != nil {
			t.Fatal(err)
		}
		header(t, vectors.SessionFile, v.Header)
		check(t, count{"scenarios", len(v.Scenarios), sessionScenarios})
		scenarios(t, "scenario", v.Scenarios, false)
	})

	t.Run(vectors.RedisFile, func(t *testing.T) {
		v, err := vectors.LoadRedis()
		if err != nil {
			t.Fatal(err)
		}
		header(t, vectors.RedisFile, v.Header)
		check(t,
			count{"scenarios", len(v.Scenarios), redisScenarios},
			count{"foreign_records.cases", len(v.ForeignRecords.Cases), foreignRecords})
		scenarios(t, "scenario", v.Scenarios, true)
		scenarios(t, "foreign record", v.ForeignRecords.Cases, true)
		for _, c := range v.ForeignRecords.Cases {
			if c.RecordWritten == nil || c.RecordWritten.Key == "" {
				t.Errorf("foreign record %s: no record_written", c.Name)
			}
		}
	})
}
