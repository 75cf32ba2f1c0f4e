package conference

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
)

// TextSearch finds the projects whose text matches a search box query. It
// is the one SQLite-specific part of project search, kept behind this
// interface so PostgreSQL can use pg_trgm instead.
type TextSearch interface {
	// IDs returns a query selecting the IDs of the projects that match q
	// (every term separated by spaces), and its arguments; "" when q has
	// no terms.
	IDs(q string) (query string, args []any)
	// Bulk runs insert, which only inserts projects in tx, and leaves the
	// index up to date when it returns; an index may defer the work of
	// many rows to the end.
	Bulk(ctx context.Context, tx *sqlx.Tx, insert func() error) error
}

// FTS5Search searches with the projects_fts trigram index. Trigram MATCH
// cannot find a term of one or two characters (锂电, 北京), so such terms
// are looked up as a range of the index's terms: every trigram that starts
// with them (the index appends two spaces to each column so that every
// character starts one).
type FTS5Search struct{}

// IDs implements TextSearch.
func (FTS5Search) IDs(q string) (string, []any) {
	var phrases, parts []string
	var args []any
	for _, term := range strings.FieldsFunc(q, unicode.IsSpace) {
		if utf8.RuneCountInString(term) >= 3 {
			phrases = append(phrases, `"`+strings.ReplaceAll(term, `"`, `""`)+`"`)
			continue
		}
		lo := strings.ToLower(term)
		parts = append(parts, `SELECT doc FROM projects_fts_terms WHERE term >= ? AND term < ?`)
		args = append(args, lo, nextPrefix(lo))
	}
	if len(phrases) > 0 {
		parts = append([]string{`SELECT rowid FROM projects_fts WHERE projects_fts MATCH ?`}, parts...)
		args = append([]any{strings.Join(phrases, " AND ")}, args...)
	}
	return strings.Join(parts, " INTERSECT "), args
}

// Bulk implements TextSearch: the insert trigger stands aside while
// projects_fts_deferred holds its row, and the new rows, whose IDs are all
// above the largest before (SQLite gives a new row max(id)+1), are indexed
// by one statement. See migrations/004_search_bulk.sql for why.
func (FTS5Search) Bulk(ctx context.Context, tx *sqlx.Tx, insert func() error) error {
	var before int64
	if err := tx.GetContext(ctx, &before, `SELECT COALESCE(MAX(id), 0) FROM projects`); err != nil {
		return fmt.Errorf("bulk index: last project: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO projects_fts_deferred (one) VALUES (1)`); err != nil {
		return fmt.Errorf("bulk index: defer: %w", err)
	}
	if err := insert(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM projects_fts_deferred`); err != nil {
		return fmt.Errorf("bulk index: resume: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO projects_fts (rowid, title, summary, organisation, keywords)
		SELECT id, title || '  ', summary || '  ', organisation || '  ', keywords || '  '
		FROM projects WHERE id > ?`, before)
	if err != nil {
		return fmt.Errorf("bulk index: %w", err)
	}
	return nil
}

// TrigramSearch searches on PostgreSQL with the pg_trgm index of
// migrations/003_project_search.postgres.sql: every term, of any length,
// must occur in the project's text, case-insensitively.
type TrigramSearch struct{}

// searchText is the indexed expression; it must match the index's.
const searchText = `(title || ' ' || summary || ' ' || organisation || ' ' || keywords)`

// IDs implements TextSearch.
func (TrigramSearch) IDs(q string) (string, []any) {
	terms := strings.FieldsFunc(q, unicode.IsSpace)
	if len(terms) == 0 {
		return "", nil
	}
	conds := make([]string, len(terms))
	args := make([]any, len(terms))
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for i, t := range terms {
		conds[i] = searchText + ` ILIKE ?`
		args[i] = "%" + like.Replace(t) + "%"
	}
	return `SELECT id FROM projects WHERE ` + strings.Join(conds, " AND "), args
}

// Bulk implements TextSearch: the index follows inserts as they go.
func (TrigramSearch) Bulk(_ context.Context, _ *sqlx.Tx, insert func() error) error { return insert() }

// searchCountFrom is the FROM of counting search matches: SQLite's planner
// prefers the table's primary key for an ID list, but the covering index
// answers without reading the rows. PostgreSQL needs no such hint.
const searchCountFrom = "projects p INDEXED BY projects_search_cover"

// nextPrefix is the smallest string greater than every string that starts
// with s: s with its last character moved one on.
func nextPrefix(s string) string {
	r := []rune(s)
	r[len(r)-1]++
	return string(r)
}

// splitKeywords reads keywords typed in one box, separated as in the
// import (commas, 、 and semicolons).
func splitKeywords(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(",，;；、\n", c) })
}

func joinKeywords(k []string) string { return strings.Join(k, "、") }
