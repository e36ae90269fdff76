package sesame_test

import (
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func exampleStore() session.Store {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// firstLines prints the derived cookie policy without the timestamps of a log.
func cookieLine(st *sesame.Stack) {
	for _, line := range strings.Split(st.Explain(), "\n") {
		if strings.HasPrefix(line, "Session cookie:") {
			fmt.Println(line)
		}
	}
}

// Local development: a Vite front end on localhost:5173 calling the API on
// localhost:8080. Both are the site http://localhost, so a Lax cookie over plain
// HTTP works in every browser.
func Example_localDevelopment() {
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "http://localhost:8080",
		FrontendOrigins: []string{"http://localhost:5173"},
		Keys:            [][]byte{[]byte("dev-only-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
		Dev:             true,
		Logger:          slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	cookieLine(st)
	// Output:
	// Session cookie: sid; Path=/; HttpOnly; SameSite=Lax; Secure when the request is HTTPS.
}

// Production, same-site: app.example.com calls api.example.com through a
// TLS-terminating load balancer on the private network. Trusting the balancer
// lets the API know the request was HTTPS; the cookie is __Host- prefixed, Lax.
func Example_productionSameSite() {
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"https://app.example.com"},
		TrustedProxies:  []string{"private"},
		Keys:            [][]byte{[]byte(os.Getenv("SESSION_KEY") + "example-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
		Logger:          slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	cookieLine(st)
	// Output:
	// Session cookie: __Host-sid; Path=/; HttpOnly; SameSite=Lax; Secure.
}

// Production, cross-site: the front end on app.site-a.test calls
// api.site-b.test. The cookie must be SameSite=None; Secure, and Partitioned so
// that browsers blocking third-party cookies still keep it; New warns that
// same-site hosting is the robust fix.
func Example_productionCrossSite() {
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.site-b.test",
		FrontendOrigins: []string{"https://app.site-a.test"},
		TrustedProxies:  []string{"10.0.0.0/8"},
		Keys:            [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
		Logger:          slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	cookieLine(st)
	for _, w := range st.Warnings() {
		fmt.Println(w.Rule)
	}
	// Output:
	// Session cookie: __Host-sid; Path=/; HttpOnly; SameSite=None; Secure; Partitioned.
	// SES007
}

// The seeds' recipe, `*` with credentials, is refused at construction with the
// rule that explains it.
func Example_wrongWay() {
	_, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"*"},
		Keys:            [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
		Logger:          slog.New(slog.DiscardHandler),
	})
	fmt.Println(strings.Contains(err.Error(), "SES003"))
	// Output:
	// true
}

func ExampleStack_Handler() {
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"https://app.example.com"},
		Keys:            [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		s.Regenerate() // a new ID at sign-in: session fixation defence
		s.SetUser("alice")
		session.Set(s, "theme", "dark")
	})
	_ = http.Handler(st.Handler(mux)) // http.ListenAndServe(":8080", st.Handler(mux))
}
