package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sesame-go/sesame/bench/contestant"
)

var client = &http.Client{
	Timeout: 5 * time.Second,
	// A redirect would hide what the contestant answered.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Server verifies that base (e.g. "http://127.0.0.1:8080") answers /bare.
func Server(ctx context.Context, base string) error {
	res, body, err := do(ctx, base, "GET", "/bare", nil, "")
	if err != nil {
		return err
	}
	if res.StatusCode != 200 || body != "ok" {
		return fmt.Errorf("GET /bare: got %d %q, want 200 \"ok\"", res.StatusCode, body)
	}
	return nil
}

// Contestant verifies every endpoint of the named contestant at base, and for
// a session contestant returns a cookie (a logged-in session) to load it with.
func Contestant(ctx context.Context, base string, c contestant.Contestant) (cookie string, err error) {
	switch c.Kind {
	case contestant.Session:
		return session(ctx, base, c.Name)
	case contestant.CORS:
		return "", corsChecks(ctx, base, c.Name)
	case contestant.CSRF:
		return "", csrfChecks(ctx, base, c.Name)
	case contestant.Floor:
		var errs []error
		for _, l := range Loads(c.Name, c.Kind) {
			if err := Request(ctx, base, l, ""); err != nil {
				errs = append(errs, err)
			}
		}
		return "", errors.Join(errs...)
	}
	return "", fmt.Errorf("%s: unknown kind", c.Name)
}

func session(ctx context.Context, base, name string) (string, error) {
	p := "/" + name + "/"
	var errs []error
	if res, body, err := do(ctx, base, "GET", p+"read", nil, ""); err != nil {
		return "", err
	} else if res.StatusCode != http.StatusUnauthorized {
		errs = append(errs, fmt.Errorf("%s without a cookie: got %d %q, want 401", p+"read", res.StatusCode, body))
	}
	res, body, err := do(ctx, base, "POST", p+"login", nil, "")
	if err != nil {
		return "", err
	}
	if res.StatusCode != 200 {
		return "", fmt.Errorf("POST %slogin: got %d %q, want 200", p, res.StatusCode, body)
	}
	cookie, err := contestant.CookieHeader(res)
	if err != nil {
		return "", fmt.Errorf("POST %slogin: %w", p, err)
	}
	res, user, err := do(ctx, base, "GET", p+"read", nil, cookie)
	if err != nil {
		return "", err
	}
	if res.StatusCode != 200 || !strings.HasPrefix(user, "u") {
		return "", fmt.Errorf("GET %sread after login: got %d %q, want 200 and a user name", p, res.StatusCode, user)
	}
	res, v, err := do(ctx, base, "POST", p+"write", nil, cookie)
	if err != nil {
		return "", err
	}
	if res.StatusCode != 200 || v == "" {
		return "", fmt.Errorf("POST %swrite: got %d %q, want 200 and the value written", p, res.StatusCode, v)
	}
	next := cookie
	if c, err := contestant.CookieHeader(res); err == nil {
		next = c // a cookie store sends its new state
	}
	if res, got, err := do(ctx, base, "GET", p+"peek", nil, next); err != nil {
		return "", err
	} else if res.StatusCode != 200 || got != v {
		errs = append(errs, fmt.Errorf("GET %speek after write: got %d %q, want 200 %q", p, res.StatusCode, got, v))
	}
	if res, got, err := do(ctx, base, "GET", p+"read", nil, next); err != nil {
		return "", err
	} else if res.StatusCode != 200 || got != user {
		errs = append(errs, fmt.Errorf("GET %sread after write: got %d %q, want 200 %q", p, res.StatusCode, got, user))
	}
	// The exact requests the load generator will send.
	for _, l := range Loads(name, contestant.Session) {
		if err := Request(ctx, base, l, cookie); err != nil {
			errs = append(errs, err)
		}
	}
	return cookie, errors.Join(errs...)
}

func corsChecks(ctx context.Context, base, name string) error {
	var errs []error
	for _, l := range Loads(name, contestant.CORS) {
		res, body, err := do(ctx, base, l.Method, l.Path, l.Header, "")
		if err != nil {
			return err
		}
		what := l.Method + " " + l.Path
		if res.StatusCode/100 != 2 {
			errs = append(errs, fmt.Errorf("%s: got status %d %q, want 2xx", what, res.StatusCode, body))
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != contestant.Origin {
			errs = append(errs, fmt.Errorf("%s: got Access-Control-Allow-Origin %q, want %q", what, got, contestant.Origin))
		}
		if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
			errs = append(errs, fmt.Errorf("%s: got Access-Control-Allow-Credentials %q, want \"true\"", what, got))
		}
		if l.Endpoint == "preflight" {
			if got := res.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "PUT") {
				errs = append(errs, fmt.Errorf("%s: got Access-Control-Allow-Methods %q, want PUT in it", what, got))
			}
			if got := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "content-type") {
				errs = append(errs, fmt.Errorf("%s: got Access-Control-Allow-Headers %q, want content-type in it", what, got))
			}
		} else if body != "ok" {
			errs = append(errs, fmt.Errorf("%s: got body %q, want \"ok\"", what, body))
		}
	}
	res, _, err := do(ctx, base, "GET", "/"+name+"/api", map[string]string{"Origin": "https://evil.example"}, "")
	if err != nil {
		return err
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		errs = append(errs, fmt.Errorf("GET /%s/api from another origin: got Access-Control-Allow-Origin %q, want none", name, got))
	}
	return errors.Join(errs...)
}

func csrfChecks(ctx context.Context, base, name string) error {
	var errs []error
	for _, l := range Loads(name, contestant.CSRF) {
		if err := Request(ctx, base, l, ""); err != nil {
			errs = append(errs, err)
		}
	}
	res, _, err := do(ctx, base, "POST", "/"+name+"/api", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "")
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusForbidden {
		errs = append(errs, fmt.Errorf("POST /%s/api from another site: got %d, want 403", name, res.StatusCode))
	}
	return errors.Join(errs...)
}

// Request sends one request of load l (with cookie when it carries one) and
// verifies that it succeeds.
func Request(ctx context.Context, base string, l Load, cookie string) error {
	if !l.Cookies {
		cookie = ""
	}
	res, body, err := do(ctx, base, l.Method, l.Path, l.Header, cookie)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: got %d %q, want 2xx", l.Method, l.Path, res.StatusCode, body)
	}
	return nil
}

func do(ctx context.Context, base, method, path string, header map[string]string, cookie string) (*http.Response, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
	if err != nil {
		return nil, "", err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if err != nil {
		return nil, "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	return res, strings.TrimSpace(string(b)), nil
}
