package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/db"
)

// cmdMigrateData moves an event from a SQLite file into PostgreSQL:
//
//	huizhan migrate-data -from sqlite:PATH -to postgres://...
//
// Both databases are brought up to the schema of this binary, then every
// row is copied in one PostgreSQL transaction: either the whole event
// arrives, or nothing does and the command can be run again.
func cmdMigrateData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate-data -from sqlite:PATH -to postgres://...", stderr,
		"Copy every table of a SQLite database into an empty PostgreSQL database, in one transaction.\n"+
			"Stop the server on the SQLite file first. Both databases are migrated to this version's schema\n"+
			"first (as serve would); the copy then refuses a target that already holds data.")
	from := fs.String("from", "", "the SQLite file to read: sqlite:PATH or PATH")
	to := fs.String("to", "", "the PostgreSQL database to fill: postgres://USER@HOST:PORT/DB")
	if err := fs.Parse(args); err != nil {
		return err
	}
	path := strings.TrimPrefix(*from, "sqlite:")
	switch {
	case path == "" || *to == "":
		fs.Usage()
		return errors.New("migrate-data: -from and -to are required")
	case db.IsPostgresURL(path):
		return errors.New("migrate-data: -from is a SQLite file (sqlite:PATH)")
	case !db.IsPostgresURL(*to):
		return errors.New("migrate-data: -to is a postgres:// URL")
	}
	// openDB would create a missing file and copy nothing: a typo.
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("migrate-data: no database at %s", path)
	}
	src, err := openDB(ctx, path)
	if err != nil {
		return fmt.Errorf("migrate-data: source: %w", err)
	}
	defer src.Close()
	dst, err := openDB(ctx, *to)
	if err != nil {
		return fmt.Errorf("migrate-data: target: %w", err)
	}
	defer dst.Close()
	seeded, err := seededTables(migrations())
	if err != nil {
		return fmt.Errorf("migrate-data: %w", err)
	}
	m := &dataMover{src: src, dst: dst, seeded: seeded, out: stdout}
	if err := m.run(ctx); err != nil {
		return fmt.Errorf("migrate-data: %w", err)
	}
	return nil
}

// dataMover copies every table of a SQLite database into PostgreSQL.
type dataMover struct {
	src, dst *db.DB
	seeded   map[string]bool // tables the migrations fill themselves
	out      io.Writer
}

// sourceTable is one table to copy.
type sourceTable struct {
	name         string
	withoutRowID bool
}

func (m *dataMover) run(ctx context.Context) error {
	// One read transaction on the source: every table from the same
	// snapshot, even if someone writes to the file meanwhile.
	stx, err := m.src.R.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer stx.Rollback()
	tables, err := sourceTables(ctx, stx)
	if err != nil {
		return err
	}
	target, err := targetColumns(ctx, m.dst.W)
	if err != nil {
		return err
	}
	if err := m.checkEmpty(ctx, target); err != nil {
		return err
	}
	dtx, err := m.dst.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin target transaction: %w", err)
	}
	defer dtx.Rollback()
	total := 0
	for _, t := range tables {
		cols, ok := target[t.name]
		if !ok {
			if err := checkSQLiteOnly(ctx, stx, t.name); err != nil {
				return err
			}
			fmt.Fprintf(m.out, "%-28s %9s (SQLite's own, empty)\n", t.name, "-")
			continue
		}
		n, err := copyTable(ctx, stx, dtx, t, cols)
		if err != nil {
			return err
		}
		if err := verifyCount(ctx, stx, dtx, t.name, n); err != nil {
			return err
		}
		if err := resetIdentities(ctx, dtx, t.name, cols); err != nil {
			return err
		}
		fmt.Fprintf(m.out, "%-28s %9d rows\n", t.name, n)
		total += n
	}
	if err := dtx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	fmt.Fprintf(m.out, "copied %d rows in %d tables; row counts match; ID sequences continue after the copied IDs\n", total, len(tables))
	return nil
}

// checkEmpty refuses a target that holds data: copying into it would mix
// two events or collide on IDs. Rows the migrations put in (reference
// lists such as the industries) do not count; the copy replaces them with
// the source's.
func (m *dataMover) checkEmpty(ctx context.Context, target map[string]map[string]pgColumn) error {
	var full []string
	for table := range target {
		if table == "schema_migrations" || m.seeded[table] {
			continue
		}
		var has bool
		if err := m.dst.W.GetContext(ctx, &has, `SELECT EXISTS (SELECT 1 FROM `+quoteIdent(table)+`)`); err != nil {
			return fmt.Errorf("check target table %s: %w", table, err)
		}
		if has {
			full = append(full, table)
		}
	}
	if len(full) > 0 {
		slices.Sort(full)
		return fmt.Errorf("the target database is not empty (rows in %s); migrate into a new, empty database",
			strings.Join(full, ", "))
	}
	return nil
}

