package mongostore_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// newKey returns a store key shaped like the Manager's: 43 base64url characters.
func newKey() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// record is a live record of user with the given key/JSON pairs.
func record(user string, kv ...string) session.Record {
	now := time.Now()
	v := map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = json.RawMessage(kv[i+1])
	}
	return session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: time.Hour, User: user}, Values: v}
}

// stored reads the raw document under key.
func stored(t *testing.T, s *mongostore.Store, key string) bson.Raw {
	t.Helper()
	raw, err := s.Collection().FindOne(ctx(t), bson.D{{Key: "_id", Value: key}}).Raw()
	if err != nil {
		t.Fatalf("FindOne(%s): %v", key, err)
	}
	return raw
}

func TestConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		cfg  mongostore.Config
		want string
	}{
		{"nothing", mongostore.Config{}, "Config.Collection and Config.Client are both nil"},
		{"both", mongostore.Config{Collection: newCollection(t, connect(t, embedded.URL())), Database: "x"}, "set together"},
		{"bad database", mongostore.Config{Client: connect(t, embedded.URL()), Database: "a.b"}, "Config.Database"},
		{"long collection", mongostore.Config{Client: connect(t, embedded.URL()), CollectionName: strings.Repeat("c", 121)}, "longer than 120"},
		{"system collection", mongostore.Config{Client: connect(t, embedded.URL()), CollectionName: "system.sessions"}, "reserves"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mongostore.New(tt.cfg)
			var p *problem.Problem
			if !errors.As(err, &p) {
				t.Fatalf("New: got %v, want a *problem.Problem", err)
			}
			if p.Rule != problem.InvalidStoreConfig || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: got %s %q, want %s mentioning %q", p.Rule, err, problem.InvalidStoreConfig, tt.want)
			}
		})
	}
}

// The values are a nested document a person can read in the shell; numbers keep
// their exact value and type; odd member names are escaped, not refused.
func TestDocumentLayout(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		s := newStore(t, url, mongostore.Config{})
		k := newKey()
		rec := record("olga",
			"cart", `{"items":[{"sku":"A1","qty":2}]}`,
			"big", `9007199254740993`,
			"pi", `3.14159`,
			"inexact", `9007199254740993.5`,
			"dotted.path", `"d"`,
			"$dollar", `{"a.b":{"$c":1}}`,
			"", `"empty name"`,
		)
		if err := s.Save(ctx(t), k, rec); err != nil {
			t.Fatal(err)
		}
		doc := stored(t, s, k)
		checks := []struct {
			path []string
			want bson.Type
			show string // extended JSON; "" for any value
		}{
			{[]string{"v", "cart", "items"}, bson.TypeArray, ""},
			{[]string{"v", "big"}, bson.TypeInt64, `{"$numberLong":"9007199254740993"}`},
			{[]string{"v", "pi"}, bson.TypeDouble, `{"$numberDouble":"3.14159"}`},
			{[]string{"raw", "inexact"}, bson.TypeString, `"9007199254740993.5"`},
			{[]string{"v", "dotted%2Epath"}, bson.TypeString, `"d"`},
			{[]string{"v", "%24dollar", "a%2Eb", "%24c"}, bson.TypeInt32, `{"$numberInt":"1"}`},
			{[]string{"v", "%"}, bson.TypeString, `"empty name"`},
			{[]string{"user"}, bson.TypeString, `"olga"`},
			{[]string{"expires"}, bson.TypeDateTime, ""},
			{[]string{"created"}, bson.TypeDateTime, ""},
		}
		for _, c := range checks {
			v, err := doc.LookupErr(c.path...)
			if err != nil {
				t.Errorf("%s: %v in %s", strings.Join(c.path, "."), err, doc)
				continue
			}
			if v.Type != c.want || (c.show != "" && v.String() != c.show) {
				t.Errorf("%s: got %v %s, want %v %s", strings.Join(c.path, "."), v.Type, v, c.want, c.show)
			}
		}
		got, found, err := s.Load(ctx(t), k)
		if err != nil || !found {
			t.Fatalf("Load: got %v, %v, want the record", found, err)
		}
		for name, want := range rec.Values {
			if string(got.Values[name]) != string(want) {
				t.Errorf("Values[%q]: got %s, want %s", name, got.Values[name], want)
			}
		}
	})
}

