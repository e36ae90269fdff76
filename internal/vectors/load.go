package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// The files, by name.
const (
	SignatureFile = "cookie-signature.json"
	ParserFile    = "cookie-parser.json"
	SessionFile   = "express-session.json"
	RedisFile     = "connect-redis.json"
)

// RelDir is the vectors' directory relative to the module root.
const RelDir = "compat/express/testdata/vectors"

// Dir returns the directory that holds the vectors. It is found from this
// source file's own location (runtime.Caller), which works for every package of
// the module whatever directory its test runs in; when the build stripped source
// paths (-trimpath), it is searched upward from the working directory.
func Dir() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "..", "..", filepath.FromSlash(RelDir))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, nil
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		dir := filepath.Join(d, filepath.FromSlash(RelDir))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("interop vectors: no %s above %s; run `make vectors` from the repository root to regenerate them", RelDir, wd)
		}
	}
}

// Read decodes the vector file name into v, refusing fields the format does not
// document, so a regenerated file that changed shape fails here rather than
// being read as zero values.
func Read(name string, v any) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("interop vectors: %s is missing from %s; run `make vectors` to regenerate it", name, RelDir)
	}
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("interop vectors: %s/%s does not match the documented format: %w", RelDir, name, err)
	}
	return nil
}

// LoadSignature reads cookie-signature.json.
func LoadSignature() (*Signature, error) { return load[Signature](SignatureFile) }

// LoadParser reads cookie-parser.json.
func LoadParser() (*Parser, error) { return load[Parser](ParserFile) }

// LoadSession reads express-session.json.
func LoadSession() (*Session, error) { return load[Session](SessionFile) }

// LoadRedis reads connect-redis.json.
func LoadRedis() (*Redis, error) { return load[Redis](RedisFile) }

func load[T any](name string) (*T, error) {
	v := new(T)
	if err := Read(name, v); err != nil {
		return nil, err
	}
	return v, nil
}
