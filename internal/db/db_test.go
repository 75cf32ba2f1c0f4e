package db

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"
)

// open returns a fresh database in a temporary directory, closed when the
// test ends, and its file name.
func open(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	d, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d, path
}

func TestOpenPragmas(t *testing.T) {
	d, path := open(t)
	ctx := context.Background()
	if err := d.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("database file %s not created: %v", path, err)
	}
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			var got string
			if err := d.W.GetContext(ctx, &got, "PRAGMA "+tt.pragma); err != nil {
				t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
			}
			if strings.ToLower(got) != tt.want {
				t.Errorf("PRAGMA %s = %q, want %q", tt.pragma, got, tt.want)
			}
		})
	}
	// The readers are set up the same way and, on top, refuse writes.
	for _, tt := range append(tests, struct{ pragma, want string }{"query_only", "1"}) {
		var got string
		if err := d.R.GetContext(ctx, &got, "PRAGMA "+tt.pragma); err != nil {
			t.Fatalf("reader PRAGMA %s: %v", tt.pragma, err)
		}
		if strings.ToLower(got) != tt.want {
			t.Errorf("reader PRAGMA %s = %q, want %q", tt.pragma, got, tt.want)
		}
	}
}

func TestReadPoolRefusesWrites(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE t (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO t (v) VALUES (1)`,
		`CREATE TABLE u (v INTEGER)`,
		`DELETE FROM t`,
	} {
		if _, err := d.R.ExecContext(ctx, stmt); err == nil {
			t.Errorf("reader ran %q; want it refused", stmt)
		}
	}
	// The writer still can, and the readers see what it wrote.
	if _, err := d.W.ExecContext(ctx, `INSERT INTO t (v) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := d.R.GetContext(ctx, &v, `SELECT v FROM t`); err != nil || v != 7 {
		t.Fatalf("reader got %d, %v; want 7", v, err)
	}
}

type applied struct {
	Package string `db:"package"`
	Version int    `db:"version"`
	Name    string `db:"name"`
}

func records(t *testing.T, d *DB) []applied {
	t.Helper()
	var as []applied
	err := d.R.Select(&as, `SELECT package, version, name FROM schema_migrations ORDER BY package, version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return as
}

func tableExists(t *testing.T, d *DB, name string) bool {
	t.Helper()
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestMigrateOrderAndIdempotence(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	// Listed out of order, and 10 sorts before 2 as text: each migration
	// only works after the one before it.
	fsys := fstest.MapFS{
		"010_third.sql":  {Data: []byte(`INSERT INTO log (step) VALUES ('third');`)},
		"002_second.sql": {Data: []byte(`ALTER TABLE log ADD COLUMN note TEXT; INSERT INTO log (step) VALUES ('second');`)},
		"001_first.sql":  {Data: []byte(`CREATE TABLE log (id INTEGER PRIMARY KEY, step TEXT NOT NULL);`)},
		"README.md":      {Data: []byte(`not a migration`)},
	}
	other := fstest.MapFS{
		"001_other.sql": {Data: []byte(`INSERT INTO log (step) VALUES ('other');`)},
	}
	sets := []Migrations{{Package: "a", FS: fsys}, {Package: "b", FS: other}}
	if err := d.Migrate(ctx, sets...); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	var steps []string
	if err := d.R.Select(&steps, `SELECT step FROM log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(steps, ","), "second,third,other"; got != want {
		t.Errorf("steps = %s, want %s", got, want)
	}
	want := []applied{
		{"a", 1, "001_first.sql"}, {"a", 2, "002_second.sql"}, {"a", 10, "010_third.sql"},
		{"b", 1, "001_other.sql"},
	}
	got := records(t, d)
	if len(got) != len(want) {
		t.Fatalf("schema_migrations = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("schema_migrations[%d] = %v, want %v", i, got[i], want[i])
		}
	}

	// A second run applies nothing: the inserts would add rows again.
	if err := d.Migrate(ctx, sets...); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM log`); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("after second run log has %d rows, want 3", n)
	}
	if got := records(t, d); len(got) != len(want) {
		t.Errorf("after second run schema_migrations = %v", got)
	}

	// A later file added to a set is applied on its own.
	fsys["011_fourth.sql"] = &fstest.MapFile{Data: []byte(`INSERT INTO log (step) VALUES ('fourth');`)}
	if err := d.Migrate(ctx, sets...); err != nil {
		t.Fatalf("third Migrate: %v", err)
	}
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM log`); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("after adding a file log has %d rows, want 4", n)
	}
}

