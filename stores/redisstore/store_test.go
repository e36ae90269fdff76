package redisstore_test

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

func TestSaveLoad(t *testing.T) {
	s, _, _ := sharedStore(t)
	tests := []struct {
		name string
		rec  session.Record
	}{
		{"empty", record("")},
		{"values", record("", "a", `1`, "b", `{"x":[1,2]}`, "", `""`)},
		{"user", record("alice", "cart", `["apple"]`)},
		{"absolute only", session.Record{Meta: session.Meta{Created: time.Now(), Touched: time.Now(), Absolute: time.Now().Add(time.Hour)}}},
		{"no expiry", session.Record{Meta: session.Meta{Created: time.Now(), Touched: time.Now()}, Values: map[string]json.RawMessage{"m:created": json.RawMessage(`"field names are namespaced"`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := key(tt.name)
			if err := s.Save(ctx(t), k, tt.rec); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, found, err := s.Load(ctx(t), k)
			if err != nil || !found {
				t.Fatalf("Load: got found=%v err=%v, want found=true err=nil", found, err)
			}
			sameRecord(t, got, tt.rec)
		})
	}
}

func TestLoadMissing(t *testing.T) {
	s, _, _ := sharedStore(t)
	_, found, err := s.Load(ctx(t), key("nothing"))
	if found || err != nil {
		t.Fatalf("got found=%v err=%v, want false, nil", found, err)
	}
}

func TestSaveReplaces(t *testing.T) {
	s, _, _ := sharedStore(t)
	k := key("replace")
	if err := s.Save(ctx(t), k, record("", "a", `1`, "b", `2`)); err != nil {
		t.Fatal(err)
	}
	want := record("", "c", `3`)
	if err := s.Save(ctx(t), k, want); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Load(ctx(t), k)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, got, want)
}

func TestExpiry(t *testing.T) {
	s, c, prefix := sharedStore(t)
	now := time.Now()
	tests := []struct {
		name    string
		meta    session.Meta
		wantTTL time.Duration // -1: no expiry; 0: deleted
	}{
		{"idle", session.Meta{Touched: now, Idle: time.Hour}, time.Hour},
		{"absolute earlier", session.Meta{Touched: now, Idle: time.Hour, Absolute: now.Add(10 * time.Minute)}, 10 * time.Minute},
		{"none", session.Meta{Touched: now}, -1},
		{"already expired", session.Meta{Touched: now.Add(-2 * time.Hour), Idle: time.Hour}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := key(tt.name)
			if err := s.Save(ctx(t), k, session.Record{Meta: tt.meta}); err != nil {
				t.Fatal(err)
			}
			ttl, err := c.PTTL(ctx(t), prefix+"s:{"+k+"}").Result()
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.wantTTL == 0:
				if n := c.Exists(ctx(t), prefix+"s:{"+k+"}").Val(); n != 0 {
					t.Errorf("got %d keys, want the expired record not stored", n)
				}
			case tt.wantTTL < 0:
				if ttl >= 0 {
					t.Errorf("got TTL %v, want none", ttl)
				}
			default:
				if ttl <= tt.wantTTL-time.Minute || ttl > tt.wantTTL {
					t.Errorf("got TTL %v, want about %v", ttl, tt.wantTTL)
				}
			}
		})
	}
}

// A record that Redis still holds but whose Meta says it has ended (the Redis
// host's clock behind the application's) is not returned.
func TestLoadChecksLive(t *testing.T) {
	s, c, prefix := sharedStore(t)
	k := key("skew")
	if err := s.Save(ctx(t), k, record("")); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339Nano)
	if err := c.HSet(ctx(t), prefix+"s:{"+k+"}", "m:touched", past).Err(); err != nil {
		t.Fatal(err)
	}
	_, found, err := s.Load(ctx(t), k)
	if found || err != nil {
		t.Fatalf("got found=%v err=%v, want false, nil", found, err)
	}
}

