package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// DB holds the write handle and the read pool of one database.
type DB struct {
	W       *sqlx.DB // SQLite: one connection, every write goes through it
	R       *sqlx.DB // read-only pool
	dialect Dialect
	path    string // SQLite's file
	url     string // PostgreSQL's server
	bus     bus    // Notify and Listen (notify.go)
}

// Dialect is the SQL database behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

// Dialect says which database d is, for the few statements that must be
// written differently (search, string aggregation).
func (d *DB) Dialect() Dialect { return d.dialect }

// Options tune Open; the zero value is what production uses.
type Options struct {
	BusyTimeout time.Duration // how long a statement waits for a lock; default 5s
	Readers     int           // size of the read pool; default 2×CPUs, at least 4
}

// Open opens the database dsn names: a postgres:// URL, or the path of a
// SQLite file (created if needed; "sqlite:" in front is allowed).
func Open(dsn string, opt Options) (*DB, error) {
	if opt.BusyTimeout == 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.Readers == 0 {
		opt.Readers = max(4, 2*runtime.NumCPU())
	}
	if IsPostgresURL(dsn) {
		return openPostgres(dsn, opt)
	}
	return openSQLite(strings.TrimPrefix(dsn, "sqlite:"), opt)
}

func openSQLite(path string, opt Options) (*DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sqlx.Open("sqlite3", dsn(path, opt, false))
	if err != nil {
		return nil, fmt.Errorf("open %s for writing: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	// Ping creates the file and switches it to WAL before readers open it.
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sqlx.Open("sqlite3", dsn(path, opt, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(opt.Readers)
	r.SetMaxIdleConns(opt.Readers)
	return &DB{W: w, R: r, dialect: SQLite, path: path}, nil
}

// dsn builds the connection string. Every pragma lives here so that each
// connection in either pool is set up the same way.
func dsn(path string, opt Options, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	// FULL: anything a user was told was saved survives a power cut.
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", fmt.Sprint(opt.BusyTimeout.Milliseconds()))
	// 64 MiB of page cache per connection instead of SQLite's 2 MiB: the
	// indexes of a busy event (scans, the search index) outgrow 2 MiB within
	// hours, and every miss is a system call on the hot path.
	q.Set("_cache_size", "-65536")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		// Take the write lock at BEGIN so a transaction never has to
		// upgrade a read lock, which cannot wait on busy_timeout.
		q.Set("_txlock", "immediate")
	}
	// In a file: URI, '?' and '#' end the path and '%' starts an escape;
	// escape them so any file name opens the file it names.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
}

// Close stops listening for notifications and closes both handles.
func (d *DB) Close() error {
	d.bus.close()
	return errors.Join(d.R.Close(), d.W.Close())
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.GetContext(ctx, &one, "SELECT 1")
}

// Tx runs fn in a write transaction and commits it when fn returns nil.
// A transaction that failed because another process held the database
// (SQLITE_BUSY after the busy timeout) is retried a few times: the work is
// repeated from the start, so fn must not have effects outside the
// transaction.
//
// On PostgreSQL the transaction is SERIALIZABLE, as every SQLite
// transaction is, and one that failed on a serialization conflict or a
// deadlock is retried the same way.
func (d *DB) Tx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return retryBusy(ctx, func() error { return d.tx(ctx, fn) })
}

func retryBusy(ctx context.Context, try func() error) error {
	const attempts = 6
	var err error
	for i := range attempts {
		err = try()
		if err == nil || !IsBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(50*(i+1)) * time.Millisecond):
		}
	}
	return err
}

func (d *DB) tx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	var opts *sql.TxOptions
	if d.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	return runTx(ctx, d.W, opts, fn)
}

// beginner is a pool or one connection of it.
type beginner interface {
	BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error)
}