func TestMigrateRejectsBadSets(t *testing.T) {
	tests := []struct {
		name    string
		fs      fstest.MapFS
		wantErr []string // substrings of the error
	}{
		{
			name: "no number",
			fs: fstest.MapFS{
				"001_ok.sql":    {Data: []byte(`CREATE TABLE ok (v INTEGER);`)},
				"init_more.sql": {Data: []byte(`CREATE TABLE more (v INTEGER);`)},
			},
			wantErr: []string{"pkg", "init_more.sql", "must start with a number"},
		},
		{
			name: "no underscore",
			fs: fstest.MapFS{
				"001.sql": {Data: []byte(`CREATE TABLE ok (v INTEGER);`)},
			},
			wantErr: []string{"pkg", "001.sql", "must start with a number"},
		},
		{
			name: "duplicate version",
			fs: fstest.MapFS{
				"001_ok.sql":   {Data: []byte(`CREATE TABLE ok (v INTEGER);`)},
				"1_again.sql":  {Data: []byte(`CREATE TABLE again (v INTEGER);`)},
				"002_more.sql": {Data: []byte(`CREATE TABLE more (v INTEGER);`)},
			},
			wantErr: []string{"pkg", "001_ok.sql", "1_again.sql", "share version 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := open(t)
			err := d.Migrate(context.Background(), Migrations{Package: "pkg", FS: tt.fs})
			if err == nil {
				t.Fatal("Migrate succeeded; want an error")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			// The set is checked before anything in it is applied.
			if got := records(t, d); len(got) != 0 {
				t.Errorf("schema_migrations = %v, want empty", got)
			}
			for _, table := range []string{"ok", "again", "more"} {
				if tableExists(t, d, table) {
					t.Errorf("table %s created by a rejected set", table)
				}
			}
		})
	}
}

func TestMigrateFailureRollsBack(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	fsys := fstest.MapFS{
		"001_good.sql": {Data: []byte(`CREATE TABLE good (v INTEGER);`)},
		// The first two statements work; the third does not. None of it
		// may stay.
		"002_bad.sql": {Data: []byte(`CREATE TABLE half (v INTEGER);
			INSERT INTO good (v) VALUES (1);
			INSERT INTO no_such_table (v) VALUES (1);`)},
		"003_later.sql": {Data: []byte(`CREATE TABLE later (v INTEGER);`)},
	}
	err := d.Migrate(ctx, Migrations{Package: "pkg", FS: fsys})
	if err == nil {
		t.Fatal("Migrate succeeded; want the error of 002_bad.sql")
	}
	if !strings.Contains(err.Error(), "002_bad.sql") {
		t.Errorf("error %q does not name the failing file", err)
	}
	want := []applied{{"pkg", 1, "001_good.sql"}}
	if got := records(t, d); len(got) != 1 || got[0] != want[0] {
		t.Errorf("schema_migrations = %v, want %v", got, want)
	}
	if !tableExists(t, d, "good") {
		t.Error("migration 001 was lost")
	}
	if tableExists(t, d, "half") {
		t.Error("table half of the failed migration was kept")
	}
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM good`); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("good has %d rows from the failed migration, want 0", n)
	}
	if tableExists(t, d, "later") {
		t.Error("migration after the failed one was applied")
	}

	// Once fixed, the migration and those after it apply.
	fsys["002_bad.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE half (v INTEGER);`)}
	if err := d.Migrate(ctx, Migrations{Package: "pkg", FS: fsys}); err != nil {
		t.Fatalf("Migrate after fix: %v", err)
	}
	if got := records(t, d); len(got) != 3 {
		t.Errorf("schema_migrations = %v, want 3 rows", got)
	}
}

func TestTx(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE t (v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := d.R.Get(&n, `SELECT COUNT(*) FROM t`); err != nil {
			t.Fatal(err)
		}
		return n
	}

	errStop := errors.New("stop")
	err := d.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1), (2)`); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Tx = %v, want fn's error", err)
	}
	if n := count(); n != 0 {
		t.Errorf("after a failed Tx t has %d rows, want 0", n)
	}

	calls := 0
	err = d.Tx(ctx, func(tx *sqlx.Tx) error {
		calls++
		_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (1), (2)`)
		return err
	})
	if err != nil {
		t.Fatalf("Tx: %v", err)
	}
	if calls != 1 {
		t.Errorf("fn ran %d times, want 1", calls)
	}
	if n := count(); n != 2 {
		t.Errorf("after a committed Tx t has %d rows, want 2", n)
	}
}

