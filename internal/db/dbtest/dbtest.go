// Package dbtest opens a real, migrated SQLite database for tests.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"huizhan/internal/db"
)

// Open returns a database in t.TempDir() with the given migration sets
// applied, closed when the test ends.
func Open(t testing.TB, sets ...db.Migrations) *db.DB {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "test.db"), db.Options{})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background(), sets...); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return d
}
