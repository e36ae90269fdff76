package check_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

// Contestant verifies every endpoint of a contestant over HTTP before any load.
func ExampleContestant() {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-csrf"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	c, _ := contestant.Lookup("sesame-csrf")
	_, err = check.Contestant(context.Background(), ts.URL, c)
	fmt.Println(err)
	// Output: <nil>
}

// Loads lists the requests the load generator repeats against a contestant.
func ExampleLoads() {
	for _, l := range check.Loads("sesame-cors", contestant.CORS) {
		fmt.Println(l.Endpoint, l.Method, l.Path)
	}
	// Output:
	// preflight OPTIONS /sesame-cors/api
	// actual GET /sesame-cors/api
}

// Server verifies that a server answers /bare, the reference.
func ExampleServer() {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-mem"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	fmt.Println(check.Server(context.Background(), ts.URL))
	// Output: <nil>
}
