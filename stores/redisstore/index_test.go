package redisstore_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

func keysOf(entries []session.Entry) []string {
	var ks []string
	for _, e := range entries {
		ks = append(ks, e.Key)
	}
	return ks
}

func TestUserSessions(t *testing.T) {
	s, _, _ := sharedStore(t)
	a1, a2, b1, anon := key("a1"), key("a2"), key("b1"), key("anon")
	for k, u := range map[string]string{a1: "alice", a2: "alice", b1: "bob", anon: ""} {
		if err := s.Save(ctx(t), k, record(u, "k", `1`)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		user string
		want []string
	}{
		{"alice", []string{a1, a2}},
		{"bob", []string{b1}},
		{"carol", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			got, err := s.UserSessions(ctx(t), tt.user)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keysOf(got), tt.want) {
				t.Errorf("got %v, want %v", keysOf(got), tt.want)
			}
			for _, e := range got {
				if e.Record.User != tt.user || string(e.Record.Values["k"]) != "1" {
					t.Errorf("got record %+v, want user %q with k=1", e.Record, tt.user)
				}
			}
		})
	}
}

// When a save or a patch changes the user, the session moves between sets.
func TestUserChange(t *testing.T) {
	s, c, prefix := sharedStore(t)
	tests := []struct {
		name  string
		write func(t *testing.T, k, user string)
	}{
		{"save", func(t *testing.T, k, user string) {
			if err := s.Save(ctx(t), k, record(user)); err != nil {
				t.Fatal(err)
			}
		}},
		{"patch", func(t *testing.T, k, user string) {
			if ok, err := s.Patch(ctx(t), k, session.Patch{Meta: record(user).Meta}); err != nil || !ok {
				t.Fatalf("Patch: got %v, %v, want true, nil", ok, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := key(tt.name)
			if err := s.Save(ctx(t), k, record("")); err != nil {
				t.Fatal(err)
			}
			for _, step := range []struct{ user, other string }{{"u1-" + tt.name, ""}, {"u2-" + tt.name, "u1-" + tt.name}, {"", "u2-" + tt.name}} {
				tt.write(t, k, step.user)
				if step.user != "" {
					got, err := s.UserSessions(ctx(t), step.user)
					if err != nil || !slices.Equal(keysOf(got), []string{k}) {
						t.Errorf("UserSessions(%q): got %v, %v, want [%s]", step.user, keysOf(got), err, k)
					}
				}
				if step.other != "" {
					// Look at the set itself: UserSessions would hide a stale member.
					members := c.SMembers(ctx(t), prefix+"u:{"+step.other+"}").Val()
					if len(members) != 0 {
						t.Errorf("set of %q: got %v, want empty", step.other, members)
					}
				}
			}
		})
	}
}

// UserSessions drops members whose record is gone, belongs to another user, or
// cannot be decoded, and lists only what Load finds.
func TestUserSessionsPrunes(t *testing.T) {
	s, c, prefix := sharedStore(t)
	live, gone, moved, garbage := key("live"), key("gone"), key("moved"), key("garbage")
	for _, k := range []string{live, gone, moved, garbage} {
		if err := s.Save(ctx(t), k, record("dave")); err != nil {
			t.Fatal(err)
		}
	}
	// Change the records behind the store's back.
	if err := c.Del(ctx(t), prefix+"s:{"+gone+"}").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.HSet(ctx(t), prefix+"s:{"+moved+"}", "m:user", "erin").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx(t), prefix+"s:{"+garbage+"}", "not a hash", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserSessions(ctx(t), "dave")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(keysOf(got), []string{live}) {
		t.Errorf("got %v, want [%s]", keysOf(got), live)
	}
	members := c.SMembers(ctx(t), prefix+"u:{dave}").Val()
	if !slices.Equal(members, []string{live}) {
		t.Errorf("set after pruning: got %v, want [%s]", members, live)
	}
}

// The user set lives at least as long as its longest-lived member.
func TestUserSetExpiry(t *testing.T) {
	s, c, prefix := sharedStore(t)
	setTTL := func(t *testing.T) time.Duration {
		t.Helper()
		return c.PTTL(ctx(t), prefix+"u:{frank}").Val()
	}
	now := time.Now()
	save := func(t *testing.T, k string, idle time.Duration) {
		t.Helper()
		rec := session.Record{Meta: session.Meta{Touched: now, Idle: idle, User: "frank"}, Values: map[string]json.RawMessage{}}
		if err := s.Save(ctx(t), k, rec); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		key     string
		idle    time.Duration
		wantMin time.Duration // -1: no expiry
	}{
		{"first member sets it", key("f1"), time.Hour, time.Hour - time.Minute},
		{"a longer member extends it", key("f2"), 3 * time.Hour, 3*time.Hour - time.Minute},
		{"a shorter member does not shorten it", key("f3"), time.Minute, 3*time.Hour - time.Minute},
		{"a member without expiry makes it persistent", key("f4"), 0, -1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			save(t, st.key, st.idle)
			got := setTTL(t)
			if st.wantMin < 0 {
				if got >= 0 {
					t.Errorf("got TTL %v, want none", got)
				}
				return
			}
			if got < st.wantMin {
				t.Errorf("got TTL %v, want at least %v", got, st.wantMin)
			}
		})
	}
}
