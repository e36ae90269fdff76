package browserprobe

import (
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// A request is everything Chromium told about one network request.
type request struct {
	id        network.RequestID
	step      string // the probe step that made it ("login", "request", "page")
	method    string
	url       string
	preflight bool
	headers   network.Headers // as the page asked; replaced by the raw ones when known
	sent      []*network.AssociatedCookie
	hasSent   bool // requestWillBeSentExtraInfo arrived
	status    int64
	respHdrs  network.Headers // raw, Set-Cookie included
	blocked   []*network.BlockedSetCookieWithReason
	hasResp   bool // responseReceivedExtraInfo or responseReceived arrived
	done      bool // loadingFinished or loadingFailed
	failed    *network.EventLoadingFailed
	redirects int
}

// A recorder keeps Chromium's network events in order, keyed by request. Its
// methods are safe for concurrent use: chromedp delivers events on its own
// goroutine.
type recorder struct {
	mu      sync.Mutex
	step    string
	order   []*request
	byID    map[network.RequestID]*request
	console []string // console and log messages (Chromium's CORS explanations)
}

func newRecorder() *recorder { return &recorder{byID: map[network.RequestID]*request{}} }

func (r *recorder) setStep(s string) {
	r.mu.Lock()
	r.step = s
	r.mu.Unlock()
}

// get returns the request for id, creating it: ExtraInfo events may arrive
// before requestWillBeSent.
func (r *recorder) get(id network.RequestID) *request {
	q := r.byID[id]
	if q == nil {
		q = &request{id: id, step: r.step}
		r.byID[id] = q
		r.order = append(r.order, q)
	}
	return q
}

func (r *recorder) event(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		q := r.get(e.RequestID)
		if e.RedirectResponse != nil {
			// The same id goes on after a redirect: keep the hop as its own
			// request and start a new record for the next one.
			hop := *q
			hop.id = e.RequestID + network.RequestID("#"+strings.Repeat("r", q.redirects+1))
			hop.status = e.RedirectResponse.Status
			if hop.respHdrs == nil {
				hop.respHdrs = e.RedirectResponse.Headers
			}
			hop.hasResp, hop.done = true, true
			r.order = append(r.order[:len(r.order):len(r.order)], &hop)
			// move q to the end, fresh
			for i, o := range r.order {
				if o == q {
					r.order = append(r.order[:i], r.order[i+1:]...)
					break
				}
			}
			*q = request{id: e.RequestID, step: q.step, redirects: q.redirects + 1}
			r.order = append(r.order, q)
		}
		q.method = e.Request.Method
		q.url = e.Request.URL
		if e.Request.URLFragment != "" {
			q.url += e.Request.URLFragment
		}
		q.preflight = e.Type == network.ResourceTypePreflight
		if q.headers == nil {
			q.headers = e.Request.Headers
		}
	case *network.EventRequestWillBeSentExtraInfo:
		q := r.get(e.RequestID)
		q.sent = e.AssociatedCookies
		q.hasSent = true
		q.headers = e.Headers
	case *network.EventResponseReceivedExtraInfo:
		q := r.get(e.RequestID)
		q.status = e.StatusCode
		q.respHdrs = e.Headers
		q.blocked = e.BlockedCookies
		q.hasResp = true
	case *network.EventResponseReceived:
		q := r.get(e.RequestID)
		if q.status == 0 {
			q.status = e.Response.Status
		}
		if q.respHdrs == nil {
			q.respHdrs = e.Response.Headers
		}
		if e.Type == network.ResourceTypePreflight {
			q.preflight = true
		}
	case *network.EventLoadingFinished:
		r.get(e.RequestID).done = true
	case *network.EventLoadingFailed:
		q := r.get(e.RequestID)
		q.done = true
		q.failed = e
		if e.Type == network.ResourceTypePreflight {
			q.preflight = true
		}
	case *log.EventEntryAdded:
		r.console = append(r.console, e.Entry.Text)
	case *runtime.EventExceptionThrown:
		if e.ExceptionDetails != nil {
			r.console = append(r.console, e.ExceptionDetails.Text)
		}
	}
}

// snapshot copies the requests in the order Chromium announced them.
func (r *recorder) snapshot() ([]request, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]request, len(r.order))
	for i, q := range r.order {
		out[i] = *q
	}
	return out, append([]string(nil), r.console...)
}

// settled reports whether every request under prefix has finished and its
// extra information (raw headers, cookies) has arrived.
func (r *recorder) settled(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, q := range r.order {
		if q.url == "" || !strings.HasPrefix(q.url, prefix) {
			continue
		}
		if !q.done {
			return false
		}
		if q.failed == nil && (!q.hasSent || !q.hasResp) {
			return false
		}
	}
	return true
}
