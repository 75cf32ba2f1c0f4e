package conference

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// Copier copies what one package owns from one edition into a new one, in
// the copy's transaction. days is how far the new edition's start date lies
// from the old one's (sessions move by it); delegations maps each old
// delegation ID to its copy.
type Copier interface {
	CopyEdition(ctx context.Context, tx *sqlx.Tx, from, to int64, days int, delegations map[int64]int64) error
}

// Store reads and writes editions and delegations.
type Store struct {
	db      *db.DB
	copiers []Copier
	now     func() time.Time
	search  TextSearch
	notify  Notifier // nil: nobody is told
}

// NewStore returns a store; copiers run, in order, when an edition is copied.
func NewStore(d *db.DB, copiers ...Copier) *Store {
	var search TextSearch = FTS5Search{}
	if d.Dialect() == db.Postgres {
		search = TrigramSearch{}
	}
	return &Store{db: d, copiers: copiers, now: time.Now, search: search}
}

var errEditionNotFound = apperr.New(apperr.NotFound, "edition.not_found")

// Editions lists one page of editions, newest first.
func (s *Store) Editions(ctx context.Context, p web.Paging) ([]Edition, int, error) {
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM editions`); err != nil {
		return nil, 0, fmt.Errorf("count editions: %w", err)
	}
	var es []Edition
	err := s.db.R.SelectContext(ctx, &es, `SELECT * FROM editions ORDER BY number DESC LIMIT ? OFFSET ?`,
		p.PerPage, p.Offset())
	if err != nil {
		return nil, 0, fmt.Errorf("list editions: %w", err)
	}
	return es, total, nil
}

// Edition returns one edition.
func (s *Store) Edition(ctx context.Context, id int64) (Edition, error) {
	var e Edition
	err := s.db.R.GetContext(ctx, &e, `SELECT * FROM editions WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Edition{}, errEditionNotFound
	}
	if err != nil {
		return Edition{}, fmt.Errorf("get edition %d: %w", id, err)
	}
	return e, nil
}

// CreateEdition adds an edition.
func (s *Store) CreateEdition(ctx context.Context, in EditionInput) (Edition, error) {
	if err := in.Validate(); err != nil {
		return Edition{}, err
	}
	var e Edition
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		e, err = s.insertEdition(ctx, tx, in)
		return err
	})
	return e, err
}

func (s *Store) insertEdition(ctx context.Context, tx *sqlx.Tx, in EditionInput) (Edition, error) {
	var e Edition
	now := s.now().UTC()
	err := tx.GetContext(ctx, &e, `INSERT INTO editions
		(number, name, year, starts_on, ends_on, city, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
		in.Number, in.Name, in.Year, in.StartsOn, in.EndsOn, in.City, now, now)
	if db.IsUnique(err) {
		return Edition{}, numberTaken(in.Number)
	}
	if err != nil {
		return Edition{}, fmt.Errorf("insert edition %d: %w", in.Number, err)
	}
	return e, nil
}

func numberTaken(n int) error {
	args := map[string]any{"Number": n}
	return apperr.New(apperr.Conflict, "edition.number_taken").With(args).
		WithDetails(apperr.Detail{Field: "number", Key: "edition.number_taken", Args: args})
}

// UpdateEdition replaces an edition's fields.
func (s *Store) UpdateEdition(ctx context.Context, id int64, in EditionInput) (Edition, error) {
	if err := in.Validate(); err != nil {
		return Edition{}, err
	}
	var e Edition
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &e, `UPDATE editions SET number = ?, name = ?, year = ?,
			starts_on = ?, ends_on = ?, city = ?, updated_at = ? WHERE id = ? RETURNING *`,
			in.Number, in.Name, in.Year, in.StartsOn, in.EndsOn, in.City, s.now().UTC(), id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errEditionNotFound
		case db.IsUnique(err):
			return numberTaken(in.Number)
		}
		return err
	})
	if err != nil {
		return Edition{}, apperr.Wrap(err, fmt.Sprintf("update edition %d", id))
	}
	return e, nil
}

// CopyEdition creates a new edition from in with the setup of edition from:
// its delegations here, then whatever each Copier owns.
func (s *Store) CopyEdition(ctx context.Context, from int64, in EditionInput) (Edition, error) {
	if err := in.Validate(); err != nil {
		return Edition{}, err
	}
	src, err := s.Edition(ctx, from)
	if err != nil {
		return Edition{}, err
	}
	var e Edition
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if e, err = s.insertEdition(ctx, tx, in); err != nil {
			return err
		}
		dmap, err := s.copyDelegations(ctx, tx, from, e.ID)
		if err != nil {
			return err
		}
		days := src.StartsOn.DaysUntil(e.StartsOn)
		for _, c := range s.copiers {
			if err := c.CopyEdition(ctx, tx, from, e.ID, days, dmap); err != nil {
				return fmt.Errorf("copy edition %d: %w", from, err)
			}
		}
		return nil
	})
	if err != nil {
		return Edition{}, apperr.Wrap(err, fmt.Sprintf("copy edition %d", from))
	}
	return e, nil
}

func (s *Store) copyDelegations(ctx context.Context, tx *sqlx.Tx, from, to int64) (map[int64]int64, error) {
	var ds []Delegation
	if err := tx.SelectContext(ctx, &ds, `SELECT * FROM delegations WHERE edition_id = ? ORDER BY id`, from); err != nil {
		return nil, fmt.Errorf("copy delegations: %w", err)
	}
	m := make(map[int64]int64, len(ds))
	now := s.now().UTC()
	for _, d := range ds {
		var id int64
		err := tx.GetContext(ctx, &id, `INSERT INTO delegations (edition_id, name, region, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, to, d.Name, d.Region, now, now)
		if err != nil {
			return nil, fmt.Errorf("copy delegation %q: %w", d.Name, err)
		}
		m[d.ID] = id
	}
	return m, nil
}

