package redisstore

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// TestDecodedLayerServesHits checks, against a real Redis, that a second Load of
// a session is served by the decoded layer from go-redis's cached reply (which
// also pins go-redis's cache key format, hgetallCacheKey), that the layer
// reuses what it decoded, and that a change made by another client reaches it
// through go-redis's invalidation.
func TestDecodedLayerServesHits(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c := redis.NewClient(redistest.Options(redistest.SharedAddr()))
	t.Cleanup(func() { c.Close() })
	other := redistest.Shared(t)
	prefix := redistest.UniquePrefix(t, other)
	s, err := New(Config{Client: c, Prefix: prefix, Cache: &CacheConfig{MaxStaleness: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	key := strings.Repeat("k", 43)
	now := time.Now()
	rec := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "ada"},
		Values: map[string]json.RawMessage{"n": json.RawMessage(`1`)},
	}
	if err := s.Save(ctx, key, rec); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.Load(ctx, key); err != nil || !found {
		t.Fatalf("Load: found %v, err %v", found, err)
	}
	if !s.Caching() {
		t.Fatal("the cache is not in effect on this Redis")
	}
	e1, ok := s.cache.loadCached(ctx, s.prefix, key)
	if !ok {
		t.Fatal("a session just read was not served from the cached reply: go-redis's cache key of HGETALL is no longer the one hgetallCacheKey builds")
	}
	if !e1.found || e1.rec.User != "ada" || string(e1.rec.Values["n"]) != "1" {
		t.Fatalf("decoded %+v", e1)
	}
	e2, ok := s.cache.loadCached(ctx, s.prefix, key)
	if !ok || e2 != e1 {
		t.Fatal("the second read decoded the same reply again")
	}

	// Another client changes the session: the invalidation drops go-redis's
	// entry, so the layer stops serving the old record.
	if err := other.HSet(ctx, s.sessionKey(key), valuePrefix+"n", "2").Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, found, err := s.Load(ctx, key)
		if err != nil || !found {
			t.Fatalf("Load: found %v, err %v", found, err)
		}
		if string(got.Values["n"]) == "2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the change made by another client was not seen within 5 s")
		}
		time.Sleep(2 * time.Millisecond)
	}

	// A deleted session reads as missing, from the cache too.
	if err := other.Del(ctx, s.sessionKey(key)).Err(); err != nil {
		t.Fatal(err)
	}
	for {
		_, found, err := s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the deletion made by another client was not seen within 5 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if e, ok := s.cache.loadCached(ctx, s.prefix, key); ok && e.found {
		t.Fatal("the layer served a deleted session")
	}
}

// bulk is the RESP bulk string encoding of s.
func bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

func TestParseHashReply(t *testing.T) {
	good := "%2\r\n" + bulk("m:user") + bulk("ada") + bulk("v:n") + bulk("")
	m, err := parseHashReply([]byte(good))
	if err != nil || len(m) != 2 || m["m:user"] != "ada" || m["v:n"] != "" {
		t.Fatalf("parse %q: %v, %v", good, m, err)
	}
	if m, err := parseHashReply([]byte("%0\r\n")); err != nil || len(m) != 0 {
		t.Fatalf("empty map: %v, %v", m, err)
	}
	for _, bad := range []string{
		"",
		"*2\r\n" + bulk("a") + bulk("b"),       // an array, not a map
		"%1\r\n" + bulk("a"),                   // a key without a value
		"%1\r\n" + bulk("a") + ":1\r\n",        // an integer value
		"%1\r\n" + bulk("a") + bulk("b") + "x", // trailing bytes
		"%1\r\n$5\r\nab\r\n" + bulk("b"),       // a length past the string
		"%1\r\n$2\r\nabc\r\n" + bulk("b"),      // a length short of it
		"%99999999999\r\n",                     // a count no reply holds
		"%-1\r\n",
		"%1\n" + bulk("a") + bulk("b"),
		"%\r\n",
	} {
		if m, err := parseHashReply([]byte(bad)); err == nil {
			t.Errorf("parse %q: got %v, want an error", bad, m)
		}
	}
}

// FuzzParseHashReply: the parser never panics, and what it accepts is exactly
// a map reply: re-encoding the pairs it returned gives the input's length back
// when no key repeats.
func FuzzParseHashReply(f *testing.F) {
	f.Add([]byte("%1\r\n" + bulk("m:user") + bulk("ada")))
	f.Add([]byte("%0\r\n"))
	f.Add([]byte("%2\r\n" + bulk("a") + bulk("") + bulk("b") + bulk("\r\n")))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parseHashReply(raw)
		if err != nil {
			return
		}
		n, _, _ := respHeader(raw, '%')
		if len(m) > n {
			t.Fatalf("%d fields from a count of %d", len(m), n)
		}
		if len(m) == n {
			size := len("%\r\n") + len(strconv.Itoa(n))
			for k, v := range m {
				size += len(bulk(k)) + len(bulk(v))
				if !bytes.Contains(raw, []byte(bulk(k))) {
					t.Fatalf("key %q is not in the input", k)
				}
			}
			if size != len(raw) {
				t.Fatalf("accepted %q, %d bytes, which encode to %d", raw, len(raw), size)
			}
		}
	})
}
