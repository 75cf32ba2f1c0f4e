package checkin

import (
	"context"
	"sync"
	"time"

	"huizhan/internal/civil"
)

// ReasonExpired rejects a badge scanned after the last day its code is
// signed valid for.
const ReasonExpired = "expired"

// validity checks a badge's signed valid days (bit i: the edition's day
// i+1) against the Beijing date of the scan. After the last valid day the
// badge has expired; before the first, or on a day between valid days
// that it does not cover, it is not yet valid.
func validity(days uint8, start civil.Date, at time.Time) string {
	y, m, d := at.In(china).Date()
	i := start.DaysUntil(civil.NewDate(y, m, d))
	switch {
	case i < 0:
		return ReasonNotYetValid
	case i >= 8 || days>>i == 0:
		return ReasonExpired
	case days&(1<<i) == 0:
		return ReasonNotYetValid
	}
	return ""
}

// editionStarts remembers editions' first days for the scan path. An
// organiser moving an edition's dates is rare; a minute's delay is fine.
type editionStarts struct {
	mu sync.Mutex
	m  map[int64]editionStart
}

type editionStart struct {
	day civil.Date
	at  time.Time
}

const editionStartTTL = time.Minute

// editionStart returns the first day of an edition.
func (s *Store) editionStart(ctx context.Context, editionID int64) (civil.Date, error) {
	now := s.now()
	s.starts.mu.Lock()
	e, ok := s.starts.m[editionID]
	s.starts.mu.Unlock()
	if ok && now.Sub(e.at) < editionStartTTL {
		return e.day, nil
	}
	ed, err := s.editions.Edition(ctx, editionID)
	if err != nil {
		return civil.Date{}, err
	}
	s.starts.mu.Lock()
	s.starts.m[editionID] = editionStart{day: ed.StartsOn, at: now}
	s.starts.mu.Unlock()
	return ed.StartsOn, nil
}
