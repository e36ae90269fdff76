package contestant_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

func redisAddr() string {
	if a := os.Getenv("SESAME_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// newServer builds every contestant, with its Redis keys under a prefix of
// its own that is deleted when tb ends.
func newServer(tb testing.TB) *contestant.Server {
	tb.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "benchtest:" + hex.EncodeToString(b) + ":"
	tb.Cleanup(func() {
		rc := redis.NewClient(&redis.Options{Addr: redisAddr()})
		defer rc.Close()
		ctx := context.Background()
		iter := rc.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rc.Del(ctx, iter.Val())
		}
	})
	srv, err := contestant.New(contestant.Options{
		RedisAddr: redisAddr(),
		Prefix:    prefix,
		BoltPath:  filepath.Join(tb.TempDir(), "bench.db"),
	})
	if err != nil {
		tb.Fatalf("contestant.New: %v (is Redis running at %s? start redis-server or set SESAME_REDIS_ADDR)", err, redisAddr())
	}
	tb.Cleanup(func() { srv.Close() })
	return srv
}

// discard is a ResponseWriter that keeps only the status, so that a
// benchmark measures the handler chain and not a recorder.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = 200
	}
	return len(p), nil
}
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}

// BenchmarkEndpoint serves each load of each Go contestant in process (the
// requests the driver sends with wrk), and /bare, the reference: the
// difference is what a library adds to a plain handler. Session loads cycle
// through 64 logged-in sessions.
func BenchmarkEndpoint(b *testing.B) {
	srv := newServer(b)
	h := srv.Handler()
	run := func(b *testing.B, l check.Load, cookies []string) {
		base := httptest.NewRequest(l.Method, "http://127.0.0.1"+l.Path, nil)
		for k, v := range l.Header {
			base.Header.Set(k, v)
		}
		reqs := []*http.Request{base}
		if l.Cookies && len(cookies) > 0 {
			reqs = reqs[:0]
			for _, c := range cookies {
				r := base.Clone(context.Background())
				r.Header.Set("Cookie", c)
				reqs = append(reqs, r)
			}
		}
		w := &discard{h: http.Header{}}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			// A shallow copy per request: middlewares (gorilla's registry)
			// may replace *r, which must not carry over to the next request.
			r := *reqs[i%len(reqs)]
			i++
			clear(w.h)
			w.code = 0
			h.ServeHTTP(w, &r)
			if w.code/100 != 2 {
				b.Fatalf("%s %s: got status %d, want 2xx", l.Method, l.Path, w.code)
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, check.Bare("go"), nil) })
	for _, c := range contestant.All {
		var cookies []string // the floor's requests carry none: it reads no cookie
		if c.Kind == contestant.Session {
			for range 64 {
				ck, err := srv.Login(c.Name)
				if err != nil {
					b.Fatal(err)
				}
				cookies = append(cookies, ck)
			}
		}
		for _, l := range check.Loads(c.Name, c.Kind) {
			b.Run(c.Name+"/"+l.Endpoint, func(b *testing.B) { run(b, l, cookies) })
		}
	}
}
