// Package dbtest opens a real, migrated database for tests: a SQLite file
// in the test's temporary directory, or, when HUIZHAN_TEST_POSTGRES names a
// PostgreSQL server, a schema of its own on that server, so that the same
// store and handler tests run against both.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"huizhan/internal/audit"
	"huizhan/internal/db"
)

// PostgresEnv names the variable holding the PostgreSQL server's URL.
const PostgresEnv = "HUIZHAN_TEST_POSTGRES"

// Open returns a database with the given migration sets applied, closed
// when the test ends. The audit trail's table is always there: every
// package records its writes in it, as it does in the real database.
func Open(t testing.TB, sets ...db.Migrations) *db.DB {
	t.Helper()
	if !slices.ContainsFunc(sets, func(m db.Migrations) bool { return m.Package == "audit" }) {
		sets = append(sets, audit.Migrations())
	}
	d, err := db.Open(DSN(t), db.Options{})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background(), sets...); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return d
}

// DSN is what db.Open takes for a fresh, empty database of this test: a
// file name, or a PostgreSQL URL whose search path is a new schema,
// dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	dsn, drop, err := db.ScratchSchema(context.Background(), server, "t")
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	t.Cleanup(drop)
	return dsn
}
