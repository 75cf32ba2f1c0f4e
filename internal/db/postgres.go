package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// IsPostgresURL reports whether dsn names a PostgreSQL server rather than
// a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres opens two pools on a PostgreSQL server through pgx's
// database/sql driver: W for everything, and R whose transactions are
// read-only, so that a read path that writes fails in tests on either
// database.
func openPostgres(url string, opt Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	open := func(readOnly bool, conns int) (*sqlx.DB, error) {
		c := cfg.Copy()
		if readOnly {
			c.RuntimeParams["default_transaction_read_only"] = "on"
		}
		// Every query in the code base is written with '?' placeholders,
		// as SQLite takes them; the connector renumbers them for
		// PostgreSQL, so each query is written once.
		pool := sql.OpenDB(rebindConnector{stdlib.GetConnector(*c)})
		pool.SetMaxOpenConns(conns)
		pool.SetMaxIdleConns(conns)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		if err := pool.Ping(); err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres %s@%s/%s: %w", cfg.User, cfg.Host, cfg.Database, err)
		}
		return sqlx.NewDb(pool, "pgx"), nil
	}
	w, err := open(false, max(8, 2*opt.Readers))
	if err != nil {
		return nil, err
	}
	r, err := open(true, max(8, 2*opt.Readers))
	if err != nil {
		w.Close()
		return nil, err
	}
	return &DB{W: w, R: r, dialect: Postgres, url: url}, nil
}

// rebindConnector hands out connections that renumber '?' placeholders.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

// rebindConn is pgx's connection with every query renumbered; embedding
// keeps every other interface pgx implements (named value checks, session
// reset, ping).
type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(Rebind(query))
}

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}

// Rebind turns '?' placeholders into PostgreSQL's $1, $2, ... It leaves
// alone question marks in string literals, quoted names, comments and
// dollar-quoted bodies.
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case ch == '\'' || ch == '"':
			end := strings.IndexByte(query[i+1:], ch)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case ch == '-' && strings.HasPrefix(query[i:], "--"):
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case ch == '/' && strings.HasPrefix(query[i:], "/*"):
			end := strings.Index(query[i:], "*/")
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case ch == '$' && strings.HasPrefix(query[i:], "$$"):
			end := strings.Index(query[i+2:], "$$")
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+4])
			i += end + 3
		case ch == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// pgCode is the SQLSTATE of a PostgreSQL error, "" for other errors.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// PostgreSQL error codes this package tells apart.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)
