package redisstore

import (
	"context"
	"encoding/json"
	"maps"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
)

// Move, for Session.Regenerate: the session under oldKey moves to newKey, built
// from the record as it is in Redis at that moment plus the request's patch,
// only if it is still there and live.
//
// # Forwards
//
// The old hash is not simply deleted: it becomes a forward, a hash whose one
// field m:moved names the new store key, kept for ForwardTTL. Load, Range and
// Patch treat a forward as missing, so the old ID opens nothing. Delete of a
// forward also deletes the session it points to (and follows a chain of
// forwards), and UserSessions lists the new key in place of a forward it meets.
// That is what lets a destroy that started before the move win even when its
// last step lands after it: a logout that loaded the session, or a "sign out
// everywhere" that read the user's set, and then deletes the old key, ends the
// moved session too (session.Mover: a concurrent destroy happens before the move
// or after it, "and then also removes newKey").
//
// # One server (and a Sentinel-managed primary)
//
// One script (moveScript) does everything atomically: it checks that the old
// hash is a live session not being moved, renames it to the new key, applies the
// patch, sets the expiry, turns the old key into a forward and moves the user
// set entry. A concurrent patch of the old key runs wholly before (its change is
// carried over) or after (it finds a forward and is refused: applied == false,
// never acknowledged and lost).
//
// # Cluster and Ring
//
// The two hashes live in different slots, usually on different nodes, and no
// script can hold both. The move takes three steps, each one script on one slot:
//
//  1. mark (old slot): if the old hash is a live session and not already being
//     moved, set its field m:moving to the new key and return all its fields.
//     From now on every Patch of the old key is refused (writeScript), so the
//     copy made from this reply cannot miss an acknowledged write. Load still
//     finds it: the move has not happened yet.
//  2. write (new slot, plus the user's set): the copy with the patch applied, as
//     a Save of the new key, indexed under its user.
//  3. finalize (old slot): only if the old hash still carries m:moving equal to
//     the new key, replace it by a forward. This is the moment the move takes
//     effect. If the mark is gone, something destroyed (or replaced) the old
//     session between the steps: the new hash is deleted and Move reports
//     moved == false.
//
// Why a destroy at any point wins. A Delete of the old key before step 3 removes
// the marked hash, step 3 finds no mark, and the new record is deleted. A Delete
// of the old key after step 3 finds the forward and deletes the new record. A
// "sign out everywhere" is UserSessions then Delete of each listed key: if it
// read the user's set before step 2 indexed the new key, it holds the old key,
// whose Delete is one of the two cases above; if it read the set after, it lists
// the new key (or meets the forward and follows it) and deletes it directly. In
// every order, once the destroy returns, the new key is not live. A Save of the
// old key between the steps (a whole-record write) removes the mark too, and the
// move gives way to it in the same way.
//
// Failures. When step 2 or 3 fails (a node down, a timeout), Move removes the
// mark and the new hash (best effort, on a context of its own) and returns the
// error: the session stays under its old key, or, when step 3's outcome is
// unknown, is gone; never live under both, never lost silently. A process that
// dies between the steps leaves the old session marked: it can still be read,
// but not written, and its next write ends it (patch refused), which is the safe
// side; the copy under the new key, whose ID no browser ever received, expires
// with the session's deadline.

// ForwardTTL is how long the old key of a moved session keeps pointing at the
// new one: long enough for any request that loaded the session before the move to
// finish (a destroy it makes then also ends the moved session), short enough that
// forwards do not pile up.
const ForwardTTL = time.Minute

var _ session.Mover = (*Store)(nil)

// Move moves the session under oldKey to newKey, applying p, only if a live
// session is under oldKey; moved reports whether it was. See the package's
// move.go documentation for how it is atomic on one server and on a Cluster.
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (moved bool, err error) {
	defer s.evict(oldKey, newKey)
	if err := ctx.Err(); err != nil {
		return false, fail(ctx, "move", err)
	}
	now := time.Now()
	ttl := ttlMillis(p.Meta.Expires(), now)
	if ttl < 0 {
		// The patch ends the session: moving it is removing it, as a patch
		// that expires a session removes it.
		return s.remove(ctx, "move", oldKey)
	}
	if s.single {
		return s.moveOne(ctx, oldKey, newKey, p, now, ttl)
	}
	return s.moveSplit(ctx, oldKey, newKey, p, now)
}

