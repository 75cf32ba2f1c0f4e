package roadshow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

const slotColumns = `SELECT s.id, s.session_id, s.edition_id, s.room_id, s.project_id, p.title AS project,
	p.industry, p.delegation_id, d.name AS delegation, s.presenter, s.starts_at, s.ends_at, s.position, s.warnings
	FROM slots s JOIN projects p ON p.id = s.project_id JOIN delegations d ON d.id = p.delegation_id `

// Slots lists a session's slots in time order.
func (s *Store) Slots(ctx context.Context, sessionID int64) ([]Slot, error) {
	var ss []Slot
	err := s.db.R.SelectContext(ctx, &ss, slotColumns+`WHERE s.session_id = ? ORDER BY s.starts_at, s.position, s.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list slots of session %d: %w", sessionID, err)
	}
	return ss, nil
}

// EditionSlots lists every slot of an edition in time order.
func (s *Store) EditionSlots(ctx context.Context, editionID int64) ([]Slot, error) {
	var ss []Slot
	err := s.db.R.SelectContext(ctx, &ss, slotColumns+`WHERE s.edition_id = ? ORDER BY s.starts_at, s.position, s.id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list slots of edition %d: %w", editionID, err)
	}
	return ss, nil
}

// Slot returns one slot.
func (s *Store) Slot(ctx context.Context, id int64) (Slot, error) { return getSlot(ctx, s.db.R, id) }

func getSlot(ctx context.Context, q sqlx.QueryerContext, id int64) (Slot, error) {
	var sl Slot
	err := sqlx.GetContext(ctx, q, &sl, slotColumns+`WHERE s.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Slot{}, errSlotNotFound
	}
	if err != nil {
		return Slot{}, fmt.Errorf("get slot %d: %w", id, err)
	}
	return sl, nil
}

// CreateSlot places a project in a session. A hard clash refuses it with
// 409 listing every clash; warnings are saved with the slot.
func (s *Store) CreateSlot(ctx context.Context, sessionID int64, in SlotInput) (Slot, error) {
	if err := in.Validate(); err != nil {
		return Slot{}, err
	}
	var out Slot
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		out, err = s.insertSlot(ctx, tx, sessionID, in)
		return err
	})
	return out, err
}

func (s *Store) insertSlot(ctx context.Context, tx *sqlx.Tx, sessionID int64, in SlotInput) (Slot, error) {
	sess, err := getSession(ctx, tx, sessionID)
	if err != nil {
		return Slot{}, err
	}
	if err := projectInEdition(ctx, tx, in.ProjectID, sess.EditionID); err != nil {
		return Slot{}, err
	}
	hard, soft, err := s.check.check(ctx, tx, placement{Session: sess, ProjectID: in.ProjectID,
		Presenter: in.Presenter, StartsAt: in.StartsAt, EndsAt: in.EndsAt})
	if err != nil {
		return Slot{}, err
	}
	if len(hard) > 0 {
		return Slot{}, refuse(hard)
	}
	now := s.now().UTC()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO slots
		(session_id, edition_id, room_id, project_id, presenter, starts_at, ends_at, position, warnings, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM slots WHERE session_id = ?), ?, ?, ?) RETURNING id`,
		sess.ID, sess.EditionID, sess.RoomID, in.ProjectID, in.Presenter, in.StartsAt, in.EndsAt, sess.ID, soft, now, now)
	if err != nil {
		return Slot{}, fmt.Errorf("insert slot in session %d: %w", sess.ID, err)
	}
	return getSlot(ctx, tx, id)
}

