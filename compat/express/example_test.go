package express_test

import (
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/cookie"
)

func ExampleNewCodec() {
	codec, err := express.NewCodec([]string{"sek-current", "sek-old"})
	if err != nil {
		panic(err)
	}
	fmt.Println(codec.Encode("ENEXZGbrammM35qNYL5qUXmPOcFM7qzC"))
	// Output: s%3AENEXZGbrammM35qNYL5qUXmPOcFM7qzC.HS8g8R8I8%2BxOdSgCP1rTIrwfeVDBxqiud6%2BQXaENuqs
}

// An empty secret is refused: express-session would treat it as no secret.
func ExampleNewCodec_wrong() {
	_, err := express.NewCodec([]string{""})
	fmt.Println(err)
	// Output: SES030: Express secret 0 is empty; fix: remove it
}

func ExampleCodec_Decode() {
	codec, _ := express.NewCodec([]string{"sek-current", "sek-old"})
	fmt.Println(codec.Decode("s%3AENEXZGbrammM35qNYL5qUXmPOcFM7qzC.HS8g8R8I8%2BxOdSgCP1rTIrwfeVDBxqiud6%2BQXaENuqs"))
	fmt.Println(codec.Decode("ENEXZGbrammM35qNYL5qUXmPOcFM7qzC")) // unsigned: refused
	// Output:
	// ENEXZGbrammM35qNYL5qUXmPOcFM7qzC true
	//  false
}

func ExampleCodec_DecodeKey() {
	codec, _ := express.NewCodec([]string{"sek-current", "sek-old", "sek-older"})
	// Signed by the Express app before it rotated to sek-current.
	fmt.Println(codec.DecodeKey("s%3AcB2Wk_dull_dJKS48whOgHwerHFuWGfI.cByuXeEPGMGAaA3SKVhKfejgDLwi%2BsVjcVAhFrZJIV8"))
	// Output: cB2Wk_dull_dJKS48whOgHwerHFuWGfI 1 true
}

func ExampleCodec_Get() {
	codec, _ := express.NewCodec([]string{"sek-current"})
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "connect.sid="+codec.Encode("some-id"))
	fmt.Println(codec.Get(r, ""))
	// Output: some-id true
}

func ExampleCodec_Cookie() {
	codec, _ := express.NewCodec([]string{"sek-current", "sek-old"})
	now := time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)
	c, _ := codec.Cookie("tNQH8mdcYyW0OijN-ri9983973jMsCZp", express.CookieOptions{
		Domain: "example.com", MaxAge: time.Hour, Secure: true, Partitioned: true, Priority: "high", SameSite: "none",
	}, now)
	// The Set-Cookie line express-session writes; the Expires shown needs a
	// clock within 400 days of it, so this example prints the parts.
	fmt.Println(c.Value, c.Expires.Format(time.RFC1123), c.SameSite, c.Priority)
	// Output: s%3AtNQH8mdcYyW0OijN-ri9983973jMsCZp.FlrAqdhleYzq%2BmzV%2Fc99Vaa%2BJtiH5YVZlnbMsk1FiaE Wed, 02 Jan 2030 04:04:05 UTC None High
}

func ExampleClearCookie() {
	c, _ := express.ClearCookie(express.CookieOptions{})
	line, _, _ := cookie.AppendSetCookie(nil, &c, "")
	fmt.Println(string(line))
	// Output: connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT
}

func ExampleNewID() {
	fmt.Println(len(express.NewID()))
	// Output: 32
}

func ExampleCodec_AppendEncode() {
	codec, _ := express.NewCodec([]string{"sek-current"})
	line := codec.AppendEncode([]byte("connect.sid="), "some-id")
	fmt.Println(len(line) > len("connect.sid=s%3Asome-id."))
	// Output: true
}
