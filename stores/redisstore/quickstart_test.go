package redisstore_test

import (
	"log"
	"net/http"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
)

// quickStart is the README's quick start, verbatim between the markers, so that
// it compiles and checks its errors (the root's TestDocsCodeBlocks keeps the two
// equal and checks every error is handled).
// It is not run: it would listen on :8080.
func quickStart(addrs []string, key []byte) {
	// docs: README.md quick start begins
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: addrs, ContextTimeoutEnabled: true})
	store, err := redisstore.New(redisstore.Config{Client: rdb}) // single node, Sentinel or Cluster
	if err != nil {
		log.Fatal(err) // e.g. SES040: the client does not give up on a deadline
	}
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",           // what browsers call
		FrontendOrigins: []string{"https://app.example.com"}, // CORS allowlist = CSRF trusted origins
		TrustedProxies:  []string{"private"},                 // the TLS-terminating load balancer
		Keys:            [][]byte{key},                       // `sesame keygen`; first signs, all verify
		Store:           store,
	})
	if err != nil {
		log.Fatal(err) // every problem at once, each with its rule id (SES003: `*` with credentials, …)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Regenerate(); err != nil { // new ID at sign-in (session fixation)
			http.Error(w, "try again", http.StatusServiceUnavailable) // the store is down
			return
		}
		s.SetUser("alice") // for "list my sessions" and "sign out everywhere"
		if err := session.Set(s, "theme", "dark"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError) // a value JSON cannot encode
			return
		}
	})
	log.Print(st.Explain()) // the derived policy, in sentences
	log.Fatal(http.ListenAndServe(":8080", st.Handler(mux)))
	// docs: README.md quick start ends
}

var _ = quickStart
