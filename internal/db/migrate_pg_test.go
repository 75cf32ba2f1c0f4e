package db_test

import (
	"context"
	"sync"
	"testing"
	"testing/fstest"

	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// Instances that start together on one PostgreSQL database migrate once:
// the advisory lock makes them take turns, and the later ones find every
// migration recorded. Without it, two would both create the same table and
// one would fail to start.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	needPostgres(t)
	dsn := dbtest.DSN(t)
	slow := fstest.MapFS{
		"001_table.sql": {Data: []byte(`CREATE TABLE log (id INTEGER PRIMARY KEY, step TEXT NOT NULL);
			SELECT pg_sleep(0.2);`)},
		"002_row.sql": {Data: []byte(`INSERT INTO log (step) VALUES ('once');`)},
	}
	const instances = 4
	handles := make([]*db.DB, instances)
	for i := range handles {
		handles[i] = openDSN(t, dsn)
	}
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i, d := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.Migrate(context.Background(), db.Migrations{Package: "p", FS: slow})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	var rows, recorded int
	handles[0].R.Get(&rows, `SELECT COUNT(*) FROM log`)
	handles[0].R.Get(&recorded, `SELECT COUNT(*) FROM schema_migrations WHERE package = 'p'`)
	if rows != 1 || recorded != 2 {
		t.Errorf("%d rows and %d migrations recorded, want 1 and 2", rows, recorded)
	}
}
