package contestant

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// floorKey is the one hash the floor contestant reads and writes: seven
// fields, the size of a sesame session with a user and one value.
const floorKey = "floor:{session}"

// floor mounts the Redis floor: the same read and write endpoints as a session
// contestant, but with no session library at all, only the one go-redis call
// each needs (HGETALL of a session-sized hash; HSET of one field). No Redis
// session store can cost less per request, so it tells which part of a
// Redis-backed store's cost is the round trip itself.
func (s *Server) floor(name string, o Options) error {
	key := o.Prefix + floorKey
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.redis.HSet(ctx, key,
		"m:created", "1700000000000", "m:touched", "1700000000000", "m:idle", "1800000",
		"m:absolute", "1700086400000", "m:user", "u1", "m:v", "1", "v:user", `"u1"`).Err(); err != nil {
		return err
	}
	p := "/" + name + "/"
	s.mux.HandleFunc("GET "+p+"read", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.redis.HGetAll(r.Context(), key).Result()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header()["Content-Type"] = textPlain
		w.Write([]byte(m["m:user"]))
	})
	s.mux.HandleFunc("POST "+p+"write", func(w http.ResponseWriter, r *http.Request) {
		v := s.next()
		if err := s.redis.HSet(r.Context(), key, "v:n", fmt.Sprintf("%q", v)).Err(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header()["Content-Type"] = textPlain
		w.Write([]byte(v))
	})
	return nil
}
