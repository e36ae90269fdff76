package origin

import "strings"

// toASCII converts each non-ASCII label of a host to its punycode "xn--" form
// (RFC 3492; IDNA 2008, RFC 5891 §4.4) after lower-casing it. It serves only the
// suggested fix of an SES015 problem, so it does without the full UTS #46 mapping
// and normalisation: golang.org/x/net/idna would do both, but pulls
// golang.org/x/text into the core module.
func toASCII(host string) string {
	labels := strings.Split(host, ".")
	for i, l := range labels {
		if isASCII(l) {
			continue
		}
		labels[i] = "xn--" + punyEncode([]rune(strings.ToLower(l)))
	}
	return strings.Join(labels, ".")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// The Bootstring parameters for punycode (RFC 3492 §5).
const (
	pBase        = 36
	pTMin        = 1
	pTMax        = 26
	pSkew        = 38
	pDamp        = 700
	pInitialBias = 72
	pInitialN    = 128
)

// punyEncode is the encoding procedure of RFC 3492 §6.3.
func punyEncode(in []rune) string {
	var out []byte
	for _, r := range in {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := rune(pInitialN), 0, pInitialBias
	for h < len(in) {
		m := rune(0x7fffffff)
		for _, r := range in {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range in {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := pBase; ; k += pBase {
				t := k - bias
				if t < pTMin {
					t = pTMin
				} else if t > pTMax {
					t = pTMax
				}
				if q < t {
					break
				}
				out = append(out, punyDigit(t+(q-t)%(pBase-t)))
				q = (q - t) / (pBase - t)
			}
			out = append(out, punyDigit(q))
			bias = punyAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

func punyAdapt(delta, points int, first bool) int {
	if first {
		delta /= pDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > ((pBase-pTMin)*pTMax)/2 {
		delta /= pBase - pTMin
		k += pBase
	}
	return k + (pBase-pTMin+1)*delta/(delta+pSkew)
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}
