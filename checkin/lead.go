package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// BoothStaff tells which booth a staff account is bound to (booths.Store
// has it). Booth staff scan at their booth's checkpoints and see its leads.
type BoothStaff interface {
	StaffBooth(ctx context.Context, userID int64) (boothID int64, ok bool, err error)
}

// UseBooths tells the store where booth staff bindings live; without it no
// account counts as booth staff.
func (s *Store) UseBooths(b BoothStaff) *Store {
	s.booths = b
	s.points.clear()
	return s
}

// LeadInput is what booth staff add to an accepted scan.
type LeadInput struct {
	ScanID string `json:"scan_id"`
	Rating *int   `json:"rating"`
	Note   string `json:"note"`
}

// maxNote bounds a lead's note.
const maxNote = 1000

// Validate trims the note and reports every problem at once.
func (in *LeadInput) Validate() error {
	in.Note = strings.TrimSpace(in.Note)
	var d []apperr.Detail
	if !validScanID(in.ScanID) {
		d = append(d, apperr.Detail{Field: "scan_id", Key: "checkin.scan_id_invalid"})
	}
	if in.Rating != nil && (*in.Rating < 1 || *in.Rating > 5) {
		d = append(d, apperr.Detail{Field: "rating", Key: "checkin.rating_invalid"})
	}
	if utf8.RuneCountInString(in.Note) > maxNote {
		d = append(d, apperr.Detail{Field: "note", Key: "error.max_length", Args: map[string]any{"Max": maxNote}})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// Lead is a visitor noted at a booth, with who they are.
type Lead struct {
	ID           int64     `db:"id" json:"id"`
	BoothID      int64     `db:"booth_id" json:"booth_id"`
	BoothCode    string    `db:"booth_code" json:"booth_code"`
	DelegationID *int64    `db:"delegation_id" json:"delegation_id"`
	CheckpointID int64     `db:"checkpoint_id" json:"checkpoint_id"`
	ScanID       string    `db:"scan_id" json:"scan_id"`
	ScannedAt    time.Time `db:"scanned_at" json:"scanned_at"`
	AttendeeID   int64     `db:"attendee_id" json:"attendee_id"`
	Name         string    `db:"name" json:"name"`
	Organisation string    `db:"organisation" json:"organisation"`
	Category     string    `db:"category" json:"category"`
	Phone        string    `db:"phone" json:"phone"`
	Rating       *int      `db:"rating" json:"rating"`
	Note         string    `db:"note" json:"note"`
	UserID       *int64    `db:"user_id" json:"user_id"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

const leadSelect = `SELECT l.id, l.booth_id, b.code AS booth_code, l.delegation_id, s.checkpoint_id,
	s.scan_id, s.scanned_at, l.attendee_id, a.name, a.organisation, a.category, a.phone,
	l.rating, l.note, l.user_id, l.created_at, l.updated_at
	FROM leads l JOIN scans s ON s.id = l.scan_row JOIN attendees a ON a.id = l.attendee_id
	JOIN booths b ON b.id = l.booth_id`

var (
	errScanNotFound  = apperr.New(apperr.NotFound, "checkin.scan_not_found")
	errLeadForbidden = apperr.New(apperr.Forbidden, "checkin.leads_forbidden")
)

// SaveLead adds a rating and a note to an accepted scan at a booth
// checkpoint, or replaces the ones it had. Only someone who may scan at
// the checkpoint may do so.
func (s *Store) SaveLead(ctx context.Context, checkpointID int64, sc Scanner, in LeadInput) (Lead, error) {
	if err := in.Validate(); err != nil {
		return Lead{}, err
	}
	cp, err := s.Checkpoint(ctx, checkpointID)
	if err != nil {
		return Lead{}, err
	}
	if err := s.MayScan(ctx, sc, cp); err != nil {
		return Lead{}, err
	}
	if cp.Kind != "booth" || cp.BoothID == nil {
		return Lead{}, apperr.New(apperr.Invalid, "checkin.lead_not_booth")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		id, err = s.upsertLead(ctx, tx, cp, sc, in)
		return err
	})
	if err != nil {
		return Lead{}, apperr.Wrap(err, fmt.Sprintf("save lead of scan %s", in.ScanID))
	}
	var l Lead
	if err := s.db.R.GetContext(ctx, &l, leadSelect+` WHERE l.id = ?`, id); err != nil {
		return Lead{}, fmt.Errorf("read lead %d: %w", id, err)
	}
	return l, nil
}

func (s *Store) upsertLead(ctx context.Context, tx *sqlx.Tx, cp Checkpoint, sc Scanner, in LeadInput) (int64, error) {
	var scan struct {
		ID         int64  `db:"id"`
		AttendeeID *int64 `db:"attendee_id"`
		Verdict    string `db:"verdict"`
	}
	err := tx.GetContext(ctx, &scan, `SELECT id, attendee_id, verdict FROM scans WHERE scan_id = ? AND checkpoint_id = ?`,
		in.ScanID, cp.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errScanNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("find scan: %w", err)
	}
	if scan.Verdict != Accepted || scan.AttendeeID == nil {
		return 0, apperr.Field("scan_id", "checkin.lead_needs_accepted", nil)
	}
	var holder *int64
	if err := tx.GetContext(ctx, &holder, `SELECT delegation_id FROM booths WHERE id = ?`, *cp.BoothID); err != nil {
		return 0, fmt.Errorf("holder of booth %d: %w", *cp.BoothID, err)
	}
	now := s.now().UTC()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO leads
		(scan_row, booth_id, delegation_id, attendee_id, rating, note, user_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scan_row) DO UPDATE SET rating = excluded.rating, note = excluded.note,
			user_id = excluded.user_id, updated_at = excluded.updated_at
		RETURNING id`, scan.ID, *cp.BoothID, holder, *scan.AttendeeID, in.Rating, in.Note, nullID(sc.UserID), now, now)
	if err != nil {
		return 0, fmt.Errorf("insert lead: %w", err)
	}
	return id, nil
}

// BoothRef is a booth as leads name it.
type BoothRef struct {
	ID           int64  `db:"id" json:"id"`
	EditionID    int64  `db:"edition_id" json:"edition_id"`
	Code         string `db:"code" json:"code"`
	DelegationID *int64 `db:"delegation_id" json:"delegation_id"`
	Edition      string `db:"edition" json:"edition"`
	Leads        int    `db:"leads" json:"leads"`
}

// leadScope is which leads of a booth someone may see: all of them
// (organisers, leaders), or those of one exhibitor.
type leadScope struct {
	booth      BoothRef
	all        bool
	delegation *int64
}

// leadScopeOf decides what who may see of a booth's leads: organisers and
// leaders everything; the delegation holding the booth its own leads;
// staff bound to the booth the current holder's leads; anyone else
// nothing (Forbidden).
func (s *Store) leadScopeOf(ctx context.Context, who *web.Identity, boothID int64) (leadScope, error) {
	var b BoothRef
	err := s.db.R.GetContext(ctx, &b, `SELECT b.id, b.edition_id, b.code, b.delegation_id, e.name AS edition,
		(SELECT COUNT(*) FROM leads l WHERE l.booth_id = b.id) AS leads
		FROM booths b JOIN editions e ON e.id = b.edition_id WHERE b.id = ?`, boothID)
	if errors.Is(err, sql.ErrNoRows) {
		return leadScope{}, apperr.New(apperr.NotFound, "checkin.booth_unknown")
	}
	if err != nil {
		return leadScope{}, fmt.Errorf("booth %d: %w", boothID, err)
	}
	sc := leadScope{booth: b, delegation: b.DelegationID}
	switch {
	case who.Is(web.RoleOrganiser, web.RoleLeader):
		sc.all = true
		return sc, nil
	case who.Is(web.RoleDelegation) && who.DelegationID != 0 && b.DelegationID != nil && *b.DelegationID == who.DelegationID:
		return sc, nil
	case who.Is(web.RoleStaff) && b.DelegationID != nil:
		id, ok, err := s.staffBooth(ctx, who.UserID, true)
		if err != nil {
			return leadScope{}, err
		}
		if ok && id == b.ID {
			return sc, nil
		}
	}
	return leadScope{}, errLeadForbidden
}

// Leads lists the leads of a booth that who may see, newest first.
func (s *Store) Leads(ctx context.Context, who *web.Identity, boothID int64) (BoothRef, []Lead, error) {
	sc, err := s.leadScopeOf(ctx, who, boothID)
	if err != nil {
		return BoothRef{}, nil, err
	}
	q, args := leadSelect+` WHERE l.booth_id = ?`, []any{boothID}
	if !sc.all {
		q, args = q+` AND l.delegation_id = ?`, append(args, *sc.delegation)
	}
	ls := []Lead{}
	if err := s.db.R.SelectContext(ctx, &ls, q+` ORDER BY s.scanned_at DESC, l.id DESC`, args...); err != nil {
		return BoothRef{}, nil, fmt.Errorf("leads of booth %d: %w", boothID, err)
	}
	sc.booth.Leads = len(ls)
	return sc.booth, ls, nil
}

// LeadBooths lists the booths whose leads who may open: every booth with
// a booth checkpoint for organisers and leaders, a delegation's own booths,
// a staff account's one booth.
func (s *Store) LeadBooths(ctx context.Context, who *web.Identity) ([]BoothRef, error) {
	q := `SELECT b.id, b.edition_id, b.code, b.delegation_id, e.name AS edition,
		(SELECT COUNT(*) FROM leads l WHERE l.booth_id = b.id) AS leads
		FROM booths b JOIN editions e ON e.id = b.edition_id WHERE `
	var args []any
	switch {
	case who.Is(web.RoleOrganiser, web.RoleLeader):
		q += `EXISTS (SELECT 1 FROM checkpoints c WHERE c.booth_id = b.id)`
	case who.Is(web.RoleDelegation) && who.DelegationID != 0:
		q, args = q+`b.delegation_id = ?`, append(args, who.DelegationID)
	case who.Is(web.RoleStaff):
		id, ok, err := s.staffBooth(ctx, who.UserID, true)
		if err != nil || !ok {
			return []BoothRef{}, err
		}
		q, args = q+`b.id = ?`, append(args, id)
	default:
		return []BoothRef{}, nil
	}
	bs := []BoothRef{}
	if err := s.db.R.SelectContext(ctx, &bs, q+` ORDER BY e.starts_on DESC, b.code`, args...); err != nil {
		return nil, fmt.Errorf("booths with leads: %w", err)
	}
	return bs, nil
}
