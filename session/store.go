package session

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// A Store keeps session records. The Manager calls it with the store key of a
// session, never with the session ID the browser holds: the key is the unpadded
// base64url SHA-256 of the ID (43 characters), so a leaked store dump holds no
// usable token (OWASP Session Management Cheat Sheet, "Session ID Name
// Fingerprinting" and storage guidance). Express compatibility mode is the one
// documented exception (compat/express).
//
// Every method honours ctx: when it is cancelled or its deadline passes, the method
// returns promptly with an error wrapping ctx.Err().
//
// Implementations must be safe for concurrent use. The conformance suite in
// session/sessiontest checks every rule written here, and these too:
//   - Meta times and Idle are kept to at least the microsecond (stores may
//     truncate or round); a zero Absolute comes back zero.
//   - Save of a record whose Expires has passed returns nil and leaves nothing
//     under key; a Patch whose Meta has expired returns a nil error and leaves
//     nothing to Load.
//   - Save and Patch keep no reference to rec.Values, p.Set or their bytes.
//   - A call with an already-cancelled context changes nothing.
//   - Values are compared by meaning: a store may re-encode JSON but must keep
//     numbers exactly (9007199254740993 stays itself).
type Store interface {
	// Load returns the record stored under key. A record that does not exist or
	// whose Expires is not after now is reported as found == false with a nil
	// error: a miss is not an error.
	//
	// The returned Record's Values map may be shared with the store: the caller
	// must not modify it. (Stores that hand out shared maps never modify a map
	// they have handed out; they replace it.)
	Load(ctx context.Context, key string) (rec Record, found bool, err error)

	// Save stores rec under key, replacing any record there. It is used for new
	// sessions and whole-record writes. The store may forget the record at
	// rec.Expires.
	Save(ctx context.Context, key string, rec Record) error

	// Delete removes the record under key. Deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// A Patcher applies a Patch atomically: the keys in p.Set are written, the keys in
// p.Delete removed, every other key left as it is, and the record's Meta replaced by
// p.Meta. Two concurrent patches that touch different keys must both survive. A
// patch of a record that does not exist (destroyed or expired meanwhile) changes
// nothing and reports applied == false: a patch never resurrects a session.
//
// A Store without Patcher is written whole: concurrent writers lose each other's
// changes (last writer wins), and a request that loaded a session before another
// request destroyed it writes it back (a signed-out session returns). Every store
// in this repository patches; the Stack's Explain warns about one that does not.
type Patcher interface {
	Patch(ctx context.Context, key string, p Patch) (applied bool, err error)
}

// A Mover rotates a session's key in one atomic step, for Session.Regenerate
// (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege
// Level Change"). Move builds the record under newKey from the record stored under
// oldKey at the moment of the move (its current values, not a snapshot the caller
// loaded earlier), applies p as Patcher.Patch applies it (p.Meta replaces the Meta,
// p.Set written, p.Delete removed), and removes oldKey, so that no reader ever sees
// both keys live and no concurrent writer's acknowledged change to oldKey is lost:
// a Patch of oldKey either lands before the move (and is carried to newKey) or
// after it (and reports applied == false).
//
// When no live record is under oldKey (destroyed, expired, or already moved) nothing
// changes and moved is false: like a patch, a move never resurrects a session.
//
// A destroy must win against a move, whichever runs first:
//   - Delete(oldKey) after a successful Move also deletes newKey (and whatever
//     newKey was moved to since): the store keeps a forwarding mark for oldKey
//     for a bounded time, at least as long as a request that loaded the session
//     before the move may still run (memstore and mongostore: until the moved
//     record's deadline at the time of the move, p.Meta.Expires(), for ever in
//     memstore when that is zero; the Redis, connect-redis, PostgreSQL and bbolt
//     stores: their ForwardTTL, one minute). The mark is invisible to Load, Patch, Move, UserSessions and
//     Range (oldKey reads as missing); only Delete follows it. A store whose
//     key space another program reads keeps the mark where that program does
//     not look (connectredis: under its own prefix, outside Express's "sess:").
//     Without the mark, a logout that loaded the session before a concurrent
//     rotation would delete nothing, and the rotated cookie would stay signed
//     in.
//   - With UserIndex, the index never lists neither key: newKey is listed under
//     p.Meta.User no later than oldKey stops being live, and oldKey is unlisted.
//     A "sign out everywhere" that lists a user's sessions and deletes each
//     (Manager.DestroyUser) therefore deletes either oldKey (and, through the
//     mark, newKey) or newKey itself.
//
// newKey is fresh (32 random bytes behind a hash); a store may report an error if
// it exists.
//
// A Store without Mover is rotated by Save(newKey) then Delete(oldKey) from the
// snapshot the request loaded, which can bring back a session destroyed in
// between and drop a concurrent write. Every store in this repository moves:
// memstore, redisstore (one server, Sentinel, Cluster, Ring), connectredis,
// pgstore, boltstore and mongostore. The conformance suite (session/sessiontest) races Move
// against Delete, against a sign-out-everywhere and against a concurrent Patch.
type Mover interface {
	Move(ctx context.Context, oldKey, newKey string, p Patch) (moved bool, err error)
}

// An Applier writes a request's changes to a session the request never read, in
// one store call: a Set or Delete of a session whose cookie verified, with no Get
// before it, costs one round trip instead of a Load followed by a Patch.
//
// Apply, atomically: if a live record is under key (live at a.Now, the
// application's clock, and neither a forwarding mark nor a record a move is
// copying), it writes a.Set, removes a.Delete, leaves every other key as it is,
// and does the idle-timeout bookkeeping a Patch gets from the Manager: when the
// stored Meta.Idle is positive and at least a.TouchInterval has passed since the
// stored Meta.Touched, Touched becomes a.Now, and the store's own expiry (a TTL,
// an expiry index) follows the new Meta.Expires, and so does the user index's
// when the store keeps one. The result carries the Meta as stored after the
// change (Touched exactly a.Now when it moved: r.Touched), and r.Applied is true.
// Otherwise nothing changes and r.Applied is false: like a Patch, an Apply never
// resurrects a session.
//
// The rules of Patcher hold for Apply too: two concurrent Applies (or an Apply
// and a Patch) that touch different keys of one session both survive; an Apply
// keeps no reference to a.Set or its bytes. Against Mover: an Apply of oldKey
// lands before the move (and is carried to newKey) or after it, and is then
// refused (r.Applied false). An Apply with no Set and no Delete is a touch.
//
// A Store without Applier is written by a Load of the session and a Patch. The
// conformance suite (session/sessiontest) runs its Apply group against every
// store that implements it.
type Applier interface {
	Apply(ctx context.Context, key string, a Apply) (r Applied, err error)
}

// An Apply is a change to a session the request has not read (Applier).
type Apply struct {
	Set    map[string]json.RawMessage // keys written
	Delete []string                   // keys removed; never also in Set
	// Now is the request's clock: the record must be live at Now, and Now is
	// the new Touched when the idle deadline moves.
	Now time.Time
	// TouchInterval: the idle deadline moves only when at least this much time
	// has passed since the stored Touched (Config.TouchInterval).
	TouchInterval time.Duration
}

// Applied is the outcome of an Apply.
type Applied struct {
	Meta    Meta // the stored Meta after the change; zero when !Applied
	Applied bool // a live record was there and the change is stored
	Touched bool // the idle deadline moved: Meta.Touched is Apply.Now
}

// A UserIndex finds the sessions that belong to a user, for "list my sessions" and
// "sign out everywhere". A record belongs to the user named in its Meta.User; the
// index must follow every Save, Patch, Delete and expiry, and never list a record
// that Load would not find.
//
// UserSessions("") returns no entries and a nil error: anonymous sessions are not
// indexed.
type UserIndex interface {
	UserSessions(ctx context.Context, user string) ([]Entry, error)
}

// An Iterator visits every live record, for sweeping, migration and admin tools.
// fn is called once per record; iteration stops at the first error fn returns,
// which Range returns. Records created or deleted during the walk may or may not be
// visited.
type Iterator interface {
	Range(ctx context.Context, fn func(key string, rec Record) error) error
}

// A Pinger reports whether the store can serve requests, for a readiness check.
type Pinger interface {
	Ping(ctx context.Context) error
}

// An Entry is a record with the key it is stored under.
type Entry struct {
	Key    string
	Record Record
}

// A Record is everything a store keeps for one session.
type Record struct {
	Meta
	// Values maps each session key to its JSON encoding. nil and empty are the
	// same. Values are compact JSON documents; stores may keep them in any form
	// that gives the same JSON back (PostgreSQL's jsonb reorders object keys).
	Values map[string]json.RawMessage
}

// Meta is the bookkeeping of a session, written whole by every save.
type Meta struct {
	// Created is when the session was first saved. It survives Regenerate.
	Created time.Time
	// Touched is the last time activity was written to the store; the idle
	// deadline counts from it.
	Touched time.Time
	// Idle is the idle timeout of this session (0: none); a "remember me" login
	// sets a longer one than the Manager's default.
	Idle time.Duration
	// Absolute is the moment the session ends however active it is (zero: never).
	// OWASP Session Management Cheat Sheet, "Absolute Timeout".
	Absolute time.Time
	// User names the user the session belongs to; "" for an anonymous session.
	User string
}

// Expires reports when the session ends: the earlier of the idle deadline
// (Touched+Idle) and the absolute deadline. It is zero when neither is set.
// Stores may forget a record at that moment and must not return it after.
func (m Meta) Expires() time.Time {
	var idle time.Time
	if m.Idle > 0 {
		idle = m.Touched.Add(m.Idle)
	}
	switch {
	case idle.IsZero():
		return m.Absolute
	case m.Absolute.IsZero() || idle.Before(m.Absolute):
		return idle
	default:
		return m.Absolute
	}
}

// Live reports whether a record with this Meta is still valid at now.
func (m Meta) Live(now time.Time) bool {
	exp := m.Expires()
	return exp.IsZero() || now.Before(exp)
}

// A Patch is the change one request made to a session.
type Patch struct {
	Meta   Meta                       // replaces the stored Meta
	Set    map[string]json.RawMessage // keys written
	Delete []string                   // keys removed; never also in Set
}

// StoreError is the error a session operation returns when its store failed. The
// Manager's default ErrorFunc answers it with 503 and a problem+json body that
// names the store.
type StoreError struct {
	Store string // the store's name, e.g. "redis", "memory"
	// Op is the operation that failed: "load", "save", "patch", "apply", "move",
	// "delete", "list" (UserSessions and Range) or "ping", or a store's own
	// housekeeping ("cleanup" and "migrate" in pgstore, "sweep" in boltstore).
	Op  string
	Err error
}

func (e *StoreError) Error() string {
	return "session: " + e.Store + " store " + e.Op + ": " + e.Err.Error()
}

func (e *StoreError) Unwrap() error { return e.Err }

// ErrStoreTimeout is wrapped by a StoreError when a store call ran past the
// Manager's StoreTimeout.
var ErrStoreTimeout = errors.New("store did not answer in time")
