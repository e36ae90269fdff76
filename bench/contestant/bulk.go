package contestant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// The scale runs fill a store with up to a million sessions. A login per
// session through the store's own Save costs what one write costs: fine for
// memory and Redis, minutes or hours for bbolt (a synced transaction each) and
// the embedded FerretDB. The stores below are filled in batches instead, in the
// layout each store documents, from records minted by sesame's own Manager:
//
//  1. mint: the login handler of the sesame-* contestants (Regenerate,
//     SetUser, Set "user") runs in process through a Manager with the same Key
//     and configuration as theirs, on a memstore, chunk by chunk; the Cookie
//     header of each login and the records the memstore holds afterwards are
//     exactly what a login on the real store would have produced;
//  2. the records are written in one batch per chunk (PostgreSQL: COPY;
//     MongoDB: insertMany);
//  3. a sample of them is read back through the real store's Load and compared
//     with the minted records, so that a layout the store no longer reads fails
//     the seeding instead of measuring misses.

// seedChunk is the number of sessions minted and written per batch.
const seedChunk = 10_000

// A bulkStore is a store the scale runs fill in batches.
type bulkStore interface {
	// write stores es in one batch, in the store's documented layout.
	write(ctx context.Context, es []session.Entry) error
	// done runs once after the last batch.
	done(ctx context.Context) error
	// size returns the bytes the store's sessions take (see Storage).
	size(ctx context.Context) (int64, error)
	// load is the real store's Load.
	load(ctx context.Context, key string) (session.Record, bool, error)
}

// seedBulk is Seed for a store in s.bulk.
func (s *Server) seedBulk(ctx context.Context, name string, b bulkStore, n, workers int, w io.Writer) error {
	var sample []session.Entry
	for done := 0; done < n; done += seedChunk {
		cookies, es, err := s.mint(ctx, min(seedChunk, n-done), workers)
		if err != nil {
			return fmt.Errorf("%s: minting sessions: %w", name, err)
		}
		if err := b.write(ctx, es); err != nil {
			return fmt.Errorf("%s: writing %d sessions in one batch: %w", name, len(es), err)
		}
		for _, c := range cookies {
			if _, err := io.WriteString(w, c+"\n"); err != nil {
				return err
			}
		}
		sample = append(sample, es[:min(len(es), 10)]...)
	}
	if err := b.done(ctx); err != nil {
		return fmt.Errorf("%s: after the batches: %w", name, err)
	}
	for _, e := range sample {
		if err := sameRecord(ctx, b.load, e); err != nil {
			return fmt.Errorf("%s: the batch-written layout does not read back: %w", name, err)
		}
	}
	return nil
}

// sameRecord checks that load finds e.Record under e.Key, to the microsecond
// (stores may truncate times to it) and by the meaning of its JSON values.
func sameRecord(ctx context.Context, load func(context.Context, string) (session.Record, bool, error), e session.Entry) error {
	got, ok, err := load(ctx, e.Key)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("session %s: not found", e.Key)
	}
	want := e.Record
	near := func(a, b time.Time) bool { d := a.Sub(b); return d < time.Microsecond && d > -time.Microsecond }
	if !near(got.Created, want.Created) || !near(got.Touched, want.Touched) || !near(got.Absolute, want.Absolute) ||
		got.Idle != want.Idle || got.User != want.User {
		return fmt.Errorf("session %s: meta %+v, want %+v", e.Key, got.Meta, want.Meta)
	}
	if !sameValues(got.Values, want.Values) {
		return fmt.Errorf("session %s: values %s, want %s", e.Key, got.Values, want.Values)
	}
	return nil
}

func sameValues(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			return false
		}
		var x, y any
		if json.Unmarshal(va, &x) != nil || json.Unmarshal(vb, &y) != nil || !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// mint runs n logins of the sesame contestants' login handler through a
// Manager like theirs on a fresh memstore, on workers goroutines, and returns
// each login's Cookie header value and the records stored.
func (s *Server) mint(ctx context.Context, n, workers int) ([]string, []session.Entry, error) {
	ms, err := memstore.New(memstore.Config{MaxEntries: max(4*n, memstore.DefaultMaxEntries)})
	if err != nil {
		return nil, nil, err
	}
	defer ms.Close()
	kr, err := cookie.NewKeyring(Key)
	if err != nil {
		return nil, nil, err
	}
	m, err := session.New(session.Config{Store: ms, Keys: kr, Logger: quiet})
	if err != nil {
		return nil, nil, err
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := sesameLogin(w, r, "u"+s.next()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	cookies := make([]string, n)
	errs := make([]error, max(workers, 1))
	var wg sync.WaitGroup
	for wk := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := wk; i < n && ctx.Err() == nil; i += len(errs) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://127.0.0.1/login", nil))
				res := rec.Result()
				if res.StatusCode != http.StatusOK {
					errs[wk] = fmt.Errorf("login: status %d: %s", res.StatusCode, bytes.TrimSpace(rec.Body.Bytes()))
					return
				}
				if cookies[i], errs[wk] = CookieHeader(res); errs[wk] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return nil, nil, err
	}
	es := make([]session.Entry, 0, n)
	err = ms.Range(ctx, func(key string, rec session.Record) error {
		es = append(es, session.Entry{Key: key, Record: rec})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(es) != n {
		return nil, nil, fmt.Errorf("%d logins left %d records", n, len(es))
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Key < es[j].Key })
	return cookies, es, nil
}

// Storage returns the bytes the sessions of each batch-filled store of s take
// now: for sesame-pg, pg_total_relation_size of its table (heap, TOAST and
// every index); for sesame-mongo, the collection's storage and index sizes
// (collStats totalSize, else storageSize + totalIndexSize). The benchmark
// server publishes it as the expvar "sesame_bench_storage" (GET
// /debug/vars on its admin listener), where the driver reads it before and
// after seeding.
func (s *Server) Storage(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for name, b := range s.bulk {
		n, err := b.size(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = n
	}
	return out, nil
}

// published is the Server whose Storage the expvar shows: the newest.
var (
	publishOnce sync.Once
	publishedMu sync.Mutex
	published   *Server
)

func (s *Server) publishStorage() {
	publishedMu.Lock()
	published = s
	publishedMu.Unlock()
	publishOnce.Do(func() {
		expvar.Publish("sesame_bench_storage", expvar.Func(func() any {
			publishedMu.Lock()
			srv := published
			publishedMu.Unlock()
			if srv == nil {
				return nil
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			m, err := srv.Storage(ctx)
			if err != nil {
				return map[string]string{"error": err.Error()}
			}
			return m
		}))
	})
}
