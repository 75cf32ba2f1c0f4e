package checkin

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
)

// SeedPastDemo gives an earlier demo edition n attendees, its two gates
// and the door of its opening ceremony (linked to the session titled
// ceremony in sessions, when there is one) and the scans of its days, so
// the summary compares check-ins across editions. The counts are made up:
// the seed gives none.
func (s *Store) SeedPastDemo(ctx context.Context, e conference.Edition, dels []conference.Delegation, n int, sessions map[string]int64, ceremony string) error {
	r := rand.New(rand.NewPCG(uint64(e.Number), uint64(e.Year)))
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		people, err := s.demoPeople(ctx, tx, e, dels, n, r)
		if err != nil {
			return err
		}
		var session *int64
		if id, ok := sessions[ceremony]; ok {
			session = &id
		}
		points := []demoPoint{
			{Checkpoint{Name: "南门入口", Kind: "gate", Rule: "once_per_day"}, 0.6, 0, 8, ""},
			{Checkpoint{Name: "北门入口", Kind: "gate", Rule: "once_per_day"}, 0.4, 0, 8, ""},
			{Checkpoint{Name: "开幕式主会场", Kind: "session", Rule: "once", SessionID: session}, 0.5, 1, 9, ceremony},
		}
		now := s.now().UTC()
		for i, p := range points {
			c, err := insertCheckpoint(ctx, tx, e.ID, CheckpointInput{Name: p.Name, Kind: p.Kind, Rule: p.Rule, SessionID: p.SessionID}, now)
			if err != nil {
				return err
			}
			points[i].Checkpoint = c
		}
		return demoScans(ctx, tx, e, people, points, r)
	})
	if err != nil {
		return fmt.Errorf("check-in demo of edition %d: %w", e.Number, err)
	}
	return nil
}
