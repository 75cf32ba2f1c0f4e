package booths

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// heldBy is the answer when another delegation holds the booth: a conflict
// that names the holder, so the organiser who lost a race sees who won.
func heldBy(b Booth) error {
	args := map[string]any{"Code": b.Code, "Holder": b.Exhibitor}
	with := map[string]any{"delegation_id": b.DelegationID, "name": b.Exhibitor, "state": b.State}
	return apperr.New(apperr.Conflict, "booth.held").With(args).
		WithDetails(apperr.Detail{Field: "delegation_id", Key: "booth.held", Args: args, With: with})
}

func notHeld(b Booth) error {
	return apperr.New(apperr.Conflict, "booth.not_held").With(map[string]any{"Code": b.Code})
}

// Reserve holds a free booth for a delegation. Reserving a booth already
// reserved for the same delegation changes nothing.
func (s *Store) Reserve(ctx context.Context, boothID, delegationID int64) (Booth, error) {
	return s.hold(ctx, boothID, delegationID, StateReserved,
		`(delegation_id IS NULL OR (delegation_id = ? AND state = 'reserved'))`)
}

// Assign gives a booth to a delegation as its exhibitor: a free booth, or
// one reserved for that delegation.
func (s *Store) Assign(ctx context.Context, boothID, delegationID int64) (Booth, error) {
	return s.hold(ctx, boothID, delegationID, StateAssigned, `(delegation_id IS NULL OR delegation_id = ?)`)
}

// hold sets the booth's holder with an UPDATE that only matches while the
// booth is free (or already the same delegation's). Writes are serialised
// on the write connection, and the condition is checked by the database at
// the moment of writing, so of two organisers assigning the same booth one
// updates the row and the other matches nothing and is told who holds it.
func (s *Store) hold(ctx context.Context, boothID, delegationID int64, state, cond string) (Booth, error) {
	var b Booth
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getBooth(ctx, tx, boothID)
		if err != nil {
			return err
		}
		if err := delegationInEdition(ctx, tx, delegationID, cur.EditionID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE booths SET state = ?, delegation_id = ?, updated_at = ?
			WHERE id = ? AND `+cond, state, delegationID, s.now().UTC(), boothID, delegationID)
		if err != nil {
			return fmt.Errorf("hold booth %d: %w", boothID, err)
		}
		if b, err = getBooth(ctx, tx, boothID); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 && (b.DelegationID == nil || *b.DelegationID != delegationID) {
			return heldBy(b)
		}
		return nil
	})
	if err != nil {
		return Booth{}, apperr.Wrap(err, fmt.Sprintf("hold booth %d", boothID))
	}
	return b, nil
}

// Release frees a booth. What was shown there and the staff bound to it
// belonged to the exhibitor, so they go too.
func (s *Store) Release(ctx context.Context, boothID int64) (Booth, error) {
	var b Booth
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := getBooth(ctx, tx, boothID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE booths SET state = 'free', delegation_id = NULL, updated_at = ?
			WHERE id = ? AND delegation_id IS NOT NULL`, s.now().UTC(), boothID)
		if err != nil {
			return fmt.Errorf("release booth %d: %w", boothID, err)
		}
		if err := clearBooth(ctx, tx, boothID); err != nil {
			return err
		}
		b, err = getBooth(ctx, tx, boothID)
		return err
	})
	if err != nil {
		return Booth{}, apperr.Wrap(err, fmt.Sprintf("release booth %d", boothID))
	}
	return b, nil
}

// Move takes the exhibitor of booth from, with its state, the projects it
// shows and its staff, to the free booth to, and frees from.
func (s *Store) Move(ctx context.Context, from, to int64) (Booth, error) {
	var b Booth
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		src, err := getBooth(ctx, tx, from)
		if err != nil {
			return err
		}
		if src.DelegationID == nil {
			return notHeld(src)
		}
		dst, err := getBooth(ctx, tx, to)
		if err != nil || dst.EditionID != src.EditionID || dst.ID == src.ID {
			return apperr.Field("to_booth_id", "booth.move_target", nil)
		}
		if err := s.moveRows(ctx, tx, src, dst); err != nil {
			return err
		}
		b, err = getBooth(ctx, tx, to)
		return err
	})
	if err != nil {
		return Booth{}, apperr.Wrap(err, fmt.Sprintf("move booth %d to %d", from, to))
	}
	return b, nil
}

func (s *Store) moveRows(ctx context.Context, tx *sqlx.Tx, src, dst Booth) error {
	now := s.now().UTC()
	res, err := tx.ExecContext(ctx, `UPDATE booths SET state = ?, delegation_id = ?, updated_at = ?
		WHERE id = ? AND delegation_id IS NULL`, src.State, *src.DelegationID, now, dst.ID)
	if err != nil {
		return fmt.Errorf("take booth %d: %w", dst.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return heldBy(dst)
	}
	for _, q := range []string{
		`UPDATE booth_projects SET booth_id = ? WHERE booth_id = ?`,
		`UPDATE booth_staff SET booth_id = ? WHERE booth_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, dst.ID, src.ID); err != nil {
			return fmt.Errorf("move booth %d rows: %w", src.ID, err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE booths SET state = 'free', delegation_id = NULL, updated_at = ?
		WHERE id = ?`, now, src.ID)
	if err != nil {
		return fmt.Errorf("free booth %d: %w", src.ID, err)
	}
	return nil
}

// clearBooth removes what the exhibitor had at a booth: projects shown and
// staff bound.
func clearBooth(ctx context.Context, tx *sqlx.Tx, boothID int64) error {
	for _, q := range []string{
		`DELETE FROM booth_projects WHERE booth_id = ?`,
		`DELETE FROM booth_staff WHERE booth_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, boothID); err != nil {
			return fmt.Errorf("clear booth %d: %w", boothID, err)
		}
	}
	return nil
}