func projectInEdition(ctx context.Context, q sqlx.QueryerContext, projectID, editionID int64) error {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT COUNT(*) FROM projects WHERE id = ? AND edition_id = ?`, projectID, editionID)
	if err != nil {
		return fmt.Errorf("find project %d: %w", projectID, err)
	}
	if n == 0 {
		return apperr.Field("project_id", "roadshow.project_not_in_edition", nil)
	}
	return nil
}

// UpdateSlot changes a slot's presenter, times and, when project_id is
// sent, its project, with the same checks as a new slot.
func (s *Store) UpdateSlot(ctx context.Context, id int64, in SlotInput) (Slot, error) {
	var out Slot
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getSlot(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.ProjectID == 0 {
			in.ProjectID = cur.ProjectID
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if in.ProjectID != cur.ProjectID {
			if err := projectInEdition(ctx, tx, in.ProjectID, cur.EditionID); err != nil {
				return err
			}
			cur.ProjectID = in.ProjectID
		}
		if err := s.moveSlot(ctx, tx, cur, in.Presenter, in.StartsAt, in.EndsAt); err != nil {
			return err
		}
		out, err = getSlot(ctx, tx, id)
		return err
	})
	return out, err
}

// moveSlot checks and writes a slot's new presenter and times.
func (s *Store) moveSlot(ctx context.Context, tx *sqlx.Tx, cur Slot, presenter string, from, to time.Time) error {
	sess, err := getSession(ctx, tx, cur.SessionID)
	if err != nil {
		return err
	}
	hard, soft, err := s.check.check(ctx, tx, placement{Session: sess, ProjectID: cur.ProjectID,
		Presenter: presenter, StartsAt: from, EndsAt: to, ExcludeID: cur.ID})
	if err != nil {
		return err
	}
	if len(hard) > 0 {
		return refuse(hard)
	}
	_, err = tx.ExecContext(ctx, `UPDATE slots SET project_id = ?, presenter = ?, starts_at = ?, ends_at = ?, warnings = ?, updated_at = ? WHERE id = ?`,
		cur.ProjectID, presenter, from, to, soft, s.now().UTC(), cur.ID)
	if err != nil {
		return fmt.Errorf("update slot %d: %w", cur.ID, err)
	}
	return nil
}

// DeleteSlot removes a slot.
func (s *Store) DeleteSlot(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM slots WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete slot %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errSlotNotFound
		}
		return nil
	})
}

// Reorder puts a session's slots in the order given. The new first slot
// starts where the old first one did; each slot keeps its length, and the
// gaps between slots stay where they were. Every moved slot is checked
// again; one hard clash refuses the whole reorder.
func (s *Store) Reorder(ctx context.Context, sessionID int64, order []int64) ([]Slot, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var cur []Slot
		err := sqlx.SelectContext(ctx, tx, &cur, slotColumns+`WHERE s.session_id = ? ORDER BY s.starts_at, s.position, s.id`, sessionID)
		if err != nil {
			return fmt.Errorf("slots of session %d: %w", sessionID, err)
		}
		byID := map[int64]Slot{}
		for _, sl := range cur {
			byID[sl.ID] = sl
		}
		if len(order) != len(cur) || !allKnown(order, byID) {
			return apperr.Field("slot_ids", "roadshow.reorder_mismatch", nil)
		}
		return s.applyOrder(ctx, tx, cur, order, byID)
	})
	if err != nil {
		return nil, err
	}
	return s.Slots(ctx, sessionID)
}

func allKnown(order []int64, byID map[int64]Slot) bool {
	seen := map[int64]bool{}
	for _, id := range order {
		if _, ok := byID[id]; !ok || seen[id] {
			return false
		}
		seen[id] = true
	}
	return true
}

// applyOrder re-times the slots in order. It first parks every slot so the
// re-timed slots never meet their old selves, then checks each in turn.
func (s *Store) applyOrder(ctx context.Context, tx *sqlx.Tx, cur []Slot, order []int64, byID map[int64]Slot) error {
	if len(cur) == 0 {
		return nil
	}
	// Parked slots sit at a real timestamp (PostgreSQL must parse it) long
	// before any conference, so they never clash with a re-timed one.
	parkedAt := time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	if _, err := tx.ExecContext(ctx, `UPDATE slots SET starts_at = ?, ends_at = ? WHERE session_id = ?`,
		parkedAt, parkedAt.Add(time.Minute), cur[0].SessionID); err != nil {
		return fmt.Errorf("park slots: %w", err)
	}
	at := cur[0].StartsAt
	for i, id := range order {
		sl := byID[id]
		length := sl.EndsAt.Sub(sl.StartsAt)
		if err := s.moveSlot(ctx, tx, sl, sl.Presenter, at, at.Add(length)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE slots SET position = ? WHERE id = ?`, i+1, id); err != nil {
			return fmt.Errorf("position slot %d: %w", id, err)
		}
		at = at.Add(length)
		if i+1 < len(cur) {
			at = at.Add(max(0, cur[i+1].StartsAt.Sub(cur[i].EndsAt)))
		}
	}
	return nil
}
