package connectredis_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// formatLimits are the rules of sessiontest.Run that connect-redis's record
// format cannot meet, by design of express-session, with the reason. Every
// other rule runs.
var formatLimits = map[string]string{
	"Expiry/ExpiresOnTime":          "connect-redis gives a key a TTL of whole seconds (ceil), so a record outlives its deadline by up to a second; only the Redis TTL ends a session",
	"Expiry/NoDeadlineNeverExpires": "connect-redis gives every key a TTL (the store ttl, 86400 s, when the cookie has no maxAge)",
	"Basic/RoundTripZeroDeadlines":  "connect-redis gives every key a TTL, so a record without deadlines comes back with the store ttl as its idle timeout",
}

// lens is the store as the suite sees it: express-session's record keeps no
// Created and no Absolute, and Touched only as the key's remaining TTL (whole
// seconds). The lens remembers the Meta each write asked for and, when the
// store's own Meta is what the format promises for it (same User and Idle,
// the same deadline to within the TTL's rounding, no Created or Absolute),
// shows that Meta to the suite; otherwise it shows the store's Meta, and the
// suite reports the difference. Existence, values, patches, moves and their
// races are the store's own: the lens never changes whether a record is found.
type lens struct {
	*connectredis.Store
	ttl  time.Duration
	mu   sync.Mutex
	meta map[string]session.Meta
}

func (l *lens) wrote(key string, m session.Meta) {
	l.mu.Lock()
	l.meta[key] = m
	l.mu.Unlock()
}

func (l *lens) Load(ctx context.Context, key string) (session.Record, bool, error) {
	rec, found, err := l.Store.Load(ctx, key)
	if !found || err != nil {
		return rec, found, err
	}
	l.mu.Lock()
	want, ok := l.meta[key]
	l.mu.Unlock()
	if ok && l.keeps(rec.Meta, want) {
		rec.Meta = want
	}
	return rec, found, err
}

// keeps reports whether got is what the format keeps of want.
func (l *lens) keeps(got, want session.Meta) bool {
	idle := want.Idle
	if idle <= 0 {
		idle = l.ttl
	}
	d := got.Expires().Sub(want.Expires())
	return got.User == want.User && got.Idle == idle && got.Created.IsZero() && got.Absolute.IsZero() &&
		!want.Expires().IsZero() && d > -50*time.Millisecond && d < 1100*time.Millisecond
}

func (l *lens) Save(ctx context.Context, key string, rec session.Record) error {
	err := l.Store.Save(ctx, key, rec)
	if err == nil {
		l.wrote(key, rec.Meta)
	}
	return err
}

func (l *lens) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	applied, err := l.Store.Patch(ctx, key, p)
	if applied {
		l.wrote(key, p.Meta)
	}
	return applied, err
}

func (l *lens) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
	moved, err := l.Store.Move(ctx, oldKey, newKey, p)
	if moved {
		l.wrote(newKey, p.Meta)
	}
	return moved, err
}

// conformance runs sessiontest.Run on stores over client.
func conformance(t *testing.T, client redis.UniversalClient) {
	sessiontest.Run(t, func(t *testing.T) session.Store {
		for rule, why := range formatLimits {
			if strings.HasSuffix(t.Name(), "/"+rule) {
				t.Skip("the connect-redis format: " + why)
			}
		}
		prefix := redistest.UniquePrefix(t, client)
		s, err := connectredis.New(connectredis.Config{Client: client, Prefix: prefix + "sess:", ForwardPrefix: prefix + "fwd:", Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		return &lens{Store: s, ttl: s.Records().TTL(), meta: make(map[string]session.Meta)}
	})
}

func TestConformanceSingle(t *testing.T) {
	conformance(t, redistest.Shared(t))
}

func TestConformanceCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	conformance(t, redistest.ClusterClient(t, redistest.StartCluster(t, 3)))
}

// TestConformanceRing: a Ring shards keys by hash tag as a Cluster does, and
// the store moves sessions on it with the Cluster's three steps.
func TestConformanceRing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two Redis servers")
	}
	a, b := redistest.StartServer(t), redistest.StartServer(t)
	o := redistest.Options("")
	ring := redis.NewRing(&redis.RingOptions{
		Addrs:                 map[string]string{"a": a.Addr(), "b": b.Addr()},
		ContextTimeoutEnabled: true, DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout,
		WriteTimeout: o.WriteTimeout, MaxRetries: o.MaxRetries,
	})
	t.Cleanup(func() { ring.Close() })
	conformance(t, ring)
}