// moveOne is the single-server move: one moveScript call.
func (s *Store) moveOne(ctx context.Context, oldKey, newKey string, p session.Patch, now time.Time, ttl int64) (bool, error) {
	keys := []string{s.sessionKey(oldKey), s.sessionKey(newKey)}
	if p.Meta.User != "" {
		keys = append(keys, s.userKey(p.Meta.User))
	}
	args := make([]any, 0, 8+len(p.Delete)+2*metaFields+2*len(p.Set))
	args = append(args, now.UnixMilli(), ttl, ForwardTTL.Milliseconds(), s.prefix, oldKey, newKey, p.Meta.User, len(p.Delete))
	for _, f := range p.Delete {
		args = append(args, valuePrefix+f)
	}
	args = appendMeta(args, p.Meta)
	for f, v := range p.Set {
		args = append(args, valuePrefix+f, []byte(v))
	}
	c := call{script: moveScript, keys: keys, args: args}
	c.run(ctx, s.client)
	moved, _, err := c.result()
	if err != nil {
		return false, fail(ctx, "move", err)
	}
	return moved, nil
}

// moveSplit is the Cluster (and Ring) move: mark, write, finalize.
func (s *Store) moveSplit(ctx context.Context, oldKey, newKey string, p session.Patch, now time.Time) (moved bool, err error) {
	oldHash := s.sessionKey(oldKey)
	// Step 1: mark the old record and read it.
	mark := call{script: markScript, keys: []string{oldHash}, args: []any{now.UnixMilli(), newKey}}
	mark.run(ctx, s.client)
	flat, err := mark.cmd.StringSlice()
	if err != nil {
		// The mark may have been set before the reply was lost.
		s.undoMove(ctx, oldKey, newKey, false)
		return false, fail(ctx, "move", err)
	}
	if len(flat) == 0 {
		return false, nil // gone, expired, already moving or moved
	}
	fields := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		fields[flat[i]] = flat[i+1]
	}
	rec, err := decode(fields)
	if err != nil {
		// Not a session this store can read: nothing to move.
		s.warn.corrupt(oldKey, err)
		s.undoMove(ctx, oldKey, newKey, false)
		return false, nil
	}
	// Step 2: the new record, from the current one plus the patch.
	values := rec.Values
	if values == nil {
		values = make(map[string]json.RawMessage, len(p.Set))
	}
	maps.Copy(values, p.Set)
	for _, f := range p.Delete {
		delete(values, f)
	}
	if _, err := s.write(ctx, "move", newKey, p.Meta, nil, values); err != nil {
		s.undoMove(ctx, oldKey, newKey, true)
		return false, err
	}
	// Step 3: finalize, only if nothing destroyed the old record meanwhile.
	fin := call{script: finalizeScript, keys: []string{oldHash}, args: []any{newKey, ForwardTTL.Milliseconds()}}
	fin.run(ctx, s.client)
	done, oldUser, err := fin.result()
	if err != nil {
		s.undoMove(ctx, oldKey, newKey, true)
		return false, fail(ctx, "move", err)
	}
	if !done {
		// A destroy (or a Save) of the old key ran between the steps: it wins.
		if _, err := s.remove(ctx, "move", newKey); err != nil {
			return false, err
		}
		return false, nil
	}
	if oldUser != "" {
		// Best effort, as in write: UserSessions prunes what this misses (and
		// follows the forward meanwhile).
		s.client.SRem(ctx, s.userKey(oldUser), oldKey)
	}
	return true, nil
}

// undoMove clears a mark this move set and, when wrote is true, removes the new
// record it may have written: the session stays under its old key. It runs on a
// context of its own (the call's may be what failed) and ignores errors: a mark
// left behind makes the next patch fail, the safe side.
func (s *Store) undoMove(ctx context.Context, oldKey, newKey string, wrote bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	u := call{script: unmarkScript, keys: []string{s.sessionKey(oldKey)}, args: []any{newKey}}
	u.run(ctx, s.client)
	if wrote {
		_, _ = s.remove(ctx, "move", newKey)
	}
}

