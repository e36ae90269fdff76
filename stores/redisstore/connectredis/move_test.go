package connectredis_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// pauser is a go-redis hook that calls a function just before the client sends
// each command (or pipeline, or transaction), with its number, so that a test
// can place another client's call between any two steps of a Move.
type pauser struct {
	mu    sync.Mutex
	n     int
	fn    func(i int)
	names []string // of the commands counted since the last arm
}

// arm makes fn run before each command from now on, numbered from 0; nil stops.
// It returns how many commands were counted since the previous arm.
func (p *pauser) arm(fn func(i int)) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.n
	p.n, p.fn, p.names = 0, fn, nil
	return n
}

// upkeep reports commands the client sends on its own: a new connection's
// HELLO and CLIENT SETINFO (in a pipeline), a Cluster's topology reads.
func upkeep(name string) bool {
	switch name {
	case "eval", // go-redis's retry after NOSCRIPT is not a step
		"cluster", "command", "hello", "client", "ping", "info", "readonly", "auth", "select":
		return true
	}
	return false
}

func (p *pauser) step(name string) {
	if upkeep(name) {
		return
	}
	p.mu.Lock()
	fn, i := p.fn, p.n
	p.n++
	p.names = append(p.names, name)
	p.mu.Unlock()
	if fn != nil {
		fn(i)
	}
}

func (p *pauser) DialHook(next redis.DialHook) redis.DialHook { return next }
func (p *pauser) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { p.step(cmd.Name()); return next(ctx, cmd) }
}
func (p *pauser) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if n := c.Name(); !upkeep(n) && n != "multi" && n != "exec" {
				p.step("pipeline")
				break
			}
		}
		return next(ctx, cmds)
	}
}

// deployment makes clients of one Redis deployment; hooked ones carry p on
// every connection (on a Cluster, on each node's client, where WATCH
// transactions run).
type deployment func(t *testing.T, p *pauser) redis.UniversalClient

// moveTimeout bounds each network step of the interleaving tests. They test
// which writes win, not outages: redistest's 500 ms is for fault tests, and a
// loaded machine running other packages under -race can exceed it mid-move.
const moveTimeout = 5 * time.Second

func singleDeployment(t *testing.T, p *pauser) redis.UniversalClient {
	o := redistest.Options(redistest.SharedAddr())
	o.ReadTimeout, o.WriteTimeout = moveTimeout, moveTimeout
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	if p != nil {
		c.AddHook(p)
	}
	return c
}

func clusterDeployment(t *testing.T) deployment {
	nodes := redistest.StartCluster(t, 3)
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.Addr()
	}
	return func(t *testing.T, p *pauser) redis.UniversalClient {
		o := redistest.Options("")
		c := redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: addrs, ContextTimeoutEnabled: true, DialTimeout: o.DialTimeout,
			ReadTimeout: moveTimeout, WriteTimeout: moveTimeout, MaxRetries: o.MaxRetries,
		})
		if p != nil {
			c.OnNewNode(func(n *redis.Client) { n.AddHook(p) })
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
}

func TestMoveSingle(t *testing.T) {
	redistest.Shared(t)
	testMove(t, singleDeployment)
}

func TestMoveCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	testMove(t, clusterDeployment(t))
}

// An Express record with a member Go does not know, in Express's own spacing.
const expressRecord = `{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"cart":[1, 2]}`

