package booths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/db"
)

// Editing and deleting zones and booths. Deletes refuse rather than
// cascade: a held booth has an exhibitor who must be released (and told)
// first, and a zone's booths must go one by one, so that nobody loses a
// block of booths with one click.

// InputOf is the input that reproduces z, the start of a PATCH.
func (z Zone) InputOf() ZoneInput {
	return ZoneInput{Name: z.Name, Hall: z.Hall, Key: z.Key, Online: z.Online,
		DelegationID: z.DelegationID, OpensOn: z.OpensOn, ClosesOn: z.ClosesOn}
}

// InputOf is the input that reproduces b, the start of a PATCH.
func (b Booth) InputOf() BoothInput {
	return BoothInput{ZoneID: b.ZoneID, Code: b.Code, AreaM2: b.AreaM2, X: b.X, Y: b.Y, W: b.W, H: b.H}
}

// checkZone checks what a zone refers to against its edition: the
// delegation comes to the edition and the opening days are conference days.
func checkZone(ctx context.Context, q querier, editionID int64, in ZoneInput) error {
	if err := zoneDaysInEdition(ctx, q, editionID, in); err != nil {
		return err
	}
	if in.DelegationID != nil {
		return delegationInEdition(ctx, q, *in.DelegationID, editionID)
	}
	return nil
}

// zoneDaysInEdition reports each opening day that falls outside the
// edition's dates (a zero day means the edition's own, so it always fits).
func zoneDaysInEdition(ctx context.Context, q querier, editionID int64, in ZoneInput) error {
	var e struct {
		StartsOn civil.Date `db:"starts_on"`
		EndsOn   civil.Date `db:"ends_on"`
	}
	err := q.GetContext(ctx, &e, `SELECT starts_on, ends_on FROM editions WHERE id = ?`, editionID)
	if errors.Is(err, sql.ErrNoRows) {
		return errEditionNotFound
	}
	if err != nil {
		return fmt.Errorf("dates of edition %d: %w", editionID, err)
	}
	args := map[string]any{"From": e.StartsOn.String(), "To": e.EndsOn.String()}
	var d []apperr.Detail
	for _, day := range []struct {
		field string
		v     civil.Date
	}{{"opens_on", in.OpensOn}, {"closes_on", in.ClosesOn}} {
		if !day.v.IsZero() && (day.v.Before(e.StartsOn) || e.EndsOn.Before(day.v)) {
			d = append(d, apperr.Detail{Field: day.field, Key: "zone.outside_edition", Args: args})
		}
	}
	return detailsError(d)
}

func zoneNameTaken(name string) error {
	args := map[string]any{"Name": name}
	return apperr.New(apperr.Conflict, "zone.name_taken").With(args).
		WithDetails(apperr.Detail{Field: "name", Key: "zone.name_taken", Args: args})
}

// UpdateZone replaces a zone's fields; the zone stays in its edition.
func (s *Store) UpdateZone(ctx context.Context, id int64, in ZoneInput) (Zone, error) {
	if err := in.Validate(); err != nil {
		return Zone{}, err
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var editionID int64
		err := tx.GetContext(ctx, &editionID, `SELECT edition_id FROM zones WHERE id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return errZoneNotFound
		}
		if err != nil {
			return fmt.Errorf("find zone %d: %w", id, err)
		}
		if err := checkZone(ctx, tx, editionID, in); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE zones SET name = ?, hall = ?, key_zone = ?, online = ?,
			delegation_id = ?, opens_on = ?, closes_on = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Hall, in.Key, in.Online, in.DelegationID, in.OpensOn, in.ClosesOn, s.now().UTC(), id)
		if db.IsUnique(err) {
			return zoneNameTaken(in.Name)
		}
		return err
	})
	if err != nil {
		return Zone{}, apperr.Wrap(err, fmt.Sprintf("update zone %d", id))
	}
	return s.Zone(ctx, id)
}

// DeleteZone removes a zone that has no booths; a zone with booths is a
// conflict that says how many.
func (s *Store) DeleteZone(ctx context.Context, id int64) error {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var z Zone
		err := tx.GetContext(ctx, &z, zoneSelect+` WHERE z.id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return errZoneNotFound
		}
		if err != nil {
			return fmt.Errorf("find zone %d: %w", id, err)
		}
		if z.Booths > 0 {
			args := map[string]any{"Name": z.Name, "Count": z.Booths}
			return apperr.New(apperr.Conflict, "zone.has_booths").With(args).
				WithDetails(apperr.Detail{Field: "zone_id", Key: "zone.has_booths", Args: args,
					With: map[string]any{"booths": z.Booths}})
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM zones WHERE id = ?`, id)
		return err
	})
	return apperr.Wrap(err, fmt.Sprintf("delete zone %d", id))
}

// UpdateBooth replaces a booth's code, zone, area and place on the plan.
// Its holder is not touched here (that is Assign, Reserve and Release), and
// the new zone must be in the booth's edition.
func (s *Store) UpdateBooth(ctx context.Context, id int64, in BoothInput) (Booth, error) {
	if err := in.Validate(); err != nil {
		return Booth{}, err
	}
	var b Booth
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getBooth(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := zoneInEdition(ctx, tx, in.ZoneID, cur.EditionID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE booths SET zone_id = ?, code = ?, area_m2 = ?,
			x = ?, y = ?, w = ?, h = ?, updated_at = ? WHERE id = ?`,
			in.ZoneID, in.Code, in.AreaM2, in.X, in.Y, in.W, in.H, s.now().UTC(), id)
		if db.IsUnique(err) {
			return codeTaken(in.Code)
		}
		if err != nil {
			return fmt.Errorf("update booth %d: %w", id, err)
		}
		b, err = getBooth(ctx, tx, id)
		return err
	})
	if err != nil {
		return Booth{}, apperr.Wrap(err, fmt.Sprintf("update booth %d", id))
	}
	return b, nil
}

// DeleteBooth removes a free booth, with its staff bindings; a reserved or
// assigned booth is a conflict naming its holder. The DELETE itself only
// matches a free booth, so a booth assigned while the organiser clicked
// "delete" is not lost.
func (s *Store) DeleteBooth(ctx context.Context, id int64) error {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM booths WHERE id = ? AND delegation_id IS NULL`, id)
		if err != nil {
			return fmt.Errorf("delete booth %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		b, err := getBooth(ctx, tx, id)
		if err != nil {
			return err
		}
		args := map[string]any{"Code": b.Code, "Holder": b.Exhibitor}
		with := map[string]any{"delegation_id": b.DelegationID, "name": b.Exhibitor, "state": b.State}
		return apperr.New(apperr.Conflict, "booth.delete_held").With(args).
			WithDetails(apperr.Detail{Field: "delegation_id", Key: "booth.delete_held", Args: args, With: with})
	})
	return apperr.Wrap(err, fmt.Sprintf("delete booth %d", id))
}
