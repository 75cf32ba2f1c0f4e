package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// pgColumn is what the copy needs to know of a target column.
type pgColumn struct {
	Table    string `db:"table_name"`
	Name     string `db:"column_name"`
	Type     string `db:"data_type"` // information_schema's name: "bigint", "timestamp with time zone", ...
	Identity string `db:"is_identity"`
	Default  string `db:"column_default"`
}

// serial reports whether PostgreSQL numbers the column from a sequence.
func (c pgColumn) serial() bool {
	return c.Identity == "YES" || strings.HasPrefix(c.Default, "nextval(")
}

// targetColumns reads the columns of every table in the target's schema
// (the first of its search path), by table and column name.
func targetColumns(ctx context.Context, d *sqlx.DB) (map[string]map[string]pgColumn, error) {
	var cols []pgColumn
	err := d.SelectContext(ctx, &cols, `
		SELECT c.table_name, c.column_name, c.data_type, c.is_identity, COALESCE(c.column_default, '') AS column_default
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, fmt.Errorf("read the target's columns: %w", err)
	}
	out := map[string]map[string]pgColumn{}
	for _, c := range cols {
		if out[c.Table] == nil {
			out[c.Table] = map[string]pgColumn{}
		}
		out[c.Table][c.Name] = c
	}
	return out, nil
}

// maxParams is PostgreSQL's limit on the parameters of one statement.
const maxParams = 65535

// copyTable copies every row of one table into the target, up to 500 rows
// a statement, and returns how many it copied. Rows already in the target
// table were put there by the migrations (checkEmpty refused anything
// else): the source's rows replace them.
//
// The table's own triggers are off while it fills: what they maintain
// (the match index's change counters) is copied from the source, and the
// counter trigger, updating one row per edition for every project,
// slowed a 97,000-project copy from 13 s to minutes. Foreign keys, which
// PostgreSQL also checks by triggers, stay on (USER leaves them alone).
func copyTable(ctx context.Context, stx, dtx *sqlx.Tx, t sourceTable, target map[string]pgColumn) (n int, err error) {
	name := quoteIdent(t.name)
	if _, err := dtx.ExecContext(ctx, `DELETE FROM `+name); err != nil {
		return 0, fmt.Errorf("clear target %s: %w", t.name, err)
	}
	if _, err := dtx.ExecContext(ctx, `ALTER TABLE `+name+` DISABLE TRIGGER USER`); err != nil {
		return 0, fmt.Errorf("copy into %s: %w", t.name, err)
	}
	n, err = copyRows(ctx, stx, dtx, t, target)
	if err != nil {
		return n, err
	}
	if _, err := dtx.ExecContext(ctx, `ALTER TABLE `+name+` ENABLE TRIGGER USER`); err != nil {
		return n, fmt.Errorf("copy into %s: %w", t.name, err)
	}
	return n, nil
}

// copyRows reads the source table and inserts its rows in batches.
func copyRows(ctx context.Context, stx, dtx *sqlx.Tx, t sourceTable, target map[string]pgColumn) (int, error) {
	q := `SELECT * FROM ` + quoteIdent(t.name)
	if !t.withoutRowID {
		q += ` ORDER BY rowid` // rows referring to earlier rows of the same table come after them
	}
	rows, err := stx.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	cols := make([]pgColumn, len(names))
	identity := false
	for i, n := range names {
		c, ok := target[n]
		if !ok {
			return 0, fmt.Errorf("column %s.%s is in the source but not in the target", t.name, n)
		}
		cols[i] = c
		identity = identity || c.Identity == "YES"
	}
	ins := &batchInsert{table: t.name, cols: names, identity: identity, size: min(500, maxParams/len(names))}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s: %w", t.name, err)
		}
		n++
		for i, v := range vals {
			cv, err := convertValue(v, cols[i].Type)
			if err != nil {
				return n, fmt.Errorf("%s row %d, column %s: %w", t.name, n, names[i], err)
			}
			ins.args = append(ins.args, cv)
		}
		if err := ins.flushIfFull(ctx, dtx); err != nil {
			return n, err
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", t.name, err)
	}
	return n, ins.flush(ctx, dtx)
}

// batchInsert gathers rows into one multi-row INSERT: a round trip per
// few hundred rows instead of per row.
type batchInsert struct {
	table    string
	cols     []string
	identity bool // the table has an identity column, whose values are given
	size     int  // rows a statement
	args     []any
}

func (b *batchInsert) flushIfFull(ctx context.Context, tx *sqlx.Tx) error {
	if len(b.args) < b.size*len(b.cols) {
		return nil
	}
	return b.flush(ctx, tx)
}

func (b *batchInsert) flush(ctx context.Context, tx *sqlx.Tx) error {
	if len(b.args) == 0 {
		return nil
	}
	quoted := make([]string, len(b.cols))
	for i, c := range b.cols {
		quoted[i] = quoteIdent(c)
	}
	var q strings.Builder
	fmt.Fprintf(&q, "INSERT INTO %s (%s) ", quoteIdent(b.table), strings.Join(quoted, ", "))
	if b.identity {
		// The copied IDs are kept, also for GENERATED ALWAYS columns.
		q.WriteString("OVERRIDING SYSTEM VALUE ")
	}
	q.WriteString("VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(b.cols)), ", ") + ")"
	for i := range len(b.args) / len(b.cols) {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
	}
	if _, err := tx.ExecContext(ctx, q.String(), b.args...); err != nil {
		return fmt.Errorf("copy into %s: %w", b.table, err)
	}
	b.args = b.args[:0]
	return nil
}

// convertValue turns a value as SQLite stores it into one the target
// column takes. SQLite keeps booleans as 0/1 and times as text (the driver
// hands back time.Time only where the column is declared TIMESTAMP or DATE
// and the text parses); PostgreSQL's columns are typed.
func convertValue(v any, pgType string) (any, error) {
	if b, ok := v.([]byte); ok && pgType != "bytea" {
		v = string(b)
	}
	if v == nil {
		return nil, nil
	}
	switch pgType {
	case "boolean":
		return toBool(v)
	case "timestamp with time zone", "timestamp without time zone":
		t, err := toTime(v)
		return t.UTC(), err
	case "date":
		if t, ok := v.(time.Time); ok {
			return t.Format(time.DateOnly), nil
		}
		return v, nil // text such as 2024-01-18, which PostgreSQL reads
	case "bigint", "integer", "smallint":
		return toInt(v)
	case "double precision", "real", "numeric":
		return toFloat(v)
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
		return v, nil
	}
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case string:
		return x, nil
	default:
		return fmt.Sprint(x), nil
	}
}

func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		b, err := strconv.ParseBool(x)
		if err != nil {
			return false, fmt.Errorf("%q is not a boolean", x)
		}
		return b, nil
	}
	return false, fmt.Errorf("%v (%T) is not a boolean", v, v)
}

func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case int64:
		return time.Unix(x, 0), nil
	case string:
		for _, layout := range append([]string{time.RFC3339Nano}, sqlite3.SQLiteTimestampFormats...) {
			if t, err := time.Parse(layout, x); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a time", x)
	}
	return time.Time{}, fmt.Errorf("%v (%T) is not a time", v, v)
}

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		if x != math.Trunc(x) {
			return 0, fmt.Errorf("%v is not a whole number", x)
		}
		return int64(x), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", x)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%v (%T) is not a whole number", v, v)
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		return f, nil
	}
	return 0, fmt.Errorf("%v (%T) is not a number", v, v)
}
