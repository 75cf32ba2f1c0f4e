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

// Stats counts an edition's scans by day and checkpoint. Rehearsal scans
// count nowhere.
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
		WHERE s.edition_id = ? AND NOT s.rehearsal GROUP BY s.day, s.checkpoint_id, c.name, c.kind
		ORDER BY s.day, c.kind, c.name`, editionID)
	if err != nil {
		return Stats{}, fmt.Errorf("scan stats of edition %d: %w", editionID, err)
	}
	err = s.db.R.QueryRowxContext(ctx, `SELECT
		(SELECT COUNT(*) FROM attendees WHERE edition_id = ?),
		(SELECT COUNT(*) FROM scans WHERE edition_id = ? AND NOT rehearsal),
		(SELECT COUNT(DISTINCT attendee_id) FROM scans WHERE edition_id = ? AND verdict = 'accepted' AND NOT rehearsal)`,
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
	People      int        `json:"people"`       // attendees accepted anywhere, any day
	PeopleToday int        `json:"people_today"` // attendees let in today at an entry gate
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
	err = s.db.R.GetContext(ctx, &l.PeopleToday, `SELECT COUNT(DISTINCT s.attendee_id)
		FROM scans s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE s.edition_id = ? AND s.day = ? AND s.verdict = 'accepted' AND NOT s.rehearsal
		AND c.kind = 'gate' AND c.direction = 'in'`, editionID, l.Day)
	if err != nil {
		return Live{}, fmt.Errorf("entries today of edition %d: %w", editionID, err)
	}
	return l, nil
}

// Counters are what a station shows beside its verdicts, from GET
// /api/v1/checkpoints/{id}/counters: today's scans at the checkpoint and,
// for a gate of an edition with an exit gate, the people inside (whose
// last pass through a gate today was in). A station in rehearsal counts
// rehearsal scans, others real ones.
type Counters struct {
	CheckpointID int64  `json:"checkpoint_id"`
	Day          string `json:"day"`
	Rehearsal    bool   `json:"rehearsal"`
	Scans        int    `json:"scans"`
	Inside       *int   `json:"inside"` // null: not a gate, or no exit gate to count by
}

// CheckpointCounters reads a checkpoint's counters for a station.
func (s *Store) CheckpointCounters(ctx context.Context, sc Scanner, id int64) (Counters, error) {
	cp, err := s.Checkpoint(ctx, id)
	if err != nil {
		return Counters{}, err
	}
	if err := s.MayScan(ctx, sc, cp); err != nil {
		return Counters{}, err
	}
	n := Counters{CheckpointID: id, Day: s.now().In(china).Format(time.DateOnly), Rehearsal: cp.Rehearsal}
	err = s.db.R.GetContext(ctx, &n.Scans, `SELECT COUNT(*) FROM scans
		WHERE edition_id = ? AND day = ? AND checkpoint_id = ? AND rehearsal = ?`, cp.EditionID, n.Day, id, cp.Rehearsal)
	if err != nil {
		return Counters{}, fmt.Errorf("scans today at checkpoint %d: %w", id, err)
	}
	if cp.Kind != "gate" {
		return n, nil
	}
	var exits int
	err = s.db.R.GetContext(ctx, &exits, `SELECT COUNT(*) FROM checkpoints
		WHERE edition_id = ? AND kind = 'gate' AND direction = 'out'`, cp.EditionID)
	if err != nil || exits == 0 {
		return n, err
	}
	var inside int
	err = s.db.R.GetContext(ctx, &inside, `SELECT COUNT(*) FROM (
		SELECT s.attendee_id, MAX(s.id) AS last FROM scans s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE s.edition_id = ? AND s.day = ? AND s.rehearsal = ? AND c.kind = 'gate'
		AND s.verdict IN ('accepted', 'duplicate') AND s.attendee_id IS NOT NULL
		GROUP BY s.attendee_id) l
		JOIN scans ls ON ls.id = l.last JOIN checkpoints lc ON lc.id = ls.checkpoint_id
		WHERE lc.direction = 'in'`, cp.EditionID, n.Day, cp.Rehearsal)
	if err != nil {
		return Counters{}, fmt.Errorf("people inside, edition %d: %w", cp.EditionID, err)
	}
	n.Inside = &inside
	return n, nil
}

// Changed returns a channel closed at the next committed scan of the
// edition, for live views.
func (s *Store) Changed(editionID int64) <-chan struct{} { return s.live.changed(editionID) }
