package roadshow

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// SessionPatch changes a session: only the fields sent change. Room is a
// room name; a new name creates the room, as when a session is created.
type SessionPatch struct {
	Title          *string    `json:"title"`
	Kind           *string    `json:"kind"`
	Room           *string    `json:"room"`
	StartsAt       *time.Time `json:"starts_at"`
	EndsAt         *time.Time `json:"ends_at"`
	MeetingMinutes *int       `json:"meeting_minutes"`
	Tables         *int       `json:"tables"`
	Criteria       *Criteria  `json:"criteria"`
}

// merge returns the session's fields with the patch applied.
func (p SessionPatch) merge(cur Session) (SessionInput, Criteria) {
	in := SessionInput{Title: cur.Title, Kind: cur.Kind, Room: cur.Room, StartsAt: cur.StartsAt, EndsAt: cur.EndsAt,
		MeetingMinutes: cur.MeetingMinutes, Tables: cur.Tables}
	crit := cur.Criteria
	set(&in.Title, p.Title)
	set(&in.Kind, p.Kind)
	set(&in.Room, p.Room)
	set(&in.StartsAt, p.StartsAt)
	set(&in.EndsAt, p.EndsAt)
	set(&in.MeetingMinutes, p.MeetingMinutes)
	set(&in.Tables, p.Tables)
	set(&crit, p.Criteria)
	return in, crit
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkCriteria trims the criteria and refuses an empty list, a blank or
// over-long criterion and a criterion named twice (scores are kept per
// criterion name).
func checkCriteria(c Criteria) (Criteria, error) {
	out := make(Criteria, 0, len(c))
	seen := map[string]bool{}
	for _, x := range c {
		x = strings.TrimSpace(x)
		if x == "" || utf8.RuneCountInString(x) > 40 || seen[x] {
			return nil, apperr.Field("criteria", "roadshow.criteria_invalid", nil)
		}
		seen[x] = true
		out = append(out, x)
	}
	if len(out) == 0 || len(out) > 12 {
		return nil, apperr.Field("criteria", "roadshow.criteria_invalid", nil)
	}
	return out, nil
}

// UpdateSession changes a session. Its slots are checked again against the
// new times and room: a slot left outside the session or meeting another
// booking of the room refuses the whole change with 409 listing every
// clash. Scores on criteria the session no longer has are dropped.
func (s *Store) UpdateSession(ctx context.Context, id int64, p SessionPatch) (Session, error) {
	var out Session
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getSession(ctx, tx, id)
		if err != nil {
			return err
		}
		in, crit := p.merge(cur)
		if err := in.Validate(); err != nil {
			return err
		}
		if crit, err = checkCriteria(crit); err != nil {
			return err
		}
		roomID, err := s.roomID(ctx, tx, cur.EditionID, in.Room)
		if err != nil {
			return err
		}
		if err := sessionRoomFree(ctx, tx, roomID, in.StartsAt, in.EndsAt, id); err != nil {
			return err
		}
		if err := s.writeSession(ctx, tx, id, roomID, in, crit); err != nil {
			return err
		}
		if out, err = getSession(ctx, tx, id); err != nil {
			return err
		}
		return s.recheckSlots(ctx, tx, out)
	})
	return out, err
}

func (s *Store) writeSession(ctx context.Context, tx *sqlx.Tx, id, roomID int64, in SessionInput, crit Criteria) error {
	_, err := tx.ExecContext(ctx, `UPDATE agenda_sessions SET room_id = ?, kind = ?, title = ?, starts_at = ?, ends_at = ?,
		meeting_minutes = ?, tables = ?, criteria = ?, updated_at = ? WHERE id = ?`,
		roomID, in.Kind, in.Title, in.StartsAt, in.EndsAt, in.MeetingMinutes, in.Tables, crit, s.now().UTC(), id)
	if err != nil {
		return fmt.Errorf("update session %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE slots SET room_id = ? WHERE session_id = ?`, roomID, id); err != nil {
		return fmt.Errorf("move slots of session %d: %w", id, err)
	}
	q, args, err := sqlx.In(`DELETE FROM scores WHERE slot_id IN (SELECT id FROM slots WHERE session_id = ?)
		AND criterion NOT IN (?)`, id, []string(crit))
	if err != nil {
		return fmt.Errorf("drop old criteria: %w", err)
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("drop scores of old criteria of session %d: %w", id, err)
	}
	return nil
}

// recheckSlots runs the clash check for every slot of the changed session,
// saving fresh warnings; any hard clash refuses the change.
func (s *Store) recheckSlots(ctx context.Context, tx *sqlx.Tx, sess Session) error {
	var slots []Slot
	if err := sqlx.SelectContext(ctx, tx, &slots, slotColumns+`WHERE s.session_id = ? ORDER BY s.starts_at, s.id`, sess.ID); err != nil {
		return fmt.Errorf("slots of session %d: %w", sess.ID, err)
	}
	var hard Clashes
	for _, sl := range slots {
		h, soft, err := s.check.check(ctx, tx, placement{Session: sess, ProjectID: sl.ProjectID,
			Presenter: sl.Presenter, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, ExcludeID: sl.ID})
		if err != nil {
			return err
		}
		for i := range h {
			if h[i].Kind == ClashOutside { // name the slot left outside, not just the session
				h[i].Key = "roadshow.clash_slot_outside"
				h[i].With = ClashWith{Type: clashWithSlot, ID: sl.ID, Title: sl.Project}
				h[i].Args["Title"] = sl.Project
			}
		}
		hard = append(hard, h...)
		if _, err := tx.ExecContext(ctx, `UPDATE slots SET warnings = ? WHERE id = ?`, soft, sl.ID); err != nil {
			return fmt.Errorf("warnings of slot %d: %w", sl.ID, err)
		}
	}
	if len(hard) > 0 {
		return refuse(hard)
	}
	return nil
}
