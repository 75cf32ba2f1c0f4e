package pairing

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// ScheduleResult is what an auto-scheduling run did.
type ScheduleResult struct {
	Placed   []Placement `json:"placed"`
	Unplaced []Unplaced  `json:"unplaced"`
}

// AutoSchedule books every open pairing of the session's edition that has
// no meeting yet into the session's free tables and slots, as many as fit,
// and lists the rest with the reason. Open means not dropped and not
// declined; a request still pending is listed as not accepted.
func (s *Store) AutoSchedule(ctx context.Context, sessionID int64) (ScheduleResult, error) {
	var res ScheduleResult
	var editionID int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		ss, err := s.Session(ctx, sessionID)
		if err != nil {
			return err
		}
		editionID = ss.EditionID
		var open []Pairing
		err = tx.SelectContext(ctx, &open, selectPairing+` WHERE p.edition_id = ? AND p.stage <> 'dropped'
			AND p.request <> 'declined' AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.pairing_id = p.id)
			ORDER BY p.id`, ss.EditionID)
		if err != nil {
			return fmt.Errorf("open pairings: %w", err)
		}
		busy, err := s.commitments(ctx, tx, ss.EditionID)
		if err != nil {
			return err
		}
		res.Placed, res.Unplaced = schedule(ss, open, busy)
		byID := make(map[int64]Pairing, len(open))
		for _, p := range open {
			byID[p.ID] = p
		}
		for _, pl := range res.Placed {
			end := pl.StartsAt.Add(ss.SlotStart(1).Sub(ss.SlotStart(0)))
			if _, err := s.insertMeeting(ctx, tx, byID[pl.PairingID], ss.ID, pl.Table, pl.StartsAt, end); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ScheduleResult{}, apperr.Wrap(err, fmt.Sprintf("auto-schedule session %d", sessionID))
	}
	if res.Placed == nil {
		res.Placed = []Placement{}
	}
	if res.Unplaced == nil {
		res.Unplaced = []Unplaced{}
	}
	if s.broker != nil && len(res.Placed) > 0 {
		s.broker.Publish(Event{EditionID: editionID, Type: "meeting", At: s.now().UTC()})
	}
	return res, nil
}

// SessionMeeting is a meeting with its pairing, for schedules.
type SessionMeeting struct {
	Meeting
	Pairing Pairing `json:"pairing"`
}

// SessionMeetings lists a session's meetings by slot and table.
func (s *Store) SessionMeetings(ctx context.Context, sessionID int64) ([]SessionMeeting, error) {
	var ms []Meeting
	err := s.db.R.SelectContext(ctx, &ms, `SELECT * FROM meetings WHERE session_id = ? ORDER BY starts_at, table_no`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("meetings of session %d: %w", sessionID, err)
	}
	return s.withPairings(ctx, ms)
}

func (s *Store) withPairings(ctx context.Context, ms []Meeting) ([]SessionMeeting, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.PairingID
	}
	q, args, err := sqlx.In(selectPairing+` WHERE p.id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("meeting pairings: %w", err)
	}
	var ps []Pairing
	if err := s.db.R.SelectContext(ctx, &ps, q, args...); err != nil {
		return nil, fmt.Errorf("meeting pairings: %w", err)
	}
	byID := make(map[int64]Pairing, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	out := make([]SessionMeeting, len(ms))
	for i, m := range ms {
		out[i] = SessionMeeting{Meeting: m, Pairing: byID[m.PairingID]}
	}
	return out, nil
}
