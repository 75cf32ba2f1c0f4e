package booths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// Store reads and writes zones, booths, what is shown at them and who
// staffs them.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d, now: time.Now} }

var (
	errEditionNotFound    = apperr.New(apperr.NotFound, "edition.not_found")
	errZoneNotFound       = apperr.New(apperr.NotFound, "zone.not_found")
	errBoothNotFound      = apperr.New(apperr.NotFound, "booth.not_found")
	errDelegationNotFound = apperr.Field("delegation_id", "booth.delegation_unknown", nil)
)

const zoneSelect = `SELECT z.*, COALESCE(d.name, '') AS delegation,
	(SELECT COUNT(*) FROM booths b WHERE b.zone_id = z.id) AS booths
	FROM zones z LEFT JOIN delegations d ON d.id = z.delegation_id`

// Zones lists an edition's zones: halls in order, the cloud hall last.
func (s *Store) Zones(ctx context.Context, editionID int64) ([]Zone, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return nil, err
	}
	var zs []Zone
	err := s.db.R.SelectContext(ctx, &zs, zoneSelect+` WHERE z.edition_id = ?
		ORDER BY z.online, z.hall, z.key_zone DESC, z.name`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list zones of edition %d: %w", editionID, err)
	}
	return zs, nil
}

// Zone returns one zone.
func (s *Store) Zone(ctx context.Context, id int64) (Zone, error) {
	var z Zone
	err := s.db.R.GetContext(ctx, &z, zoneSelect+` WHERE z.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Zone{}, errZoneNotFound
	}
	if err != nil {
		return Zone{}, fmt.Errorf("get zone %d: %w", id, err)
	}
	return z, nil
}

// CreateZone adds a zone to an edition.
func (s *Store) CreateZone(ctx context.Context, editionID int64, in ZoneInput) (Zone, error) {
	if err := in.Validate(); err != nil {
		return Zone{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := checkZone(ctx, tx, editionID, in); err != nil {
			return err
		}
		now := s.now().UTC()
		err := tx.GetContext(ctx, &id, `INSERT INTO zones
			(edition_id, name, hall, key_zone, online, delegation_id, opens_on, closes_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			editionID, in.Name, in.Hall, in.Key, in.Online, in.DelegationID, in.OpensOn, in.ClosesOn, now, now)
		if db.IsUnique(err) {
			return zoneNameTaken(in.Name)
		}
		return err
	})
	if err != nil {
		return Zone{}, apperr.Wrap(err, "create zone")
	}
	return s.Zone(ctx, id)
}

type querier interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

func (s *Store) editionExists(ctx context.Context, q querier, editionID int64) error {
	var n int
	if err := q.GetContext(ctx, &n, `SELECT COUNT(*) FROM editions WHERE id = ?`, editionID); err != nil {
		return fmt.Errorf("find edition %d: %w", editionID, err)
	}
	if n == 0 {
		return errEditionNotFound
	}
	return nil
}

// delegationInEdition checks that a delegation exists and comes to the
// edition: a booth of the 3rd edition cannot go to a 2nd-edition delegation.
func delegationInEdition(ctx context.Context, q querier, delegationID, editionID int64) error {
	var ed int64
	err := q.GetContext(ctx, &ed, `SELECT edition_id FROM delegations WHERE id = ?`, delegationID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && ed != editionID) {
		return errDelegationNotFound
	}
	if err != nil {
		return fmt.Errorf("find delegation %d: %w", delegationID, err)
	}
	return nil
}

const boothSelect = `SELECT b.*, z.name AS zone, z.hall AS hall, COALESCE(d.name, '') AS exhibitor
	FROM booths b JOIN zones z ON z.id = b.zone_id LEFT JOIN delegations d ON d.id = b.delegation_id`

// boothOrder sorts by zone, then code with shorter codes first so that A9
// comes before A10.
const boothOrder = ` ORDER BY z.online, z.hall, z.name, length(b.code), b.code`

