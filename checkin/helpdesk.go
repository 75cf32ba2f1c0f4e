package checkin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"huizhan/internal/db"
	"huizhan/internal/web"
)

// searchCond is the condition of the help desk's one search box: a badge
// code (or a badge URL) matches that code; a mainland mobile number
// matches that phone; four digits match the last four of a phone (or a
// name or organisation holding them); anything else is part of a name,
// organisation or phone.
func (s *Store) searchCond(q string) (string, []any) {
	if code := CodeFrom(q); len(code) == CodeLen {
		return "code = ?", []any{code}
	}
	op := "LIKE"
	if s.db.Dialect() == db.Postgres {
		op = "ILIKE" // SQLite's LIKE ignores ASCII case; PostgreSQL's needs ILIKE to.
	}
	if p, ok := normalPhone(q, true); ok {
		return "phone = ?", []any{p}
	}
	clean := strings.NewReplacer("%", "", "_", "").Replace(q)
	like := "%" + clean + "%"
	if len(clean) == 4 && isDigits(clean) {
		return fmt.Sprintf("(phone LIKE ? OR name %[1]s ? OR organisation %[1]s ?)", op), []any{"%" + clean, like, like}
	}
	return fmt.Sprintf("(name %[1]s ? OR organisation %[1]s ? OR phone %[1]s ?)", op), []any{like, like, like}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// AttendeeScan is one scan of an attendee's badges, as the help desk
// shows it. Reason and Detail are as in a scan's answer (API.md).
type AttendeeScan struct {
	ID           int64     `db:"id" json:"id"`
	ScanID       string    `db:"scan_id" json:"scan_id"`
	CheckpointID int64     `db:"checkpoint_id" json:"checkpoint_id"`
	Checkpoint   string    `db:"checkpoint" json:"checkpoint"`
	Verdict      string    `db:"verdict" json:"verdict"`
	Reason       string    `db:"reason" json:"reason,omitempty"`
	Detail       string    `db:"-" json:"detail,omitempty"`
	ScannedAt    time.Time `db:"scanned_at" json:"scanned_at"`
	Current      bool      `db:"is_current" json:"current_code"` // of the badge the attendee holds now
}

// maxAttendeeScans bounds the list; nobody is scanned more often at one
// event.
const maxAttendeeScans = 1000

// AttendeeScans lists every scan of an attendee's badges (old codes
// included), newest first. No index serves scans by attendee (see
// migration 003: it slowed every scan), so this reads the edition's scans;
// the help desk opens one attendee at a time (BenchmarkAttendeeScans).
func (s *Store) AttendeeScans(ctx context.Context, a Attendee) ([]AttendeeScan, error) {
	out := []AttendeeScan{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT s.id, s.scan_id, s.checkpoint_id, c.name AS checkpoint, s.verdict,
		s.reason, s.scanned_at, CASE WHEN s.code = ? THEN 1 ELSE 0 END AS is_current
		FROM scans s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE s.edition_id = ? AND s.attendee_id = ? ORDER BY s.scanned_at DESC, s.id DESC LIMIT ?`,
		a.Code, a.EditionID, a.ID, maxAttendeeScans)
	if err != nil {
		return nil, fmt.Errorf("scans of attendee %d: %w", a.ID, err)
	}
	for i := range out {
		if r := out[i].Reason; r == ReasonExpired || r == ReasonPending {
			out[i].Reason, out[i].Detail = ReasonNotAllowed, r
		}
	}
	return out, nil
}

// Queue lists one page of an edition's pending registrations or its
// waiting list (status), oldest first (the order of promotion), of one
// category or all.
func (s *Store) Queue(ctx context.Context, editionID int64, status, category string, p web.Paging) ([]Attendee, int, error) {
	if status != StatusWaiting {
		status = StatusPending
	}
	cond, args := "edition_id = ? AND status = ?", []any{editionID, status}
	if category != "" {
		cond, args = cond+" AND category = ?", append(args, category)
	}
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM attendees WHERE `+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count pending: %w", err)
	}
	as := []Attendee{}
	err := s.db.R.SelectContext(ctx, &as, `SELECT * FROM attendees WHERE `+cond+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list pending: %w", err)
	}
	return as, total, nil
}
