package contestant_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/bench/contestant"
)

// readAll sends a read with each cookie and wants the logged-in user back.
func readAll(t *testing.T, srv *contestant.Server, name, cookies string, want int) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(cookies))
	got := 0
	for sc.Scan() {
		req := httptest.NewRequest("GET", "/"+name+"/read", nil)
		req.Header.Set("Cookie", sc.Text())
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "u") {
			t.Fatalf("%s read with seeded cookie %d: %d %q", name, got, rec.Code, rec.Body.String())
		}
		got++
	}
	if got != want {
		t.Fatalf("%s: %d cookies, want %d", name, got, want)
	}
}

// The batch-filled stores hold sessions the real Manager reads, and their
// storage grows.
func TestSeedBulk(t *testing.T) {
	for _, name := range []string{"sesame-pg", "sesame-mongo"} {
		t.Run(name, func(t *testing.T) {
			srv, err := contestant.New(contestant.Options{Only: []string{name}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			ctx := context.Background()
			before, err := srv.Storage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var cookies bytes.Buffer
			if err := srv.Seed(ctx, name, 300, 4, &cookies); err != nil {
				t.Fatal(err)
			}
			after, err := srv.Storage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after[name] <= before[name] {
				t.Errorf("storage of %s: %d bytes before seeding, %d after", name, before[name], after[name])
			}
			readAll(t, srv, name, cookies.String(), 300)
		})
	}
}

func TestSeedBolt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bench.db")
	var cookies bytes.Buffer
	got, err := contestant.SeedBolt(context.Background(), path, dir, 300, &cookies)
	if err != nil {
		t.Fatal(err)
	}
	if got.Full <= got.Empty || got.FileSize < got.Full {
		t.Errorf("SeedBolt = %+v: want Empty < Full <= FileSize", got)
	}
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-bolt"}, BoltPath: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	readAll(t, srv, "sesame-bolt", cookies.String(), 300)
}
