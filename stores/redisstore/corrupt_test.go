package redisstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Foreign or damaged data under the prefix is reported as a missing record, is
// logged once with the store key, and never makes a call fail.
func TestCorruptRecords(t *testing.T) {
	c := redistest.Shared(t)
	prefix := redistest.UniquePrefix(t, c)
	var logs syncBuffer
	s, err := redisstore.New(redisstore.Config{Client: c, Prefix: prefix, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	good := func(t *testing.T, k string) {
		if err := s.Save(ctx(t), k, record("", "a", `1`)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		garble  func(t *testing.T, redisKey string)
		wantLog bool
	}{
		{"string", func(t *testing.T, rk string) { c.Set(ctx(t), rk, "hello", time.Hour) }, true},
		{"list", func(t *testing.T, rk string) { c.RPush(ctx(t), rk, "x") }, true},
		{"hash without meta", func(t *testing.T, rk string) { c.HSet(ctx(t), rk, "v:a", "1") }, true},
		{"invalid JSON value", func(t *testing.T, rk string) { c.HSet(ctx(t), rk, "v:a", "{not json") }, true},
		{"unknown field", func(t *testing.T, rk string) { c.HSet(ctx(t), rk, "color", "blue") }, true},
		{"bad time", func(t *testing.T, rk string) { c.HSet(ctx(t), rk, "m:touched", "yesterday") }, true},
		{"bad idle", func(t *testing.T, rk string) { c.HSet(ctx(t), rk, "m:idle", "1h") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := key(strings.ReplaceAll(tt.name, " ", "-"))
			rk := prefix + "s:{" + k + "}"
			if strings.HasPrefix(tt.name, "hash") || tt.name == "string" || tt.name == "list" {
				c.Del(ctx(t), rk)
			} else {
				good(t, k)
			}
			tt.garble(t, rk)
			for range 3 {
				rec, found, err := s.Load(ctx(t), k)
				if found || err != nil {
					t.Fatalf("Load: got %+v, found=%v, err=%v, want not found and no error", rec, found, err)
				}
			}
			if n := strings.Count(logs.String(), "key="+k); n != 1 {
				t.Errorf("got %d log lines naming the key, want 1; log:\n%s", n, logs.String())
			}
			// A save replaces the garbage, whatever its type.
			good(t, k)
			if _, found, err := s.Load(ctx(t), k); !found || err != nil {
				t.Errorf("Load after Save: got found=%v err=%v, want true, nil", found, err)
			}
		})
	}
}

// Patch, Apply and Delete treat garbage as missing too: a patch or an apply
// does not apply to it and a delete removes it.
func TestCorruptPatchDelete(t *testing.T) {
	s, c, prefix := sharedStore(t)
	k := key("garbage")
	rk := prefix + "s:{" + k + "}"
	for _, garble := range []func() error{
		func() error { return c.Set(ctx(t), rk, "x", time.Hour).Err() },
		func() error { return c.HSet(ctx(t), rk, "v:a", "1").Err() },
	} {
		if err := garble(); err != nil {
			t.Fatal(err)
		}
		applied, err := s.Patch(ctx(t), k, session.Patch{Meta: record("").Meta})
		if applied || err != nil {
			t.Errorf("Patch: got %v, %v, want false, nil", applied, err)
		}
		r, err := s.Apply(ctx(t), k, session.Apply{Set: map[string]json.RawMessage{"a": json.RawMessage(`2`)}, Now: time.Now()})
		if r.Applied || err != nil {
			t.Errorf("Apply: got %+v, %v, want not applied, nil", r, err)
		}
		if err := s.Delete(ctx(t), k); err != nil {
			t.Errorf("Delete: %v", err)
		}
		if n := c.Exists(ctx(t), rk).Val(); n != 0 {
			t.Errorf("got %d keys after Delete, want 0", n)
		}
	}
}

func TestRange(t *testing.T) {
	s, c, prefix := sharedStore(t)
	want := map[string]string{}
	for i := range 600 { // more than one SCAN batch
		k := key("r" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)))
		want[k] = "u"
		if err := s.Save(ctx(t), k, record("u", "i", `1`)); err != nil {
			t.Fatal(err)
		}
	}
	// Garbage and keys of other prefixes are not visited.
	c.Set(ctx(t), prefix+"s:{"+key("str")+"}", "x", time.Hour)
	c.HSet(ctx(t), prefix+"s:{"+key("bad")+"}", "v:a", "1")
	c.HSet(ctx(t), prefix+"other", "m:user", "u")
	other, _, _ := sharedStore(t)
	if err := other.Save(ctx(t), key("elsewhere"), record("u")); err != nil {
		t.Fatal(err)
	}

	got := map[string]string{}
	err := s.Range(ctx(t), func(k string, rec session.Record) error {
		got[k] = rec.User
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("got %d records, want %d", len(got), len(want))
	}
	for k := range want {
		if got[k] != "u" {
			t.Errorf("record %s: got user %q, want %q", k, got[k], "u")
		}
	}

	// The first error from fn stops the walk and is returned as it is.
	stop := context.Canceled
	calls := 0
	err = s.Range(ctx(t), func(string, session.Record) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("got err=%v after %d calls, want %v after 1", err, calls, stop)
	}
}

// A prefix with glob characters matches only itself in SCAN.
func TestRangeGlobPrefix(t *testing.T) {
	c := redistest.Shared(t)
	base := redistest.UniquePrefix(t, c)
	a, err := redisstore.New(redisstore.Config{Client: c, Prefix: base + "[ab]*:"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := redisstore.New(redisstore.Config{Client: c, Prefix: base + "a1:"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Save(ctx(t), key("a"), record("")); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(ctx(t), key("b"), record("")); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := a.Range(ctx(t), func(k string, _ session.Record) error { got = append(got, k); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != key("a") {
		t.Errorf("got %v, want [%s]", got, key("a"))
	}
}
