package roadshow

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// CopyEdition copies the rooms and sessions of edition from into edition
// to, moving each session by days; slots, judges and releases are not
// copied (a new year has new projects). It implements conference.Copier.
func (s *Store) CopyEdition(ctx context.Context, tx *sqlx.Tx, from, to int64, days int, _ map[int64]int64) error {
	now := s.now().UTC()
	_, err := tx.ExecContext(ctx, `INSERT INTO rooms (edition_id, name, capacity, created_at)
		SELECT ?, name, capacity, ? FROM rooms WHERE edition_id = ?`, to, now, from)
	if err != nil {
		return fmt.Errorf("copy rooms of edition %d: %w", from, err)
	}
	var ss []Session
	if err := tx.SelectContext(ctx, &ss, sessionColumns+`WHERE a.edition_id = ? ORDER BY a.id`, from); err != nil {
		return fmt.Errorf("sessions of edition %d: %w", from, err)
	}
	shift := time.Duration(days) * 24 * time.Hour
	for _, se := range ss {
		_, err := tx.ExecContext(ctx, `INSERT INTO agenda_sessions
			(edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables, criteria, created_at, updated_at)
			VALUES (?, (SELECT id FROM rooms WHERE edition_id = ? AND name = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			to, to, se.Room, se.Kind, se.Title, toUTC(se.StartsAt.Add(shift)), toUTC(se.EndsAt.Add(shift)),
			se.MeetingMinutes, se.Tables, se.Criteria, now, now)
		if err != nil {
			return fmt.Errorf("copy session %d: %w", se.ID, err)
		}
	}
	return nil
}
