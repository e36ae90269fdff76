package origin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

func rules(err error) []problem.ID {
	var out []problem.ID
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var p *problem.Problem
		if errors.As(e, &p) {
			out = append(out, p.Rule)
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

func TestParseList(t *testing.T) {
	creds := origin.Options{Credentials: true}
	tests := []struct {
		name    string
		entries []string
		opt     origin.Options
		want    []problem.ID // nil: valid
		fix     string       // a substring of the first problem's Fix
	}{
		{"exact https", []string{"https://app.example.com"}, creds, nil, ""},
		{"pattern", []string{"https://*.example.com"}, creds, nil, ""},
		{"deep pattern", []string{"https://*.eu.example.com"}, creds, nil, ""},
		{"port", []string{"https://app.example.com:8443"}, creds, nil, ""},
		{"localhost any port", []string{"http://localhost:*"}, creds, nil, ""},
		{"localhost port", []string{"http://localhost:5173"}, creds, nil, ""},
		{"loopback v4", []string{"http://127.0.0.1:3000"}, creds, nil, ""},
		{"loopback v6", []string{"http://[::1]:3000"}, creds, nil, ""},
		{"dot localhost", []string{"http://app.localhost:3000"}, creds, nil, ""},
		{"punycode", []string{"https://xn--caf-dma.example"}, creds, nil, ""},
		{"star no creds", []string{"*"}, origin.Options{}, nil, ""},
		{"star creds", []string{"*"}, creds, []problem.ID{problem.WildcardCredentials}, ""},
		{"null", []string{"null"}, creds, []problem.ID{problem.NullOrigin}, ""},
		{"empty", []string{""}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"trailing slash", []string{"https://app.example.com/"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"path", []string{"https://app.example.com/app"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"query", []string{"https://app.example.com?x=1"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"fragment", []string{"https://app.example.com#x"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"default port https", []string{"https://app.example.com:443"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"default port http", []string{"http://localhost:80"}, creds, []problem.ID{problem.MalformedOrigin}, `"http://localhost"`},
		{"userinfo", []string{"https://user:pw@app.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"upper host", []string{"https://App.Example.com"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"upper scheme", []string{"HTTPS://app.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"trailing dot", []string{"https://app.example.com."}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"idn", []string{"https://café.example"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://xn--caf-dma.example"`},
		{"no scheme", []string{"app.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"ftp", []string{"ftp://app.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"leading zero port", []string{"https://app.example.com:08443"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com:8443"`},
		{"port too big", []string{"https://app.example.com:70000"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"inner star", []string{"https://app*.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"bare star host", []string{"https://*"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"star on ip", []string{"https://*.127.0.0.1"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"short ipv4", []string{"http://127.1"}, creds, []problem.ID{problem.MalformedOrigin}, ""},
		{"long ipv6", []string{"http://[0:0:0:0:0:0:0:1]"}, creds, []problem.ID{problem.MalformedOrigin}, `"http://[::1]"`},
		{"space", []string{" https://app.example.com"}, creds, []problem.ID{problem.MalformedOrigin}, `"https://app.example.com"`},
		{"herokuapp", []string{"https://*.herokuapp.com"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"com", []string{"https://*.com"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"co.uk", []string{"https://*.co.uk"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		// Every child of these is a public suffix (wildcard rules of the list):
		// the pattern allows registrable domains anyone can own, with
		// credentials or without.
		{"r.appspot.com", []string{"https://*.r.appspot.com"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"compute.amazonaws.com", []string{"https://*.compute.amazonaws.com"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"elb.amazonaws.com", []string{"https://*.elb.amazonaws.com"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"kawasaki.jp", []string{"https://*.kawasaki.jp"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"nom.br", []string{"https://*.nom.br"}, creds, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"r.appspot.com no creds", []string{"https://*.r.appspot.com"}, origin.Options{}, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"kawasaki.jp no creds", []string{"https://*.kawasaki.jp"}, origin.Options{}, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"nom.br no creds", []string{"https://*.nom.br"}, origin.Options{}, []problem.ID{problem.PublicSuffixWildcard}, ""},
		{"under a wildcard suffix is fine", []string{"https://*.myapp.uc.r.appspot.com"}, creds, nil, ""},
		{"exception of a wildcard rule is fine", []string{"https://*.city.kawasaki.jp"}, creds, nil, ""},
		{"ordinary subdomains", []string{"https://*.example.com"}, creds, nil, ""},
		{"ordinary subdomains no creds", []string{"https://*.example.com"}, origin.Options{}, nil, ""},
		{"localhost subdomains", []string{"http://*.localhost:*"}, creds, nil, ""},
		{"http creds", []string{"http://app.example.com"}, creds, []problem.ID{problem.InsecureOrigin}, ""},
		{"http pattern creds", []string{"http://*.example.com"}, creds, []problem.ID{problem.InsecureOrigin}, ""},
		{"http no creds", []string{"http://app.example.com"}, origin.Options{}, nil, ""},
		{"http dangerous", []string{"http://app.example.com"}, origin.Options{Credentials: true, DangerouslyAllowInsecureOrigins: true}, nil, ""},
		{"http private ip", []string{"http://192.168.1.10:3000"}, creds, []problem.ID{problem.InsecureOrigin}, ""},
		{
			"all joined",
			[]string{"null", "*", "https://a.example.com/", "https://*.com", "http://b.example.com"}, creds,
			[]problem.ID{problem.NullOrigin, problem.WildcardCredentials, problem.MalformedOrigin, problem.PublicSuffixWildcard, problem.InsecureOrigin}, "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := origin.ParseList(tt.entries, tt.opt)
			got := rules(err)
			if strings.Join(ids(got), ",") != strings.Join(ids(tt.want), ",") {
				t.Fatalf("got rules %v (err %v), want %v", got, err, tt.want)
			}
			if tt.want == nil && l == nil {
				t.Fatalf("got nil list, want a list")
			}
			if tt.want != nil && l != nil {
				t.Fatalf("got a list with error %v, want nil", err)
			}
			if tt.fix != "" {
				var p *problem.Problem
				errors.As(err, &p)
				if !strings.Contains(p.Fix, tt.fix) {
					t.Errorf("got fix %q, want it to contain %s", p.Fix, tt.fix)
				}
			}
		})
	}
}

func ids(r []problem.ID) []string {
	out := make([]string, len(r))
	for i, x := range r {
		out[i] = string(x)
	}
	return out
}

func TestAllows(t *testing.T) {
	l, err := origin.ParseList([]string{
		"https://app.example.com",
		"https://*.example.org",
		"http://localhost:*",
		"http://[::1]:3000",
		"https://admin.example.net:8443",
	}, origin.Options{Credentials: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://app.example.com", true},
		{"https://a.example.org", true},
		{"https://a.b.c.example.org", true},
		{"https://xn--pp-6kc.example.org", true}, // a punycode subdomain of a pattern the owner controls
		{"http://localhost", true},
		{"http://localhost:5173", true},
		{"http://[::1]:3000", true},
		{"https://admin.example.net:8443", true},

		// The bypass catalogue: none of these may pass.
		{"https://evil-example.com", false},
		{"https://evilexample.com", false},
		{"https://evilapp.example.com", false},
		{"https://app.example.com.evil.test", false},
		{"https://app.example.comevil.test", false},
		{"http://app.example.com", false},
		{"wss://app.example.com", false},
		{"https://APP.example.com", false}, // browsers serialise lower case: not a browser
		{"HTTPS://app.example.com", false},
		{"https://app.example.com.", false},
		{"https://а" + "pp.example.com", false},   // Cyrillic а (U+0430), raw
		{"https://xn--pp-6kc.example.com", false}, // its punycode form
		{"https://app.exаmple.org", false},        // Cyrillic in the registrable domain
		{"https://app.xn--exmple-4nf.org", false}, // and its punycode form
		{"https://app.example.com:8443", false},
		{"https://app.example.com:443", false},
		{"https://admin.example.net", false},
		{"https://admin.example.net:443", false},
		{"null", false},
		{"https://user@app.example.com", false},
		{"https://user:pw@app.example.com", false},
		{"", false},
		{"garbage", false},
		{"https://", false},
		{"://app.example.com", false},
		{"https://app.example.com/", false},
		{"https://app.example.com/path", false},
		{"https://example.org", false}, // the apex of a subdomain pattern
		{"https://.example.org", false},
		{"https://a..example.org", false},
		{"https://evil.com/.example.org", false},
		{"https://evil.com?.example.org", false},
		{"https://evil.com#.example.org", false},
		{"https://evil.com\x00.example.org", false},
		{"https://evil.com%2eexample.org", false},
		{"https://a.example.org:8443", false},
		{"http://a.example.org", false},
		{"http://localhost.evil.test", false},
		{"http://localhost:0", false},
		{"http://localhost:99999", false},
		{"http://localhost:", false},
		{"http://[::1]", false},
		{"http://[::1]:3001", false},
		{"https://app.example.com ", false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			if got := l.Allows(tt.origin); got != tt.want {
				t.Errorf("Allows(%q): got %v, want %v", tt.origin, got, tt.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in                 string
		scheme, host, port string
		ok                 bool
	}{
		{"https://app.example.com", "https", "app.example.com", "", true},
		{"http://localhost:5173", "http", "localhost", "5173", true},
		{"http://[::1]:3000", "http", "[::1]", "3000", true},
		{"http://127.0.0.1", "http", "127.0.0.1", "", true},
		{"https://app.example.com:443", "", "", "", false},
		{"http://app.example.com:80", "", "", "", false},
		{"https://App.example.com", "", "", "", false},
		{"https://app.example.com.", "", "", "", false},
		{"null", "", "", "", false},
		{"https://a:b@c", "", "", "", false},
		{"https://[::1", "", "", "", false},
		{"https://[zz]", "", "", "", false},
		{"https://" + strings.Repeat("a", 64) + ".com", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, h, p, ok := origin.Split(tt.in)
			if s != tt.scheme || h != tt.host || p != tt.port || ok != tt.ok {
				t.Errorf("got %q %q %q %v, want %q %q %q %v", s, h, p, ok, tt.scheme, tt.host, tt.port, tt.ok)
			}
		})
	}
}

func TestPatternsRoundTrip(t *testing.T) {
	in := []string{"https://app.example.com", "https://*.example.org", "http://localhost:*", "https://app.example.com", "*"}
	l, err := origin.ParseList(in, origin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(l.Strings(), " ")
	want := "https://app.example.com https://*.example.org http://localhost:* *"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if n := len(l.Patterns()); n != 3 {
		t.Errorf("got %d patterns, want 3", n)
	}
	if !l.Any() {
		t.Errorf("got Any() false, want true")
	}
	var nilList *origin.List
	if nilList.Allows("https://app.example.com") || nilList.Any() || nilList.Strings() != nil {
		t.Errorf("got a nil list that allows something, want nothing")
	}
}

func BenchmarkAllows(b *testing.B) {
	l, err := origin.ParseList([]string{"https://app.example.com", "https://*.example.org"}, origin.Options{Credentials: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range []string{"https://app.example.com", "https://a.b.example.org", "https://evil.example.net"} {
		b.Run(o, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l.Allows(o)
			}
		})
	}
}
