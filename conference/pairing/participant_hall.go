package pairing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// The participants' side in the hall: where an accepted request's meeting
// goes, the half-days a contact is there, and what they report afterwards.

// placeMeeting books p at the earliest slot of the edition's pairing
// sessions where a table is free, neither project nor contact is busy
// (meetings and roadshows) and both sides are available; nil when none.
// It uses the auto-scheduler's grid, with the half-days a side is away
// marked busy for its project.
func (s *Store) placeMeeting(ctx context.Context, tx *sqlx.Tx, p Pairing) (*Meeting, error) {
	// Sessions come from the roadshow package, which owns them.
	ss, err := s.Sessions(ctx, p.EditionID)
	if err != nil {
		return nil, err
	}
	busy, err := s.commitments(ctx, tx, p.EditionID)
	if err != nil {
		return nil, err
	}
	avail, err := availabilityOf(ctx, tx, p.DemandID, p.SupplyID)
	if err != nil {
		return nil, err
	}
	c := candidate{pairing: p}
	for _, sess := range ss {
		g := newGrid(sess, busy)
		for i := range sess.Slots() {
			for _, side := range c.projects() {
				if !available(avail[side], sess.SlotStart(i)) {
					g.mark(i, [2]int64{side}, [2]string{})
				}
			}
		}
		pl, reason := g.place(c)
		if reason != "" {
			continue
		}
		end := pl.StartsAt.Add(time.Duration(sess.MeetingMinutes) * time.Minute)
		m, err := s.insertMeeting(ctx, tx, p, sess.ID, pl.Table, pl.StartsAt, end)
		if err != nil {
			return nil, err
		}
		return &m, nil
	}
	return nil, nil
}

func availabilityOf(ctx context.Context, q sqlx.QueryerContext, projects ...int64) (map[int64][]time.Time, error) {
	query, args, err := sqlx.In(`SELECT project_id, starts_at FROM participant_availability
		WHERE project_id IN (?) ORDER BY starts_at`, projects)
	if err != nil {
		return nil, fmt.Errorf("availability: %w", err)
	}
	var rows []struct {
		ProjectID int64     `db:"project_id"`
		StartsAt  time.Time `db:"starts_at"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("availability: %w", err)
	}
	out := map[int64][]time.Time{}
	for _, r := range rows {
		out[r.ProjectID] = append(out[r.ProjectID], r.StartsAt.UTC())
	}
	return out, nil
}

// maxHalfDays bounds one availability list.
const maxHalfDays = 40

// SetAvailability replaces the half-days a project's contact is at the
// hall. Each must be a half-day with pairing slots (any time inside it
// names it). Accepted requests of the project still waiting for a table
// are tried again afterwards.
func (s *Store) SetAvailability(ctx context.Context, projectID int64, in []time.Time) ([]time.Time, error) {
	var editionID int64
	if err := s.db.R.GetContext(ctx, &editionID, `SELECT edition_id FROM projects WHERE id = ?`, projectID); err != nil {
		return nil, fmt.Errorf("edition of project %d: %w", projectID, err)
	}
	ss, err := s.Sessions(ctx, editionID)
	if err != nil {
		return nil, err
	}
	offered := halfDays(ss)
	if len(in) > maxHalfDays {
		return nil, apperr.Field("half_days", "participant.half_days_many", map[string]any{"Max": maxHalfDays})
	}
	var want []time.Time
	for _, t := range in {
		h := halfDayOf(t)
		if !slices.ContainsFunc(offered, h.Equal) {
			return nil, apperr.Field("half_days", "participant.half_day_unknown",
				map[string]any{"Time": t.In(china).Format("2006-01-02 15:04")})
		}
		if !slices.ContainsFunc(want, h.Equal) {
			want = append(want, h)
		}
	}
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM participant_availability WHERE project_id = ?`, projectID); err != nil {
			return fmt.Errorf("clear availability: %w", err)
		}
		for _, h := range want {
			if _, err := tx.ExecContext(ctx, `INSERT INTO participant_availability (project_id, starts_at) VALUES (?, ?)`,
				projectID, h); err != nil {
				return fmt.Errorf("insert availability: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, apperr.Wrap(err, "set availability")
	}
	if err := s.placeQueuedOf(ctx, projectID); err != nil {
		return nil, err
	}
	avail, err := availabilityOf(ctx, s.db.R, projectID)
	if err != nil {
		return nil, err
	}
	if avail[projectID] == nil {
		return []time.Time{}, nil
	}
	return avail[projectID], nil
}

// placeQueuedOf tries to book the project's accepted requests that wait
// for a table.
func (s *Store) placeQueuedOf(ctx context.Context, projectID int64) error {
	var ids []int64
	err := s.db.R.SelectContext(ctx, &ids, `SELECT r.id FROM participant_requests r JOIN pairings p ON p.id = r.pairing_id
		WHERE (r.from_project_id = ? OR r.to_project_id = ?) AND r.state = 'accepted' AND p.stage <> 'dropped'
		AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.pairing_id = p.id) ORDER BY r.id`, projectID, projectID)
	if err != nil {
		return fmt.Errorf("queued requests of project %d: %w", projectID, err)
	}
	for _, id := range ids {
		if _, err := s.PlaceQueued(ctx, id); err != nil && apperr.KindOf(err) != apperr.Conflict {
			return err
		}
	}
	return nil
}

// PlaceQueued tries again to book an accepted request that waits for a
// table; 409 when it has a meeting already, or still nothing fits.
func (s *Store) PlaceQueued(ctx context.Context, id int64) (Request, error) {
	var m *Meeting
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		r, err := getRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.PairingID == nil || r.State != RequestAccepted {
			return apperr.New(apperr.Conflict, "participant.not_queued")
		}
		p, err := getPairing(ctx, tx, *r.PairingID)
		if err != nil {
			return err
		}
		var booked int
		if err := tx.GetContext(ctx, &booked, `SELECT COUNT(*) FROM meetings WHERE pairing_id = ?`, p.ID); err != nil {
			return fmt.Errorf("meeting of pairing %d: %w", p.ID, err)
		}
		if booked > 0 || !p.Bookable() {
			return apperr.New(apperr.Conflict, "participant.not_queued")
		}
		if m, err = s.placeMeeting(ctx, tx, p); err != nil {
			return err
		}
		if m == nil {
			return apperr.New(apperr.Conflict, "participant.no_slot")
		}
		return nil
	})
	if err != nil {
		return Request{}, apperr.Wrap(err, "place queued request")
	}
	s.publishMeeting(*m)
	return s.Request(ctx, id)
}

