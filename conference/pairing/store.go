package pairing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// Store keeps pairings, their history and meetings. Every change that the
// hall should see is published to the broker after it is committed.
type Store struct {
	db        *db.DB
	broker    *Broker
	log       *slog.Logger
	now       func() time.Time
	roadshows Roadshows // roadshow slots for the clash checks; see UseRoadshows

	notify   Notifier // nil: nobody is told of meetings
	contacts Contacts
}

// NewStore returns a store that publishes to broker.
func NewStore(d *db.DB, broker *Broker, log *slog.Logger) *Store {
	return &Store{db: d, broker: broker, log: log, now: time.Now}
}

const selectPairing = `SELECT p.*,
	d.id AS "demand.id", d.kind AS "demand.kind", d.title AS "demand.title", d.industry AS "demand.industry",
	d.organisation AS "demand.organisation", d.delegation_id AS "demand.delegation_id",
	dd.name AS "demand.delegation", d.contact_name AS "demand.contact_name",
	s.id AS "supply.id", s.kind AS "supply.kind", s.title AS "supply.title", s.industry AS "supply.industry",
	s.organisation AS "supply.organisation", s.delegation_id AS "supply.delegation_id",
	sd.name AS "supply.delegation", s.contact_name AS "supply.contact_name"
	FROM pairings p
	JOIN projects d ON d.id = p.demand_id JOIN delegations dd ON dd.id = d.delegation_id
	JOIN projects s ON s.id = p.supply_id JOIN delegations sd ON sd.id = s.delegation_id`

var errNotFound = apperr.New(apperr.NotFound, "pairing.not_found")

// Pairing returns one pairing with its meeting.
func (s *Store) Pairing(ctx context.Context, id int64) (Pairing, error) {
	p, err := getPairing(ctx, s.db.R, id)
	if err != nil {
		return Pairing{}, err
	}
	m, err := s.meetingOf(ctx, id)
	if err != nil {
		return Pairing{}, err
	}
	p.Meeting = m
	return p, nil
}

