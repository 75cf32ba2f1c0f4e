package checkin

import (
	"context"
	"strings"
	"time"
)

// cacheChannel is the database notification channel on which a store tells
// the stores of other instances that something it caches has changed: a
// badge reissued ("code:" and the old code) or a checkpoint's staff
// ("points"). Without it, an instance that had checked a reissued badge
// would go on accepting the old code.
const cacheChannel = "checkin-caches"

// listenForChanges has the store drop what other instances change. If the
// bus cannot be joined, the store works alone, as on a single instance.
func (s *Store) listenForChanges() (stop func()) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stop, err := s.db.Listen(ctx, cacheChannel, s.heardChange)
	if err != nil {
		s.log.Error("check-in caches: changes on other instances will not reach this one", "err", err)
		return func() {}
	}
	return stop
}

func (s *Store) heardChange(payload string) {
	if code, ok := strings.CutPrefix(payload, "code:"); ok {
		s.codes.forget(code)
		s.badges.forget(code)
		return
	}
	if payload == "points" {
		s.points.clear()
	}
}

// changed drops payload's cached data here at once and tells the other
// instances to; they hear it within moments (this one hears it again,
// harmlessly).
func (s *Store) changed(payload string) {
	s.heardChange(payload)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.db.Notify(ctx, cacheChannel, payload); err != nil {
		s.log.Warn("tell other instances of a check-in change", "change", payload, "err", err)
	}
}
