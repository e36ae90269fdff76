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

// The demo's --store and --secret-file go through the library's parsers: their
// errors are the library's, with the password left out.
func TestDemoStoreAndKeyErrors(t *testing.T) {
	badKeys := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(badKeys, []byte("not a key!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		rule dr.ID
		has  string
	}{
		{[]string{"--store=redis://:hunter2@localhost/notadb"}, dr.InvalidStoreConfig, "invalid database"},
		{[]string{"--store=redis-cluster://:hunter2@"}, dr.InvalidStoreConfig, "no host:port after redis-cluster://"},
		{[]string{"--store=postgres://app:hunter2@db:notaport/x"}, dr.InvalidStoreConfig, "cannot parse"},
		{[]string{"--store=memory", "--secret-file=" + badKeys}, dr.WeakKey, "bad.key:1: not a base64url key"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"--data-dir=" + t.TempDir()}, tc.args...)
			_, _, _, closeFn, err := main.DemoHandlers(t.Context(), args, nil)
			if err == nil {
				closeFn()
				t.Fatal("got no error, want one")
			}
			if !hasRule(err, tc.rule) || !strings.Contains(err.Error(), tc.has) {
				t.Errorf("got %v, want a %s problem containing %q", err, tc.rule, tc.has)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("got %q, which repeats the password", err)
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
