package checkin

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// floods counts forged codes that are not stored one by one. Beyond the
// first few of a burst (floodAfter), and while the forge limiter refuses
// an account and address, each forged code only adds to a count here;
// every floodFlush the counts go to forged_floods, a row per checkpoint,
// account and address, so a flood costs a row, not a row a scan.
type floods struct {
	mu sync.Mutex
	m  map[floodKey]*flood
}

type floodKey struct {
	checkpoint, user int64
	address          string
}

type flood struct {
	n           int
	first, last time.Time
}

const floodFlush = 10 * time.Second

func (f *floods) add(k floodKey, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[floodKey]*flood{}
	}
	fl, ok := f.m[k]
	if !ok {
		if len(f.m) >= 10_000 {
			return // a flood of addresses: the limiter already refuses them
		}
		fl = &flood{first: at}
		f.m[k] = fl
	}
	fl.n++
	fl.last = at
}

func (f *floods) take() map[floodKey]*flood {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.m
	f.m = nil
	return m
}

// flushFloods stores the counted floods.
func (s *Store) flushFloods(ctx context.Context) error {
	m := s.floods.take()
	if len(m) == 0 {
		return nil
	}
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for k, fl := range m {
			_, err := tx.ExecContext(ctx, `INSERT INTO forged_floods (checkpoint_id, user_id, address, scans, first_at, last_at)
				SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM checkpoints WHERE id = ?)`,
				k.checkpoint, nullID(k.user), truncate(k.address, 100), fl.n, fl.first, fl.last, k.checkpoint)
			if err != nil {
				return fmt.Errorf("store forged flood: %w", err)
			}
		}
		return nil
	})
}

// ForgedFlood is a stretch of forged codes counted rather than stored.
type ForgedFlood struct {
	CheckpointID int64     `db:"checkpoint_id" json:"checkpoint_id"`
	UserID       *int64    `db:"user_id" json:"user_id"`
	Address      string    `db:"address" json:"address"`
	Scans        int       `db:"scans" json:"scans"`
	FirstAt      time.Time `db:"first_at" json:"first_at"`
	LastAt       time.Time `db:"last_at" json:"last_at"`
}

// ForgedFloods lists the floods counted at an edition's checkpoints.
func (s *Store) ForgedFloods(ctx context.Context, editionID int64) ([]ForgedFlood, error) {
	fs := []ForgedFlood{}
	err := s.db.R.SelectContext(ctx, &fs, `SELECT f.checkpoint_id, f.user_id, f.address, f.scans, f.first_at, f.last_at
		FROM forged_floods f JOIN checkpoints c ON c.id = f.checkpoint_id
		WHERE c.edition_id = ? ORDER BY f.first_at, f.id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("forged floods of edition %d: %w", editionID, err)
	}
	return fs, nil
}

// flushFloodsEvery stores the counts until quit closes, and once more then.
func (s *Store) flushFloodsEvery(quit <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(floodFlush)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-quit:
			s.logFlush()
			return
		}
		s.logFlush()
	}
}

func (s *Store) logFlush() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.flushFloods(ctx); err != nil {
		s.log.Error("forged floods", "err", err)
	}
}
