package contestant

import (
	"net/http"

	jub0bs "github.com/jub0bs/cors"
	rs "github.com/rs/cors"
	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
)

// One policy for every CORS contestant: credentialed, Origin only, PUT
// besides the safelisted methods, Content-Type as the one request header.
var (
	corsMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut}
	corsHeaders = []string{"Content-Type"}
)

func corsMiddleware(name string) (func(http.Handler) http.Handler, error) {
	switch name {
	case "sesame-cors":
		c, err := cors.New(cors.Config{
			Origins:     []string{Origin},
			Credentials: true,
			Methods:     []string{http.MethodPut},
			Logger:      quiet,
		})
		if err != nil {
			return nil, err
		}
		return c.Handler, nil
	case "rs-cors":
		c := rs.New(rs.Options{
			AllowedOrigins:   []string{Origin},
			AllowCredentials: true,
			AllowedMethods:   corsMethods,
			AllowedHeaders:   corsHeaders,
		})
		return c.Handler, nil
	case "jub0bs-cors":
		m, err := jub0bs.NewMiddleware(jub0bs.Config{
			Origins:        []string{Origin},
			Credentialed:   true,
			Methods:        corsMethods,
			RequestHeaders: corsHeaders,
		})
		if err != nil {
			return nil, err
		}
		return m.Wrap, nil
	}
	return nil, errUnknown(name)
}

func csrfMiddleware(name string) (func(http.Handler) http.Handler, error) {
	switch name {
	case "sesame-csrf":
		c, err := csrf.New(csrf.Config{TrustedOrigins: []string{Origin}, Logger: quiet})
		if err != nil {
			return nil, err
		}
		return c.Handler, nil
	case "cop":
		c := http.NewCrossOriginProtection()
		if err := c.AddTrustedOrigin(Origin); err != nil {
			return nil, err
		}
		return c.Handler, nil
	}
	return nil, errUnknown(name)
}
