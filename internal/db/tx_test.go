package db

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// TestPanicInTxReleasesTheWriter: a panic inside a transaction rolls it
// back, so the one write connection is free for the next write.
func TestPanicInTxReleasesTheWriter(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := t.Context()
	if _, err := d.W.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() { recover() }()
		d.Tx(ctx, func(tx *sqlx.Tx) error {
			tx.MustExec(`INSERT INTO t VALUES (1)`)
			panic("boom")
		})
	}()
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := d.Tx(wctx, func(tx *sqlx.Tx) error {
		_, err := tx.Exec(`INSERT INTO t VALUES (2)`)
		return err
	}); err != nil {
		t.Fatalf("a write after the panic: %v", err)
	}
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM t`); err != nil || n != 1 {
		t.Errorf("%d rows (%v), want only the second write", n, err)
	}
}
