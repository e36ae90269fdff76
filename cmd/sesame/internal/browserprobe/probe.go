package browserprobe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sesame-go/sesame/doctor"
)

// A Config is one browser probe.
type Config struct {
	// Probe is the HTTP doctor's description of the front end's calls: Origin,
	// URL, Method, Header, LoginURL, LoginBody, LoginContentType. Transport and
	// Now are not used: Chromium does its own networking.
	Probe doctor.ProbeConfig
	// BrowserPath is the Chromium executable. Empty: the first of the usual
	// names found on PATH (see Find).
	BrowserPath string
	// Page, when set, is the real front end's URL: it is opened (after the
	// login, when Probe.LoginURL is set) and left to run for Wait, and every
	// request it makes to the API's origin is judged. Empty: the probe
	// sequence runs from a blank page on Probe.Origin.
	Page string
	// Wait is how long the page runs. Zero means 5s.
	Wait time.Duration
	// ThirdPartyCookies allows third-party cookies in the fresh profile. The
	// default (false) blocks them, as a default Chromium profile does.
	ThirdPartyCookies bool
	// Resolve maps host names to the addresses Chromium connects to instead
	// of asking DNS (Chromium's --host-resolver-rules), e.g.
	// "api.example.test" → "127.0.0.1". Nil: DNS.
	Resolve map[string]string
	// TrustSPKI lists base64 SHA-256 hashes of certificates' public keys that
	// Chromium accepts besides its own roots (--ignore-certificate-errors-spki-list).
	TrustSPKI []string
}

// A Result is the report and what ran it.
type Result struct {
	Report *doctor.Report
	// Browser is Chromium's product and version, e.g. "Chromium/156.0.8078.114".
	Browser string
	// PID was Chromium's process id, and the id of its process group, all of
	// which has ended when Run returns.
	PID int
}

// blankPath is the page served on the front end's origin by interception.
const blankPath = "/.sesame-doctor-blank"

const blankHTML = `<!doctype html><meta charset="utf-8"><title>sesame doctor</title>`

