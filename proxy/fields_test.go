package proxy_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// TestFieldsRenameMessages: alone, messages name proxy.Config's fields; with
// Fields, the composing layer's.
func TestFieldsRenameMessages(t *testing.T) {
	tests := []struct {
		name   string
		fields problem.Fields
		want   string
	}{
		{"alone", nil, "proxy.Config.Trusted"},
		{"renamed", problem.Fields{"proxy.Config.Trusted": "app.Settings.Proxies", "proxy.Config.Hops": "app.Settings.Hops"}, "app.Settings.Proxies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proxy.New(proxy.Config{Trusted: []string{"loopback", "0.0.0.0/0"}, Hops: 1, Fields: tt.fields})
			if err == nil {
				t.Fatal("got nil error, want SES033")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to name %s", err, tt.want)
			}
			if tt.fields != nil && strings.Contains(err.Error(), "proxy.Config") {
				t.Errorf("got %q, which names proxy.Config although Fields renames it", err)
			}
		})
	}
}

// TestNewHasNoWarnings: the shape every stage shares; a valid Proxy has none.
func TestNewHasNoWarnings(t *testing.T) {
	p, err := proxy.New(proxy.Config{Trusted: []string{"loopback"}})
	if err != nil {
		t.Fatal(err)
	}
	if w := p.Warnings(); len(w) != 0 {
		t.Errorf("got warnings %v, want none", w)
	}
}

// TestHopCountInTrusted: "1" in Trusted (Express's `trust proxy 1`) points at
// Hops, by the name of the API called (issue 14, defect 4).
func TestHopCountInTrusted(t *testing.T) {
	tests := []struct {
		fields problem.Fields
		want   string
	}{
		{nil, "set proxy.Config.Hops to 1"},
		{problem.Fields{"proxy.Config.Hops": "sesame.Config.ProxyHops"}, "set sesame.Config.ProxyHops to 1"},
	}
	for _, tt := range tests {
		_, err := proxy.New(proxy.Config{Trusted: []string{"1"}, Fields: tt.fields})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "hop count") {
			t.Errorf("got %v, want a hop-count problem saying %q", err, tt.want)
		}
	}
}
