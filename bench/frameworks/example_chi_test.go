package frameworks_test

import (
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// chi needs no adapter: a Stack's Handler is chi middleware as it is. Use it on
// the router (not on a route group) so that preflights to any path are answered.
func Example_chi() {
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"https://app.example.com"},
		Keys:            [][]byte{[]byte("example-key-0123456789abcdefghijklmnopq")},
		Store:           store,
	})
	if err != nil {
		log.Fatal(err)
	}
	// README begins
	r := chi.NewRouter()
	r.Use(st.Handler)
	r.Post("/api/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Regenerate(); err != nil { // a new ID at sign-in
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		s.SetUser("alice")
	})
	_ = http.Handler(r) // http.ListenAndServe(":8080", r)
	// README ends
	// Output:
}