func TestBackup(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names := []string{"绵阳市科协", "成都市科协", "德阳市科协"}
	for _, n := range names {
		if _, err := d.W.ExecContext(ctx, `INSERT INTO t (name) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := d.Backup(ctx, dest); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	// The source stays open and usable.
	if _, err := d.W.ExecContext(ctx, `INSERT INTO t (name) VALUES ('after')`); err != nil {
		t.Fatalf("write after backup: %v", err)
	}

	b, err := Open(dest, Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	var got []string
	if err := b.R.Select(&got, `SELECT name FROM t ORDER BY id`); err != nil {
		t.Fatalf("read backup: %v", err)
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("backup holds %v, want %v", got, names)
	}
	var check string
	if err := b.R.Get(&check, `PRAGMA integrity_check`); err != nil || check != "ok" {
		t.Errorf("backup integrity_check = %q, %v", check, err)
	}

	// An existing file is not overwritten.
	if err := d.Backup(ctx, dest); err == nil {
		t.Error("Backup over an existing file succeeded")
	}
	if err := d.Backup(ctx, "bad\x00name"); err == nil {
		t.Error("Backup to a name with NUL succeeded")
	}
}

func TestConstraintErrors(t *testing.T) {
	d, _ := open(t)
	ctx := context.Background()
	_, err := d.W.ExecContext(ctx, `
		CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
		CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
		INSERT INTO parent (id, name) VALUES (1, 'a');`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		stmt       string
		unique, fk bool
	}{
		{"unique column", `INSERT INTO parent (id, name) VALUES (2, 'a')`, true, false},
		{"primary key", `INSERT INTO parent (id, name) VALUES (1, 'b')`, true, false},
		{"foreign key", `INSERT INTO child (parent_id) VALUES (99)`, false, true},
		{"delete referenced row", `DELETE FROM parent WHERE id = 1`, false, false},
		{"not null", `INSERT INTO parent (id, name) VALUES (3, NULL)`, false, false},
		{"syntax", `INSERT INTO`, false, false},
	}
	if _, err := d.W.ExecContext(ctx, `INSERT INTO child (parent_id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	tests[3].fk = true // parent 1 now has a child
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Through Tx, as the stores do, and wrapped, as they report it.
			err := d.Tx(ctx, func(tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, tt.stmt)
				return err
			})
			if err == nil {
				t.Fatalf("%s succeeded; want a constraint error", tt.stmt)
			}
			wrapped := errors.Join(errors.New("context"), err)
			if got := IsUnique(wrapped); got != tt.unique {
				t.Errorf("IsUnique(%v) = %v, want %v", err, got, tt.unique)
			}
			if got := IsForeignKey(wrapped); got != tt.fk {
				t.Errorf("IsForeignKey(%v) = %v, want %v", err, got, tt.fk)
			}
			if IsBusy(err) {
				t.Errorf("IsBusy(%v) = true", err)
			}
		})
	}
	for _, err := range []error{nil, errors.New("UNIQUE constraint failed")} {
		if IsUnique(err) || IsForeignKey(err) || IsBusy(err) {
			t.Errorf("%v recognised as a SQLite error", err)
		}
	}
}

// TxUnsynced commits without syncing, and the write connection goes back
// to synchronous=FULL for everything else.
func TestTxUnsyncedAndSyncCommitted(t *testing.T) {
	d, path := open(t)
	ctx := context.Background()
	d.W.MustExec(`CREATE TABLE t (v INTEGER)`)
	var during int
	err := d.TxUnsynced(ctx, func(tx *sqlx.Tx) error {
		if err := tx.Get(&during, `PRAGMA synchronous`); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO t (v) VALUES (1)`)
		return err
	})
	if err != nil {
		t.Fatalf("TxUnsynced: %v", err)
	}
	if during != 1 {
		t.Errorf("synchronous inside TxUnsynced = %d, want 1 (NORMAL)", during)
	}
	var after int
	if err := d.W.Get(&after, `PRAGMA synchronous`); err != nil || after != 2 {
		t.Errorf("synchronous after TxUnsynced = %d (%v), want 2 (FULL)", after, err)
	}
	// A failing transaction stores nothing and also restores FULL.
	boom := errors.New("boom")
	err = d.TxUnsynced(ctx, func(tx *sqlx.Tx) error {
		tx.MustExec(`INSERT INTO t (v) VALUES (2)`)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("TxUnsynced error = %v, want boom", err)
	}
	var n int
	d.R.Get(&n, `SELECT COUNT(*) FROM t`)
	if n != 1 {
		t.Errorf("%d rows after a failed TxUnsynced, want 1", n)
	}
	if err := d.W.Get(&after, `PRAGMA synchronous`); err != nil || after != 2 {
		t.Errorf("synchronous after failed TxUnsynced = %d (%v), want 2", after, err)
	}
	if err := d.SyncCommitted(); err != nil {
		t.Errorf("SyncCommitted: %v", err)
	}
	// With the log checkpointed away the database file itself is synced.
	d.W.MustExec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	os.Remove(path + "-wal")
	if err := d.SyncCommitted(); err != nil {
		t.Errorf("SyncCommitted without a log: %v", err)
	}
}
