package connectredis_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// The rotation race of issue 15, as it applies to connect-redis records (no
// user index, so no "sign out everywhere"): a thief holding a stolen cookie
// chains rotating requests (each loads the session, then Regenerate moves it
// to a new ID) while the victim, whose cookie still holds the original ID,
// signs out once (Delete of that ID). A trial is lost when the thief's latest
// ID is live afterwards. It runs with the store's Move and with the path a
// store without Mover takes (Save the loaded record under the new ID, then
// Delete the old one), and reports both counts.

type rotator func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error)

func saveDelete(s session.Store) rotator {
	return func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
		rec, found, err := s.Load(ctx, oldKey)
		if err != nil || !found {
			return false, err
		}
		rec.Meta = p.Meta
		if err := s.Save(ctx, newKey, rec); err != nil {
			return false, err
		}
		return true, s.Delete(ctx, oldKey)
	}
}

func move(s *connectredis.Store) rotator {
	return func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
		if _, found, err := s.Load(ctx, oldKey); err != nil || !found {
			return false, err
		}
		return s.Move(ctx, oldKey, newKey, p)
	}
}

func rotateTrials(t *testing.T, s *connectredis.Store, rotate rotator, trials int) int {
	t.Helper()
	ctx := t.Context()
	live := 0
	for trial := range trials {
		meta := session.Meta{Touched: time.Now(), Idle: time.Hour, User: "victim"}
		first := express.NewID()
		if err := s.Save(ctx, first, session.Record{Meta: meta}); err != nil {
			t.Fatal(err)
		}
		var (
			wg   sync.WaitGroup
			last string
		)
		started := make(chan struct{})
		signedOut := make(chan struct{})
		wg.Go(func() { // the thief
			k, after := first, 0
			defer func() { last = k }()
			for i := 0; ; i++ {
				if i == 3 {
					close(started)
				}
				next := express.NewID()
				moved, err := rotate(ctx, k, next, session.Patch{Meta: meta})
				if err != nil {
					t.Errorf("trial %d: rotation: %v", trial, err)
				}
				if !moved {
					if i < 3 {
						close(started)
					}
					return
				}
				k = next
				select {
				case <-signedOut:
					if after++; after == 5 { // still rotating after the sign-out: it lost
						return
					}
				default:
				}
			}
		})
		<-started
		if err := s.Delete(ctx, first); err != nil { // the victim signs out
			t.Fatal(err)
		}
		close(signedOut)
		wg.Wait()
		if _, found, err := s.Load(ctx, last); err != nil {
			t.Fatal(err)
		} else if found {
			live++
			_ = s.Delete(ctx, last)
		}
	}
	return live
}

func testRotationRace(t *testing.T, name string, client redis.UniversalClient) {
	prefix := redistest.UniquePrefix(t, client)
	s, err := connectredis.New(connectredis.Config{Client: client, Prefix: prefix + "sess:", ForwardPrefix: prefix + "fwd:", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	const trials = 30
	before := rotateTrials(t, s, saveDelete(s), trials)
	after := rotateTrials(t, s, move(s), trials)
	t.Logf("%s: chained rotations vs one logout, %d trials: the thief kept a live session in %d with Save+Delete, %d with Move", name, trials, before, after)
	if after != 0 {
		t.Errorf("%s: with Move the thief kept a live session in %d of %d trials, want 0", name, after, trials)
	}
}

func TestRotationRace(t *testing.T) {
	t.Run("single", func(t *testing.T) {
		testRotationRace(t, "connect-redis on Redis", redistest.Shared(t))
	})
	t.Run("cluster", func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts a three-node Redis Cluster")
		}
		testRotationRace(t, "connect-redis on Redis Cluster", redistest.ClusterClient(t, redistest.StartCluster(t, 3)))
	})
}
