package csrf_test

import (
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/origin"
)

// FuzzCheck sends arbitrary cross-site writes: only an origin on the trusted list
// may pass, whatever its spelling.
func FuzzCheck(f *testing.F) {
	for _, o := range []string{"https://app.example.com", "https://evil.test", "null", "https://a.example.org", "https://example.org", "https://APP.example.com"} {
		f.Add(o, "cross-site")
	}
	f.Add("https://app.example.com", "same-site")
	trusted := []string{"https://app.example.com", "https://*.example.org"}
	c, err := csrf.New(csrf.Config{TrustedOrigins: trusted})
	if err != nil {
		f.Fatal(err)
	}
	list, _ := origin.ParseList(trusted, origin.Options{Credentials: true})
	f.Fuzz(func(t *testing.T, o, site string) {
		if site == "same-origin" || site == "none" {
			return
		}
		r := httptest.NewRequest("POST", "https://api.example.com/", nil)
		r.Header["Origin"] = []string{o}
		r.Header["Sec-Fetch-Site"] = []string{site}
		if err := c.Check(r); err == nil && !list.Allows(o) && site != "" {
			t.Fatalf("got nil for a %q write from %q, which is not trusted", site, o)
		}
	})
}