func getPairing(ctx context.Context, q sqlx.QueryerContext, id int64) (Pairing, error) {
	var p Pairing
	err := sqlx.GetContext(ctx, q, &p, selectPairing+` WHERE p.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Pairing{}, errNotFound
	}
	if err != nil {
		return Pairing{}, fmt.Errorf("get pairing %d: %w", id, err)
	}
	return p, nil
}

// Filter narrows a list of pairings.
type Filter struct {
	Stage        string
	DelegationID int64 // either side's delegation
	Open         bool  // not dropped or declined
}

// Pairings lists one page of an edition's pairings, newest change first.
func (s *Store) Pairings(ctx context.Context, editionID int64, f Filter, pg web.Paging) ([]Pairing, int, error) {
	where, args := ` WHERE p.edition_id = ?`, []any{editionID}
	if f.Stage != "" {
		where += ` AND p.stage = ?`
		args = append(args, f.Stage)
	}
	if f.DelegationID != 0 {
		where += ` AND (d.delegation_id = ? OR s.delegation_id = ?)`
		args = append(args, f.DelegationID, f.DelegationID)
	}
	if f.Open {
		where += ` AND p.stage <> 'dropped' AND p.request <> 'declined'`
	}
	var total int
	err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM pairings p
		JOIN projects d ON d.id = p.demand_id JOIN projects s ON s.id = p.supply_id`+where, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count pairings: %w", err)
	}
	var ps []Pairing
	err = s.db.R.SelectContext(ctx, &ps, selectPairing+where+` ORDER BY p.updated_at DESC, p.id DESC LIMIT ? OFFSET ?`,
		append(args, pg.PerPage, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list pairings: %w", err)
	}
	return ps, total, nil
}

// Create adds a pairing of a demand and a supply of the edition. A
// delegation's pairing is a request, pending until the other side accepts;
// it must own one of the two projects.
func (s *Store) Create(ctx context.Context, editionID int64, in NewPairing, who *web.Identity) (Pairing, error) {
	if err := in.Validate(); err != nil {
		return Pairing{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		id, err = s.insert(ctx, tx, editionID, in, who)
		return err
	})
	if err != nil {
		return Pairing{}, apperr.Wrap(err, "create pairing")
	}
	p, err := s.Pairing(ctx, id)
	if err == nil {
		s.publishStage(p, "")
	}
	return p, err
}

func (s *Store) insert(ctx context.Context, tx *sqlx.Tx, editionID int64, in NewPairing, who *web.Identity) (int64, error) {
	demand, err := projectIn(ctx, tx, editionID, in.DemandID, "demand_id")
	if err != nil {
		return 0, err
	}
	supply, err := projectIn(ctx, tx, editionID, in.SupplyID, "supply_id")
	if err != nil {
		return 0, err
	}
	switch {
	case demand.Kind != conference.KindDemand:
		return 0, apperr.Field("demand_id", "pairing.not_a_demand", nil)
	case !conference.IsSupply(supply.Kind):
		return 0, apperr.Field("supply_id", "pairing.not_a_supply", nil)
	}
	request, requestedBy := RequestNone, (*int64)(nil)
	if who.Is(web.RoleDelegation) {
		if who.DelegationID != demand.DelegationID && who.DelegationID != supply.DelegationID {
			return 0, apperr.New(apperr.Forbidden, "pairing.not_yours")
		}
		request, requestedBy = RequestPending, &who.DelegationID
	}
	now := s.now().UTC()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO pairings (edition_id, demand_id, supply_id, request, requested_by,
		message, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		editionID, in.DemandID, in.SupplyID, request, requestedBy, in.Message, who.UserID, now, now)
	if db.IsUnique(err) {
		return 0, apperr.New(apperr.Conflict, "pairing.exists")
	}
	if err != nil {
		return 0, fmt.Errorf("insert pairing: %w", err)
	}
	return id, s.record(ctx, tx, Change{PairingID: id, ToStage: StageProposed, Note: in.Message}, who)
}

type projectRow struct {
	ID           int64  `db:"id"`
	EditionID    int64  `db:"edition_id"`
	DelegationID int64  `db:"delegation_id"`
	Kind         string `db:"kind"`
}

func projectIn(ctx context.Context, tx *sqlx.Tx, editionID, id int64, field string) (projectRow, error) {
	var p projectRow
	err := tx.GetContext(ctx, &p, `SELECT id, edition_id, delegation_id, kind FROM projects WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && p.EditionID != editionID) {
		return p, apperr.Field(field, "pairing.project_unknown", nil)
	}
	if err != nil {
		return p, fmt.Errorf("get project %d: %w", id, err)
	}
	return p, nil
}

// record adds one entry to a pairing's history.
func (s *Store) record(ctx context.Context, tx *sqlx.Tx, c Change, who *web.Identity) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO pairing_changes (pairing_id, from_stage, to_stage, amount_wan,
		signed_on, note, reason, correction, previous_amount_wan, previous_signed_on, user_id, username, changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.PairingID, c.FromStage, c.ToStage, c.AmountWan, c.SignedOn, c.Note, c.Reason, c.Correction,
		c.PreviousAmount, c.PreviousOn, who.UserID, who.Username, s.now().UTC())
	if err != nil {
		return fmt.Errorf("record change of pairing %d: %w", c.PairingID, err)
	}
	return nil
}

// Respond accepts or declines a delegation's request. Only the other
// side's delegation (or an organiser or coordinator) may answer.
func (s *Store) Respond(ctx context.Context, id int64, accept bool, who *web.Identity) (Pairing, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		p, err := getPairing(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Request != RequestPending {
			return apperr.New(apperr.Conflict, "pairing.not_pending")
		}
		if who.Is(web.RoleDelegation) && (!p.Involves(who.DelegationID) ||
			(p.RequestedBy != nil && *p.RequestedBy == who.DelegationID)) {
			return apperr.New(apperr.Forbidden, "pairing.not_yours")
		}
		state, note := RequestDeclined, "declined"
		if accept {
			state, note = RequestAccepted, "accepted"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pairings SET request = ?, updated_at = ? WHERE id = ?`,
			state, s.now().UTC(), id); err != nil {
			return fmt.Errorf("answer request %d: %w", id, err)
		}
		return s.record(ctx, tx, Change{PairingID: id, FromStage: p.Stage, ToStage: p.Stage, Note: note}, who)
	})
	if err != nil {
		return Pairing{}, apperr.Wrap(err, "answer pairing request")
	}
	return s.Pairing(ctx, id)
}

