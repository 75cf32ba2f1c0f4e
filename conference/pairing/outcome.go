package pairing

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// SetStage moves a pairing to another stage and records the change; it is
// the one way to move a stage (pages, the API and the participants' side
// call it). Forward moves may skip stages. Agreement and signed need an
// amount (0 < x ≤ MaxWan) and a date not after today in Beijing. A move
// backward, a drop and a reopening need a reason and are kept as
// corrections; a move below agreement takes the amount, date and
// signatories off the pairing and keeps them in the history.
func (s *Store) SetStage(ctx context.Context, id int64, in StageInput, who *web.Identity) (Pairing, error) {
	if err := in.Validate(dayOf(s.now())); err != nil {
		return Pairing{}, err
	}
	var from string
	moved := true
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		p, err := getPairing(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.ForwardOnly && MoveKind(p.Stage, in.Stage) != MoveForward {
			moved = false
			return nil
		}
		if err := in.check(p); err != nil {
			return err
		}
		from = p.Stage
		return s.move(ctx, tx, p, in, who)
	})
	if err != nil {
		return Pairing{}, apperr.Wrap(err, fmt.Sprintf("set stage of pairing %d", id))
	}
	p, err := s.Pairing(ctx, id)
	if err == nil && moved {
		s.publishStage(p, from)
	}
	return p, err
}

func (s *Store) move(ctx context.Context, tx *sqlx.Tx, p Pairing, in StageInput, who *web.Identity) error {
	c := Change{PairingID: p.ID, FromStage: p.Stage, ToStage: in.Stage, Note: in.Note,
		Correction: IsCorrection(p.Stage, in.Stage) || (MoveKind(p.Stage, in.Stage) == MoveSame && amountChanged(p, in))}
	if c.Correction {
		c.Reason = in.Reason
	}
	var amount *Wan
	var signedOn civil.Date
	signatories := ""
	if needsSigning(in.Stage) {
		amount, signedOn, signatories = in.AmountWan, in.SignedOn, p.Signatories
		if in.Signatories != "" {
			signatories = in.Signatories
		}
		c.AmountWan, c.SignedOn = in.AmountWan, in.SignedOn
	}
	if p.AmountWan != nil && (c.AmountWan == nil || *c.AmountWan != *p.AmountWan || c.SignedOn != p.SignedOn) {
		c.PreviousAmount, c.PreviousOn = p.AmountWan, p.SignedOn // into the history, off the pairing
	}
	reason := ""
	if in.Stage == StageDropped {
		reason = in.Reason
	}
	ceremony := p.CeremonyPosition
	if !needsSigning(in.Stage) {
		ceremony = nil // only agreements go on the signing stage
	}
	_, err := tx.ExecContext(ctx, `UPDATE pairings SET stage = ?, amount_wan = ?, signed_on = ?, signatories = ?,
		drop_reason = ?, ceremony_position = ?, updated_at = ? WHERE id = ?`,
		in.Stage, amount, signedOn, signatories, reason, ceremony, s.now().UTC(), p.ID)
	if err != nil {
		return fmt.Errorf("update stage: %w", err)
	}
	return s.record(ctx, tx, c, who)
}

// Counters are the hall's headline figures for one edition.
type Counters struct {
	Pairings   int `db:"pairings" json:"pairings"`
	Effective  int `db:"effective" json:"effective"`   // met or later (有效对接)
	Intents    int `db:"intents" json:"intents"`       // intent or later
	Agreements int `db:"agreements" json:"agreements"` // agreement or signed
	Signed     int `db:"signed" json:"signed"`
	AmountWan  Wan `db:"-" json:"amount_wan"` // of agreements and signed contracts, exact
	// OutOfRange counts stored amounts the total leaves out because they
	// are not amounts a pairing may carry (written by hand into the table).
	OutOfRange int `db:"-" json:"amounts_out_of_range"`
}

// Amount is the amount in 万元 as shown on pages: thousands separators,
// two decimals.
func (c Counters) Amount() string { return c.AmountWan.Grouped() }

