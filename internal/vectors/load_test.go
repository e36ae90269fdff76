package vectors_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/internal/vectors"
)

func TestMissingFileNamesTheMakeTarget(t *testing.T) {
	var v any
	err := vectors.Read("no-such-file.json", &v)
	if err == nil || !strings.Contains(err.Error(), "make vectors") || !strings.Contains(err.Error(), vectors.RelDir) {
		t.Fatalf("got %v, want an error naming %s and `make vectors`", err, vectors.RelDir)
	}
}

func TestDirIsInsideTheModule(t *testing.T) {
	dir, err := vectors.Dir()
	if err != nil {
		t.Fatal(err)
	}
	if want := "compat/express/testdata/vectors"; !strings.HasSuffix(strings.ReplaceAll(dir, "\\", "/"), want) {
		t.Fatalf("got %s, want a path ending in %s", dir, want)
	}
}
