package pgstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name  string
		cfg   pgstore.Config
		count int // problems expected
	}{
		{"no pool", pgstore.Config{}, 1},
		{"long table", pgstore.Config{Pool: &pgxpool.Pool{}, Table: strings.Repeat("t", 49)}, 1},
		{"everything wrong", pgstore.Config{Table: strings.Repeat("t", 49), Schema: "a\x00b"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := pgstore.New(tt.cfg)
			if err == nil {
				s.Close()
				t.Fatalf("got nil error, want %d problems", tt.count)
			}
			var problems []*problem.Problem
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var p *problem.Problem
				if !errors.As(e, &p) || p.Rule != problem.InvalidStoreConfig {
					t.Errorf("got %T %v, want a *problem.Problem for %s", e, e, problem.InvalidStoreConfig)
					continue
				}
				problems = append(problems, p)
			}
			if len(problems) != tt.count {
				t.Errorf("got %d problems (%v), want %d", len(problems), err, tt.count)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	s, err := pgstore.New(pgstore.Config{Pool: &pgxpool.Pool{}, CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := s.Table(), `"sesame_sessions"`; got != want {
		t.Errorf("got table %s, want %s", got, want)
	}
	if got, want := s.Name(), "postgres"; got != want {
		t.Errorf("got name %q, want %q", got, want)
	}
	// The constant DBAs read must be what Migrate runs.
	if got := s.SchemaSQL(); got != pgstore.SchemaSQL {
		t.Errorf("got SchemaSQL()\n%s\nwant pgstore.SchemaSQL\n%s", got, pgstore.SchemaSQL)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	s, err := pgstore.New(pgstore.Config{Pool: pool, Schema: schema, Table: "sessions", CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("Ping before Migrate: got nil error, want one saying the table is missing")
	} else if !strings.Contains(err.Error(), "Migrate") {
		t.Errorf("Ping before Migrate: got %q, want it to name the fix (Migrate)", err)
	}
	// Concurrent first runs, as when several instances start at once, then a rerun.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- s.Migrate(ctx) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate: got %v, want nil", err)
		}
	}
	key := newKey()
	rec := session.Record{Meta: session.Meta{Created: time.Now(), Touched: time.Now(), Idle: time.Hour}}
	if err := s.Save(ctx, key, rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: got %v, want nil", err)
	}
	if _, found, err := s.Load(ctx, key); !found || err != nil {
		t.Errorf("Load after second Migrate: got found=%v err=%v, want the record kept", found, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping after Migrate: got %v, want nil", err)
	}
}

// TestMigrateUpgrades runs Migrate on a table as the first version of the package
// created it (without the raw column): the column is added and the rows kept.
func TestMigrateUpgrades(t *testing.T) {
	pool := newPool(t)
	schema := newSchema(t, pool)
	ctx := context.Background()
	table := `"` + schema + `"."sesame_sessions"`
	_, err := pool.Exec(ctx, `CREATE TABLE `+table+` (
	key text PRIMARY KEY, data jsonb NOT NULL DEFAULT '{}', created timestamptz NOT NULL,
	touched timestamptz NOT NULL, idle_ns bigint NOT NULL DEFAULT 0, absolute timestamptz NULL,
	expires timestamptz NULL, user_name text NULL);
INSERT INTO `+table+` (key, data, created, touched, user_name) VALUES ('old', '{"theme": "dark"}', now(), now(), 'ada')`)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pgstore.New(pgstore.Config{Pool: pool, Schema: schema, CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate of a first-version table: got %v, want nil", err)
	}
	rec, found, err := s.Load(ctx, "old")
	if err != nil || !found {
		t.Fatalf("Load after Migrate: got found=%v err=%v, want the old row", found, err)
	}
	if got, want := string(rec.Values["theme"]), `"dark"`; got != want || rec.User != "ada" {
		t.Errorf("got theme %s user %q, want %s %q", got, rec.User, want, "ada")
	}
	nul := session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"k": []byte(`"\u0000"`)}}
	if applied, err := s.Patch(ctx, "old", nul); !applied || err != nil {
		t.Errorf("Patch into the added column: got %v, %v; want true, nil", applied, err)
	}
}

// TestConnectionRefused points a pool at a loopback port nobody listens on: every
// operation returns a typed StoreError, promptly.
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s, err := pgstore.New(pgstore.Config{Pool: pool, CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ops := []struct {
		op   string
		call func(ctx context.Context) error
	}{
		{"load", func(ctx context.Context) error { _, _, err := s.Load(ctx, newKey()); return err }},
		{"save", func(ctx context.Context) error { return s.Save(ctx, newKey(), session.Record{}) }},
		{"patch", func(ctx context.Context) error { _, err := s.Patch(ctx, newKey(), session.Patch{}); return err }},
		{"delete", func(ctx context.Context) error { return s.Delete(ctx, newKey()) }},
		{"list", func(ctx context.Context) error { _, err := s.UserSessions(ctx, "ada"); return err }},
		{"ping", func(ctx context.Context) error { return s.Ping(ctx) }},
	}
	for _, tt := range ops {
		t.Run(tt.op, func(t *testing.T) {
			// The deadline only bounds a hang; a refused connection fails at once.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := tt.call(ctx)
			var se *session.StoreError
			if !errors.As(err, &se) {
				t.Fatalf("got %T %v, want a *session.StoreError", err, err)
			}
			if se.Store != "postgres" || se.Op != tt.op {
				t.Errorf("got Store %q Op %q, want %q %q", se.Store, se.Op, "postgres", tt.op)
			}
			if ctx.Err() != nil {
				t.Errorf("got the deadline first (%v), want the refusal", ctx.Err())
			}
		})
	}
}

// TestUnresponsiveServer points the pool at a server that accepts connections and
// never answers (a hung database, a black-holed route): the caller's deadline ends
// the call with a StoreError that wraps context.DeadlineExceeded, which the
// Manager's StoreTimeout relies on.
func TestUnresponsiveServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	accepting := make(chan struct{})
	defer func() { // after the pool has closed its connections
		l.Close()
		<-accepting
		conns.Wait()
	}()
	go func() {
		defer close(accepting)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Go(func() {
				defer c.Close()
				buf := make([]byte, 512)
				for {
					if _, err := c.Read(buf); err != nil {
						return // the client gave up and closed
					}
				}
			})
		}
	}()
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@"+l.Addr().String()+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s, err := pgstore.New(pgstore.Config{Pool: pool, CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, _, err := s.Load(ctx, newKey()); done <- err }()
	select {
	case err := <-done:
		var se *session.StoreError
		if !errors.As(err, &se) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want a StoreError wrapping context.DeadlineExceeded", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Load did not return 30s after its 100ms deadline")
	}
}

func TestContextCancelled(t *testing.T) {
	s := newStore(t, pgstore.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := s.Load(ctx, newKey())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want an error wrapping context.Canceled", err)
	}
}

// TestValuesCompact checks that nested documents come back compact although jsonb
// prints them with spaces, and that jsonb's key order does not matter.
func TestValuesCompact(t *testing.T) {
	s := newStore(t, pgstore.Config{})
	ctx := context.Background()
	values := map[string]json.RawMessage{
		"obj":    []byte(`{"b":[1,2,{"c":"x y"}],"a":null}`),
		"arr":    []byte(`[ "s p a c e" ]`),
		"str":    []byte(`"a, b: c"`),
		"num":    []byte(`12345678901234567890`),
		"nested": []byte(`{"z":{"y":{"x":[]}}}`),
	}
	want := map[string]string{
		"obj":    `{"a":null,"b":[1,2,{"c":"x y"}]}`,
		"arr":    `["s p a c e"]`,
		"str":    `"a, b: c"`,
		"num":    `12345678901234567890`,
		"nested": `{"z":{"y":{"x":[]}}}`,
	}
	key := newKey()
	if err := s.Save(ctx, key, session.Record{Meta: session.Meta{Touched: time.Now()}, Values: values}); err != nil {
		t.Fatal(err)
	}
	rec, found, err := s.Load(ctx, key)
	if err != nil || !found {
		t.Fatalf("got found=%v err=%v, want the record", found, err)
	}
	for k, w := range want {
		if got := string(rec.Values[k]); got != w {
			t.Errorf("value %q: got %s, want %s", k, got, w)
		}
	}
}

// TestValuesBeyondJSONB stores values jsonb cannot hold next to ordinary ones and
// patches keys from one column to the other: every value comes back exactly, and
// each key is in one column only.
func TestValuesBeyondJSONB(t *testing.T) {
	pool := newPool(t)
	s := newStore(t, pgstore.Config{Pool: pool})
	ctx := context.Background()
	meta := session.Meta{Touched: time.Now(), Idle: time.Hour}
	key := newKey()
	save := map[string]json.RawMessage{
		"nul":       []byte(`"a\u0000b"`),
		"surrogate": []byte(`["\ud800"]`),
		"pair":      []byte(`"\uD83C\uDF6A"`),
		"escaped":   []byte(`"\\u0000"`), // a backslash, then "u0000": no NUL, kept raw anyway
		"plain":     []byte(`{"a":1}`),
		"gone":      []byte(`"raw \u0000 then deleted"`),
	}
	if err := s.Save(ctx, key, session.Record{Meta: meta, Values: save}); err != nil {
		t.Fatal(err)
	}
	patch := session.Patch{Meta: meta, Set: map[string]json.RawMessage{
		"nul":   []byte(`"clean now"`),    // raw to data
		"plain": []byte(`{"b":"\u0000"}`), // data to raw
	}, Delete: []string{"gone"}}
	if applied, err := s.Patch(ctx, key, patch); !applied || err != nil {
		t.Fatalf("Patch: got %v, %v; want true, nil", applied, err)
	}
	want := map[string]string{
		"nul":       `"clean now"`,
		"surrogate": `["\ud800"]`,
		"pair":      `"\uD83C\uDF6A"`,
		"escaped":   `"\\u0000"`,
		"plain":     `{"b":"\u0000"}`,
	}
	rec, found, err := s.Load(ctx, key)
	if err != nil || !found {
		t.Fatalf("Load: got found=%v err=%v, want the record", found, err)
	}
	if len(rec.Values) != len(want) {
		t.Errorf("got keys %v, want %v", slices.Sorted(maps.Keys(rec.Values)), slices.Sorted(maps.Keys(want)))
	}
	for k, w := range want {
		if got := string(rec.Values[k]); got != w {
			t.Errorf("value %q: got %s, want %s", k, got, w)
		}
	}
	var inData, inRaw []string
	err = pool.QueryRow(ctx, `SELECT ARRAY(SELECT jsonb_object_keys(data) ORDER BY 1), ARRAY(SELECT jsonb_object_keys(raw) ORDER BY 1) FROM `+
		s.Table()+` WHERE key = $1`, key).Scan(&inData, &inRaw)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"nul"}; !slices.Equal(inData, want) {
		t.Errorf("got data keys %v, want %v", inData, want)
	}
	if want := []string{"escaped", "pair", "plain", "surrogate"}; !slices.Equal(inRaw, want) {
		t.Errorf("got raw keys %v, want %v", inRaw, want)
	}
}

// TestPatchConcurrentKeys runs many concurrent patches of different keys on one
// session: the row lock serialises them and every one survives.
func TestPatchConcurrentKeys(t *testing.T) {
	s := newStore(t, pgstore.Config{})
	ctx := context.Background()
	key := newKey()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour}
	if err := s.Save(ctx, key, session.Record{Meta: meta}); err != nil {
		t.Fatal(err)
	}
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p := session.Patch{Meta: meta, Set: map[string]json.RawMessage{fmt.Sprint("k", i): []byte(fmt.Sprint(i))}}
			if applied, err := s.Patch(ctx, key, p); !applied || err != nil {
				t.Errorf("patch %d: got applied=%v err=%v, want true, nil", i, applied, err)
			}
		})
	}
	wg.Wait()
	rec, _, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != n {
		t.Errorf("got %d values, want %d: %v", len(rec.Values), n, rec.Values)
	}
}

// TestRangePages walks more rows than one page holds.
func TestRangePages(t *testing.T) {
	pool := newPool(t)
	s := newStore(t, pgstore.Config{Pool: pool})
	ctx := context.Background()
	const live, expired = 1234, 10
	_, err := pool.Exec(ctx, `INSERT INTO `+s.Table()+` (key, created, touched, expires)
		SELECT 'k' || lpad(i::text, 5, '0'), now(), now(), CASE WHEN i <= $2 THEN now() - interval '1 hour' END
		FROM generate_series(1, $1::int) AS i`, live+expired, expired)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = s.Range(ctx, func(key string, rec session.Record) error {
		if seen[key] {
			t.Errorf("key %s visited twice", key)
		}
		seen[key] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != live {
		t.Errorf("got %d keys, want %d", len(seen), live)
	}
	stop := errors.New("stop")
	calls := 0
	err = s.Range(ctx, func(string, session.Record) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("got err %v after %d calls, want %v after 1", err, calls, stop)
	}
}
