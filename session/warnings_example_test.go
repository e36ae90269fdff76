package session_test

import (
	"fmt"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// New returns what only warns and never logs it: the caller decides where it
// goes (the sesame Stack logs every stage's warnings once).
func ExampleManager_Warnings() {
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		panic(err)
	}
	defer store.Close()
	keys, err := cookie.NewKeyring([]byte("example-key-0123456789abcdef0123456789"))
	if err != nil {
		panic(err)
	}
	m, err := session.New(session.Config{Store: store, Keys: keys, AbsoluteTimeout: 500 * 24 * time.Hour})
	if err != nil {
		panic(err)
	}
	for _, w := range m.Warnings() {
		fmt.Println(w.Rule, w.Severity)
	}
	// Output: SES019 warning
}
