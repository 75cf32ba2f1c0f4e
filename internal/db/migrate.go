package db

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Migrations is one package's embedded schema history: files named
// NNN_description.sql in the root of FS, applied in numeric order.
//
// Each package numbers its own files, so two packages can add migrations
// without coordinating; the record table keys on (package, version). That is
// why this is a few lines of our own rather than goose or golang-migrate,
// which keep one global sequence.
type Migrations struct {
	Package string
	FS      fs.FS
}

type migration struct {
	version int
	name    string
	sql     string
}

// Migrate applies every migration not yet recorded, each in its own
// transaction, in the order the sets are given and then by version.
func (d *DB) Migrate(ctx context.Context, sets ...Migrations) error {
	const ddl = `CREATE TABLE IF NOT EXISTS schema_migrations (
		package    TEXT NOT NULL,
		version    INTEGER NOT NULL,
		name       TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL,
		PRIMARY KEY (package, version))`
	if _, err := d.W.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("migrate: create record table: %w", err)
	}
	for _, set := range sets {
		ms, err := load(set)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := d.apply(ctx, set.Package, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func load(set Migrations) ([]migration, error) {
	names, err := fs.Glob(set.FS, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate %s: list: %w", set.Package, err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		num, _, ok := strings.Cut(path.Base(name), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migrate %s: %s: name must start with a number and '_'", set.Package, name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrate %s: %s and %s share version %d", set.Package, other, name, v)
		}
		seen[v] = name
		b, err := fs.ReadFile(set.FS, name)
		if err != nil {
			return nil, fmt.Errorf("migrate %s: read %s: %w", set.Package, name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

func (d *DB) apply(ctx context.Context, pkg string, m migration) error {
	return d.Tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		err := tx.GetContext(ctx, &n,
			`SELECT COUNT(*) FROM schema_migrations WHERE package = ? AND version = ?`, pkg, m.version)
		if err != nil {
			return fmt.Errorf("migrate %s: check %s: %w", pkg, m.name, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %s: apply %s: %w", pkg, m.name, err)
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO schema_migrations (package, version, name, applied_at) VALUES (?, ?, ?, ?)`,
			pkg, m.version, m.name, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("migrate %s: record %s: %w", pkg, m.name, err)
		}
		return nil
	})
}
