package origin_test

import (
	"testing"

	"github.com/sesame-go/sesame/origin"
)

// The suggested fix carries the punycode form; the vectors are RFC 3492 §7.1 and
// well-known IDNs.
func TestSuggestPunycode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://café.example", "https://xn--caf-dma.example"},
		{"https://bücher.example", "https://xn--bcher-kva.example"},
		{"https://München.de", "https://xn--mnchen-3ya.de"},
		{"https://\u0430pp.example.com", "https://xn--pp-6kc.example.com"},
		{"https://例え.テスト", "https://xn--r8jz45g.xn--zckzah"},
		{"https://ليهمابتكلموشعربي؟.example", "https://xn--egbpdaj6bu4bxfgehfvwxn.example"},
		{"https://他们为什么不说中文.example", "https://xn--ihqwcrb4cv8a8dqg056pqjye.example"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := origin.Suggest(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
