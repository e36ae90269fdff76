package node_test

import (
	"fmt"

	"github.com/sesame-go/sesame/internal/node"
)

func ExampleNewSecrets() {
	s, _ := node.NewSecrets("keyboard cat")
	fmt.Println(s.Sign("hello"))
	fmt.Println(s.Unsign("hello.xz6khi6+oL1pnNhBgjk3Nr1CX2sxTjJiO9pKXaHZ33E"))
	fmt.Println(s.Unsign("hello.xz6khi6+oL1pnNhBgjk3Nr1CX2sxTjJiO9pKXaHZ33E=")) // padded: refused
	// Output:
	// hello.xz6khi6+oL1pnNhBgjk3Nr1CX2sxTjJiO9pKXaHZ33E
	// hello 0 true
	//  -1 false
}

func ExampleParseCookies() {
	s, _ := node.NewSecrets("cp-current", "cp-old")
	cookies, signed := node.ParseCookies(
		`plain=hello%20world; prefs=j%3A%7B%22a%22%3A1%7D; c=s%3Ahello.YC45fj%2F6IsTQNc82HmqqYfpHxSKPdKXznPKDGs8BmVg; bad=s%3Ahello`, s)
	fmt.Println(cookies["plain"].Express(), cookies["prefs"].Express())
	fmt.Println(signed["c"].Express(), signed["bad"].Express())
	// Output:
	// hello world map[a:1]
	// hello false
}

func ExampleJSONCookie() {
	v, _ := node.JSONCookie(map[string]any{"theme": "dark"})
	fmt.Println(v, node.EncodeURIComponent(v))
	// Output: j:{"theme":"dark"} j%3A%7B%22theme%22%3A%22dark%22%7D
}

func ExampleDecodeJSONCookie() {
	fmt.Println(node.DecodeJSONCookie(`j:{"a":1}`))
	fmt.Println(node.DecodeJSONCookie(`j:0`)) // falsy: cookie-parser keeps the string
	// Output:
	// map[a:1] true
	// <nil> false
}

func ExampleEncodeURIComponent() {
	fmt.Println(node.EncodeURIComponent("a b+c/d:é"))
	// Output: a%20b%2Bc%2Fd%3A%C3%A9
}

func ExampleDecodeCookieValue() {
	fmt.Println(node.DecodeCookieValue("a+b%20c"), node.DecodeCookieValue("%E0%A4%A"))
	// Output: a+b c %E0%A4%A
}

func ExampleDecodeURIComponent() {
	fmt.Println(node.DecodeURIComponent("%F0%9F%8D%AA"))
	fmt.Println(node.DecodeURIComponent("%FF"))
	// Output:
	// 🍪 true
	//  false
}

func ExampleSecrets_UnsignCookie() {
	s, _ := node.NewSecrets("cp-current", "cp-old")
	v := s.SignCookie("hello")
	fmt.Println(v)
	fmt.Println(s.UnsignCookie(v))
	// Output:
	// s:hello.YC45fj/6IsTQNc82HmqqYfpHxSKPdKXznPKDGs8BmVg
	// hello 0 true
}

func ExampleAppendEncodeURIComponent() {
	fmt.Println(string(node.AppendEncodeURIComponent([]byte("v="), "a b")))
	// Output: v=a%20b
}