// unmarkScript removes a move's mark if it is still the mark of that move.
//
//	KEYS[1]  the old session hash
//	ARGV[1]  the new store key
var unmarkScript = redis.NewScript(`
if redis.call('TYPE', KEYS[1]).ok == 'hash' and redis.call('HGET', KEYS[1], 'm:moving') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'm:moving')
end
return 1
`)

// markScript is step 1 of a Cluster move.
//
//	KEYS[1]  the old session hash
//	ARGV[1]  now, Unix milliseconds on the application's clock
//	ARGV[2]  the new store key
//
// It returns the hash's fields and values (HGETALL) with the mark set, or an
// empty list when there is nothing to move.
var markScript = redis.NewScript(luaExpiry + `
local h = KEYS[1]
if redis.call('TYPE', h).ok ~= 'hash' then
  return {}
end
local m = redis.call('HMGET', h, 'm:expires', 'm:moving', 'm:moved')
local exp = expiry(m[1])
if exp == nil or (exp ~= 0 and exp <= tonumber(ARGV[1])) or m[2] or m[3] then
  return {}
end
redis.call('HSET', h, 'm:moving', ARGV[2])
local all = redis.call('HGETALL', h)
local out = {}
for i = 1, #all, 2 do
  if all[i] ~= 'm:moving' then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
`)

// finalizeScript is step 3 of a Cluster move: the old hash becomes a forward,
// only if it still carries this move's mark.
//
//	KEYS[1]  the old session hash
//	ARGV[1]  the new store key
//	ARGV[2]  the forward's TTL in milliseconds
//
// It returns {done, old user}.
var finalizeScript = redis.NewScript(`
local h = KEYS[1]
if redis.call('TYPE', h).ok ~= 'hash' then
  return {0, ''}
end
local m = redis.call('HMGET', h, 'm:moving', 'm:user')
if m[1] ~= ARGV[1] then
  return {0, ''}
end
redis.call('DEL', h)
redis.call('HSET', h, 'm:moved', ARGV[1])
redis.call('PEXPIRE', h, tonumber(ARGV[2]))
return {1, m[2] or ''}
`)

// moveScript moves a session on one server.
//
//	KEYS[1]  the old session hash
//	KEYS[2]  the new session hash
//	KEYS[3]  the new user's set (with a user only)
//	ARGV[1]  now, Unix milliseconds on the application's clock
//	ARGV[2]  the new record's TTL in milliseconds, 0 for none
//	ARGV[3]  the forward's TTL in milliseconds
//	ARGV[4]  the key prefix (for the old user's set)
//	ARGV[5]  the old store key
//	ARGV[6]  the new store key
//	ARGV[7]  the new user ("" for none)
//	ARGV[8]  n, the number of fields to delete, then those n fields
//	then     field, value pairs to set (meta fields included)
//
// It returns {moved, old user}.
var moveScript = redis.NewScript(luaExpiry + luaChunked + luaIndex + `
local ho, hn = KEYS[1], KEYS[2]
if redis.call('TYPE', ho).ok ~= 'hash' then
  return {0, ''}
end
local m = redis.call('HMGET', ho, 'm:expires', 'm:user', 'm:moving', 'm:moved')
local exp = expiry(m[1])
if exp == nil or (exp ~= 0 and exp <= tonumber(ARGV[1])) or m[3] or m[4] then
  return {0, ''}
end
local old = m[2] or ''
local ttl = tonumber(ARGV[2])
redis.call('RENAME', ho, hn)
local ndel = tonumber(ARGV[8])
local first = 9 + ndel
chunked('HDEL', hn, 9, first - 1)
chunked('HSET', hn, first, #ARGV)
if ttl > 0 then
  redis.call('PEXPIRE', hn, ttl)
else
  redis.call('PERSIST', hn)
end
redis.call('HSET', ho, 'm:moved', ARGV[6])
redis.call('PEXPIRE', ho, tonumber(ARGV[3]))
if old ~= '' then
  redis.call('SREM', ARGV[4] .. 'u:{' .. old .. '}', ARGV[5])
end
if ARGV[7] ~= '' then
  index(KEYS[3], ARGV[6], ttl)
end
return {1, old}
`)
