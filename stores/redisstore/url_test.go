package redisstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

func TestClientFromURL(t *testing.T) {
	for _, tc := range []struct {
		url      string
		addrs    []string // cluster nodes, or the one server's address
		cluster  bool
		db       int
		tls      bool
		user     string
		password string
		read     time.Duration
	}{
		{url: "redis://127.0.0.1:6379", addrs: []string{"127.0.0.1:6379"}, read: redisstore.DefaultIOTimeout},
		{url: "redis://u:p%40ss@cache.internal:6380/3?read_timeout=4s", addrs: []string{"cache.internal:6380"}, db: 3, user: "u", password: "p@ss", read: 4 * time.Second},
		{url: "rediss://cache.internal", addrs: []string{"cache.internal:6379"}, tls: true, read: redisstore.DefaultIOTimeout},
		{url: "redis-cluster://a:7000,b:7001", addrs: []string{"a:7000", "b:7001"}, cluster: true, read: redisstore.DefaultIOTimeout},
		{url: "redis-cluster://:secret@a,b:7001/?read_timeout=2s", addrs: []string{"a:6379", "b:7001"}, cluster: true, password: "secret", read: 2 * time.Second},
		{url: "rediss-cluster://[::1]:7000,[::1]", addrs: []string{"[::1]:7000", "[::1]:6379"}, cluster: true, tls: true, read: redisstore.DefaultIOTimeout},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := redisstore.ClientFromURL(tc.url)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			defer c.Close()
			var (
				addrs          []string
				ctxTimeout     bool
				db             int
				tls            bool
				user, password string
				dial, read     time.Duration
			)
			switch c := c.(type) {
			case *redis.Client:
				o := c.Options()
				addrs, ctxTimeout, db, tls, user, password, dial, read = []string{o.Addr}, o.ContextTimeoutEnabled, o.DB, o.TLSConfig != nil, o.Username, o.Password, o.DialTimeout, o.ReadTimeout
			case *redis.ClusterClient:
				o := c.Options()
				addrs, ctxTimeout, tls, user, password, dial, read = o.Addrs, o.ContextTimeoutEnabled, o.TLSConfig != nil, o.Username, o.Password, o.DialTimeout, o.ReadTimeout
			}
			_, isCluster := c.(*redis.ClusterClient)
			if isCluster != tc.cluster {
				t.Errorf("got a %T, want cluster=%v", c, tc.cluster)
			}
			if strings.Join(addrs, ",") != strings.Join(tc.addrs, ",") {
				t.Errorf("got addresses %q, want %q", addrs, tc.addrs)
			}
			if !ctxTimeout {
				t.Error("got ContextTimeoutEnabled false, want true (New rejects such a client)")
			}
			if db != tc.db || tls != tc.tls || user != tc.user || password != tc.password {
				t.Errorf("got db %d tls %v user %q password %q, want %d %v %q %q", db, tls, user, password, tc.db, tc.tls, tc.user, tc.password)
			}
			if dial != redisstore.DefaultDialTimeout || read != tc.read {
				t.Errorf("got dial %v read %v, want %v %v", dial, read, redisstore.DefaultDialTimeout, tc.read)
			}
			if _, err := redisstore.New(redisstore.Config{Client: c}); err != nil {
				t.Errorf("New with the client: got %v, want no error", err)
			}
		})
	}
}

