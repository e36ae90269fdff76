package cookie

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/sesame-go/sesame/problem"
)

// This file reads signing keys in the form `sesame keygen` prints: base64url
// keys (padding tolerated, trailing bits zero), the first signs and every one verifies. One parser
// serves a file, an environment variable and the demo's --secret-file.

// ParseKeys reads signing keys from data: base64url keys, one per line (or
// separated by commas or spaces, which an environment variable finds easier to
// hold), blank lines and lines starting with # ignored. The first key signs.
// source names where data came from in the errors ("" means "keys"). Key lengths
// are not checked here: NewKeyring (and sesame.New) report a short key with rule
// SES030 together with every other problem.
func ParseKeys(source string, data []byte) ([][]byte, error) {
	if source == "" {
		source = "keys"
	}
	var keys [][]byte
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		for field := range strings.FieldsFuncSeq(line, isKeySep) {
			k, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimRight(field, "="))
			if err == nil && len(k) == 0 {
				err = errEmptyKey
			}
			if err != nil {
				return nil, problem.NewError(problem.WeakKey,
					fmt.Sprintf("%s:%d: not a base64url key: %v", source, n, err),
					"put the output of `sesame keygen` there, one key per line, the signing key first")
			}
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, problem.NewError(problem.WeakKey, source+" holds no key",
			"put the output of `sesame keygen` there (one key per line, the signing key first)")
	}
	return keys, nil
}

var errEmptyKey = errors.New("padding without a key")

// isKeySep splits a line into keys. Every space counts: the base64 decoder
// would silently skip a \r inside a key.
func isKeySep(r rune) bool { return r == ',' || unicode.IsSpace(r) }

// KeyringFromEnv returns the keyring held by the environment variable name, in
// the format ParseKeys reads (keys separated by newlines, commas or spaces, the
// signing key first). An unset or empty variable is an error (rule SES030): a
// deployment without its keys must not start with fresh ones and sign everyone out.
func KeyringFromEnv(name string) (*Keyring, error) {
	v, ok := os.LookupEnv(name)
	if !ok || strings.TrimSpace(v) == "" {
		return nil, problem.NewError(problem.WeakKey, "environment variable "+name+" is unset or empty",
			"set "+name+" to the output of `sesame keygen` (several keys separated by commas, the signing key first)")
	}
	keys, err := ParseKeys("$"+name, []byte(v))
	if err != nil {
		return nil, err
	}
	return NewKeyring(keys...)
}

// KeyringFromFile returns the keyring held by the file at path, in the format
// ParseKeys reads (`sesame keygen > path` writes one; put a new key on top to
// rotate, and remove the last one once the cookies it signed have expired).
func KeyringFromFile(path string) (*Keyring, error) {
	keys, err := KeysFromFile(path)
	if err != nil {
		return nil, err
	}
	return NewKeyring(keys...)
}

// KeysFromFile returns the keys held by the file at path (the format ParseKeys
// reads), for a configuration that takes raw keys, such as sesame.Config.
func KeysFromFile(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		p := problem.NewError(problem.WeakKey, "signing key file: "+err.Error(),
			"`sesame keygen > "+path+"` writes one")
		p.Err = err // errors.Is(err, fs.ErrNotExist) still works
		return nil, p
	}
	return ParseKeys(path, data)
}
