package redisstore_test

import (
	"bufio"
	"log"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
)

// quickStart is the README's quick start, verbatim between the markers, so that
// it compiles and checks its errors (TestREADMEQuickStart keeps the two equal).
// It is not run: it would listen on :8080.
func quickStart(addrs []string, key []byte) {
	// README quick start begins
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
		s.Regenerate()     // new ID at sign-in (session fixation)
		s.SetUser("alice") // for "list my sessions" and "sign out everywhere"
		session.Set(s, "theme", "dark")
	})
	log.Print(st.Explain()) // the derived policy, in sentences
	log.Fatal(http.ListenAndServe(":8080", st.Handler(mux)))
	// README quick start ends
}

var _ = quickStart

// TestREADMEQuickStart: the README's quick start is the code above, line for
// line, so it compiles, vets and checks every error.
func TestREADMEQuickStart(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "## Quick start")
	if !ok {
		t.Fatal("README.md has no Quick start section")
	}
	_, block, ok := strings.Cut(after, "```go\n")
	if !ok {
		t.Fatal("the Quick start section has no go code block")
	}
	block, _, _ = strings.Cut(block, "```")
	src, err := os.ReadFile("quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(src), "// README quick start begins\n")
	body, _, _ = strings.Cut(body, "\t// README quick start ends")
	var code []string
	for sc := bufio.NewScanner(strings.NewReader(body)); sc.Scan(); {
		code = append(code, strings.TrimPrefix(sc.Text(), "\t"))
	}
	if got, want := strings.TrimSpace(block), strings.TrimSpace(strings.Join(code, "\n")); got != want {
		t.Errorf("README.md's quick start differs from quickstart_test.go's quickStart:\nREADME:\n%s\n\ncode:\n%s", got, want)
	}
}