func TestClientFromURLErrors(t *testing.T) {
	for _, tc := range []struct{ url, has string }{
		{"localhost:6379", "the scheme must be redis"},
		{"http://localhost", "the scheme must be redis"},
		{"redis://:hunter2@localhost/notadb", "invalid database"},
		{"redis://:hunter2@local host", ""},
		{"redis://:hunter2@localhost?no_such_option=1", "no_such_option"},
		{"redis-cluster://", "no host:port after redis-cluster://"},
		{"redis-cluster://:hunter2@a:7000,b:7001/2", "a cluster has only database 0"},
		{"redis-cluster://a:7000?addr=b:7001", "list the nodes as host:port,host:port"},
		{"redis-cluster://a:x:y", "a:x:y"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := redisstore.ClientFromURL(tc.url)
			if err == nil {
				c.Close()
				t.Fatal("got no error, want one")
			}
			var p *problem.Problem
			if !errors.As(err, &p) || p.Rule != problem.InvalidStoreConfig {
				t.Errorf("got %v, want a %s problem", err, problem.InvalidStoreConfig)
			}
			if !strings.Contains(err.Error(), tc.has) {
				t.Errorf("got %q, want it to contain %q", err, tc.has)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("got %q, which repeats the password", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"redis://u:pw@h:1/0":         "redis://u:xxxxx@h:1/0",
		"redis://:pw@h":              "redis://:xxxxx@h",
		"redis://h:1":                "redis://h:1",
		"redis-cluster://:p@a:1,b:2": "redis-cluster://:xxxxx@a:1,b:2",
		"redis://u@h/x@y":            "redis://u@h/x@y",
		"no url here":                "(not a URL)",
	} {
		if got := redisstore.Redact(in); got != want {
			t.Errorf("Redact(%q): got %q, want %q", in, got, want)
		}
	}
}

// A client from a URL works against the machine's Redis.
func TestClientFromURLRoundTrip(t *testing.T) {
	redistest.Shared(t) // fails with a clear message when Redis is not running
	c, err := redisstore.ClientFromURL("redis://" + redistest.SharedAddr() + "/0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() }) // after UniquePrefix's cleanup, which uses c
	prefix := redistest.UniquePrefix(t, c)
	s, err := redisstore.New(redisstore.Config{Client: c, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	want := record("alice", "n", "1")
	if err := s.Save(ctx(t), key("url"), want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load(ctx(t), key("url"))
	if err != nil || !ok {
		t.Fatalf("Load: got (%v, %v), want the saved record", ok, err)
	}
	sameRecord(t, got, want)
}

// A cluster URL reaches a real 3-master Redis Cluster.
func TestClientFromURLCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	nodes := redistest.StartCluster(t, 3)
	c, err := redisstore.ClientFromURL("redis-cluster://" + nodes[0].Addr() + "," + nodes[1].Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := redisstore.New(redisstore.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c", "d"} { // keys spread over the masters
		if err := s.Save(ctx(t), key(name), record("bob")); err != nil {
			t.Fatalf("Save %s: %v", name, err)
		}
		if _, ok, err := s.Load(ctx(t), key(name)); !ok || err != nil {
			t.Fatalf("Load %s: got (%v, %v), want the record", name, ok, err)
		}
	}
}

// FuzzClientFromURL: the parser never panics, a client it returns has an
// address and honours contexts, and an error never repeats the password.
func FuzzClientFromURL(f *testing.F) {
	for _, s := range []string{"redis://h:1/2", "rediss://u:pw@h", "redis-cluster://a,b:2?read_timeout=1s", "redis-cluster://:pw@", "redis://[::1", "rediss-cluster://@@,,/", "redis-cluster://a?addr=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := redisstore.ClientFromURL("redis://:SECRETPW@" + in)
		if err != nil {
			if strings.Contains(err.Error(), "SECRETPW") {
				t.Fatalf("error %q repeats the password", err)
			}
		} else {
			c.Close()
		}
		c, err = redisstore.ClientFromURL(in)
		if err != nil {
			return
		}
		defer c.Close()
		switch c := c.(type) {
		case *redis.Client:
			if o := c.Options(); o.Addr == "" || !o.ContextTimeoutEnabled {
				t.Fatalf("%q: got addr %q ctx %v", in, o.Addr, o.ContextTimeoutEnabled)
			}
		case *redis.ClusterClient:
			if o := c.Options(); len(o.Addrs) == 0 || !o.ContextTimeoutEnabled {
				t.Fatalf("%q: got addrs %q ctx %v", in, o.Addrs, o.ContextTimeoutEnabled)
			}
		}
	})
}
