package session_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func exampleManager() *session.Manager {
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	keys, err := cookie.NewKeyring([]byte("example-key-0123456789abcdef0123456789"))
	if err != nil {
		log.Fatal(err)
	}
	m, err := session.New(session.Config{Store: store, Keys: keys, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	return m
}

// exampleDo serves one request with the cookies of jar and keeps the ones the
// response sets, like a browser.
func exampleDo(h http.Handler, method, path string, jar map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for name, value := range jar {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(jar, c.Name)
		} else {
			jar[c.Name] = c.Value
		}
	}
	return rec
}

func ExampleManager_Handler() {
	m := exampleManager()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Regenerate(); err != nil { // a fresh ID at sign-in: session fixation defence
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		s.SetUser("alice")
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "user=%q why=%s", session.From(r.Context()).User(), session.From(r.Context()).Why())
	})
	h := m.Handler(mux)

	jar := map[string]string{}
	fmt.Println(exampleDo(h, "GET", "/me", jar).Body)
	exampleDo(h, "POST", "/login", jar)
	fmt.Println(exampleDo(h, "GET", "/me", jar).Body)
	// Output:
	// user="" why=no-cookie
	// user="alice" why=found
}

func ExampleGet() {
	m := exampleManager()
	type cart struct {
		Items []string `json:"items"`
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		c, _ := session.Get[cart](s, "cart") // zero value and false when absent
		c.Items = append(c.Items, r.URL.Query().Get("add"))
		if err := session.Set(s, "cart", c); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, strings.Join(c.Items, ","))
	}))
	jar := map[string]string{}
	exampleDo(h, "POST", "/?add=apple", jar)
	fmt.Println(exampleDo(h, "POST", "/?add=pear", jar).Body)
	// Output: apple,pear
}

// Only the key a request sets is written: concurrent requests that set different
// keys of one session both survive, where express-session, scs and
// gorilla/sessions write the whole session and the last writer wins.
func ExampleSet() {
	m := exampleManager()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if name := r.URL.Query().Get("pref"); name != "" {
			session.Set(s, "pref:"+name, r.URL.Query().Get("value"))
			return
		}
		fmt.Fprint(w, strings.Join(s.Keys(), " "))
	}))
	jar := map[string]string{}
	exampleDo(h, "PUT", "/?pref=theme&value=dark", jar)
	exampleDo(h, "PUT", "/?pref=lang&value=fr", jar)
	fmt.Println(exampleDo(h, "GET", "/", jar).Body)
	// Output: pref:lang pref:theme
}

func ExampleSession_Destroy() {
	m := exampleManager()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		switch r.URL.Path {
		case "/login":
			s.Regenerate()
			s.SetUser("alice")
		case "/logout":
			if err := s.Destroy(r.Context()); err != nil {
				http.Error(w, "try again", http.StatusServiceUnavailable)
			}
		}
	}))
	jar := map[string]string{}
	exampleDo(h, "POST", "/login", jar)
	stolen := jar["sid"]
	rec := exampleDo(h, "POST", "/logout", jar)
	fmt.Println(strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0"))

	// The old cookie, replayed, finds nothing: the session is gone server-side.
	replay := map[string]string{"sid": stolen}
	why := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, session.From(r.Context()).Why())
	}))
	fmt.Println(exampleDo(why, "GET", "/", replay).Body)
	// Output:
	// true
	// unknown-or-expired
}

// "Remember me": a longer idle and absolute timeout for this session only.
func ExampleSession_SetTimeouts() {
	m := exampleManager()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		s.Regenerate()
		s.SetUser("alice")
		if r.URL.Query().Get("remember") == "true" {
			s.SetTimeouts(7*24*time.Hour, 30*24*time.Hour)
		}
		fmt.Fprint(w, s.Expires().Sub(s.Created()).Round(time.Minute))
	}))
	fmt.Println(exampleDo(h, "POST", "/?remember=false", map[string]string{}).Body)
	fmt.Println(exampleDo(h, "POST", "/?remember=true", map[string]string{}).Body)
	// Output:
	// 30m0s
	// 168h0m0s
}

// A handler that calls Err handles a store outage itself; one that does not gets
// the Manager's 503 problem+json instead of a response that would wrongly say
// "signed out".
func ExampleSession_Err() {
	m := exampleManager()
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Err(); err != nil {
			var se *session.StoreError
			if errors.As(err, &se) {
				http.Error(w, "sessions are down, read-only mode", http.StatusOK)
				return
			}
		}
		fmt.Fprint(w, "user ", s.User())
	}))
	fmt.Println(exampleDo(h, "GET", "/", map[string]string{}).Body)
	// Output: user
}

func ExampleManager_DestroyUser() {
	m := exampleManager()
	login := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		s.Regenerate()
		s.SetUser("alice")
	}))
	for range 3 { // three devices
		exampleDo(login, "POST", "/", map[string]string{})
	}
	ctx := context.Background()
	list, _ := m.UserSessions(ctx, "alice")
	fmt.Println(len(list), "sessions")
	n, _ := m.DestroyUser(ctx, "alice", list[0].Key) // sign out every other device
	left, _ := m.UserSessions(ctx, "alice")
	fmt.Println(n, "signed out,", len(left), "left")
	// Output:
	// 3 sessions
	// 2 signed out, 1 left
}

// A handler answers 401 with why the request has no session, in plain words, in
// development; Sesame-Why (Config.Dev) carries only the code.
func ExampleReason_Explain() {
	fmt.Println(session.NoCookie.String())
	fmt.Println(session.BadSignature.Explain())
	// Output:
	// no-cookie
	// The session cookie's signature matches none of the signing keys: the key changed without rotation (keep the old key after the new one), or the cookie was forged (rule SES021).
}
