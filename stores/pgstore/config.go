package pgstore

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/problem"
)

// DefaultTable is the table a Store uses when Config.Table is empty.
const DefaultTable = "sesame_sessions"

// DefaultCleanupInterval is how often expired rows are deleted when
// Config.CleanupInterval is zero.
const DefaultCleanupInterval = 5 * time.Minute

// maxTableName leaves room for the "_user_name_idx" suffix of the index names within
// PostgreSQL's 63-byte identifier limit (NAMEDATALEN-1): a longer name would be
// truncated, and two truncated index names could collide.
const maxTableName = 48

// Config describes a Store. The zero value of every field but Pool is usable.
type Config struct {
	// Pool is the connection pool the store runs its queries on. Required. The
	// store never closes it: the pool belongs to the caller.
	Pool *pgxpool.Pool

	// Table is the table that holds the sessions. Default "sesame_sessions". At
	// most 48 bytes, so that the names of its indexes fit PostgreSQL's limit.
	Table string

	// Schema is the schema the table lives in. Default "": the first schema of the
	// connection's search_path (usually "public"). Migrate does not create it.
	Schema string

	// CleanupInterval is how often a background goroutine deletes expired rows.
	// Default (zero) 5 minutes; negative: no goroutine, call Cleanup yourself (from
	// a cron job, for example). Expired rows are never returned either way; the
	// cleanup only reclaims their space. However many instances share the table,
	// one round runs at a time (see Cleanup).
	CleanupInterval time.Duration

	// Logger receives the errors of background cleanup rounds. Default
	// slog.Default().
	Logger *slog.Logger
}

// validate returns every problem of c at once, as *problem.Problem values.
func (c Config) validate() error {
	var errs []error
	if c.Pool == nil {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"pgstore: Config.Pool is nil",
			"create a pool with pgxpool.New(ctx, url) and pass it in Config.Pool"))
	}
	if err := checkName("Table", c.Table, maxTableName); err != nil {
		errs = append(errs, err)
	}
	if c.Schema != "" {
		if err := checkName("Schema", c.Schema, 63); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkName rejects names PostgreSQL would refuse or silently truncate. Any other
// character is allowed: the store always quotes identifiers.
func checkName(field, name string, max int) error {
	switch {
	case len(name) > max:
		return problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("pgstore: Config.%s %q is %d bytes long, longer than %d", field, name, len(name), max),
			"choose a shorter name")
	case strings.ContainsRune(name, 0):
		return problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("pgstore: Config.%s %q contains a NUL byte", field, name), "remove it")
	}
	return nil
}
