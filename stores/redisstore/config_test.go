package redisstore_test

import (
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

func TestNewValidates(t *testing.T) {
	good := redis.NewClient(redistest.Options("127.0.0.1:1"))
	ignoresDeadlines := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	cluster := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": "127.0.0.1:1"}})
	t.Cleanup(func() { good.Close(); ignoresDeadlines.Close(); cluster.Close(); ring.Close() })

	tests := []struct {
		name string
		cfg  redisstore.Config
		want []problem.ID
	}{
		{"good", redisstore.Config{Client: good}, nil},
		{"good with prefix", redisstore.Config{Client: good, Prefix: "app:sessions:"}, nil},
		{"no client", redisstore.Config{}, []problem.ID{problem.InvalidStoreConfig}},
		{"deadlines ignored", redisstore.Config{Client: ignoresDeadlines}, []problem.ID{redisstore.StoreIgnoresDeadline}},
		{"cluster ignores deadlines", redisstore.Config{Client: cluster}, []problem.ID{redisstore.StoreIgnoresDeadline}},
		{"ring ignores deadlines", redisstore.Config{Client: ring}, []problem.ID{redisstore.StoreIgnoresDeadline}},
		{"brace in prefix", redisstore.Config{Client: good, Prefix: "{app}:"}, []problem.ID{problem.InvalidStoreConfig}},
		{"everything wrong at once", redisstore.Config{Client: ignoresDeadlines, Prefix: "a}"}, []problem.ID{redisstore.StoreIgnoresDeadline, problem.InvalidStoreConfig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := redisstore.New(tt.cfg)
			var got []problem.ID
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range joined.Unwrap() {
					var p *problem.Problem
					if !errors.As(e, &p) {
						t.Fatalf("got error %v (%T), want *problem.Problem values", e, e)
					}
					got = append(got, p.Rule)
				}
			} else if err != nil {
				t.Fatalf("got error %v (%T), want errors.Join of problems", err, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got rules %v (%v), want %v", got, err, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got rules %v, want %v", got, tt.want)
				}
			}
			if (s == nil) != (err != nil) {
				t.Errorf("got store %v with error %v, want exactly one", s, err)
			}
		})
	}
}

func TestName(t *testing.T) {
	s, _, _ := sharedStore(t)
	if got := s.Name(); got != "redis" {
		t.Errorf("got %q, want %q", got, "redis")
	}
}
