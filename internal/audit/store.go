package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"huizhan/internal/db"
	"huizhan/internal/web"
)

// Store reads the trail. Writing is Record's, inside each change's own
// transaction.
type Store struct{ db *db.DB }

// NewStore returns the reader over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Filter narrows the trail; zero fields do not filter.
type Filter struct {
	Entity   string
	EntityID int64
	Account  string
	From, To time.Time // From inclusive, To exclusive
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		add("entity_id = ?", f.EntityID)
	}
	if f.Account != "" {
		add("account = ?", f.Account)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// List returns one page of the trail, newest first, and the total count.
func (s *Store) List(ctx context.Context, f Filter, p web.Paging) ([]Entry, int, error) {
	where, args := f.where()
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...); err != nil {
		return nil, 0, fmt.Errorf("count audit rows: %w", err)
	}
	var es []Entry
	err := s.db.R.SelectContext(ctx, &es, `SELECT * FROM audit_log WHERE `+where+
		` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit rows: %w", err)
	}
	for i := range es {
		if err := es[i].decode(); err != nil {
			return nil, 0, err
		}
	}
	return es, total, nil
}

// Each calls fn for every row the filter matches, oldest first, reading
// them in batches so that an export of a whole event stays small.
func (s *Store) Each(ctx context.Context, f Filter, fn func(Entry) error) error {
	where, args := f.where()
	const batch = 1000
	var last int64
	for {
		var es []Entry
		err := s.db.R.SelectContext(ctx, &es, `SELECT * FROM audit_log WHERE `+where+
			` AND id > ? ORDER BY id LIMIT ?`, append(append([]any(nil), args...), last, batch)...)
		if err != nil {
			return fmt.Errorf("read audit rows: %w", err)
		}
		for _, e := range es {
			if err := e.decode(); err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
			last = e.ID
		}
		if len(es) < batch {
			return nil
		}
	}
}

func (e *Entry) decode() error {
	e.Changes = map[string]Change{}
	if e.RawJSON == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(e.RawJSON), &e.Changes); err != nil {
		return fmt.Errorf("audit row %d: %w", e.ID, err)
	}
	return nil
}

// Accounts lists the accounts that appear in the trail, for the filter.
func (s *Store) Accounts(ctx context.Context) ([]string, error) {
	var as []string
	err := s.db.R.SelectContext(ctx, &as, `SELECT DISTINCT account FROM audit_log ORDER BY account`)
	if err != nil {
		return nil, fmt.Errorf("list audit accounts: %w", err)
	}
	return as, nil
}

// Entities lists the kinds of record that appear in the trail.
func (s *Store) Entities(ctx context.Context) ([]string, error) {
	var es []string
	err := s.db.R.SelectContext(ctx, &es, `SELECT DISTINCT entity FROM audit_log ORDER BY entity`)
	if err != nil {
		return nil, fmt.Errorf("list audit entities: %w", err)
	}
	return es, nil
}
