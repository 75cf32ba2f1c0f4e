package checkin

import (
	"context"
	"fmt"
	"time"
)

// DayStats counts one checkpoint's scans on one day.
type DayStats struct {
	Day          string `db:"day" json:"day"`
	CheckpointID int64  `db:"checkpoint_id" json:"checkpoint_id"`
	Checkpoint   string `db:"checkpoint" json:"checkpoint"`
	Kind         string `db:"kind" json:"kind"`
	Accepted     int    `db:"accepted" json:"accepted"`
	Duplicate    int    `db:"duplicate" json:"duplicate"`
	Rejected     int    `db:"rejected" json:"rejected"`
	People       int    `db:"people" json:"people"` // distinct attendees accepted
}

// Stats is the answer of GET /api/v1/editions/{id}/checkins/stats.
type Stats struct {
	EditionID int64      `json:"edition_id"`
	Attendees int        `json:"attendees"`
	Scans     int        `json:"scans"`
	People    int        `json:"people"` // attendees accepted anywhere
	ByDay     []DayStats `json:"by_day"`
}

// Stats counts an edition's scans by day and checkpoint.
func (s *Store) Stats(ctx context.Context, editionID int64) (Stats, error) {
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return Stats{}, err
	}
	st := Stats{EditionID: editionID, ByDay: []DayStats{}}
	err := s.db.R.SelectContext(ctx, &st.ByDay, `SELECT s.day, s.checkpoint_id, c.name AS checkpoint, c.kind,
		SUM(CASE WHEN s.verdict = 'accepted' THEN 1 ELSE 0 END) AS accepted,
		SUM(CASE WHEN s.verdict = 'duplicate' THEN 1 ELSE 0 END) AS duplicate,
		SUM(CASE WHEN s.verdict = 'rejected' THEN 1 ELSE 0 END) AS rejected,
		COUNT(DISTINCT CASE WHEN s.verdict = 'accepted' THEN s.attendee_id END) AS people
		FROM scans s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE s.edition_id = ? GROUP BY s.day, s.checkpoint_id, c.name, c.kind
		ORDER BY s.day, c.kind, c.name`, editionID)
	if err != nil {
		return Stats{}, fmt.Errorf("scan stats of edition %d: %w", editionID, err)
	}
	err = s.db.R.QueryRowxContext(ctx, `SELECT
		(SELECT COUNT(*) FROM attendees WHERE edition_id = ?),
		(SELECT COUNT(*) FROM scans WHERE edition_id = ?),
		(SELECT COUNT(DISTINCT attendee_id) FROM scans WHERE edition_id = ? AND verdict = 'accepted')`,
		editionID, editionID, editionID).Scan(&st.Attendees, &st.Scans, &st.People)
	if err != nil {
		return Stats{}, fmt.Errorf("scan totals of edition %d: %w", editionID, err)
	}
	return st, nil
}

// Live is one message of the live counters: per checkpoint, today's scans
// and the people let in today, plus the edition's totals.
type Live struct {
	Day         string     `json:"day"`
	Scans       int        `json:"scans"`
	People      int        `json:"people"`
	Checkpoints []DayStats `json:"checkpoints"`
}

// LiveCounters reads the counters of today (Beijing time).
func (s *Store) LiveCounters(ctx context.Context, editionID int64) (Live, error) {
	st, err := s.Stats(ctx, editionID)
	if err != nil {
		return Live{}, err
	}
	l := Live{Day: s.now().In(china).Format(time.DateOnly), Scans: st.Scans, People: st.People, Checkpoints: []DayStats{}}
	for _, d := range st.ByDay {
		if d.Day == l.Day {
			l.Checkpoints = append(l.Checkpoints, d)
		}
	}
	return l, nil
}

// Changed returns a channel closed at the next committed scan of the
// edition, for live views.
func (s *Store) Changed(editionID int64) <-chan struct{} { return s.live.changed(editionID) }
