package ginsesame

import (
	"bufio"
	"io"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// writer is the gin.ResponseWriter the handlers behind Middleware see: gin's
// semantics (WriteHeader records the status, the first write or WriteHeaderNow
// sends it) over sesame's http.ResponseWriter, so that the session is committed
// before the first byte and a change made after it is reported.
type writer struct {
	rw     http.ResponseWriter // sesame's writer
	gin    gin.ResponseWriter  // gin's own, for CloseNotify
	status int
	size   int // -1: nothing sent yet
}

var _ gin.ResponseWriter = (*writer)(nil)

func (w *writer) Header() http.Header { return w.rw.Header() }

// Unwrap lets http.ResponseController reach sesame's writer.
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }

func (w *writer) WriteHeader(code int) {
	if code > 0 && !w.Written() {
		w.status = code
	}
}

func (w *writer) WriteHeaderNow() {
	if !w.Written() {
		w.size = 0
		w.rw.WriteHeader(w.status)
	}
}

func (w *writer) Write(b []byte) (int, error) {
	w.WriteHeaderNow()
	n, err := w.rw.Write(b)
	w.size += n
	return n, err
}

func (w *writer) WriteString(s string) (int, error) {
	w.WriteHeaderNow()
	n, err := io.WriteString(w.rw, s)
	w.size += n
	return n, err
}

func (w *writer) Status() int   { return w.status }
func (w *writer) Size() int     { return w.size }
func (w *writer) Written() bool { return w.size != -1 }

func (w *writer) Flush() {
	w.WriteHeaderNow()
	_ = http.NewResponseController(w.rw).Flush()
}

func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.size < 0 {
		w.size = 0
	}
	return http.NewResponseController(w.rw).Hijack()
}

// CloseNotify is gin's; http.CloseNotifier is deprecated in favour of the
// request context.
func (w *writer) CloseNotify() <-chan bool { return w.gin.CloseNotify() }

func (w *writer) Pusher() http.Pusher {
	if p, ok := w.rw.(http.Pusher); ok {
		return p
	}
	return nil
}