// sourceTables lists the tables to copy, parents before the tables whose
// foreign keys point at them, otherwise in the order the migrations made
// them. Left out: the migration record (the target has its own), SQLite's
// internal tables, and virtual tables with their shadow tables (the FTS5
// search index, which PostgreSQL replaces with a trigram index).
func sourceTables(ctx context.Context, tx *sqlx.Tx) ([]sourceTable, error) {
	var rows []struct {
		Name string `db:"name"`
		WR   bool   `db:"wr"`
	}
	err := tx.SelectContext(ctx, &rows, `
		SELECT m.name, l.wr FROM sqlite_master m
		JOIN pragma_table_list l ON l.name = m.name AND l.schema = 'main'
		WHERE m.type = 'table' AND l.type = 'table'
		  AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name <> 'schema_migrations'
		ORDER BY m.rowid`)
	if err != nil {
		return nil, fmt.Errorf("list source tables: %w", err)
	}
	deps := map[string][]string{}
	for _, r := range rows {
		var parents []string
		err := tx.SelectContext(ctx, &parents, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, r.Name)
		if err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", r.Name, err)
		}
		deps[r.Name] = parents
	}
	var order []sourceTable
	placed := map[string]bool{}
	for len(order) < len(rows) {
		progress := false
		for _, r := range rows {
			if placed[r.Name] || !parentsPlaced(r.Name, deps[r.Name], placed) {
				continue
			}
			order = append(order, sourceTable{name: r.Name, withoutRowID: r.WR})
			placed[r.Name] = true
			progress = true
		}
		if !progress {
			return nil, errors.New("the source's foreign keys form a cycle; cannot order the copy")
		}
	}
	return order, nil
}

// parentsPlaced reports whether every table that table refers to is
// already in the copy order (a reference to itself does not count).
func parentsPlaced(table string, parents []string, placed map[string]bool) bool {
	for _, p := range parents {
		if p != table && !placed[p] {
			return false
		}
	}
	return true
}

// checkSQLiteOnly accepts a source table the target lacks only while it
// is empty: such tables are SQLite's own machinery (the search index's
// bulk-load flag, which holds a row only inside a transaction). One with
// rows would be data left behind.
func checkSQLiteOnly(ctx context.Context, tx *sqlx.Tx, table string) error {
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+quoteIdent(table)); err != nil {
		return fmt.Errorf("count source %s: %w", table, err)
	}
	if n > 0 {
		return fmt.Errorf("table %s has %d rows in the source but no place in the target: are both on this version's schema?", table, n)
	}
	return nil
}

// seededTables names the tables a migration inserts rows into: reference
// data such as the industries, and tables that triggers maintain.
func seededTables(sets []db.Migrations) (map[string]bool, error) {
	insert := regexp.MustCompile(`(?i)\bINSERT\s+INTO\s+"?(\w+)`)
	seeded := map[string]bool{}
	for _, set := range sets {
		names, err := fs.Glob(set.FS, "*.sql")
		if err != nil {
			return nil, fmt.Errorf("migrations of %s: %w", set.Package, err)
		}
		for _, name := range names {
			b, err := fs.ReadFile(set.FS, name)
			if err != nil {
				return nil, fmt.Errorf("migrations of %s: %w", set.Package, err)
			}
			for _, m := range insert.FindAllStringSubmatch(string(b), -1) {
				seeded[strings.ToLower(m[1])] = true
			}
		}
	}
	return seeded, nil
}

// verifyCount checks that the target holds as many rows of table as the
// source, and as were copied.
func verifyCount(ctx context.Context, stx, dtx *sqlx.Tx, table string, copied int) error {
	var want, got int
	if err := stx.GetContext(ctx, &want, `SELECT COUNT(*) FROM `+quoteIdent(table)); err != nil {
		return fmt.Errorf("count source %s: %w", table, err)
	}
	if err := dtx.GetContext(ctx, &got, `SELECT COUNT(*) FROM `+quoteIdent(table)); err != nil {
		return fmt.Errorf("count target %s: %w", table, err)
	}
	if want != got || copied != got {
		return fmt.Errorf("table %s: the source has %d rows, %d were copied, the target has %d; nothing was committed",
			table, want, copied, got)
	}
	return nil
}

// resetIdentities moves each identity sequence of table past the copied
// IDs, so that the next row PostgreSQL numbers does not collide with one.
func resetIdentities(ctx context.Context, tx *sqlx.Tx, table string, cols map[string]pgColumn) error {
	for name, c := range cols {
		if !c.serial() {
			continue
		}
		// An empty table's sequence starts again at 1 (is_called false).
		q := `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(` + quoteIdent(name) + `), 1), MAX(` +
			quoteIdent(name) + `) IS NOT NULL) FROM ` + quoteIdent(table)
		if _, err := tx.ExecContext(ctx, q, quoteIdent(table), name); err != nil {
			return fmt.Errorf("reset the ID sequence of %s.%s: %w", table, name, err)
		}
	}
	return nil
}

// quoteIdent quotes a table or column name for SQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