var errDelegationNotFound = apperr.New(apperr.NotFound, "delegation.not_found")

// Delegations lists an edition's delegations by name.
func (s *Store) Delegations(ctx context.Context, editionID int64) ([]Delegation, error) {
	if _, err := s.Edition(ctx, editionID); err != nil {
		return nil, err
	}
	var ds []Delegation
	err := s.db.R.SelectContext(ctx, &ds, `SELECT * FROM delegations WHERE edition_id = ? ORDER BY name`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list delegations of edition %d: %w", editionID, err)
	}
	return ds, nil
}

// Delegation returns one delegation.
func (s *Store) Delegation(ctx context.Context, id int64) (Delegation, error) {
	var d Delegation
	err := s.db.R.GetContext(ctx, &d, `SELECT * FROM delegations WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Delegation{}, errDelegationNotFound
	}
	if err != nil {
		return Delegation{}, fmt.Errorf("get delegation %d: %w", id, err)
	}
	return d, nil
}

func delegationTaken(name string) error {
	args := map[string]any{"Name": name}
	return apperr.New(apperr.Conflict, "delegation.name_taken").With(args).
		WithDetails(apperr.Detail{Field: "name", Key: "delegation.name_taken", Args: args})
}

// CreateDelegation adds a delegation to an edition.
func (s *Store) CreateDelegation(ctx context.Context, editionID int64, in DelegationInput) (Delegation, error) {
	if err := in.Validate(); err != nil {
		return Delegation{}, err
	}
	var d Delegation
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		now := s.now().UTC()
		err := tx.GetContext(ctx, &d, `INSERT INTO delegations (edition_id, name, region, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING *`, editionID, in.Name, in.Region, now, now)
		switch {
		case db.IsUnique(err):
			return delegationTaken(in.Name)
		case db.IsForeignKey(err):
			return errEditionNotFound
		}
		return err
	})
	if err != nil {
		return Delegation{}, apperr.Wrap(err, "create delegation")
	}
	return d, nil
}

// UpdateDelegation changes a delegation's name and region.
func (s *Store) UpdateDelegation(ctx context.Context, id int64, in DelegationInput) (Delegation, error) {
	if err := in.Validate(); err != nil {
		return Delegation{}, err
	}
	var d Delegation
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &d, `UPDATE delegations SET name = ?, region = ?, updated_at = ?
			WHERE id = ? RETURNING *`, in.Name, in.Region, s.now().UTC(), id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return errDelegationNotFound
		case db.IsUnique(err):
			return delegationTaken(in.Name)
		}
		return err
	})
	if err != nil {
		return Delegation{}, apperr.Wrap(err, fmt.Sprintf("update delegation %d", id))
	}
	return d, nil
}

// DelegationOptions lists every delegation of every edition for select
// boxes, such as binding a delegation account; newest edition first.
func (s *Store) DelegationOptions(ctx context.Context) ([]web.Option, error) {
	var rows []struct {
		ID      int64  `db:"id"`
		Name    string `db:"name"`
		Edition string `db:"edition"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT d.id, d.name, e.name AS edition
		FROM delegations d JOIN editions e ON e.id = d.edition_id ORDER BY e.number DESC, d.name`)
	if err != nil {
		return nil, fmt.Errorf("list delegation options: %w", err)
	}
	opts := make([]web.Option, len(rows))
	for i, r := range rows {
		opts[i] = web.Option{ID: r.ID, Label: r.Edition + " · " + r.Name}
	}
	return opts, nil
}