// A server without TTL indexes (FerretDB v1) is told once, through the Logger;
// Migrate succeeds, and Cleanup deletes what expired.
func TestNoTTLIndex(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	s := newStore(t, embedded.URL(), mongostore.Config{Logger: logger})
	if err := s.Migrate(ctx(t)); err != nil { // a second time: still once in the log
		t.Fatalf("second Migrate: %v", err)
	}
	if got := strings.Count(buf.String(), "the server has no TTL indexes"); got != 1 {
		t.Errorf("log lines about TTL indexes: got %d, want 1; log:\n%s", got, buf.String())
	}
	cur, err := s.Collection().Indexes().List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var indexes []bson.M
	if err := cur.All(ctx(t), &indexes); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, ix := range indexes {
		names[ix["name"].(string)] = true
	}
	if !names["sesame_expires"] || !names["sesame_user"] || names["sesame_expires_ttl"] {
		t.Errorf("indexes: got %v, want sesame_expires and sesame_user, no TTL index", names)
	}

	live, dead := newKey(), newKey()
	if err := s.Save(ctx(t), live, record("", "a", "1")); err != nil {
		t.Fatal(err)
	}
	soon := record("", "a", "2")
	soon.Idle = 50 * time.Millisecond
	if err := s.Save(ctx(t), dead, soon); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond) // a real server's clock: no synctest here
	if _, found, _ := s.Load(ctx(t), dead); found {
		t.Errorf("Load of an expired record before Cleanup: got found, want a miss")
	}
	n, err := s.Cleanup(ctx(t))
	if err != nil || n != 1 {
		t.Errorf("Cleanup: got %d, %v, want 1, nil", n, err)
	}
	if c, _ := s.Collection().CountDocuments(ctx(t), bson.D{}); c != 1 {
		t.Errorf("documents after Cleanup: got %d, want 1", c)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// With the server gone every method fails with a StoreError within its context's
// deadline.
func TestServerDown(t *testing.T) {
	down, err := mongostore.New(mongostore.Config{Client: connect(t, "mongodb://127.0.0.1:1/?connectTimeoutMS=200"), CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	k := newKey()
	rec := record("olga", "a", "1")
	ops := []struct {
		op   string
		call func(context.Context) error
	}{
		{"load", func(c context.Context) error { _, _, err := down.Load(c, k); return err }},
		{"save", func(c context.Context) error { return down.Save(c, k, rec) }},
		{"patch", func(c context.Context) error { _, err := down.Patch(c, k, session.Patch{Meta: rec.Meta}); return err }},
		{"move", func(c context.Context) error {
			_, err := down.Move(c, k, newKey(), session.Patch{Meta: rec.Meta})
			return err
		}},
		{"delete", func(c context.Context) error { return down.Delete(c, k) }},
		{"list", func(c context.Context) error { _, err := down.UserSessions(c, "olga"); return err }},
		{"list", func(c context.Context) error {
			return down.Range(c, func(string, session.Record) error { return nil })
		}},
		{"ping", down.Ping},
		{"migrate", down.Migrate},
	}
	for _, o := range ops {
		t.Run(o.op, func(t *testing.T) {
			c, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			err := o.call(c)
			var se *session.StoreError
			if !errors.As(err, &se) || se.Op != o.op || se.Store != "mongodb" {
				t.Fatalf("got %v, want a mongodb StoreError of op %q", err, o.op)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %v, want it to wrap context.DeadlineExceeded", err)
			}
		})
	}
}
