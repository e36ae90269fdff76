package redisstore

import "github.com/redis/go-redis/v9"

// The Lua scripts. Redis runs a script atomically, so a save or a patch is never
// seen half done and two patches of different keys never lose each other. They
// are sent with EVALSHA (go-redis falls back to EVAL once after NOSCRIPT, which
// also loads the script on that server).
//
// On a single server (or a Sentinel-managed primary) the scripts also keep the
// user sets, building the old user's set name from the prefix passed in ARGV:
// that key is not declared in KEYS, which Redis allows outside cluster mode. On a
// Cluster or Ring the sets live on other nodes, so the scripts leave them alone
// (the prefix argument is "") and the Go side updates them in the same pipeline.

// luaExpiry reads the first number of a fieldExpires value (codec.go): the
// record's deadline in Unix milliseconds, 0 for never, nil for no such field.
const luaExpiry = `
local function expiry(v)
  if not v then
    return nil
  end
  return tonumber(string.match(v, '^%d+'))
end
`

// luaChunked runs cmd on hash h with ARGV[i..last] as its arguments, in calls
// of at most 256: unpack is bounded by Lua's C stack, so long lists of fields
// go in chunks.
const luaChunked = `
local function chunked(cmd, h, i, last)
  while i <= last do
    local j = math.min(i + 255, last)
    redis.call(cmd, h, unpack(ARGV, i, j))
    i = j + 1
  end
end
`

// luaIndex adds a member to a user set and keeps the set alive at least as long
// as the member: a new set expires with its first member, an existing one is only
// ever extended, and a member without expiry makes the set persistent.
const luaIndex = `
local function index(set, member, ttl)
  local existed = redis.call('EXISTS', set)
  redis.call('SADD', set, member)
  if ttl == 0 then
    redis.call('PERSIST', set)
  elseif existed == 0 then
    redis.call('PEXPIRE', set, ttl)
  else
    local cur = redis.call('PTTL', set)
    if cur >= 0 and cur < ttl then
      redis.call('PEXPIRE', set, ttl)
    end
  end
end
`

// writeScript saves or patches one session hash.
//
//	KEYS[1]  the session hash
//	KEYS[2]  the new user's set (single server with a user only)
//	ARGV[1]  "1": patch, only if the record is live; "0": save, replacing it
//	ARGV[2]  now, Unix milliseconds on the application's clock
//	ARGV[3]  TTL in milliseconds, 0 for none
//	ARGV[4]  the key prefix when this script keeps the user sets, else ""
//	ARGV[5]  the store key (the member of the user sets)
//	ARGV[6]  the new user ("" for none)
//	ARGV[7]  n, the number of fields to delete, then those n fields
//	then     field, value pairs to set (meta fields included)
//
// It returns {applied, old user}.
var writeScript = redis.NewScript(luaExpiry + luaChunked + luaIndex + `
local h = KEYS[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local old = ''
local live = false
local moving = false
if redis.call('TYPE', h).ok == 'hash' then
  local m = redis.call('HMGET', h, 'm:expires', 'm:user', 'm:moving')
  old = m[2] or ''
  local exp = expiry(m[1])
  live = exp ~= nil and (exp == 0 or exp > now)
  moving = m[3] ~= false
end
local patch = ARGV[1] == '1'
-- A record being moved (Cluster, move.go) has been copied already: a change
-- applied to it now would be lost, so it is refused as if the record were gone.
if patch and (not live or moving) then
  return {0, old}
end
local ndel = tonumber(ARGV[7])
local first = 8 + ndel
if patch then
  chunked('HDEL', h, 8, first - 1)
else
  redis.call('DEL', h)
end
chunked('HSET', h, first, #ARGV)
if ttl > 0 then
  redis.call('PEXPIRE', h, ttl)
else
  redis.call('PERSIST', h)
end
local prefix = ARGV[4]
if prefix ~= '' then
  local member, user = ARGV[5], ARGV[6]
  if old ~= '' and old ~= user then
    redis.call('SREM', prefix .. 'u:{' .. old .. '}', member)
  end
  if user ~= '' then
    index(KEYS[2], member, ttl)
  end
end
return {1, old}
`)

// indexScript adds a session to a user set, for Cluster and Ring, where the set
// and the session hash are in different slots.
//
//	KEYS[1]  the user set
//	ARGV[1]  the store key
//	ARGV[2]  the session's TTL in milliseconds, 0 for none
var indexScript = redis.NewScript(luaIndex + `
index(KEYS[1], ARGV[1], tonumber(ARGV[2]))
return 1
`)