// Filter narrows a booth list; zero fields do not filter.
type Filter struct {
	ZoneID       int64
	DelegationID int64
	State        string
	BoothID      int64 // one booth only (a staff account's)
	Hall         string
}

func (f Filter) where(editionID int64) (string, []any) {
	conds, args := []string{"b.edition_id = ?"}, []any{editionID}
	for _, c := range []struct {
		on   bool
		cond string
		arg  any
	}{
		{f.ZoneID != 0, "b.zone_id = ?", f.ZoneID},
		{f.DelegationID != 0, "b.delegation_id = ?", f.DelegationID},
		{f.State != "", "b.state = ?", f.State},
		{f.BoothID != 0, "b.id = ?", f.BoothID},
		{f.Hall != "", "z.hall = ? AND NOT z.online", f.Hall},
	} {
		if c.on {
			conds, args = append(conds, c.cond), append(args, c.arg)
		}
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Booths lists one page of an edition's booths by zone and code.
func (s *Store) Booths(ctx context.Context, editionID int64, f Filter, p web.Paging) ([]Booth, int, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return nil, 0, err
	}
	where, args := f.where(editionID)
	var total int
	err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM booths b JOIN zones z ON z.id = b.zone_id`+where, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count booths of edition %d: %w", editionID, err)
	}
	var bs []Booth
	err = s.db.R.SelectContext(ctx, &bs, boothSelect+where+boothOrder+` LIMIT ? OFFSET ?`,
		append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list booths of edition %d: %w", editionID, err)
	}
	return bs, total, nil
}

// Booth returns one booth.
func (s *Store) Booth(ctx context.Context, id int64) (Booth, error) {
	return getBooth(ctx, s.db.R, id)
}

func getBooth(ctx context.Context, q querier, id int64) (Booth, error) {
	var b Booth
	err := q.GetContext(ctx, &b, boothSelect+` WHERE b.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Booth{}, errBoothNotFound
	}
	if err != nil {
		return Booth{}, fmt.Errorf("get booth %d: %w", id, err)
	}
	return b, nil
}

// CreateBooth adds one booth; its code must be new in the edition.
func (s *Store) CreateBooth(ctx context.Context, editionID int64, in BoothInput) (Booth, error) {
	if err := in.Validate(); err != nil {
		return Booth{}, err
	}
	var b Booth
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := zoneInEdition(ctx, tx, in.ZoneID, editionID); err != nil {
			return err
		}
		id, err := s.insertBooth(ctx, tx, editionID, in)
		if err != nil {
			return err
		}
		b, err = getBooth(ctx, tx, id)
		return err
	})
	if err != nil {
		return Booth{}, apperr.Wrap(err, "create booth")
	}
	return b, nil
}

func (s *Store) insertBooth(ctx context.Context, tx *sqlx.Tx, editionID int64, in BoothInput) (int64, error) {
	now := s.now().UTC()
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO booths
		(edition_id, zone_id, code, area_m2, x, y, w, h, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'free', ?, ?) RETURNING id`,
		editionID, in.ZoneID, in.Code, in.AreaM2, in.X, in.Y, in.W, in.H, now, now)
	if db.IsUnique(err) {
		return 0, codeTaken(in.Code)
	}
	if err != nil {
		return 0, fmt.Errorf("insert booth %s: %w", in.Code, err)
	}
	return id, nil
}

func codeTaken(code string) error {
	args := map[string]any{"Code": code}
	return apperr.New(apperr.Conflict, "booth.code_taken").With(args).
		WithDetails(apperr.Detail{Field: "code", Key: "booth.code_taken", Args: args})
}

// zoneInEdition checks that the zone exists in the edition.
func zoneInEdition(ctx context.Context, q querier, zoneID, editionID int64) error {
	var ed int64
	err := q.GetContext(ctx, &ed, `SELECT edition_id FROM zones WHERE id = ?`, zoneID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && ed != editionID) {
		return apperr.Field("zone_id", "booth.zone_unknown", nil)
	}
	if err != nil {
		return fmt.Errorf("find zone %d: %w", zoneID, err)
	}
	return nil
}
