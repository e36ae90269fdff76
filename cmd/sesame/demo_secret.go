package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sesame-go/sesame/cookie"
	dr "github.com/sesame-go/sesame/problem"
)

// loadKeys reads the signing keys from path: base64url keys (as `sesame keygen`
// prints them), one per line, the first signs and every one verifies, so a new key
// can be put on top without signing anyone out. Blank lines and lines starting with
// # are ignored. When create is true and the file does not exist, a fresh key is
// generated and written there first (mode 0600), so a restarted demo keeps its
// sessions.
func loadKeys(path string, create bool) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		data = []byte(base64.RawURLEncoding.EncodeToString(randomBytes(cookie.MinKeyLen)) + "\n")
		err = writeFileAtomic(path, data, 0o600)
	}
	if err != nil {
		return nil, dr.NewError(dr.WeakKey, fmt.Sprintf("signing key file: %v", err),
			"`sesame keygen > FILE` writes one; pass it with --secret-file, or leave --secret-file out to use DATA-DIR/secret.key")
	}
	return cookie.ParseKeys(path, data) // the library's parser: one format, one reader
}

// writeFileAtomic writes data to a temporary file next to path and renames it into
// place, so a crash never leaves a half-written key behind.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename this finds nothing
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
