package redisstore

import "strings"

// The key layout. Every key the store writes starts with the configured prefix:
//
//	<prefix>s:{<store key>}   a hash per session: meta fields and one field per value
//	<prefix>u:{<user>}        a set per user: the store keys of that user's sessions
//
// The braces are Redis Cluster hash tags: only the part inside them picks the slot,
// so a session's hash always lives in the slot of its store key, whatever the
// prefix, and the user set in the slot of the user name.

// sessionKey is the Redis key of the hash that holds the session under key.
func (s *Store) sessionKey(key string) string {
	return s.prefix + "s:{" + key + "}"
}

// userKey is the Redis key of the set that indexes user's sessions.
func (s *Store) userKey(user string) string {
	return s.prefix + "u:{" + user + "}"
}

// storeKey recovers the store key from the Redis key of a session hash, for
// Range; ok is false for a key this store did not write.
func (s *Store) storeKey(redisKey string) (key string, ok bool) {
	rest, found := strings.CutPrefix(redisKey, s.prefix+"s:{")
	if !found {
		return "", false
	}
	return strings.CutSuffix(rest, "}")
}

// scanPattern is the SCAN MATCH pattern of every session hash: the prefix with
// its glob characters escaped, so a prefix such as "app[1]:" matches itself only.
func (s *Store) scanPattern() string {
	var b strings.Builder
	for _, r := range s.prefix {
		switch r {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteString("s:{*}")
	return b.String()
}
