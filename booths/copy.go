package booths

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/civil"
)

// CopyEdition implements conference.Copier: the new edition gets the same
// zones (belonging to the copies of their delegations) and the same booths,
// all free. Opening days move with the edition, and are kept within the
// new edition's dates when it is shorter.
func (s *Store) CopyEdition(ctx context.Context, tx *sqlx.Tx, from, to int64, days int, delegations map[int64]int64) error {
	var e struct {
		StartsOn civil.Date `db:"starts_on"`
		EndsOn   civil.Date `db:"ends_on"`
	}
	if err := tx.GetContext(ctx, &e, `SELECT starts_on, ends_on FROM editions WHERE id = ?`, to); err != nil {
		return fmt.Errorf("dates of edition %d: %w", to, err)
	}
	var zs []Zone
	if err := tx.SelectContext(ctx, &zs, `SELECT *, '' AS delegation, 0 AS booths FROM zones WHERE edition_id = ? ORDER BY id`, from); err != nil {
		return fmt.Errorf("copy zones: %w", err)
	}
	now := s.now().UTC()
	for _, z := range zs {
		var del *int64
		if z.DelegationID != nil {
			if id, ok := delegations[*z.DelegationID]; ok {
				del = &id
			}
		}
		z.OpensOn = shiftWithin(z.OpensOn, days, e.StartsOn, e.EndsOn)
		z.ClosesOn = shiftWithin(z.ClosesOn, days, e.StartsOn, e.EndsOn)
		var id int64
		err := tx.GetContext(ctx, &id, `INSERT INTO zones
			(edition_id, name, hall, key_zone, online, delegation_id, opens_on, closes_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			to, z.Name, z.Hall, z.Key, z.Online, del, z.OpensOn, z.ClosesOn, now, now)
		if err != nil {
			return fmt.Errorf("copy zone %q: %w", z.Name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO booths
			(edition_id, zone_id, code, area_m2, x, y, w, h, state, created_at, updated_at)
			SELECT ?, ?, code, area_m2, x, y, w, h, 'free', ?, ? FROM booths WHERE zone_id = ? ORDER BY id`,
			to, id, now, now, z.ID)
		if err != nil {
			return fmt.Errorf("copy booths of zone %q: %w", z.Name, err)
		}
	}
	return nil
}

// shiftWithin moves a day by days and keeps it between first and last; the
// zero day (the edition's own days) stays zero.
func shiftWithin(d civil.Date, days int, first, last civil.Date) civil.Date {
	if d.IsZero() {
		return d
	}
	d = d.AddDays(days)
	if d.Before(first) {
		return first
	}
	if last.Before(d) {
		return last
	}
	return d
}