// runTx runs fn in a transaction begun on b, committing when fn returns
// nil and rolling back otherwise. The rollback is deferred, so a panic in
// fn also ends the transaction: on SQLite it holds the only write
// connection, and every later write would wait on it for ever. After a
// commit the deferred rollback does nothing (sql.ErrTxDone).
func runTx(ctx context.Context, b beginner, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	tx, err := b.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// TxUnsynced is Tx for group commit: its commit reaches the operating
// system but not necessarily the disk, and nobody may be told the work is
// saved until SyncCommitted has returned nil after it. One goroutine can
// then commit the next group while the last one is being synced, instead
// of the database waiting idle for every fsync.
//
// It runs on the write connection switched to synchronous=NORMAL for the
// one transaction; a connection that cannot be switched back to FULL is
// discarded, so no other transaction commits unsynced.
//
// PostgreSQL syncs its own log, grouping concurrent commits: there it is Tx.
func (d *DB) TxUnsynced(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if d.dialect == Postgres {
		return d.Tx(ctx, fn)
	}
	return retryBusy(ctx, func() error { return d.txUnsynced(ctx, fn) })
}

func (d *DB) txUnsynced(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	conn, err := d.W.Connx(ctx)
	if err != nil {
		return fmt.Errorf("write connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return fmt.Errorf("unsynced commit: %w", err)
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.Background(), "PRAGMA synchronous = FULL"); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, fmt.Errorf("restore synchronous commits: %w", rerr))
		}
	}()
	return runTx(ctx, conn, nil, fn)
}

// SyncCommitted makes every transaction committed before it was called
// durable, as synchronous=FULL would have: it fsyncs the write-ahead log,
// which holds every commit not yet checkpointed (a checkpoint syncs what it
// copies into the database file before the log is reused).
func (d *DB) SyncCommitted() error {
	if d.dialect == Postgres {
		return nil // Tx committed durably
	}
	f, err := os.Open(d.path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		// The log was checkpointed and removed: it is all in the file.
		f, err = os.Open(d.path)
	}
	if err != nil {
		return fmt.Errorf("sync commits: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync commits: %w", err)
	}
	return nil
}

// IsBusy reports whether err is SQLite's "database is locked", or
// PostgreSQL's serialization failure or deadlock: a transaction that
// failed so may be repeated.
func IsBusy(err error) bool {
	if c := pgCode(err); c != "" {
		return c == pgSerializationFailure || c == pgDeadlockDetected
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return false
}

// IsUnique reports whether err is a violated UNIQUE or PRIMARY KEY constraint.
func IsUnique(err error) bool {
	if c := pgCode(err); c != "" {
		return c == pgUniqueViolation
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique ||
			se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return false
}

// IsForeignKey reports whether err is a violated FOREIGN KEY constraint.
func IsForeignKey(err error) bool {
	if c := pgCode(err); c != "" {
		return c == pgForeignKeyViolation
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	return false
}

// Backup writes a consistent copy of the live database to dest with VACUUM
// INTO, which reads one snapshot while writers carry on.
//
// On PostgreSQL it refuses: pg_dump is the tool there (see docs/deploy.md).
func (d *DB) Backup(ctx context.Context, dest string) error {
	if d.dialect == Postgres {
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump (see docs/deploy.md)")
	}
	if strings.ContainsRune(dest, 0) {
		return errors.New("backup: bad file name")
	}
	// The copy holds every attendee's personal data: it is made empty and
	// private (0600) first, and VACUUM INTO fills an empty file. O_EXCL
	// keeps an existing file from being overwritten.
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	// VACUUM INTO writes a new file, which the query_only readers refuse;
	// it only holds a read snapshot of the source, so the writer handle
	// does not block other writers for long.
	if _, err := d.W.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

// createPrivate makes the database file with mode 0600 when it does not
// exist yet, before SQLite opens it: it holds names and phone numbers, and
// SQLite gives its WAL and shared-memory files the database file's mode.
func createPrivate(path string) error {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}