// testMove checks what a move writes and where, then forces every interleaving
// of a Move's commands with a destroy from Go, a destroy from Express (DEL), a
// save from Express (SET of a changed record) and a patch from Go.
func testMove(t *testing.T, dep deployment) {
	p := &pauser{}
	hooked, raw := dep(t, p), dep(t, nil)
	prefix := redistest.UniquePrefix(t, raw)
	cfg := connectredis.Config{Prefix: prefix + "sess:", ForwardPrefix: prefix + "fwd:", Cookie: express.CookieOptions{MaxAge: time.Hour}, Logger: quiet}
	cfg.Client = hooked
	mover, err := connectredis.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client = raw
	other, err := connectredis.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	fresh := func(t *testing.T) (oldID, newID string) {
		t.Helper()
		oldID, newID = express.NewID(), express.NewID()
		if err := raw.Set(ctx, cfg.Prefix+oldID, expressRecord, time.Hour).Err(); err != nil {
			t.Fatal(err)
		}
		return oldID, newID
	}
	meta := func(t *testing.T, id string) session.Meta {
		t.Helper()
		rec, found, err := other.Load(ctx, id)
		if err != nil || !found {
			t.Fatalf("Load(%s): got (%v, %v), want the record", id, found, err)
		}
		rec.Touched = time.Now()
		return rec.Meta
	}
	live := func(t *testing.T, id string) (session.Record, bool) {
		t.Helper()
		rec, found, err := other.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return rec, found
	}

	t.Run("record, TTL and mark", func(t *testing.T) {
		oldID, newID := fresh(t)
		m := meta(t, oldID)
		m.User = "bob"
		moved, err := mover.Move(ctx, oldID, newID, session.Patch{Meta: m, Set: map[string]json.RawMessage{"step": json.RawMessage(`2`)}})
		if err != nil || !moved {
			t.Fatalf("Move: got (%v, %v), want moved", moved, err)
		}
		got := raw.Get(ctx, cfg.Prefix+newID).Val()
		exp := m.Expires().UTC().Format("2006-01-02T15:04:05.000Z07:00")
		want := `{"cookie":{"originalMaxAge":3600000,"expires":"` + exp + `","httpOnly":true,"path":"/"},"passport":{"user":"bob"},"cart":[1, 2],"step":2}`
		if got != want {
			t.Errorf("new record:\ngot  %s\nwant %s", got, want)
		}
		if ttl := raw.TTL(ctx, cfg.Prefix+newID).Val(); ttl < time.Hour-2*time.Second || ttl > time.Hour {
			t.Errorf("new record's TTL: got %v, want 1h", ttl)
		}
		if n := raw.Exists(ctx, cfg.Prefix+oldID).Val(); n != 0 {
			t.Errorf("EXISTS old record: got %d, want 0", n)
		}
		// Only the new record is under the prefix Express reads.
		var under []string
		for _, c := range []redis.UniversalClient{raw} {
			under = append(under, scan(t, c, cfg.Prefix)...)
		}
		if len(under) != 1 || under[0] != cfg.Prefix+newID {
			t.Errorf("keys under %s: got %v, want only the new record", cfg.Prefix, under)
		}
		marks := scan(t, raw, cfg.ForwardPrefix)
		if len(marks) != 1 {
			t.Fatalf("keys under %s: got %v, want the one forwarding mark", cfg.ForwardPrefix, marks)
		}
		if v := raw.Get(ctx, marks[0]).Val(); v != "moved:"+newID {
			t.Errorf("mark: got %q, want %q", v, "moved:"+newID)
		}
		if ttl := raw.TTL(ctx, marks[0]).Val(); ttl <= 0 || ttl > time.Minute {
			t.Errorf("mark's TTL: got %v, want at most a minute", ttl)
		}
		if cl, ok := raw.(*redis.ClusterClient); ok {
			a, b := cl.ClusterKeySlot(ctx, cfg.Prefix+oldID).Val(), cl.ClusterKeySlot(ctx, marks[0]).Val()
			if a != b {
				t.Errorf("slot of the old record %d, of its mark %d: want the same", a, b)
			}
		}
		if err := other.Delete(ctx, oldID); err != nil {
			t.Fatal(err)
		}
		if _, found := live(t, newID); found {
			t.Error("after Delete of the old ID: the new one is live, want it deleted through the mark")
		}
		if n := raw.Exists(ctx, marks[0]).Val(); n != 0 {
			t.Errorf("mark after Delete: EXISTS %d, want 0", n)
		}
	})

	// A dry run counts the commands of one move.
	oldID, newID := fresh(t)
	m := meta(t, oldID)
	p.arm(nil)
	if moved, err := mover.Move(ctx, oldID, newID, session.Patch{Meta: m}); err != nil || !moved {
		t.Fatalf("Move: got (%v, %v), want moved", moved, err)
	}
	p.mu.Lock()
	names := p.names
	p.mu.Unlock()
	steps := p.arm(nil)
	t.Logf("a move sends %d commands: %v", steps, names)

	cases := []struct {
		name string
		// act runs at step i of the move.
		act func(t *testing.T, oldID string) error
		// check judges the outcome.
		check func(t *testing.T, oldID, newID string, moved bool)
	}{
		{"Go logout", func(t *testing.T, oldID string) error { return other.Delete(ctx, oldID) },
			func(t *testing.T, oldID, newID string, moved bool) {
				_, o := live(t, oldID)
				_, n := live(t, newID)
				if o || n {
					t.Errorf("after a logout: old live %v, new live %v (moved %v); want neither", o, n, moved)
				}
			}},
		{"Express logout", func(t *testing.T, oldID string) error { return raw.Del(ctx, cfg.Prefix+oldID).Err() },
			func(t *testing.T, oldID, newID string, moved bool) {
				_, o := live(t, oldID)
				_, n := live(t, newID)
				if o || n || moved {
					t.Errorf("after Express's destroy during the move: old live %v, new live %v, moved %v; want neither, not moved", o, n, moved)
				}
			}},
		{"Express save", func(t *testing.T, oldID string) error {
			return raw.Set(ctx, cfg.Prefix+oldID, strings.Replace(expressRecord, `"cart":[1, 2]`, `"cart":[1, 2, 3]`, 1), time.Hour).Err()
		}, func(t *testing.T, oldID, newID string, moved bool) {
			rec, n := live(t, newID)
			if !moved || !n || string(rec.Values["cart"]) != `[1, 2, 3]` {
				t.Errorf("after Express's save during the move: moved %v, new live %v with cart %s; want moved with [1, 2, 3]", moved, n, rec.Values["cart"])
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range steps {
				oldID, newID := fresh(t)
				m := meta(t, oldID)
				var (
					actErr error
					fired  bool
				)
				p.arm(func(j int) {
					if j == i {
						fired, actErr = true, c.act(t, oldID)
					}
				})
				moved, err := mover.Move(ctx, oldID, newID, session.Patch{Meta: m})
				p.arm(nil)
				if err != nil || actErr != nil {
					t.Fatalf("step %d: Move: %v; the concurrent call: %v", i, err, actErr)
				}
				if !fired {
					t.Fatalf("step %d: the move sent fewer commands than the dry run counted (%d)", i, steps)
				}
				c.check(t, oldID, newID, moved)
			}
		})
	}

	t.Run("Go patch", func(t *testing.T) {
		for i := range steps {
			oldID, newID := fresh(t)
			m := meta(t, oldID)
			var (
				applied, fired bool
				actErr         error
			)
			p.arm(func(j int) {
				if j == i {
					fired = true
					applied, actErr = other.Patch(ctx, oldID, session.Patch{Meta: m, Set: map[string]json.RawMessage{"w": json.RawMessage(`1`)}})
				}
			})
			moved, err := mover.Move(ctx, oldID, newID, session.Patch{Meta: m})
			p.arm(nil)
			if err != nil || actErr != nil || !moved || !fired {
				t.Fatalf("step %d: Move: (%v, %v); Patch: %v (sent: %v); want moved, no errors, the patch sent", i, moved, err, actErr, fired)
			}
			rec, _ := live(t, newID)
			if _, ok := rec.Values["w"]; applied && !ok {
				t.Errorf("step %d: a patch acknowledged during the move is missing from the new record", i)
			}
		}
	})
}

// scan lists the keys under prefix, on every primary.
func scan(t *testing.T, c redis.UniversalClient, prefix string) []string {
	t.Helper()
	var keys []string
	var mu sync.Mutex
	each := func(ctx context.Context, n redis.Cmdable) error {
		iter := n.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if cl, ok := c.(*redis.ClusterClient); ok {
		err = cl.ForEachMaster(t.Context(), func(ctx context.Context, n *redis.Client) error { return each(ctx, n) })
	} else {
		err = each(t.Context(), c)
	}
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestMoveUnmovable: on a Cluster, an ID with a '}' outside a hash tag cannot
// share its mark's slot, and Move says so; on one server it moves.
func TestMoveUnmovable(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	cluster := clusterDeployment(t)(t, nil)
	for _, tt := range []struct {
		name   string
		client redis.UniversalClient
		want   error
	}{
		{"single", singleDeployment(t, nil), nil},
		{"cluster", cluster, connectredis.ErrUnmovable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prefix := redistest.UniquePrefix(t, tt.client)
			s, err := connectredis.New(connectredis.Config{Client: tt.client, Prefix: prefix + "sess:", ForwardPrefix: prefix + "fwd:", Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			m := session.Meta{Touched: time.Now(), Idle: time.Hour}
			oldID := "odd}" + express.NewID()
			if err := s.Save(t.Context(), oldID, session.Record{Meta: m}); err != nil {
				t.Fatal(err)
			}
			moved, err := s.Move(t.Context(), oldID, express.NewID(), session.Patch{Meta: m})
			if !errors.Is(err, tt.want) || moved != (tt.want == nil) {
				t.Fatalf("Move: got (%v, %v), want moved %v and error %v", moved, err, tt.want == nil, tt.want)
			}
			var se *session.StoreError
			if tt.want != nil && (!errors.As(err, &se) || se.Op != "move") {
				t.Fatalf("error: got %v, want a StoreError with Op move", err)
			}
			// Patches and deletes of such a session still work.
			if applied, err := s.Patch(t.Context(), oldID, session.Patch{Meta: m, Set: map[string]json.RawMessage{"a": json.RawMessage(`1`)}}); err != nil || applied != (tt.want != nil) {
				t.Fatalf("Patch: got (%v, %v), want applied %v", applied, err, tt.want != nil)
			}
			if err := s.Delete(t.Context(), oldID); err != nil {
				t.Fatal(err)
			}
		})
	}
}
