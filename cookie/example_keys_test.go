package cookie_test

import (
	"fmt"
	"log"

	"github.com/sesame-go/sesame/cookie"
)

// Keys as `sesame keygen` prints them, the newest (signing) key first, in an
// environment variable: SESAME_KEYS="$(sesame keygen),$OLD_KEY".
func ExampleKeyringFromEnv() {
	kr, err := cookie.KeyringFromEnv("SESAME_KEYS")
	if err != nil {
		fmt.Println(err) // unset here: the error says what to put there
		return
	}
	_ = kr
	// Output:
	// SES030: environment variable SESAME_KEYS is unset or empty; fix: set SESAME_KEYS to the output of `sesame keygen` (several keys separated by commas, the signing key first)
}

func ExampleParseKeys() {
	keys, err := cookie.ParseKeys("secret.key", []byte(`# rotated 2026-03: new key first
dGhpcyBpcyB0aGUgbmV3IGtleSwgMzIgYnl0ZXMgbG9uZw
b2xkIGtleSwga2VwdCB1bnRpbCBpdHMgY29va2llcyBleHBpcmU
`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(keys), "keys; the first signs:", string(keys[0]))
	// Output: 2 keys; the first signs: this is the new key, 32 bytes long
}
