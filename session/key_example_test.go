package session_test

import (
	"errors"
	"fmt"

	"github.com/sesame-go/sesame/session"
)

// Key names are checked once, the same for every store: valid UTF-8 without NUL.
// Set refuses any other name with this error.
func ExampleCheckKey() {
	for _, name := range []string{"cart", "Zoë's 🍪", "nul\x00byte", "bad\xffbyte"} {
		err := session.CheckKey(name)
		fmt.Printf("%q: %v (ErrInvalidKey: %v)\n", name, err, errors.Is(err, session.ErrInvalidKey))
	}
	// Output:
	// "cart": <nil> (ErrInvalidKey: false)
	// "Zoë's 🍪": <nil> (ErrInvalidKey: false)
	// "nul\x00byte": session: key "nul\x00byte": NUL at byte 3: a session key must be valid UTF-8 without NUL (ErrInvalidKey: true)
	// "bad\xffbyte": session: key "bad\xffbyte": invalid UTF-8: a session key must be valid UTF-8 without NUL (ErrInvalidKey: true)
}