// deleteScript removes a session hash and, on a single server, its user set
// entry.
//
//	KEYS[1]  the session hash
//	ARGV[1]  the key prefix when this script keeps the user sets, else ""
//	ARGV[2]  the store key
//
// It returns {deleted, old user, moved to}: deleted is 1 only for a session (a
// forward is removed but not counted), and moved to is the new store key when
// the hash was a forward (see move.go), which the caller deletes next.
var deleteScript = redis.NewScript(`
local h = KEYS[1]
local old, to = '', ''
if redis.call('TYPE', h).ok == 'hash' then
  local m = redis.call('HMGET', h, 'm:user', 'm:moved')
  old = m[1] or ''
  to = m[2] or ''
end
local n = redis.call('DEL', h)
if to ~= '' then
  n = 0
end
if ARGV[1] ~= '' and old ~= '' then
  redis.call('SREM', ARGV[1] .. 'u:{' .. old .. '}', ARGV[2])
end
return {n, old, to}
`)

// applyScript writes a change to a session the caller has not read
// (session.Applier) and moves its idle deadline when TouchInterval has passed
// since the stored Touched, all server-side: a write of a session the request
// never read is one round trip. It reads the numbers of m:expires and m:idle,
// never RFC 3339. Its clock arguments travel in one string and its reply in
// another, which saves the client an allocation per value.
//
//	KEYS[1]  the session hash
//	ARGV[1]  "<ms> <ns> <us> <interval> <rfc3339> <member>": now in Unix
//	         milliseconds (rounded down), now's nanoseconds within that
//	         millisecond, now in Unix microseconds, TouchInterval in
//	         microseconds, now in RFC 3339 (the new m:touched), and the store
//	         key (the member of the user set)
//	ARGV[2]  the key prefix when this script keeps the user sets, else ""
//	ARGV[3]  n, the number of fields to delete, then those n fields
//	then     field, value pairs to set
//
// It returns {0} when no live session is there (missing, expired, a forward,
// or being moved on a Cluster; a key of another type fails with WRONGTYPE),
// {-1} for a live record whose m:expires holds
// one number, written before the other two existed (nothing changed: the
// caller falls back), else {1, "<touched> <ttl>\n<created>\n<touched
// time>\n<idle>\n<absolute>\n<user>"}: touched is 1 when the deadline moved,
// ttl the new TTL in milliseconds then (-1 otherwise), and the meta fields as
// stored after the change, the user last (it may hold a newline).
var applyScript = redis.NewScript(luaExpiry + luaChunked + luaIndex + `
local h = KEYS[1]
-- HMGET of a key that is not a hash fails the script with WRONGTYPE, which
-- Apply reports as no session (as Load does): no TYPE call first.
local m = redis.call('HMGET', h, 'm:expires', 'm:moving', 'm:idle', 'm:created', 'm:touched', 'm:absolute', 'm:user')
local nms, nns, nus, ivl, nrfc, member = string.match(ARGV[1], '^(%d+) (%d+) (%-?%d+) (%d+) (%S+) (.*)$')
local now = tonumber(nms)
local e = m[1] or ''
local exp = expiry(m[1])
if exp == nil or (exp ~= 0 and exp <= now) or m[2] then
  return {0}
end
local tus, abs = string.match(e, '^%d+ (%-?%d+) (%d+)$')
local idle = tonumber(m[3])
if tus == nil or idle == nil then
  return {-1}
end
tus, abs = tonumber(tus), tonumber(abs)
local ndel = tonumber(ARGV[3])
local first = 4 + ndel
chunked('HDEL', h, 4, first - 1)
chunked('HSET', h, first, #ARGV)
local touched, ttl, t = 0, -1, m[5] or ''
if idle > 0 and tonumber(nus) - tus >= tonumber(ivl) then
  -- The new idle deadline, now + idle in milliseconds rounded up, capped by
  -- the absolute one.
  local ns = tonumber(nns) + idle
  local dl = now + math.floor(ns / 1000000)
  if ns % 1000000 ~= 0 then
    dl = dl + 1
  end
  if abs ~= 0 and abs < dl then
    dl = abs
  end
  touched, t, ttl = 1, nrfc, dl - now
  redis.call('HSET', h, 'm:touched', t, 'm:expires', string.format('%.0f %s %.0f', dl, nus, abs))
  redis.call('PEXPIRE', h, ttl)
  local user = m[7] or ''
  if ARGV[2] ~= '' and user ~= '' then
    index(ARGV[2] .. 'u:{' .. user .. '}', member, ttl)
  end
end
return {1, string.format('%d %.0f', touched, ttl) .. '\n' .. (m[4] or '') .. '\n' .. t .. '\n' .. m[3] .. '\n' ..
  (m[6] or '') .. '\n' .. (m[7] or '')}
`)
