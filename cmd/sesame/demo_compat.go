package main

import (
	"bytes"
	"cmp"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	dr "github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// compatExpress is what `sesame demo --compat express` runs with: the session
// configuration that shares users with an Express deployment (express-session +
// connect-redis + passport) on the same Redis.
type compatExpress struct {
	// Session is the Manager's configuration: express-session's cookie
	// (connect.sid, signed with the Express secrets), the connect-redis store,
	// and timeouts as Express has them. Use it as sesame.Config.Session (its
	// Format, Store, Cookie.Name and timeouts must be kept) or in session.New.
	Session session.Config
	// Desc describes the store for the demo's banner.
	Desc string
	// Close releases the Redis connection.
	Close func() error
}

// compatExpressConfig builds the express-compatible mode from the file of
// Express secrets (secretFile: one a line, the first signs, as express-session's
// `secret` array) and the Redis the Express app's RedisStore uses (redisURL:
// redis:// or rediss://). maxAge is the Express app's cookie.maxAge (0: none, a
// browser-session cookie). In this mode the demo's /api/me shows a user an
// Express app signed in with passport (req.session.passport.user), and a user
// the demo signs in is written there too, so Express sees it.
func compatExpressConfig(secretFile, redisURL string, maxAge time.Duration, logger *slog.Logger) (*compatExpress, error) {
	secrets, err := readExpressSecrets(secretFile)
	if err != nil {
		return nil, err
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil || !strings.HasPrefix(redisURL, "redis") {
		return nil, dr.NewError(dr.StoreUnavailable, "--compat express needs the Express app's Redis: --store "+redactURL(redisURL)+" is not a redis:// URL",
			"pass --store redis://host:port/db, the Redis the Express app's connect-redis store uses")
	}
	// Every call ends when its context does (the Manager's StoreTimeout), as
	// the store requires.
	opts.ContextTimeoutEnabled = true
	opts.DialTimeout = cmp.Or(opts.DialTimeout, 2*time.Second)
	opts.ReadTimeout = cmp.Or(opts.ReadTimeout, time.Second)
	opts.WriteTimeout = cmp.Or(opts.WriteTimeout, time.Second)
	client := redis.NewClient(opts)
	cookie := express.CookieOptions{MaxAge: maxAge}
	store, err := connectredis.New(connectredis.Config{Client: client, Cookie: cookie, Logger: logger})
	if err != nil {
		client.Close()
		return nil, err
	}
	sc, err := express.SessionConfig(store, express.Options{Secrets: secrets, Cookie: cookie})
	if err != nil {
		client.Close()
		return nil, err
	}
	sc.Logger = logger
	return &compatExpress{
		Session: sc,
		Desc:    fmt.Sprintf("connect-redis records (sess:<id>) in redis %s, shared with Express", opts.Addr),
		Close:   client.Close,
	}, nil
}

// redactURL hides a password in a store URL before it is shown.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparseable URL)"
}

// readExpressSecrets reads the Express app's secrets, one a line, the first of
// which signs. Lines are taken as they are (an Express secret may hold spaces),
// without the line ending; empty lines are skipped.
func readExpressSecrets(path string) ([]string, error) {
	if path == "" {
		return nil, dr.NewError(dr.WeakKey, "--compat express needs --secret-file",
			"put the Express app's session secret (or secrets, the signing one first) in a file, one a line")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, dr.NewError(dr.WeakKey, "--secret-file: "+err.Error(), "pass the file holding the Express app's session secrets")
	}
	var secrets []string
	for line := range bytes.Lines(b) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) > 0 {
			secrets = append(secrets, string(line))
		}
	}
	if len(secrets) == 0 {
		return nil, dr.NewError(dr.WeakKey, "--secret-file "+path+" holds no secret",
			"put the Express app's session secret in it, one a line, the signing one first")
	}
	return secrets, nil
}