// History lists a pairing's changes, oldest first.
func (s *Store) History(ctx context.Context, id int64) ([]Change, error) {
	var cs []Change
	err := s.db.R.SelectContext(ctx, &cs, `SELECT * FROM pairing_changes WHERE pairing_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("history of pairing %d: %w", id, err)
	}
	return cs, nil
}

// BulkResult says what a bulk creation did: the pairings made and, per
// pair left out, why.
type BulkResult struct {
	Created []Pairing     `json:"created"`
	Skipped []BulkSkipped `json:"skipped"`
}

// BulkSkipped is one pair a bulk creation left out.
type BulkSkipped struct {
	DemandID int64  `json:"demand_id"`
	SupplyID int64  `json:"supply_id"`
	Code     string `json:"code"`
}

// maxBulk caps one bulk creation.
const maxBulk = 500

// CreateMany creates the pairs that are new; pairs that exist, or are not
// a demand and a supply of the edition, are skipped and listed.
func (s *Store) CreateMany(ctx context.Context, editionID int64, in []NewPairing, who *web.Identity) (BulkResult, error) {
	res := BulkResult{Created: []Pairing{}, Skipped: []BulkSkipped{}}
	if len(in) == 0 || len(in) > maxBulk {
		return res, apperr.Field("pairs", "pairing.bulk_size", map[string]any{"Max": maxBulk})
	}
	for _, np := range in {
		p, err := s.Create(ctx, editionID, np, who)
		if k := apperr.KindOf(err); k == apperr.Conflict || k == apperr.Invalid || k == apperr.Forbidden {
			res.Skipped = append(res.Skipped, BulkSkipped{DemandID: np.DemandID, SupplyID: np.SupplyID, Code: k.Code()})
			continue
		}
		if err != nil {
			return res, err
		}
		res.Created = append(res.Created, p)
	}
	return res, nil
}

// project returns one project (read only; the conference package owns it).
func (s *Store) project(ctx context.Context, id int64) (conference.Project, error) {
	var p conference.Project
	err := s.db.R.GetContext(ctx, &p, `SELECT * FROM projects WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.New(apperr.NotFound, "pairing.project_not_found")
	}
	if err != nil {
		return p, fmt.Errorf("project %d: %w", id, err)
	}
	return p, nil
}

// choices lists an edition's delegations and the industries, for filters.
func (s *Store) choices(ctx context.Context, editionID int64) ([]web.Option, []string, error) {
	var opts []web.Option
	err := s.db.R.SelectContext(ctx, &opts, `SELECT id, name AS label FROM delegations WHERE edition_id = ? ORDER BY name`, editionID)
	if err != nil {
		return nil, nil, fmt.Errorf("delegations of edition %d: %w", editionID, err)
	}
	var inds []string
	if err := s.db.R.SelectContext(ctx, &inds, `SELECT name FROM industries ORDER BY position, name`); err != nil {
		return nil, nil, fmt.Errorf("industries: %w", err)
	}
	return opts, inds, nil
}

// delegationProjects lists a delegation's projects in an edition.
func (s *Store) delegationProjects(ctx context.Context, editionID, delegationID int64) ([]conference.Project, error) {
	var ps []conference.Project
	err := s.db.R.SelectContext(ctx, &ps, `SELECT * FROM projects WHERE edition_id = ? AND delegation_id = ?
		AND status <> 'rejected' ORDER BY kind = 'demand' DESC, id`, editionID, delegationID)
	if err != nil {
		return nil, fmt.Errorf("projects of delegation %d: %w", delegationID, err)
	}
	return ps, nil
}
