package session_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/session"
)

func TestCheckKey(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"user", true},
		{"", true},
		{"Zoë 🍪", true},
		{"\x01 control", true},
		{"nul\x00inside", false},
		{"\x00", false},
		{"bad \xff utf-8", false},
		{"half \xe2\x82", false},
	} {
		err := session.CheckKey(c.name)
		if got := err == nil; got != c.ok {
			t.Errorf("CheckKey(%q): got error %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && !errors.Is(err, session.ErrInvalidKey) {
			t.Errorf("CheckKey(%q): got %v, want it to wrap ErrInvalidKey", c.name, err)
		}
	}
}

// Issue 15, defect 4: a key no store can keep is refused by Set, with an error
// that names it, the same for every store; the request is not answered 503
// (nothing is wrong with the store) and the session is unchanged.
func TestSetRefusesKeysNoStoreKeeps(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := session.Set(s, r.URL.Query().Get("k"), 1); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		io.WriteString(w, strings.Join(s.Keys(), ","))
	})
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	for _, c := range []struct {
		query, want string
		status      int
	}{
		{"k=ok", "ok", 200},
		{"k=nul%00byte", `session: key "nul\x00byte": NUL at byte 3`, 400},
		{"k=bad%FFutf8", `session: key "bad\xffutf8": invalid UTF-8`, 400},
	} {
		resp := get(t, srv, "/?"+c.query, "")
		b := body(resp)
		if resp.StatusCode != c.status || !strings.Contains(b, c.want) {
			t.Errorf("Set(%s): got %d %q, want %d containing %q", c.query, resp.StatusCode, b, c.status, c.want)
		}
	}
}
