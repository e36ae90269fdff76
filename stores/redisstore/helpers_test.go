package redisstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// sharedStore returns a store on the machine's Redis under a prefix of its own,
// the client, and the prefix; the keys are removed when the test ends.
func sharedStore(t testing.TB) (*redisstore.Store, *redis.Client, string) {
	t.Helper()
	c := redistest.Shared(t)
	prefix := redistest.UniquePrefix(t, c)
	s, err := redisstore.New(redisstore.Config{Client: c, Prefix: prefix})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, c, prefix
}

// ctx is a test context that gives up after five seconds.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

// record returns a live record of user with the given values.
func record(user string, kv ...string) session.Record {
	now := time.Now()
	rec := session.Record{Meta: session.Meta{
		Created: now.Add(-time.Minute),
		Touched: now,
		Idle:    time.Hour,
		User:    user,
	}}
	if len(kv) > 0 {
		rec.Values = make(map[string]json.RawMessage)
		for i := 0; i+1 < len(kv); i += 2 {
			rec.Values[kv[i]] = json.RawMessage(kv[i+1])
		}
	}
	return rec
}

// key returns a store key shaped like the Manager's: 43 characters of base64url.
func key(name string) string {
	const pad = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
	return (name + pad)[:43]
}

func sameRecord(t *testing.T, got, want session.Record) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.Touched.Equal(want.Touched) ||
		!got.Absolute.Equal(want.Absolute) || got.Idle != want.Idle || got.User != want.User {
		t.Errorf("got meta %+v, want %+v", got.Meta, want.Meta)
	}
	if len(got.Values) != len(want.Values) {
		t.Errorf("got %d values %v, want %d %v", len(got.Values), got.Values, len(want.Values), want.Values)
	}
	for k, v := range want.Values {
		if string(got.Values[k]) != string(v) {
			t.Errorf("value %q: got %s, want %s", k, got.Values[k], v)
		}
	}
}
