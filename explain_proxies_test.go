package sesame_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
)

// TestExplainProxies: Explain says what is trusted to forward the client's
// address and scheme, or that nothing is and forwarding headers are ignored
// (issue 14, defect 7: it said nothing about proxies).
func TestExplainProxies(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		hops    int
		want    []string
	}{
		{"none", nil, 0, []string{"Proxies: none trusted; forwarding headers are ignored", "set TrustedProxies"}},
		{"named", []string{"loopback", "10.0.0.0/8"}, 0, []string{"believed only from loopback, 10.0.0.0/8", "from anyone else it is ignored"}},
		{"hops", nil, 2, []string{"the 2 nearest hop(s) are trusted whatever their address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sesame.New(sesame.Config{
				APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
				Keys: [][]byte{testKey}, Store: memStore(t), TrustedProxies: tt.trusted, ProxyHops: tt.hops,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := st.Explain()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Explain: got\n%s\nwant it to contain %q", got, w)
				}
			}
		})
	}
}
