package session

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
)

// writer commits the session before the first byte of the response. It unwraps
// for http.ResponseController and passes Flush, Hijack and ReadFrom through after
// committing.
type writer struct {
	http.ResponseWriter
	st *state
}

// ErrResponseReplaced is returned by Write when the session could not be saved
// and ErrorFunc has answered the request instead of the handler.
var ErrResponseReplaced = errors.New("session: the response was replaced by the session error response")

func (w *writer) WriteHeader(code int) {
	if w.st.failed {
		return
	}
	// 1xx responses (103 Early Hints) go out before the final header: the
	// session is committed with the final one.
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.st.commit()
	if w.st.failed {
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *writer) Write(b []byte) (int, error) {
	if !w.st.committed {
		w.st.commit()
	}
	if w.st.failed {
		return 0, ErrResponseReplaced
	}
	return w.ResponseWriter.Write(b)
}

// ReadFrom keeps io.Copy's fast paths (sendfile) available.
func (w *writer) ReadFrom(r io.Reader) (int64, error) {
	if !w.st.committed {
		w.st.commit()
	}
	if w.st.failed {
		return 0, ErrResponseReplaced
	}
	return io.Copy(w.ResponseWriter, r)
}

func (w *writer) Flush() {
	w.FlushError()
}

func (w *writer) FlushError() error {
	if !w.st.committed {
		w.st.commit()
	}
	if w.st.failed {
		return ErrResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack commits the session first. Its Set-Cookie is then in w.Header(), which a
// connection upgrader (WebSocket) must copy into the response it writes itself;
// one that does not loses a cookie the commit set (log the session's cookie
// decisions before upgrading, or set the session in an earlier request).
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.st.committed {
		w.st.commit()
	}
	if w.st.failed {
		return nil, nil, ErrResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
