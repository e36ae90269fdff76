package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// serveWire serves n requests, cycling through reqs, with a net/http server on
// a loopback listener, over one keep-alive connection, waiting for each
// response before sending the next request.
func serveWire(h http.Handler, reqs []*http.Request, n int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: time.Minute}
	go srv.Serve(ln)
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()

	raw := make([][]byte, len(reqs))
	for i, r := range reqs {
		raw[i] = rawRequest(r)
	}
	br := bufio.NewReaderSize(conn, 64<<10)
	for i := range n {
		req := raw[i%len(raw)]
		if _, err := conn.Write(req); err != nil {
			return err
		}
		code, err := readResponse(br)
		if err != nil {
			return err
		}
		if code/100 != 2 {
			return fmt.Errorf("%s: got status %d, want 2xx", bytes.TrimSpace(req[:bytes.IndexByte(req, '\n')]), code)
		}
	}
	return nil
}

// rawRequest serialises r as HTTP/1.1 request bytes, with its headers in a
// fixed order and no body.
func rawRequest(r *http.Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.Method, r.URL.RequestURI(), r.Host)
	r.Header.WriteSubset(&b, nil)
	b.WriteString("\r\n")
	return b.Bytes()
}

var (
	endOfHeader   = []byte("\r\n\r\n")
	contentLength = []byte("\r\nContent-Length: ")
)

// readResponse reads one response from br, with as little work as it can: the
// status code, the end of the header and the Content-Length body. The servers
// under test never send chunked bodies to these requests.
func readResponse(br *bufio.Reader) (int, error) {
	var head []byte
	for {
		// Peek at what has arrived until the header's end is in it.
		buf, err := br.Peek(br.Buffered())
		if i := bytes.Index(buf, endOfHeader); i >= 0 {
			head = buf[:i+2]
			break
		}
		if err != nil {
			return 0, err
		}
		if _, err := br.Peek(br.Buffered() + 1); err != nil {
			return 0, err
		}
	}
	if len(head) < 12 || !bytes.HasPrefix(head, []byte("HTTP/1.1 ")) {
		return 0, errors.New("malformed response")
	}
	code, err := strconv.Atoi(string(head[9:12]))
	if err != nil {
		return 0, err
	}
	body := 0
	if i := bytes.Index(head, contentLength); i >= 0 {
		v := head[i+len(contentLength):]
		v = v[:bytes.IndexByte(v, '\r')]
		if body, err = strconv.Atoi(string(v)); err != nil {
			return 0, err
		}
	}
	if bytes.Contains(head, []byte("\r\nTransfer-Encoding:")) {
		return 0, errors.New("chunked response: not supported")
	}
	if _, err := br.Discard(len(head) + 2 + body); err != nil {
		return 0, err
	}
	return code, nil
}