// Run starts Chromium, runs the probe (or opens cfg.Page) and returns what the
// browser reported, each finding marked doctor.ProbeBrowser. It ends by killing
// Chromium's process group; ctx bounds the whole run. An error means the probe
// could not run (no browser, a bad URL, a browser that failed); the report then
// holds what was seen until then, when anything was.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	origin, target, err := parse(cfg)
	if err != nil {
		return nil, err
	}
	path, err := Find(cfg.BrowserPath)
	if err != nil {
		return nil, err
	}
	b, err := launch(ctx, &cfg, path)
	if err != nil {
		if b != nil {
			return &Result{PID: b.pgid}, err
		}
		return nil, err
	}
	defer b.cancel()
	res := &Result{PID: b.pgid}

	rec := newRecorder()
	blank := origin.String() + blankPath
	paused := make(chan fetch.RequestID, 16)
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select { // answered below, outside the event loop
			case paused <- e.RequestID:
			default:
			}
			return
		}
		rec.event(ev)
	}); err != nil {
		return res, err
	}
	// Only the blank page is intercepted (see the pattern below): answer it.
	go func() {
		for {
			select {
			case id := <-paused:
				_, _ = chromedp.Call(b.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID: id, ResponseCode: http.StatusOK,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
					Body:            []byte(blankHTML),
				})
			case <-b.ctx.Done():
				return
			}
		}
	}()
	if v, err := chromedp.CallBrowser(b.ctx, cdpbrowser.GetVersion, cdp.Empty{}); err == nil {
		res.Browser = v.Product
	}
	// A page on a public name calling an API that resolves to this machine (the
	// --resolve of a local test) needs Chromium's Local Network Access
	// permission, which a user would grant at a prompt: grant it, so the
	// probe sees the deployment's faults rather than the test's addresses.
	for _, o := range []string{origin.String(), pageOrigin(cfg.Page)} {
		if o == "" {
			continue
		}
		for _, name := range []string{"local-network-access", "local-network", "loopback-network"} {
			// A Chromium that does not know one of them refuses it: no matter.
			_, _ = chromedp.CallBrowser(b.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
				Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted, Origin: o})
		}
	}
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		return res, fmt.Errorf("enabling Chromium's network events (Network.enable): %w", err)
	}
	if _, err := chromedp.Call(b.ctx, log.Enable, cdp.Empty{}); err != nil {
		return res, fmt.Errorf("enabling Chromium's log (Log.enable): %w", err)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: blank, RequestStage: fetch.RequestStageRequest}},
	}); err != nil {
		return res, fmt.Errorf("enabling request interception (Fetch.enable): %w", err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate(blank)); err != nil {
		return res, fmt.Errorf("opening a page on %s in Chromium: %w", origin, err)
	}
	apiOrigin := target.Scheme + "://" + target.Host

	p := cfg.Probe
	if p.LoginURL != "" {
		ct := p.LoginContentType
		if ct == "" {
			ct = "application/json"
		}
		h := headers(p.Header)
		h["Content-Type"] = ct
		rec.setStep("login")
		if err := runFetch(b.ctx, p.LoginURL, http.MethodPost, h, p.LoginBody, "include"); err != nil {
			return res, err
		}
		waitSettled(b.ctx, rec, apiOrigin)
	}
	if cfg.Page == "" {
		method := p.Method
		if method == "" {
			method = http.MethodGet
		}
		rec.setStep("request")
		if err := runFetch(b.ctx, p.URL, method, headers(p.Header), "", "include"); err != nil {
			return res, err
		}
	} else {
		rec.setStep("page")
		wait := cfg.Wait
		if wait <= 0 {
			wait = 5 * time.Second
		}
		if err := chromedp.Do(b.ctx, chromedp.Navigate(cfg.Page)); err != nil {
			return res, fmt.Errorf("opening %s: %w", cfg.Page, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	waitSettled(b.ctx, rec, apiOrigin)
	cookies, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{apiOrigin + "/", target.String()}})
	if err != nil {
		return res, fmt.Errorf("reading Chromium's cookies: %w", err)
	}
	jar := cookies.Cookies
	reqs, console := rec.snapshot()
	a := analysis{origin: origin, target: target, apiOrigin: apiOrigin, page: cfg.Page != "", jar: jar, console: console,
		thirdParty: cfg.ThirdPartyCookies}
	res.Report = a.build(reqs)
	return res, nil
}

// waitSettled waits, at most two seconds, until Chromium has told everything
// about the requests to apiOrigin: extra-info events travel apart from the
// fetch's own completion.
func waitSettled(ctx context.Context, rec *recorder, apiOrigin string) {
	deadline := time.Now().Add(2 * time.Second)
	for !rec.settled(apiOrigin) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

// runFetch runs fetch(url, {method, headers, body, credentials}) in the page and
// waits for it; a failed fetch (a CORS refusal) is not an error here, the
// network events tell what happened.
func runFetch(ctx context.Context, u, method string, h map[string]string, body, credentials string) error {
	init := map[string]any{"method": method, "headers": h, "credentials": credentials}
	if body != "" {
		init["body"] = body
	}
	ij, err := json.Marshal(init)
	if err != nil {
		return err
	}
	uj, _ := json.Marshal(u)
	js := fmt.Sprintf(`fetch(%s, %s).then(r => r.text().then(() => r.status), e => String(e))`, uj, ij)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](js, chromedp.EvalAwaitPromise)); err != nil {
		return fmt.Errorf("fetch(%s) in Chromium: %w", u, err)
	}
	return nil
}

func headers(h http.Header) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		out[k] = strings.Join(vs, ", ")
	}
	return out
}

func parse(cfg Config) (origin, target *url.URL, err error) {
	var errs []error
	origin, err = url.Parse(cfg.Probe.Origin)
	if err != nil || (origin.Scheme != "http" && origin.Scheme != "https") || origin.Host == "" ||
		(origin.Path != "" && origin.Path != "/") || origin.RawQuery != "" {
		errs = append(errs, fmt.Errorf("origin %q is not an origin such as https://app.example.com", cfg.Probe.Origin))
	} else {
		origin = &url.URL{Scheme: origin.Scheme, Host: origin.Host}
	}
	target, err = url.Parse(cfg.Probe.URL)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		errs = append(errs, fmt.Errorf("URL %q is not an absolute http(s) URL", cfg.Probe.URL))
	}
	if cfg.Page != "" {
		if pu, err := url.Parse(cfg.Page); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			errs = append(errs, fmt.Errorf("--page %q is not an absolute http(s) URL", cfg.Page))
		}
	}
	return origin, target, errors.Join(errs...)
}

// pageOrigin is the origin of the page URL raw, or "".
func pageOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
