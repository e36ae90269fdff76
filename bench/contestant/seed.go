package contestant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Seed creates n sessions of the named session contestant in process, by
// serving its login endpoint n times on `workers` goroutines, and writes one
// Cookie header value per line to w (the cookie file the load generator picks
// from). It is how the benchmark fills a store with a million live sessions in
// seconds rather than minutes of HTTP logins.
//
// sesame-pg and sesame-mongo are filled in batches instead (see bulk.go);
// sesame-bolt by SeedBolt, before the server opens its file.
func (s *Server) Seed(ctx context.Context, name string, n, workers int, w io.Writer) error {
	if b := s.bulk[name]; b != nil {
		return s.seedBulk(ctx, name, b, n, workers, w)
	}
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan struct{})
	lines := make(chan string, 1024)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				line, err := s.Login(name)
				if err != nil {
					errc <- err
					return
				}
				lines <- line
			}
		}()
	}
	go func() {
		defer close(jobs)
		for range n {
			select {
			case jobs <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(lines) }()
	var werr error
	for l := range lines {
		if werr == nil {
			_, werr = io.WriteString(w, l+"\n")
		}
	}
	select {
	case err := <-errc:
		return err
	default:
	}
	if werr != nil {
		return werr
	}
	return ctx.Err()
}

// Login serves one login of the named session contestant in process and
// returns the Cookie header value a browser would send afterwards.
func (s *Server) Login(name string) (string, error) {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/"+name+"/login", nil)
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, req)
	res := rec.Result()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s/login: status %d: %s", name, res.StatusCode, strings.TrimSpace(rec.Body.String()))
	}
	return CookieHeader(res)
}

// CookieHeader turns the Set-Cookie lines of a response into the Cookie
// header value of the next request.
func CookieHeader(res *http.Response) (string, error) {
	var parts []string
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			continue
		}
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) == 0 {
		return "", errors.New("no cookie set")
	}
	return strings.Join(parts, "; "), nil
}
