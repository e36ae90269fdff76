package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/sesame-go/sesame/session"
)

// Load returns the live record stored under key in one query; an expired row is a
// miss even before the cleanup deletes it.
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if !validKey(key) {
		return session.Record{}, false, nil // never stored: a miss, not a failing query
	}
	var e session.Entry
	err := scanEntry(s.pool.QueryRow(ctx, s.q.load, key), &e)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return session.Record{}, false, nil
	case err != nil:
		return session.Record{}, false, s.fail(ctx, "load", err)
	}
	return e.Record, true, nil
}

// Save writes rec under key, replacing any row there (INSERT ... ON CONFLICT DO
// UPDATE: one round trip, no race between a check and a write).
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	if err := checkKey(key); err != nil {
		return s.fail(ctx, "save", err)
	}
	sp, err := splitValues(rec.Values)
	if err != nil {
		return s.fail(ctx, "save", err)
	}
	m := rec.Meta
	_, err = s.pool.Exec(ctx, s.q.save, key, sp.data, sp.raw, m.Created, m.Touched, int64(m.Idle),
		timestamptz(m.Absolute), timestamptz(m.Expires()), text(m.User))
	if err != nil {
		return s.fail(ctx, "save", err)
	}
	return nil
}

// Patch applies p in one UPDATE statement and reports whether a live row was there
// to change.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if !validKey(key) {
		return false, nil // never stored: nothing to patch
	}
	sp, err := splitValues(p.Set)
	if err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	delData, delRaw := deletions(p.Delete, sp)
	m := p.Meta
	tag, err := s.pool.Exec(ctx, s.q.patch, key, delData, sp.data, delRaw, sp.raw, m.Created, m.Touched, int64(m.Idle),
		timestamptz(m.Absolute), timestamptz(m.Expires()), text(m.User))
	if err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Delete removes the row under key; a missing row is not an error. When key is
// the forward of a moved session, the session it points to is deleted too (and
// so on along a chain of moves): a destroy that loaded the session before a
// Regenerate moved it still ends it (see Move).
func (s *Store) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return nil // never stored
	}
	// The chase has no length limit: a thief rotating in a loop adds a hop
	// per Move (several round trips), the chase removes one per round trip, so
	// it catches up. Each forward is deleted as it is followed, so a cycle
	// (a Move into a key that was a forward) ends at the first key seen again.
	var seen map[string]bool
	for {
		var to pgtype.Text
		err := s.pool.QueryRow(ctx, s.q.delete, key).Scan(&to)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return s.fail(ctx, "delete", err)
		}
		if !to.Valid {
			return nil
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		if seen[to.String] {
			return nil
		}
		seen[key] = true
		key = to.String
	}
}

// UserSessions returns the live sessions of user, oldest first. The index on
// user_name makes it one index scan; "" (anonymous) has no sessions.
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if user == "" {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, s.q.user, user)
	if err != nil {
		return nil, s.fail(ctx, "list", err)
	}
	entries, err := collect(rows, nil)
	if err != nil {
		return nil, s.fail(ctx, "list", err)
	}
	return entries, nil
}

// rangePage is how many rows Range reads per query.
const rangePage = 500

// Range calls fn for every live record, in key order, reading the table a page at a
// time so that fn may itself use the store.
func (s *Store) Range(ctx context.Context, fn func(key string, rec session.Record) error) error {
	after := ""
	page := make([]session.Entry, 0, rangePage)
	for {
		rows, err := s.pool.Query(ctx, s.q.rng, after, rangePage)
		if err != nil {
			return s.fail(ctx, "list", err)
		}
		page, err = collect(rows, page[:0])
		if err != nil {
			return s.fail(ctx, "list", err)
		}
		for _, e := range page {
			if err := fn(e.Key, e.Record); err != nil {
				return err
			}
		}
		if len(page) < rangePage {
			return nil
		}
		after = page[len(page)-1].Key
		if err := ctx.Err(); err != nil {
			return s.fail(ctx, "list", err)
		}
	}
}

// collect reads every row of rows into dst.
func collect(rows pgx.Rows, dst []session.Entry) ([]session.Entry, error) {
	defer rows.Close()
	for rows.Next() {
		var e session.Entry
		if err := scanEntry(rows, &e); err != nil {
			return nil, err
		}
		dst = append(dst, e)
	}
	return dst, rows.Err()
}

// scanEntry reads one row of the columns list into e.
func scanEntry(row pgx.Row, e *session.Entry) error {
	var (
		data     []byte
		raw      []byte
		idle     int64
		absolute pgtype.Timestamptz
		user     pgtype.Text
		m        = &e.Record.Meta
	)
	if err := row.Scan(&e.Key, &data, &raw, &m.Created, &m.Touched, &idle, &absolute, &user); err != nil {
		return err
	}
	m.Idle = time.Duration(idle)
	m.Absolute = absolute.Time // zero when NULL
	m.User = user.String       // "" when NULL
	values, err := decodeValues(data, raw)
	if err != nil {
		return err
	}
	e.Record.Values = values
	return nil
}

// timestamptz maps the zero time ("no deadline") to NULL.
func timestamptz(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}
}

// text maps "" (anonymous) to NULL, which the partial user_name index leaves out.
func text(s string) pgtype.Text {
	return pgtype.Text{String: s, Valid: s != ""}
}
