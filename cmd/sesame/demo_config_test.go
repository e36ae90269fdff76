package main_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
	dr "github.com/sesame-go/sesame/problem"
)

func TestDemoFlagDefaults(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		wantPublic    string
		wantFrontends []string
		wantStore     string
	}{
		{"defaults", nil, "http://localhost:8080", []string{"http://localhost:5173"}, "bolt:" + filepath.Join(".sesame", "sessions.db")},
		{"unspecified hosts are localhost", []string{"--api-addr=:9000", "--app-addr=0.0.0.0:9001"}, "http://localhost:9000", []string{"http://localhost:9001"}, "bolt:" + filepath.Join(".sesame", "sessions.db")},
		{"API only", []string{"--app-addr="}, "http://localhost:8080", nil, "bolt:" + filepath.Join(".sesame", "sessions.db")},
		{"explicit", []string{"--public-origin=https://api.example.com", "--frontend-origin=https://a.example.com", "--frontend-origin", "https://b.example.com,https://c.example.com", "--data-dir=/tmp/x", "--store=memory"},
			"https://api.example.com", []string{"https://a.example.com", "https://b.example.com", "https://c.example.com"}, "memory"},
		{"data dir moves the store", []string{"--data-dir=/var/lib/demo"}, "http://localhost:8080", []string{"http://localhost:5173"}, "bolt:/var/lib/demo/sessions.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := main.ParseDemoFlags(tt.args)
			if err != nil {
				t.Fatalf("ParseDemoFlags(%q): %v", tt.args, err)
			}
			if c.PublicOrigin != tt.wantPublic {
				t.Errorf("public origin: got %q, want %q", c.PublicOrigin, tt.wantPublic)
			}
			if !slices.Equal(c.FrontendOrigins, tt.wantFrontends) {
				t.Errorf("front-end origins: got %q, want %q", c.FrontendOrigins, tt.wantFrontends)
			}
			if c.Store != tt.wantStore {
				t.Errorf("store: got %q, want %q", c.Store, tt.wantStore)
			}
		})
	}
}

func TestDemoFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad listen address", []string{"--api-addr=nope"}, "listen address"},
		{"negative timeout", []string{"--idle-timeout=-1s"}, "negative"},
		{"stray argument", []string{"extra"}, "unexpected argument"},
		{"bad duration", []string{"--absolute-timeout=soon"}, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := main.ParseDemoFlags(tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDemoFlags(%q): got %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

// The demo refuses what sesame refuses, every problem at once, each naming its rule.
func TestDemoConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []dr.ID
	}{
		{"wildcard front end", []string{"--frontend-origin=*"}, []dr.ID{dr.WildcardCredentials}},
		{"front end with a path", []string{"--frontend-origin=https://app.example.com/"}, []dr.ID{dr.MalformedOrigin}},
		{"bad proxy and bad hop count", []string{"--trust-proxy=not-a-range"}, []dr.ID{dr.InvalidProxyConfig}},
		{"zero hops", []string{"--trust-proxy=0"}, []dr.ID{dr.InvalidProxyConfig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--store=memory", "--data-dir=" + t.TempDir()}, tt.args...)
			_, _, _, closeFn, err := main.DemoHandlers(t.Context(), args, nil)
			if err == nil {
				closeFn()
				t.Fatalf("demo %q: got no error, want %v", tt.args, tt.want)
			}
			for _, rule := range tt.want {
				if !hasRule(err, rule) {
					t.Errorf("demo %q: got %v, want a problem with rule %s", tt.args, err, rule)
				}
			}
		})
	}
}

func hasRule(err error, rule dr.ID) bool {
	if err == nil {
		return false
	}
	var p *dr.Problem
	if errors.As(err, &p) && p.Rule == rule {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if hasRule(e, rule) {
				return true
			}
		}
	}
	return false
}

func TestLoadKeysGeneratesOnceAndKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	first, err := main.LoadKeys(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || len(first[0]) != 32 {
		t.Fatalf("generated keys: got %d keys of %d bytes, want one of 32", len(first), len(first[0]))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode: got %v, want 0600", perm)
	}
	again, err := main.LoadKeys(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first[0], again[0]) {
		t.Errorf("second start: got a different key, want the persisted one")
	}
	if _, err := main.LoadKeys(filepath.Join(t.TempDir(), "missing"), false); !hasRule(err, dr.WeakKey) {
		t.Errorf("explicit missing --secret-file: got %v, want a %s problem", err, dr.WeakKey)
	}
}

func TestParseKeys(t *testing.T) {
	k32 := strings.Repeat("A", 43) // 32 zero bytes, unpadded base64url
	tests := []struct {
		name    string
		data    string
		want    int
		wantErr bool
	}{
		{"one key", k32 + "\n", 1, false},
		{"rotation with comments and padding", "# new key first\n" + k32 + "=\n\n" + k32 + "\n", 2, false},
		{"empty", "\n# nothing\n", 0, true},
		{"not base64url", "not a key!\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := main.ParseKeys("f", []byte(tt.data))
			if (err != nil) != tt.wantErr || len(keys) != tt.want {
				t.Errorf("ParseKeys(%q): got %d keys, err %v; want %d keys, error %v", tt.data, len(keys), err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestClusterAddrs(t *testing.T) {
	tests := []struct {
		spec string
		want []string
	}{
		{"redis-cluster://a:7000,b:7001", []string{"a:7000", "b:7001"}},
		{"redis-cluster://a,b:7001/", []string{"a:6379", "b:7001"}},
		{"redis-cluster://", nil},
		{"redis://a:1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := main.ClusterAddrs(tt.spec)
			if !slices.Equal(got, tt.want) || (err == nil) != (tt.want != nil) {
				t.Errorf("ClusterAddrs(%q): got %q, %v; want %q", tt.spec, got, err, tt.want)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		user, password string
		want           bool
	}{
		{"alice", "wonderland", true},
		{"bob", "builder", true},
		{"alice", "builder", false},
		{"carol", "", false},
		{"carol", "\x00not a password", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := main.CheckPassword(tt.user, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%q, %q): got %v, want %v", tt.user, tt.password, got, tt.want)
		}
	}
}

func FuzzParseKeys(f *testing.F) {
	f.Add([]byte(strings.Repeat("A", 43) + "\n"))
	f.Add([]byte("# c\n\n" + strings.Repeat("_", 44) + "==\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := main.ParseKeys("f", data)
		if err == nil && len(keys) == 0 {
			t.Errorf("ParseKeys(%q): no error and no key", data)
		}
	})
}

func FuzzClusterAddrs(f *testing.F) {
	f.Add("redis-cluster://a:7000,b:7001")
	f.Add("redis-cluster://,,/x")
	f.Fuzz(func(t *testing.T, spec string) {
		addrs, err := main.ClusterAddrs(spec)
		if err == nil && len(addrs) == 0 {
			t.Errorf("ClusterAddrs(%q): no error and no address", spec)
		}
		for _, a := range addrs {
			if a == "" || strings.Contains(a, ",") {
				t.Errorf("ClusterAddrs(%q): bad address %q", spec, a)
			}
		}
	})
}
