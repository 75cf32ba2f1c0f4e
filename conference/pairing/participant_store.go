package pairing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// CreateLink makes a new personal link for a project's contact and
// returns its token, which is stored only as a hash: the caller shows it
// once. The project's earlier link, if any, stops working. When sendTo is
// not nil, the link (sendTo(token)) also goes to the contact's phone, in
// the same transaction; a project without a contact phone refuses that.
func (s *Store) CreateLink(ctx context.Context, projectID int64, who *web.Identity, sendTo func(token string) string) (string, error) {
	token, hash := newToken()
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM projects WHERE id = ?`, projectID); err != nil {
			return fmt.Errorf("find project %d: %w", projectID, err)
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "pairing.project_not_found")
		}
		now := s.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE participant_links SET revoked_at = ? WHERE project_id = ?
			AND revoked_at IS NULL`, now, projectID); err != nil {
			return fmt.Errorf("replace link: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO participant_links (project_id, token_hash, created_by, created_at)
			VALUES (?, ?, ?, ?)`, projectID, hash, who.Username, now)
		if err != nil {
			return fmt.Errorf("insert link: %w", err)
		}
		if sendTo == nil {
			return nil
		}
		return s.notifyLink(ctx, tx, projectID, hash, sendTo(token))
	})
	if err != nil {
		return "", apperr.Wrap(err, "create participant link")
	}
	return token, nil
}

// RevokeLink stops a project's live link; 404 when it has none.
func (s *Store) RevokeLink(ctx context.Context, projectID int64) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE participant_links SET revoked_at = ? WHERE project_id = ?
			AND revoked_at IS NULL`, s.now().UTC(), projectID)
		if err != nil {
			return fmt.Errorf("revoke link of project %d: %w", projectID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errLinkNotFound
		}
		return nil
	})
}

// LiveLink returns a project's live link (without its token, which is not
// kept), or nil.
func (s *Store) LiveLink(ctx context.Context, projectID int64) (*Link, error) {
	var l Link
	err := s.db.R.GetContext(ctx, &l, `SELECT l.id, l.project_id, p.edition_id, l.created_by, l.created_at
		FROM participant_links l JOIN projects p ON p.id = l.project_id
		WHERE l.project_id = ? AND l.revoked_at IS NULL`, projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("link of project %d: %w", projectID, err)
	}
	return &l, nil
}

// LinkByToken resolves a token to its live link; an unknown, malformed or
// revoked token is 404.
func (s *Store) LinkByToken(ctx context.Context, token string) (Link, error) {
	if !validToken(token) {
		return Link{}, errLinkNotFound
	}
	var l Link
	err := s.db.R.GetContext(ctx, &l, `SELECT l.id, l.project_id, p.edition_id, l.created_by, l.created_at
		FROM participant_links l JOIN projects p ON p.id = l.project_id
		WHERE l.token_hash = ? AND l.revoked_at IS NULL`, hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, errLinkNotFound
	}
	if err != nil {
		return Link{}, fmt.Errorf("resolve participant link: %w", err)
	}
	return l, nil
}

const selectRequest = `SELECT r.*, p.stage AS stage,
	f.id AS "from.id", f.kind AS "from.kind", f.title AS "from.title", f.industry AS "from.industry",
	f.organisation AS "from.organisation", f.delegation_id AS "from.delegation_id",
	fd.name AS "from.delegation", f.contact_name AS "from.contact_name",
	t.id AS "to.id", t.kind AS "to.kind", t.title AS "to.title", t.industry AS "to.industry",
	t.organisation AS "to.organisation", t.delegation_id AS "to.delegation_id",
	td.name AS "to.delegation", t.contact_name AS "to.contact_name"
	FROM participant_requests r
	JOIN projects f ON f.id = r.from_project_id JOIN delegations fd ON fd.id = f.delegation_id
	JOIN projects t ON t.id = r.to_project_id JOIN delegations td ON td.id = t.delegation_id
	LEFT JOIN pairings p ON p.id = r.pairing_id`

var errRequestNotFound = apperr.New(apperr.NotFound, "participant.request_not_found")

