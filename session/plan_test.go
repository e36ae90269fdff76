package session

import (
	"fmt"
	"testing"
)

// tri is a table cell for a bool input: any, yes or no.
type tri uint8

const (
	any_ tri = iota
	yes
	no
)

func (t tri) match(b bool) bool { return t == any_ || (t == yes) == b }

// row is one line of the commit's decision table: the inputs it covers (nil
// slices and any_ mean every value) and the plan they get.
type row struct {
	rec                                                   []record
	ch                                                    []change
	errChecked, due, retire, saveUninit, rolling, browser tri
	late, outside, applied                                tri
	want                                                  plan
}

func (r row) matches(in planInput) bool {
	in1 := func(xs []record, x record) bool {
		if xs == nil {
			return true
		}
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	in2 := func(xs []change, x change) bool {
		if xs == nil {
			return true
		}
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	return in1(r.rec, in.Record) && in2(r.ch, in.Change) && r.errChecked.match(in.ErrChecked) &&
		r.due.match(in.Due) && r.retire.match(in.Retire) && r.saveUninit.match(in.SaveUninitialized) &&
		r.rolling.match(in.Rolling) && r.browser.match(in.BrowserSession) && r.late.match(in.Late) &&
		r.outside.match(in.OutsidePath) && r.applied.match(in.Applied)
}

var changed = []change{chModified, chRegenerate}

// The decision table. Every reachable input matches exactly one row
// (TestPlanTableIsExhaustive); read it top to bottom as the rules of a commit.
var planTable = []row{
	// Never used: nothing at all (no store call, no header).
	{rec: []record{recNotLoaded}, want: plan{}},
	// Load failed: the failure is the response unless the handler took it (Err),
	// or the response had started; nothing is written either way.
	{rec: []record{recLoadFailed}, errChecked: no, late: no, want: plan{Fail: true}},
	{rec: []record{recLoadFailed}, errChecked: yes, want: plan{}},
	{rec: []record{recLoadFailed}, errChecked: no, late: yes, want: plan{}},

	// Detached (Unset): the stored session stays as it was.
	{rec: []record{recFound}, ch: []change{chDetached}, want: plan{}, retire: no},
	{rec: []record{recFound}, ch: []change{chDetached}, want: plan{Retire: true}, retire: yes},
	{rec: []record{recMissing}, outside: no, ch: []change{chDetached}, want: plan{}},

	// Outside the cookie's path: no new session, no cookie (issue 14, defect 7).
	{rec: []record{recMissing}, outside: yes, want: plan{}},

	// Destroyed: clear the cookie, or report that it could not be.
	{rec: []record{recMissing}, outside: no, ch: []change{chDestroyed}, late: no, want: plan{Store: actDestroy, Cookie: cookieClear}},
	{rec: []record{recMissing}, outside: no, ch: []change{chDestroyed}, late: yes, want: plan{Late: true}},

	// A new session with changes (or a Regenerate before the first save): create.
	{rec: []record{recMissing}, outside: no, ch: changed, late: no, want: plan{Store: actCreate, Cookie: cookieSet}},
	{rec: []record{recMissing}, outside: no, ch: changed, late: yes, want: plan{Late: true}},
	// No changes and no session: only SaveUninitialized creates one.
	{rec: []record{recMissing}, outside: no, ch: []change{chNone}, saveUninit: yes, late: no, want: plan{Store: actCreate, Cookie: cookieSet}},
	{rec: []record{recMissing}, outside: no, ch: []change{chNone}, saveUninit: yes, late: yes, want: plan{}},
	{rec: []record{recMissing}, outside: no, ch: []change{chNone}, saveUninit: no, want: plan{}},

	// Regenerate of a stored session: move it, send the new ID.
	{rec: []record{recFound}, ch: []change{chRegenerate}, late: no, retire: no, want: plan{Store: actRegenerate, Cookie: cookieSet}},
	{rec: []record{recFound}, ch: []change{chRegenerate}, late: no, retire: yes, want: plan{Retire: true, Store: actRegenerate, Cookie: cookieSet}},
	{rec: []record{recFound}, ch: []change{chRegenerate}, late: yes, retire: no, want: plan{Late: true}},
	{rec: []record{recFound}, ch: []change{chRegenerate}, late: yes, retire: yes, want: plan{Retire: true, Late: true}},

	// Changed without a read (Applier): apply, whatever else holds; the plan
	// is decided again from the store's answer (rowsFound, applied: yes; or
	// recMissing above).
	{rec: []record{recPending}, ch: []change{chModified}, want: plan{Store: actApply}},
	// Set, then Unset: the overlay is dropped, nothing to apply.
	{rec: []record{recPending}, ch: []change{chDetached}, want: plan{}},
}

// rowsFound are the patch and touch rows, generated from their rule: the cookie
// is re-sent when the deadline moved (and the cookie carries one) or Rolling
// asks, never once the response started. An applied change (applied: yes) gets
// the cookie of a patch and no store call: the apply stored it.
func rowsFound() []row {
	var rows []row
	for _, applied := range []bool{false, true} {
		for _, ch := range []change{chModified, chNone} {
			if applied && (ch != chModified) {
				continue
			}
			for _, due := range []bool{false, true} {
				for _, rolling := range []bool{false, true} {
					for _, browser := range []bool{false, true} {
						for _, retire := range []bool{false, true} {
							for _, late := range []bool{false, true} {
								if applied && retire {
									continue
								}
								var p plan
								p.Retire = retire
								switch {
								case applied:
								case ch == chModified:
									p.Store = actPatch
								case due:
									p.Store = actTouch
								}
								if !late && ((due && !browser) || rolling) {
									p.Cookie = cookieSet
								}
								rows = append(rows, row{rec: []record{recFound}, ch: []change{ch},
									due: triOf(due), rolling: triOf(rolling), browser: triOf(browser),
									retire: triOf(retire), late: triOf(late), applied: triOf(applied), want: p})
							}
						}
					}
				}
			}
		}
	}
	return rows
}

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// reachable says which inputs a request can produce: a session never loaded has
// no change, nothing to retire and no Err call (Err loads); a retire exists only
// after a rotation saved a new record, so only with recFound; Destroy leaves the
// session recMissing. A pending session was only written (Set, Delete;
// everything else loads), perhaps then Unset; Applied exists only for the
// second decision after an apply found the record.
func reachable(in planInput) bool {
	if in.Applied {
		return in.Record == recFound && in.Change == chModified && !in.Retire && !in.ErrChecked
	}
	switch in.Record {
	case recPending:
		return (in.Change == chModified || in.Change == chDetached) && !in.Retire && !in.ErrChecked
	case recNotLoaded:
		return in.Change == chNone && !in.Retire && !in.ErrChecked
	case recLoadFailed:
		return !in.Retire
	case recMissing:
		return !in.Retire
	case recFound:
		return in.Change != chDestroyed
	}
	return false
}

// every returns every planInput, reachable or not.
func every() []planInput {
	var all []planInput
	b := []bool{false, true}
	for r := range recordCount {
		for c := range changeCount {
			for _, e := range b {
				for _, d := range b {
					for _, rt := range b {
						for _, su := range b {
							for _, ro := range b {
								for _, bs := range b {
									for _, l := range b {
										for _, o := range b {
											for _, a := range b {
												all = append(all, planInput{Record: r, Change: c, ErrChecked: e, Due: d,
													Retire: rt, SaveUninitialized: su, Rolling: ro, BrowserSession: bs, Late: l, OutsidePath: o, Applied: a})
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	return all
}

// Every reachable input matches exactly one row, and decide gives that row's
// plan.
func TestPlanTableIsExhaustive(t *testing.T) {
	table := append(append([]row(nil), planTable...), rowsFound()...)
	n := 0
	for _, in := range every() {
		if !reachable(in) {
			continue
		}
		n++
		var hit []int
		for i, r := range table {
			if r.matches(in) {
				hit = append(hit, i)
			}
		}
		if len(hit) != 1 {
			t.Errorf("input %+v: matches rows %v, want exactly one", in, hit)
			continue
		}
		if got, want := decide(in), table[hit[0]].want; got != want {
			t.Errorf("decide(%+v):\n got %s\nwant %s (row %d)", in, fmtPlan(got), fmtPlan(want), hit[0])
		}
	}
	t.Logf("%d reachable inputs, %d rows", n, len(table))
}

func fmtPlan(p plan) string {
	return fmt.Sprintf("{Fail:%v Retire:%v Store:%s Cookie:%s Late:%v}", p.Fail, p.Retire, p.Store, p.Cookie, p.Late)
}

// The rules every plan keeps, whatever the table says.
func TestPlanInvariants(t *testing.T) {
	for _, in := range every() {
		if !reachable(in) {
			continue
		}
		p := decide(in)
		switch {
		case in.Late && p.Cookie != cookieKeep:
			t.Errorf("%+v: a cookie operation once the response started: %s", in, fmtPlan(p))
		case in.Record == recLoadFailed && (p.Store != actNone || p.Cookie != cookieKeep):
			t.Errorf("%+v: a write after a failed load: %s", in, fmtPlan(p))
		case in.Record == recNotLoaded && p != (plan{}):
			t.Errorf("%+v: work for a session never used: %s", in, fmtPlan(p))
		case in.Record == recPending && (p.Cookie != cookieKeep || (p.Store != actApply && p.Store != actNone)):
			t.Errorf("%+v: a session not read gets more than an apply: %s", in, fmtPlan(p))
		case in.Applied && p.Store != actNone:
			t.Errorf("%+v: an applied change stored twice: %s", in, fmtPlan(p))
		case p.Store == actCreate || p.Store == actRegenerate:
			if p.Cookie != cookieSet {
				t.Errorf("%+v: a new ID without its cookie: %s", in, fmtPlan(p))
			}
		case in.Change == chDetached && p.Store != actNone:
			t.Errorf("%+v: a detached session written: %s", in, fmtPlan(p))
		}
	}
}
