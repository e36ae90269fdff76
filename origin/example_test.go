package origin_test

import (
	"fmt"

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