func getRequest(ctx context.Context, q sqlx.QueryerContext, id int64) (Request, error) {
	var r Request
	err := sqlx.GetContext(ctx, q, &r, selectRequest+` WHERE r.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, errRequestNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("get request %d: %w", id, err)
	}
	return r, nil
}

// Request returns one request with its meeting and outcomes.
func (s *Store) Request(ctx context.Context, id int64) (Request, error) {
	r, err := getRequest(ctx, s.db.R, id)
	if err != nil {
		return r, err
	}
	rs := []Request{r}
	err = s.completeRequests(ctx, rs)
	return rs[0], err
}

// RequestMeeting asks for a meeting between the link's project and a
// counterpart of the other kind in the same edition. 409 when a request
// for the pair is open, or the two are paired already.
func (s *Store) RequestMeeting(ctx context.Context, from int64, in NewRequest) (Request, error) {
	if err := in.Validate(); err != nil {
		return Request{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var me projectRow
		err := tx.GetContext(ctx, &me, `SELECT id, edition_id, delegation_id, kind FROM projects WHERE id = ?`, from)
		if err != nil {
			return fmt.Errorf("get project %d: %w", from, err)
		}
		if in.ProjectID == from {
			return apperr.Field("project_id", "participant.same_side", nil)
		}
		other, err := projectIn(ctx, tx, me.EditionID, in.ProjectID, "project_id")
		if err != nil {
			return err
		}
		demand, supply := me, other
		if conference.IsSupply(me.Kind) {
			demand, supply = other, me
		}
		if demand.Kind != conference.KindDemand || !conference.IsSupply(supply.Kind) {
			return apperr.Field("project_id", "participant.same_side", nil)
		}
		var open int
		if err := tx.GetContext(ctx, &open, `SELECT COUNT(*) FROM participant_requests WHERE from_project_id = ?
			AND state = 'open'`, me.ID); err != nil {
			return fmt.Errorf("count open requests: %w", err)
		}
		if open >= maxOpenRequests {
			return apperr.New(apperr.Conflict, "participant.too_many_open").With(map[string]any{"Max": maxOpenRequests})
		}
		var paired int
		if err := tx.GetContext(ctx, &paired, `SELECT COUNT(*) FROM pairings WHERE demand_id = ? AND supply_id = ?`,
			demand.ID, supply.ID); err != nil {
			return fmt.Errorf("find pairing: %w", err)
		}
		if paired > 0 {
			return apperr.New(apperr.Conflict, "participant.already_paired")
		}
		err = tx.GetContext(ctx, &id, `INSERT INTO participant_requests (edition_id, from_project_id, to_project_id,
			demand_id, supply_id, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			me.EditionID, me.ID, other.ID, demand.ID, supply.ID, in.Message, s.now().UTC())
		if db.IsUnique(err) {
			return apperr.New(apperr.Conflict, "participant.request_open")
		}
		if err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		return s.notifyRequest(ctx, tx, "meeting_requested", Request{ID: id, EditionID: me.EditionID}, other.ID, me.ID, "")
	})
	if err != nil {
		return Request{}, apperr.Wrap(err, "request meeting")
	}
	return s.Request(ctx, id)
}

// Answerer is who answers a request: the participant of the project asked
// (ProjectID), or a coordinator or organiser acting for it (Identity).
type Answerer struct {
	ProjectID int64
	Identity  *web.Identity
}