// ReportOutcome records what one side says after a meeting of a pairing
// it is part of, and moves the pairing forward to what the reports so far
// reach (outcomeStage); never backward, and never out of dropped.
func (s *Store) ReportOutcome(ctx context.Context, pairingID, projectID int64, outcome string) (Pairing, error) {
	if err := checkOutcome(outcome); err != nil {
		return Pairing{}, err
	}
	p, err := s.Pairing(ctx, pairingID)
	if err != nil {
		return p, err
	}
	switch {
	case p.DemandID != projectID && p.SupplyID != projectID:
		return Pairing{}, errNotFound
	case p.Meeting == nil:
		return Pairing{}, apperr.New(apperr.Conflict, "participant.no_meeting")
	case s.now().Before(p.Meeting.StartsAt):
		return Pairing{}, apperr.New(apperr.Conflict, "participant.meeting_ahead")
	}
	var os []Outcome
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO participant_outcomes (pairing_id, project_id, outcome, reported_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (pairing_id, project_id) DO UPDATE SET outcome = excluded.outcome,
			reported_at = excluded.reported_at`, pairingID, projectID, outcome, s.now().UTC())
		if err != nil {
			return fmt.Errorf("record outcome: %w", err)
		}
		return tx.SelectContext(ctx, &os, `SELECT * FROM participant_outcomes WHERE pairing_id = ?`, pairingID)
	})
	if err != nil {
		return Pairing{}, apperr.Wrap(err, "report outcome")
	}
	to := outcomeStage(os)
	if p.Stage == StageDropped || rank(to) <= rank(p.Stage) {
		return s.Pairing(ctx, pairingID)
	}
	who := &web.Identity{Username: fmt.Sprintf("%s #%d", participantName, projectID)}
	return s.advanceStage(ctx, pairingID, to, "outcome: "+outcome, who)
}

// advanceStage is the one place the participants' side moves a pairing's
// stage; it goes through the coordinators' stage method so that the same
// rules and history apply.
func (s *Store) advanceStage(ctx context.Context, pairingID int64, stage, note string, who *web.Identity) (Pairing, error) {
	// ForwardOnly: a report racing a coordinator's correction must never
	// move the pairing back; the state machine then leaves it as it is.
	return s.SetStage(ctx, pairingID, StageInput{Stage: stage, Note: note, ForwardOnly: true}, who)
}
