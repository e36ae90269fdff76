package main_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

// --otel-stdout prints the sessions' metrics and the store calls' spans; the
// last metrics are flushed when the demo closes.
func TestDemoOtelStdout(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	origin := "http://" + srv.Listener.Addr().String()
	var out bytes.Buffer
	api, closeFn, err := main.DemoHandlersOtel(context.Background(), []string{"--public-origin=" + origin,
		"--frontend-origin=" + frontend, "--data-dir=" + t.TempDir(), "--app-addr=", "--store=memory", "--otel-stdout"}, &out)
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	srv.Config.Handler = api
	srv.Start()
	b := newBrowser(t, srv)
	b.login("alice", "wonderland")
	srv.Close()
	closeFn()
	for _, want := range []string{`"sesame.session.events"`, `"sesame.session.loads"`, `"db.client.operation.duration"`, `"sesame.store save"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got output without %s:\n%.2000s", want, out.String())
		}
	}
}
