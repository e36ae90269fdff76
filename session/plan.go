package session

// The commit is decided in one place: plan is a pure function from what the
// request did to its session (a planInput) to what the commit must do (a plan),
// table-tested over every reachable input in plan_test.go; Manager.execute
// carries it out. scs's single Status is the model: the session's state is two
// small enums and a few facts, not a set of flags that write each other.

// record says what the request knows of the stored session.
type record uint8

const (
	recNotLoaded  record = iota // the handler never used its session
	recLoadFailed               // the store could not be asked (Session.Err)
	recMissing                  // no stored session: no cookie, a bad one, expired, destroyed
	recFound                    // a live stored session, under Session.key
	// recPending: not loaded, but changed (Set, Delete) with a verified cookie,
	// on a store that implements Applier: the change is applied to whatever is
	// stored under Session.key without reading it first.
	recPending
	recordCount
)

// change says what the request did to the session since it was loaded or last
// saved.
type change uint8

const (
	chNone       change = iota // nothing
	chDetached                 // Unset with UnsetKeep: leave the stored session alone
	chModified                 // values, user or timeouts changed
	chRegenerate               // changed, and a new ID wanted (Regenerate)
	chDestroyed                // Destroy deleted it from the store
	changeCount
)

// action is the store operation of a commit.
type action uint8

const (
	actNone       action = iota
	actTouch             // move the idle deadline: a patch of the Meta alone
	actPatch             // write this request's changes to the stored session
	actCreate            // store a new session under a new ID
	actRegenerate        // move the stored session to a new ID, with the changes
	actDestroy           // the session was deleted (by Destroy); only the cookie is left to clear
	actApply             // write the changes to a session never read (Applier), then decide again
)

var actionText = [...]string{"none", "touch", "patch", "create", "regenerate", "destroy", "apply"}

func (a action) String() string { return actionText[a] }

// cookieOp is what the response does with the session cookie.
type cookieOp uint8

const (
	cookieKeep  cookieOp = iota // no Set-Cookie
	cookieSet                   // send the session's ID with its expiry
	cookieClear                 // expire the cookie
)

var cookieText = [...]string{"keep", "set", "clear"}

func (c cookieOp) String() string { return cookieText[c] }

// then is the cookie operation after c followed by d: a later operation wins,
// keep changes nothing.
func (c cookieOp) then(d cookieOp) cookieOp {
	if d == cookieKeep {
		return c
	}
	return d
}

// planInput is everything the commit decision depends on.
type planInput struct {
	Record     record
	Change     change
	ErrChecked bool // the handler called Err: it answers a load failure itself
	// Due: the idle deadline moves now (Touch or SetTimeouts, or TouchInterval
	// passed since the stored Touched). After an apply: the store moved it.
	Due bool
	// Applied: the change of a recPending session is stored already (an
	// apply found the record, so Record is recFound); only the cookie is left
	// to decide, by the rules of a patch.
	Applied bool
	// Retire: an earlier rotation without Mover saved the new record but could
	// not delete the old one; the old key must go before anything else.
	Retire            bool
	SaveUninitialized bool
	Rolling           bool
	BrowserSession    bool
	// Late: the response has started; no Set-Cookie can be added.
	Late bool
	// OutsidePath: the request's path is outside Cookie.Path, so the browser
	// sent no cookie and would keep a new one apart from the real one
	// (RFC 6265bis §5.1.4, §5.8.3).
	OutsidePath bool
}

// plan is what a commit does.
type plan struct {
	Fail   bool // answer with the load error (ErrorFunc) instead of the handler's response
	Retire bool // delete the old key of an unfinished rotation first
	Store  action
	Cookie cookieOp
	// Late: the change needs a cookie the started response cannot carry; it is
	// not stored (a record no browser can name) and reported (rule SES029).
	Late bool
}

// decide computes the plan for in. It is pure: it reads nothing else.
func decide(in planInput) plan {
	var p plan
	switch in.Record {
	case recNotLoaded:
		return p
	case recPending:
		// Changed without a read: the store applies the change if the record
		// is live, and the plan is decided again from what it answers
		// (Applied, or recMissing and a new session with the changes).
		if in.Change == chModified {
			p.Store = actApply
		}
		return p
	case recLoadFailed:
		// Nothing was loaded, so nothing may be written: a patch of an unknown
		// session could not say what it patches. Without Err, the failure is the
		// response (503), never a signed-out-looking 200.
		p.Fail = !in.ErrChecked && !in.Late
		return p
	}
	if in.OutsidePath && in.Record == recMissing {
		// A new session here would be one the browser never sends back where
		// the application reads it (or, with a broader path, one that shadows
		// the user's real cookie): create none, set and clear nothing.
		return p
	}
	p.Retire = in.Retire && in.Record == recFound
	switch in.Change {
	case chDetached:
		return p
	case chDestroyed:
		p.Store, p.Cookie = actDestroy, cookieClear
	case chModified, chRegenerate:
		switch {
		case in.Record == recMissing:
			p.Store, p.Cookie = actCreate, cookieSet
		case in.Change == chRegenerate:
			p.Store, p.Cookie = actRegenerate, cookieSet
		default:
			if !in.Applied {
				p.Store = actPatch
			}
			if (in.Due && !in.BrowserSession) || in.Rolling {
				p.Cookie = cookieSet
			}
		}
	case chNone:
		switch {
		case in.Record == recMissing && in.SaveUninitialized:
			p.Store, p.Cookie = actCreate, cookieSet
		case in.Record == recFound && in.Due:
			p.Store = actTouch
			if !in.BrowserSession || in.Rolling {
				p.Cookie = cookieSet
			}
		case in.Record == recFound && in.Rolling:
			p.Cookie = cookieSet
		}
	}
	if in.Late {
		if in.Change == chNone && p.Store == actCreate {
			p.Store = actNone // SaveUninitialized has nothing to say once the response started
		}
		// Patches and touches are still worth storing (the cookie already names
		// the record); a new ID or a cleared cookie cannot reach the browser.
		switch p.Store {
		case actCreate, actRegenerate, actDestroy:
			p.Store, p.Late = actNone, true
		}
		p.Cookie = cookieKeep
	}
	return p
}
