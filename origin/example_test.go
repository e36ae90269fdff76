package origin_test

import (
	"fmt"
	"net/url"

	"github.com/sesame-go/sesame/origin"
)

func ExampleParseList() {
	l, err := origin.ParseList([]string{"https://app.example.com", "https://*.example.org"}, origin.Options{Credentials: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Allows("https://app.example.com"))
	fmt.Println(l.Allows("https://a.b.example.org"))
	fmt.Println(l.Allows("https://example.org"))
	fmt.Println(l.Allows("https://app.example.com.evil.test"))
	// Output:
	// true
	// true
	// false
	// false
}

// The wrong way: a URL copied from the address bar is not an origin.
func ExampleParseList_wrong() {
	_, err := origin.ParseList([]string{"https://App.example.com/", "https://*.herokuapp.com"}, origin.Options{Credentials: true})
	fmt.Println(err)
	// Output:
	// SES015: origin "https://App.example.com/" has a trailing slash: an origin has no path; fix: write "https://app.example.com"
	// SES015: origin "https://App.example.com/" has upper case in its host: browsers send it lower-case; fix: write "https://app.example.com"
	// SES026: origin pattern "https://*.herokuapp.com" covers every site under the public suffix "herokuapp.com": anyone can register one; fix: list the exact front-end origins, or a pattern under a domain you own
}

func ExampleSplit() {
	fmt.Println(origin.Split("http://localhost:5173"))
	fmt.Println(origin.Split("https://app.example.com:443"))
	// Output:
	// http localhost 5173 true
	//    false
}

func ExampleSuggest() {
	fmt.Println(origin.Suggest("https://Café.Example:443/login?next=/"))
	// Output: https://xn--caf-dma.example
}

func ExampleRelate() {
	front, err := url.Parse("https://app.herokuapp.com")
	if err != nil {
		panic(err)
	}
	api, err := url.Parse("https://api.herokuapp.com/api/me")
	if err != nil {
		panic(err)
	}
	rel, _ := origin.Relate(origin.FromURL(front), origin.FromURL(api))
	fmt.Println(rel) // herokuapp.com is a public suffix
	// Output: cross-site
}

func ExampleSiteOf() {
	fmt.Println(origin.SiteOf("https", "api.example.co.uk"))
	fmt.Println(origin.SiteOf("https", "app.herokuapp.com"))
	// Output:
	// https://example.co.uk
	// https://app.herokuapp.com
}

func ExampleIsLoopback() {
	fmt.Println(origin.IsLoopback("localhost:5173"), origin.IsLoopback("app.localhost"), origin.IsLoopback("127.0.0.2"), origin.IsLoopback("[::1]:3000"))
	fmt.Println(origin.IsLoopback("192.168.1.10"), origin.IsLoopback("localhost.example.com"))
	// Output:
	// true true true true
	// false false
}

func ExampleIsPublicSuffix() {
	fmt.Println(origin.IsPublicSuffix("co.uk"), origin.IsPublicSuffix("herokuapp.com"), origin.IsPublicSuffix("example.com"))
	// Output: true true false
}

func ExamplePattern_Site() {
	p, _ := origin.ParsePattern("https://*.example.com")
	fmt.Println(p.Site())
	// Output: https://example.com
}