// AnswerRequest accepts or declines an open request. Accepting creates the
// pairing at stage contacted (an accepted request in the pairings table)
// and books its meeting at the first table and slot that fits both sides'
// availability without a clash; when none fits, the pairing waits for a
// coordinator (Queued). Everything happens in one transaction.
func (s *Store) AnswerRequest(ctx context.Context, id int64, accept bool, reason string, by Answerer) (Request, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Request{}, err
	}
	var m *Meeting
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		r, err := getRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		who, err := by.identity(r)
		if err != nil {
			return err
		}
		if r.State != RequestOpen {
			return apperr.New(apperr.Conflict, "participant.not_open")
		}
		state, pairingID := RequestDeclined, (*int64)(nil)
		if accept {
			state = RequestAccepted
			p, err := s.pairFromRequest(ctx, tx, r, who)
			if err != nil {
				return err
			}
			pairingID = &p.ID
			if m, err = s.placeMeeting(ctx, tx, p); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE participant_requests SET state = ?, reason = ?, answered_by = ?,
			pairing_id = ?, answered_at = ? WHERE id = ?`, state, reason, who.Username, pairingID, s.now().UTC(), id)
		if err != nil {
			return fmt.Errorf("answer request %d: %w", id, err)
		}
		template := "meeting_declined"
		if accept {
			template = "meeting_accepted"
		}
		return s.notifyRequest(ctx, tx, template, r, r.FromProjectID, r.ToProjectID, reason)
	})
	if err != nil {
		return Request{}, apperr.Wrap(err, "answer meeting request")
	}
	r, err := s.Request(ctx, id)
	if err == nil && r.PairingID != nil {
		if p, err := s.Pairing(ctx, *r.PairingID); err == nil {
			s.publishStage(p, "")
		}
		if m != nil {
			s.publishMeeting(*m)
		}
	}
	return r, err
}

// identity checks that the answerer may answer r and names them for the
// pairing's history: a participant only for the project asked.
func (by Answerer) identity(r Request) (*web.Identity, error) {
	if by.Identity != nil {
		if !by.Identity.Is(managers...) {
			return nil, errForbidden
		}
		return by.Identity, nil
	}
	if by.ProjectID != r.ToProjectID {
		if by.ProjectID == r.FromProjectID || by.ProjectID == 0 {
			return nil, apperr.New(apperr.Forbidden, "participant.not_yours")
		}
		return nil, errRequestNotFound
	}
	return &web.Identity{Username: fmt.Sprintf("%s #%d", participantName, r.ToProjectID)}, nil
}

// participantName names a participant in a pairing's history (a
// username, not a catalogue text, as for every other change).
const participantName = "participant"

// pairFromRequest inserts the pairing an accepted request becomes, at
// stage contacted, with the request's message and the asking side's
// delegation, and its history (proposed, then contacted).
func (s *Store) pairFromRequest(ctx context.Context, tx *sqlx.Tx, r Request, who *web.Identity) (Pairing, error) {
	now := s.now().UTC()
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO pairings (edition_id, demand_id, supply_id, stage, request, requested_by,
		message, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.EditionID, r.DemandID, r.SupplyID, StageContacted, RequestAccepted, r.From.DelegationID, r.Message,
		nullID(who.UserID), now, now)
	if db.IsUnique(err) {
		return Pairing{}, apperr.New(apperr.Conflict, "participant.already_paired")
	}
	if err != nil {
		return Pairing{}, fmt.Errorf("insert pairing: %w", err)
	}
	if err := s.record(ctx, tx, Change{PairingID: id, ToStage: StageProposed, Note: r.Message}, who); err != nil {
		return Pairing{}, err
	}
	c := Change{PairingID: id, FromStage: StageProposed, ToStage: StageContacted, Note: "accepted"}
	if err := s.record(ctx, tx, c, who); err != nil {
		return Pairing{}, err
	}
	return getPairing(ctx, tx, id)
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Withdraw takes back an open request the link's project made.
func (s *Store) Withdraw(ctx context.Context, id, projectID int64) (Request, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		r, err := getRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.FromProjectID != projectID {
			return errRequestNotFound
		}
		if r.State != RequestOpen {
			return apperr.New(apperr.Conflict, "participant.not_open")
		}
		_, err = tx.ExecContext(ctx, `UPDATE participant_requests SET state = ?, answered_at = ? WHERE id = ?`,
			RequestWithdrawn, s.now().UTC(), id)
		if err != nil {
			return fmt.Errorf("withdraw request %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return Request{}, apperr.Wrap(err, "withdraw meeting request")
	}
	return s.Request(ctx, id)
}

// WithdrawFor takes back an open request for the side that asked (a
// coordinator acting for it).
func (s *Store) WithdrawFor(ctx context.Context, id int64) (Request, error) {
	r, err := getRequest(ctx, s.db.R, id)
	if err != nil {
		return r, err
	}
	return s.Withdraw(ctx, id, r.FromProjectID)
}
