package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// demoFile is a SQLite file holding the demo data, as "huizhan demo" makes it.
func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "event.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "-db", path}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	return path
}

// TestMigrateData moves the demo event from SQLite into PostgreSQL and
// checks every table arrived whole, that new rows are numbered after the
// copied ones, and that a second run into the now full database refuses.
func TestMigrateData(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) == "" {
		t.Skip("needs a PostgreSQL server: set " + dbtest.PostgresEnv)
	}
	ctx := context.Background()
	path := demoFile(t)
	target := dbtest.DSN(t)
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate-data", "-from", "sqlite:" + path, "-to", target}, nil, &out, &out); err != nil {
		t.Fatalf("migrate-data: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "row counts match") {
		t.Errorf("output lacks the verification: %s", out.String())
	}

	src, err := db.Open(path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := db.Open(target, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	tables := copiedTables(t, src)
	for _, must := range []string{"editions", "delegations", "projects", "users", "attendees", "pairings"} {
		if !slices.Contains(tables, must) {
			t.Errorf("table %s was not copied (copied: %v)", must, tables)
		}
	}
	pgTables, err := targetColumns(ctx, dst.R)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		var want, got int
		if err := src.R.Get(&want, `SELECT COUNT(*) FROM `+quoteIdent(table)); err != nil {
			t.Fatal(err)
		}
		if pgTables[table] == nil {
			if want != 0 {
				t.Errorf("%s: %d rows in SQLite, no such table in PostgreSQL", table, want)
			}
			continue
		}
		if err := dst.R.Get(&got, `SELECT COUNT(*) FROM `+quoteIdent(table)); err != nil {
			t.Fatalf("count %s in the target: %v", table, err)
		}
		if got != want {
			t.Errorf("%s: %d rows in PostgreSQL, %d in SQLite", table, got, want)
		}
	}
	checkSameEditions(t, src, dst)

	// A new edition gets an ID above the copied ones.
	var maxID int64
	if err := dst.R.Get(&maxID, `SELECT MAX(id) FROM editions`); err != nil {
		t.Fatal(err)
	}
	e, err := conference.NewStore(dst).CreateEdition(ctx, conference.EditionInput{Number: 9, Name: "第九届", Year: 2030,
		StartsOn: mustParse(t, "2030-01-16"), EndsOn: mustParse(t, "2030-01-17"), City: "成都"})
	if err != nil {
		t.Fatalf("create an edition after the copy: %v", err)
	}
	if e.ID <= maxID {
		t.Errorf("new edition has ID %d, not above the copied %d", e.ID, maxID)
	}

	err = run(ctx, []string{"migrate-data", "-from", path, "-to", target}, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second run into a full database: %v", err)
	}
}

// copiedTables lists the tables migrate-data copies from src.
func copiedTables(t *testing.T, src *db.DB) []string {
	t.Helper()
	tx, err := src.R.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	list, err := sourceTables(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.name)
	}
	return names
}

// checkSameEditions compares the editions field by field: times and
// dates survive the change of types.
func checkSameEditions(t *testing.T, src, dst *db.DB) {
	t.Helper()
	ctx := context.Background()
	a, _, err := conference.NewStore(src).Editions(ctx, web.Paging{Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := conference.NewStore(dst).Editions(ctx, web.Paging{Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d editions in PostgreSQL, %d in SQLite", len(b), len(a))
	}
	for i := range a {
		// PostgreSQL keeps microseconds, SQLite's text nanoseconds.
		if a[i].ID != b[i].ID || a[i].Name != b[i].Name || a[i].StartsOn != b[i].StartsOn ||
			a[i].CreatedAt.Sub(b[i].CreatedAt).Abs() >= time.Microsecond ||
			(a[i].SelectedQuota == nil) != (b[i].SelectedQuota == nil) ||
			(a[i].SelectedQuota != nil && *a[i].SelectedQuota != *b[i].SelectedQuota) {
			t.Errorf("edition %d differs:\nSQLite     %+v\nPostgreSQL %+v", a[i].ID, a[i], b[i])
		}
	}
}

// TestMigrateDataOrder: on the demo file, every table comes after the
// tables its foreign keys name, and the search index's tables and the
// migration record are left out.
func TestMigrateDataOrder(t *testing.T) {
	src, err := db.Open(demoFile(t), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tables := copiedTables(t, src)
	pos := map[string]int{}
	for i, name := range tables {
		pos[name] = i
		if name == "projects_fts" || strings.HasPrefix(name, "projects_fts_terms") || name == "schema_migrations" || strings.HasPrefix(name, "sqlite_") {
			t.Errorf("%s is copied", name)
		}
	}
	for _, child := range tables {
		var parents []string
		if err := src.R.Select(&parents, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, child); err != nil {
			t.Fatal(err)
		}
		for _, p := range parents {
			if pos[p] > pos[child] {
				t.Errorf("%s is copied before %s, which it refers to", child, p)
			}
		}
	}
}

func TestMigrateDataRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-to", "postgres://x@127.0.0.1:1/x"}, "-from and -to are required"},
		{[]string{"-from", "postgres://x@127.0.0.1:1/x", "-to", "postgres://x@127.0.0.1:1/x"}, "-from is a SQLite file"},
		{[]string{"-from", "a.db", "-to", "b.db"}, "-to is a postgres:// URL"},
		{[]string{"-from", "sqlite:" + filepath.Join(t.TempDir(), "missing.db"), "-to", "postgres://x@127.0.0.1:1/x"}, "no database at"},
	} {
		var out bytes.Buffer
		err := run(ctx, append([]string{"migrate-data"}, tc.args...), nil, &out, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestConvertValue(t *testing.T) {
	at := time.Date(2024, 1, 18, 1, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		in     any
		pgType string
		want   any
	}{
		{nil, "bigint", nil},
		{int64(1), "boolean", true},
		{int64(0), "boolean", false},
		{true, "boolean", true},
		{"2024-01-18 09:30:00+08:00", "timestamp with time zone", at},
		{"2024-01-18T01:30:00Z", "timestamp with time zone", at},
		{at.In(time.FixedZone("CST", 8*3600)), "timestamp with time zone", at},
		{at, "date", "2024-01-18"},
		{"2024-01-18", "date", "2024-01-18"},
		{float64(3), "bigint", int64(3)},
		{"42", "bigint", int64(42)},
		{int64(2), "double precision", float64(2)},
		{[]byte("绵阳"), "text", "绵阳"},
		{int64(7), "text", "7"},
		{"x", "bytea", []byte("x")},
	} {
		got, err := convertValue(tc.in, tc.pgType)
		if err != nil {
			t.Errorf("%v as %s: %v", tc.in, tc.pgType, err)
			continue
		}
		if g, ok := got.(time.Time); ok {
			if !g.Equal(tc.want.(time.Time)) || g.Location() != time.UTC {
				t.Errorf("%v as %s = %v, want %v in UTC", tc.in, tc.pgType, g, tc.want)
			}
			continue
		}
		if gb, ok := got.([]byte); ok {
			if string(gb) != string(tc.want.([]byte)) {
				t.Errorf("%v as %s = %q", tc.in, tc.pgType, gb)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%v as %s = %#v, want %#v", tc.in, tc.pgType, got, tc.want)
		}
	}
	for _, bad := range []struct {
		in     any
		pgType string
	}{{"yes please", "boolean"}, {"soon", "timestamp with time zone"}, {1.5, "bigint"}, {"x", "double precision"}} {
		if _, err := convertValue(bad.in, bad.pgType); err == nil {
			t.Errorf("%v as %s: no error", bad.in, bad.pgType)
		}
	}
}
