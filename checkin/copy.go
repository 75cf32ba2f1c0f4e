package checkin

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Copier copies an edition's checkpoints into a copy of the edition
// (conference.Copier). It needs nothing but the copy's transaction, so it
// can be handed to conference.NewStore before the check-in store exists.
type Copier struct{}

// CopyEdition copies checkpoints with their rules, categories and staff;
// time windows move by days. A booth checkpoint follows its booth to the
// booth with the same code in the new edition (booths copy theirs first)
// and loses it when there is none; session checkpoints lose their session,
// which the new edition schedules afresh.
func (Copier) CopyEdition(ctx context.Context, tx *sqlx.Tx, from, to int64, days int, _ map[int64]int64) error {
	var cs []Checkpoint
	if err := tx.SelectContext(ctx, &cs, `SELECT * FROM checkpoints WHERE edition_id = ? ORDER BY id`, from); err != nil {
		return fmt.Errorf("copy checkpoints: %w", err)
	}
	now := time.Now().UTC()
	for _, c := range cs {
		// Rehearsal is not copied: the new edition's gates start for real.
		in := CheckpointInput{Name: c.Name, Kind: c.Kind, Rule: c.Rule, Categories: c.Categories,
			OpensAt: shift(c.OpensAt, days), ClosesAt: shift(c.ClosesAt, days), Direction: c.Direction}
		if c.BoothID != nil {
			var ids []int64
			err := tx.SelectContext(ctx, &ids, `SELECT nb.id FROM booths ob JOIN booths nb ON nb.code = ob.code
				WHERE ob.id = ? AND nb.edition_id = ?`, *c.BoothID, to)
			if err != nil {
				return fmt.Errorf("copy checkpoint %q: find booth: %w", c.Name, err)
			}
			if len(ids) == 1 {
				in.BoothID = &ids[0]
			}
		}
		nc, err := insertCheckpoint(ctx, tx, to, in, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO checkpoint_staff (checkpoint_id, user_id)
			SELECT ?, user_id FROM checkpoint_staff WHERE checkpoint_id = ?`, nc.ID, c.ID)
		if err != nil {
			return fmt.Errorf("copy staff of checkpoint %q: %w", c.Name, err)
		}
	}
	return nil
}

func shift(t *time.Time, days int) *time.Time {
	if t == nil {
		return nil
	}
	u := t.AddDate(0, 0, days)
	return &u
}
