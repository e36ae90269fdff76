package sesame_test

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session/memstore"
)

// The wrong way: a store whose constructor failed, its error dropped. The nil
// *memstore.Store in the Store interface is refused with a rule id, instead of a
// panic on the first login.
func ExampleNew_typedNilStore() {
	var store *memstore.Store // what memstore.New returns with an error
	_, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com",
		Keys:      [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:     store,
	})
	var p *problem.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Rule, p.Detail)
	}
	// Output: SES041 sesame.Config.Store is a nil *memstore.Store: the store's constructor probably failed and its error was not checked
}

// Warnings collects what every stage found, each once; New has already logged
// each of them once to Config.Logger.
func ExampleStack_Warnings() {
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"https://app.example.com"},
		CORSMaxAge:      3 * time.Hour, // above Chromium's cap
		Keys:            [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:           exampleStore(),
		Logger:          slog.New(slog.DiscardHandler),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range st.Warnings() {
		fmt.Println(w)
	}
	// Output: SES027 (warning): sesame.Config.CORSMaxAge 3h0m0s is above Chromium's cap of 2h: Chrome and Edge cache preflights for 2h only; fix: use at most 2h (7200s) so every browser behaves the same
}

// The wrong way: a __Host- cookie name promises Secure, which an http API can
// never give; every login would answer without a cookie.
func ExampleNew_hostPrefixOverHTTP() {
	_, err := sesame.New(sesame.Config{
		APIOrigin:  "http://api.example.com",
		CookieName: "__Host-sid",
		Keys:       [][]byte{[]byte("example-key-0123456789abcdef0123456789")},
		Store:      exampleStore(),
	})
	var p *problem.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Rule)
	}
	// Output: SES028
}
