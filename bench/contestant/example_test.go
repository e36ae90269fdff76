package contestant_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sesame-go/sesame/bench/contestant"
)

// New builds the contestants; Only keeps those that need no Redis or file.
func ExampleNew() {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-mem", "sesame-cors"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	req := httptest.NewRequest("OPTIONS", "/sesame-cors/api", nil)
	req.Header.Set("Origin", contestant.Origin)
	req.Header.Set("Access-Control-Request-Method", "PUT")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	// Output: 204 https://app.example.com
}

// Login returns the Cookie header a browser would send after signing in.
func ExampleServer_Login() {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-mem"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	cookie, err := srv.Login("sesame-mem")
	if err != nil {
		fmt.Println(err)
		return
	}
	req := httptest.NewRequest("GET", "/sesame-mem/read", nil)
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.HasPrefix(rec.Body.String(), "u"))
	// Output: 200 true
}

// Seed fills a store with sessions in process, one cookie per line.
func ExampleServer_Seed() {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-mem"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	var cookies bytes.Buffer
	if err := srv.Seed(context.Background(), "sesame-mem", 100, 4, &cookies); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(cookies.String(), "\n"), "sessions")
	// Output: 100 sessions
}

// CookieHeader turns a response's Set-Cookie lines into the next Cookie header.
func ExampleCookieHeader() {
	res := &http.Response{Header: http.Header{"Set-Cookie": {"sid=abc; Path=/; HttpOnly", "old=; Max-Age=0"}}}
	c, err := contestant.CookieHeader(res)
	fmt.Println(c, err)
	// Output: sid=abc <nil>
}

// Sessions and Lookup list the contestants.
func ExampleSessions() {
	fmt.Println(contestant.Sessions()[0])
	c, ok := contestant.Lookup("rs-cors")
	fmt.Println(c.Label, ok)
	// Output:
	// sesame-mem
	// rs/cors true
}
