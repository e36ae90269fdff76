package sesame

import (
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// noCookieWatch detects rule SES009: a browser that was given the session cookie
// keeps calling the API cross-origin without any cookie. That is a front end
// that forgot credentials: 'include' (fetch) or withCredentials: true (axios), or
// a browser that refused the cookie; either way the user looks signed out and
// nothing else says why.
//
// Clients are told apart by their IP as the proxy stage resolved it: behind NAT,
// or a proxy that is not trusted, many browsers share one address, and three new
// visitors after a sign-in can look like one forgetful front end. The warning is
// logged once; it says what to check, not that the front end is wrong.
type noCookieWatch struct {
	cookieName string
	setPrefix  string // "name=": a Set-Cookie line for the session cookie
	clearLine  string // "name=;": one that clears it
	log        *slog.Logger
	warned     atomic.Bool

	mu     sync.RWMutex
	issued map[netip.Addr]int // client → cookieless cross-origin requests since a Set-Cookie
}

// missesBeforeWarning is how many cookieless requests after a Set-Cookie make
// "repeatedly".
const missesBeforeWarning = 3

// maxWatched bounds the memory the watch uses; past it, it forgets everyone.
const maxWatched = 4096

func newNoCookieWatch(name string, log *slog.Logger) *noCookieWatch {
	return &noCookieWatch{cookieName: name, setPrefix: name + "=", clearLine: name + "=;", log: log, issued: make(map[netip.Addr]int)}
}

func (nw *noCookieWatch) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if nw.warned.Load() || r.Header.Get("Origin") == "" || r.Method == http.MethodOptions {
			h.ServeHTTP(w, r)
			return
		}
		_, hasCookie := cookie.Get(r, nw.cookieName)
		h.ServeHTTP(w, r)
		client := proxy.ClientIP(r)
		set := false
		for _, line := range w.Header()["Set-Cookie"] {
			if strings.HasPrefix(line, nw.setPrefix) && !strings.HasPrefix(line, nw.clearLine) {
				set = true
			}
		}
		// Most requests change nothing here (a cookie sent by a client never
		// watched): a read lock answers them; the write lock is for the rest.
		nw.mu.RLock()
		_, watched := nw.issued[client]
		nw.mu.RUnlock()
		if !set && !watched {
			return
		}
		nw.mu.Lock()
		defer nw.mu.Unlock()
		switch {
		case set:
			if len(nw.issued) >= maxWatched {
				clear(nw.issued)
			}
			nw.issued[client] = 0
		case hasCookie:
			delete(nw.issued, client)
		default:
			n, ok := nw.issued[client]
			if !ok {
				return
			}
			nw.issued[client] = n + 1
			if n+1 >= missesBeforeWarning && !nw.warned.Swap(true) {
				nw.log.Warn("sesame: a browser that was given the session cookie keeps calling the API cross-origin without it",
					"rule", string(problem.NoCredentialsSent),
					"origin", r.Header.Get("Origin"),
					"fix", "send credentials: fetch(url, {credentials: 'include'}) or axios withCredentials: true; if the front end does, the browser refused the cookie: run `sesame doctor`")
			}
		}
	})
}