func TestPatch(t *testing.T) {
	s, _, _ := sharedStore(t)
	k := key("patch")
	if err := s.Save(ctx(t), k, record("", "a", `1`, "b", `2`, "c", `3`)); err != nil {
		t.Fatal(err)
	}
	meta := record("").Meta
	applied, err := s.Patch(ctx(t), k, session.Patch{
		Meta:   meta,
		Set:    map[string]json.RawMessage{"a": json.RawMessage(`10`), "d": json.RawMessage(`4`)},
		Delete: []string{"b", "missing"},
	})
	if err != nil || !applied {
		t.Fatalf("Patch: got applied=%v err=%v, want true, nil", applied, err)
	}
	got, _, err := s.Load(ctx(t), k)
	if err != nil {
		t.Fatal(err)
	}
	want := session.Record{Meta: meta, Values: map[string]json.RawMessage{"a": json.RawMessage(`10`), "c": json.RawMessage(`3`), "d": json.RawMessage(`4`)}}
	sameRecord(t, got, want)
}

func TestPatchDoesNotResurrect(t *testing.T) {
	s, c, prefix := sharedStore(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, k string)
	}{
		{"never saved", func(t *testing.T, k string) {}},
		{"deleted", func(t *testing.T, k string) {
			if err := s.Save(ctx(t), k, record("")); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx(t), k); err != nil {
				t.Fatal(err)
			}
		}},
		{"expired by the application's clock", func(t *testing.T, k string) {
			if err := s.Save(ctx(t), k, record("")); err != nil {
				t.Fatal(err)
			}
			touched := time.Now().Add(-2 * time.Hour)
			if err := c.HSet(ctx(t), prefix+"s:{"+k+"}",
				"m:touched", touched.UTC().Format(time.RFC3339Nano),
				"m:expires", touched.Add(time.Hour).UnixMilli()).Err(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := key(tt.name)
			tt.setup(t, k)
			applied, err := s.Patch(ctx(t), k, session.Patch{Meta: record("").Meta, Set: map[string]json.RawMessage{"a": json.RawMessage(`1`)}})
			if err != nil || applied {
				t.Fatalf("got applied=%v err=%v, want false, nil", applied, err)
			}
			if _, found, _ := s.Load(ctx(t), k); found {
				t.Errorf("got the record found after the patch, want it missing")
			}
		})
	}
}

// Concurrent patches of different keys all survive: each is one script, which
// Redis runs atomically.
func TestConcurrentDisjointPatches(t *testing.T) {
	s, _, _ := sharedStore(t)
	k := key("concurrent")
	if err := s.Save(ctx(t), k, record("")); err != nil {
		t.Fatal(err)
	}
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := string(rune('A'+i%26)) + string(rune('a'+i/26))
			_, err := s.Patch(ctx(t), k, session.Patch{Meta: record("").Meta, Set: map[string]json.RawMessage{name: json.RawMessage(`true`)}})
			if err != nil {
				t.Errorf("Patch %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, _, err := s.Load(ctx(t), k)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != n {
		t.Fatalf("got %d values, want %d", len(got.Values), n)
	}
}

// A patch larger than Lua's unpack limit is applied in chunks.
func TestLargePatch(t *testing.T) {
	s, _, _ := sharedStore(t)
	k := key("large")
	if err := s.Save(ctx(t), k, record("")); err != nil {
		t.Fatal(err)
	}
	set := make(map[string]json.RawMessage)
	var del []string
	for i := range 5000 {
		set["k"+strconv.Itoa(i)] = json.RawMessage(strconv.Itoa(i))
		del = append(del, "gone"+strconv.Itoa(i))
	}
	applied, err := s.Patch(ctx(t), k, session.Patch{Meta: record("").Meta, Set: set, Delete: del})
	if err != nil || !applied {
		t.Fatalf("got applied=%v err=%v, want true, nil", applied, err)
	}
	got, _, err := s.Load(ctx(t), k)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != len(set) {
		t.Fatalf("got %d values, want %d", len(got.Values), len(set))
	}
}

func TestDelete(t *testing.T) {
	s, _, _ := sharedStore(t)
	k := key("delete")
	if err := s.Save(ctx(t), k, record("bob")); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // deleting a missing key is not an error
		if err := s.Delete(ctx(t), k); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	if _, found, _ := s.Load(ctx(t), k); found {
		t.Error("got the record found after Delete, want it missing")
	}
	list, err := s.UserSessions(ctx(t), "bob")
	if err != nil || len(list) != 0 {
		t.Errorf("UserSessions after Delete: got %v, %v, want none", list, err)
	}
}
