package roadshow

import (
	"context"
	"fmt"
	"time"
)

// StageSlot is a project's time on a roadshow stage as another package's
// clash check sees it (pairing meetings): it never reads the slots table
// itself, it asks here.
type StageSlot struct {
	ID        int64     `db:"id"`
	SessionID int64     `db:"session_id"`
	Session   string    `db:"session"`
	ProjectID int64     `db:"project_id"`
	Presenter string    `db:"presenter"`
	StartsAt  time.Time `db:"starts_at"`
	EndsAt    time.Time `db:"ends_at"`
}

// StageSlots lists an edition's roadshow slots with their session's title.
func (s *Store) StageSlots(ctx context.Context, editionID int64) ([]StageSlot, error) {
	var ss []StageSlot
	err := s.db.R.SelectContext(ctx, &ss, `SELECT s.id, s.session_id, a.title AS session, s.project_id, s.presenter,
		s.starts_at, s.ends_at FROM slots s JOIN agenda_sessions a ON a.id = s.session_id
		WHERE s.edition_id = ? ORDER BY s.starts_at, s.id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("roadshow slots of edition %d: %w", editionID, err)
	}
	return ss, nil
}