// Counters counts an edition's pairings by how far they got. The amount is
// summed in Go, exactly, from the amounts themselves, so that whatever is
// in the table the figure is a number (not +Inf, which no JSON encoder
// writes).
func (s *Store) Counters(ctx context.Context, editionID int64) (Counters, error) {
	// CASE rather than SUM over the comparison itself: PostgreSQL has no
	// SUM(boolean), SQLite's comparisons are already 0 or 1.
	var c Counters
	err := s.db.R.GetContext(ctx, &c, `SELECT COUNT(*) AS pairings,
		COALESCE(SUM(CASE WHEN stage IN ('met','negotiating','intent','agreement','signed') THEN 1 ELSE 0 END), 0) AS effective,
		COALESCE(SUM(CASE WHEN stage IN ('intent','agreement','signed') THEN 1 ELSE 0 END), 0) AS intents,
		COALESCE(SUM(CASE WHEN stage IN ('agreement','signed') THEN 1 ELSE 0 END), 0) AS agreements,
		COALESCE(SUM(CASE WHEN stage = 'signed' THEN 1 ELSE 0 END), 0) AS signed
		FROM pairings WHERE edition_id = ?`, editionID)
	if err != nil {
		return Counters{}, fmt.Errorf("count pairings of edition %d: %w", editionID, err)
	}
	var amounts []Wan
	err = s.db.R.SelectContext(ctx, &amounts, `SELECT amount_wan FROM pairings
		WHERE edition_id = ? AND stage IN ('agreement','signed') AND amount_wan IS NOT NULL`, editionID)
	if err != nil {
		return Counters{}, fmt.Errorf("amounts of edition %d: %w", editionID, err)
	}
	var t Total
	for _, a := range amounts {
		t.Add(a)
	}
	c.AmountWan, c.OutOfRange = t.Sum, t.Skipped
	return c, nil
}

// Ceremony lists the agreements and contracts of an edition for the
// signing ceremony (集中签约): those placed on stage first, in their order,
// then the others by date.
func (s *Store) Ceremony(ctx context.Context, editionID int64) ([]Pairing, error) {
	var ps []Pairing
	err := s.db.R.SelectContext(ctx, &ps, selectPairing+` WHERE p.edition_id = ? AND p.stage IN ('agreement','signed')
		ORDER BY p.ceremony_position IS NULL, p.ceremony_position, p.signed_on, p.id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("signing ceremony of edition %d: %w", editionID, err)
	}
	return ps, nil
}

// SetCeremonyPosition puts an agreement on the signing stage at position
// (from 1), moving the others down, or takes it off with nil.
func (s *Store) SetCeremonyPosition(ctx context.Context, id int64, position *int) (Pairing, error) {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		p, err := getPairing(ctx, tx, id)
		if err != nil {
			return err
		}
		if !needsSigning(p.Stage) {
			return apperr.New(apperr.Conflict, "pairing.ceremony_not_agreement")
		}
		if position != nil && *position < 1 {
			return apperr.Field("position", "pairing.position_invalid", nil)
		}
		return s.reorder(ctx, tx, p, position)
	})
	if err != nil {
		return Pairing{}, apperr.Wrap(err, "place on signing stage")
	}
	return s.Pairing(ctx, id)
}

// reorder rewrites the positions of the edition's ceremony as 1..n with p
// inserted at position (or removed).
func (s *Store) reorder(ctx context.Context, tx *sqlx.Tx, p Pairing, position *int) error {
	var ids []int64
	err := tx.SelectContext(ctx, &ids, `SELECT id FROM pairings WHERE edition_id = ? AND ceremony_position IS NOT NULL
		AND id <> ? ORDER BY ceremony_position, id`, p.EditionID, p.ID)
	if err != nil {
		return fmt.Errorf("read ceremony order: %w", err)
	}
	if position != nil {
		at := min(*position-1, len(ids))
		ids = append(ids[:at], append([]int64{p.ID}, ids[at:]...)...)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pairings SET ceremony_position = NULL WHERE edition_id = ?`, p.EditionID); err != nil {
		return fmt.Errorf("clear ceremony order: %w", err)
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE pairings SET ceremony_position = ? WHERE id = ?`, i+1, id); err != nil {
			return fmt.Errorf("set ceremony position: %w", err)
		}
	}
	return nil
}
