package redisstore

import (
	"cmp"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
)

// Bounds of each network step of a call made without a deadline, for a client
// from ClientFromURL whose URL does not set them (go-redis's own defaults are
// 5s and 3s, long enough to hold a request well past a typical StoreTimeout).
const (
	DefaultDialTimeout = 2 * time.Second
	DefaultIOTimeout   = time.Second
)

// ClientFromURL returns a Redis client for rawURL, ready for Config.Client:
//
//	redis://[user:password@]host:port[/db][?option=value…]       one server
//	rediss://…                                                  one server over TLS
//	redis-cluster://[user:password@]host:port,host:port[?…]      a Redis Cluster
//	rediss-cluster://…                                          a Cluster over TLS
//
// The URL is read by go-redis's own parser (redis.ParseURL, and
// redis.ParseClusterURL for a cluster, whose further nodes this function passes
// as addr= parameters), so every option go-redis accepts in a query works here,
// such as ?dial_timeout=3s&pool_size=20. A host without a port gets 6379.
//
// The client has ContextTimeoutEnabled set, as New requires, and unless the URL
// says otherwise DialTimeout is DefaultDialTimeout and ReadTimeout and
// WriteTimeout are DefaultIOTimeout. The caller closes the client. Nothing is
// dialled here: a server that is down is found by the first call (or Ping).
//
// Errors are *problem.Problem values (rule SES041, InvalidStoreConfig) that never
// repeat the password.
func ClientFromURL(rawURL string) (redis.UniversalClient, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	switch {
	case ok && (scheme == "redis" || scheme == "rediss"):
		opts, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, badURL(rawURL, err)
		}
		opts.ContextTimeoutEnabled = true
		opts.DialTimeout = cmp.Or(opts.DialTimeout, DefaultDialTimeout)
		opts.ReadTimeout = cmp.Or(opts.ReadTimeout, DefaultIOTimeout)
		opts.WriteTimeout = cmp.Or(opts.WriteTimeout, DefaultIOTimeout)
		return redis.NewClient(opts), nil
	case ok && (scheme == "redis-cluster" || scheme == "rediss-cluster"):
		u, err := clusterURL(strings.TrimSuffix(scheme, "-cluster"), rest)
		if err != nil {
			return nil, badURL(rawURL, err)
		}
		opts, err := redis.ParseClusterURL(u)
		if err != nil {
			return nil, badURL(rawURL, err)
		}
		opts.ContextTimeoutEnabled = true
		opts.DialTimeout = cmp.Or(opts.DialTimeout, DefaultDialTimeout)
		opts.ReadTimeout = cmp.Or(opts.ReadTimeout, DefaultIOTimeout)
		opts.WriteTimeout = cmp.Or(opts.WriteTimeout, DefaultIOTimeout)
		return redis.NewClusterClient(opts), nil
	}
	return nil, badURL(rawURL, errors.New("the scheme must be redis, rediss, redis-cluster or rediss-cluster"))
}

// clusterURL rewrites host:port,host:port[/][?query] (after "redis-cluster://")
// into the form redis.ParseClusterURL reads: the first node as the URL's host,
// the others as addr= parameters.
func clusterURL(scheme, rest string) (string, error) {
	hosts, query, _ := strings.Cut(rest, "?")
	hosts, path, _ := strings.Cut(hosts, "/")
	if path != "" {
		return "", errors.New("a cluster has only database 0: remove /" + path)
	}
	userinfo := ""
	if i := strings.LastIndexByte(hosts, '@'); i >= 0 {
		userinfo, hosts = hosts[:i+1], hosts[i+1:]
	}
	var addrs []string
	for a := range strings.SplitSeq(hosts, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			a = net.JoinHostPort(strings.Trim(a, "[]"), "6379")
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			return "", errors.New("bad node address: " + err.Error())
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return "", errors.New("no host:port after " + scheme + "-cluster://")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", errors.New("bad query: " + err.Error())
	}
	if q.Has("addr") {
		return "", errors.New("list the nodes as host:port,host:port, not as addr= parameters")
	}
	for _, a := range addrs[1:] {
		q.Add("addr", a)
	}
	u := scheme + "://" + userinfo + addrs[0]
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u, nil
}

// badURL is the problem for a URL that cannot be used. A *url.Error repeats the
// whole URL, password included, so only its cause is kept.
func badURL(rawURL string, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return problem.NewError(problem.InvalidStoreConfig,
		"redisstore: "+Redact(rawURL)+": "+err.Error(),
		"use redis://[user:password@]host:port/db, rediss://… for TLS, or redis-cluster://host:port,host:port")
}

// Redact returns rawURL with any password replaced by "xxxxx", for a log line
// or a banner; a string without "://" comes back as "(not a URL)".
func Redact(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "(not a URL)"
	}
	if i := strings.LastIndexByte(strings.SplitN(rest, "/", 2)[0], '@'); i >= 0 {
		user, _, hasPass := strings.Cut(rest[:i], ":")
		if hasPass {
			rest = user + ":xxxxx" + rest[i:]
		}
	}
	return scheme + "://" + rest
}
