package roadshow

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Agenda is an edition's programme as the public reads it: the sessions in
// time order, each with its slots in time order. Release is the released
// version it comes from (0 for the working draft), Changes what moved
// since the release before it.
type Agenda struct {
	EditionID  int64           `json:"edition_id"`
	Release    int             `json:"release"`
	ReleasedAt *time.Time      `json:"released_at"`
	Sessions   []AgendaSession `json:"sessions"`
	Changes    []Change        `json:"changes"`
}

// AgendaSession is a session in an agenda.
type AgendaSession struct {
	ID       int64        `json:"id"`
	Kind     string       `json:"kind"`
	Title    string       `json:"title"`
	Room     string       `json:"room"`
	StartsAt time.Time    `json:"starts_at"`
	EndsAt   time.Time    `json:"ends_at"`
	Slots    []AgendaSlot `json:"slots"`
}

// AgendaSlot is a pitch in an agenda.
type AgendaSlot struct {
	ID         int64     `json:"id"`
	ProjectID  int64     `json:"project_id"`
	Project    string    `json:"project"`
	Delegation string    `json:"delegation"`
	Presenter  string    `json:"presenter"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
}

// Change kinds of a release's change list.
const (
	ChangeNew       = "new"
	ChangeMoved     = "moved"
	ChangeCancelled = "cancelled"
)

// Change is one difference between a release and the one before it.
// Type is "session" or "slot"; the Old fields are set for moves.
type Change struct {
	Kind        string     `json:"kind"`
	Type        string     `json:"type"`
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Session     string     `json:"session,omitempty"`
	Room        string     `json:"room"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	OldRoom     string     `json:"old_room,omitempty"`
	OldStartsAt *time.Time `json:"old_starts_at,omitempty"`
}

// Release is one released version of an edition's agenda.
type Release struct {
	ID         int64     `db:"id" json:"-"`
	EditionID  int64     `db:"edition_id" json:"edition_id"`
	Number     int       `db:"number" json:"number"`
	Snapshot   string    `db:"snapshot" json:"-"`
	ReleasedBy *int64    `db:"released_by" json:"-"`
	ReleasedAt time.Time `db:"released_at" json:"released_at"`
}

// Draft builds the agenda from the sessions and slots as they are now.
func (s *Store) Draft(ctx context.Context, editionID int64) (Agenda, error) {
	return draft(ctx, s.db.R, editionID)
}

func draft(ctx context.Context, q sqlx.QueryerContext, editionID int64) (Agenda, error) {
	a := Agenda{EditionID: editionID, Sessions: []AgendaSession{}, Changes: []Change{}}
	var ss []Session
	if err := sqlx.SelectContext(ctx, q, &ss, sessionColumns+`WHERE a.edition_id = ? ORDER BY a.starts_at, r.name, a.id`, editionID); err != nil {
		return a, fmt.Errorf("agenda sessions: %w", err)
	}
	var slots []Slot
	if err := sqlx.SelectContext(ctx, q, &slots, slotColumns+`WHERE s.edition_id = ? ORDER BY s.starts_at, s.position, s.id`, editionID); err != nil {
		return a, fmt.Errorf("agenda slots: %w", err)
	}
	bySession := map[int64][]AgendaSlot{}
	for _, sl := range slots {
		bySession[sl.SessionID] = append(bySession[sl.SessionID], AgendaSlot{ID: sl.ID, ProjectID: sl.ProjectID,
			Project: sl.Project, Delegation: sl.Delegation, Presenter: sl.Presenter, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt})
	}
	for _, se := range ss {
		as := AgendaSession{ID: se.ID, Kind: se.Kind, Title: se.Title, Room: se.Room,
			StartsAt: se.StartsAt, EndsAt: se.EndsAt, Slots: bySession[se.ID]}
		if as.Slots == nil {
			as.Slots = []AgendaSlot{}
		}
		a.Sessions = append(a.Sessions, as)
	}
	return a, nil
}

// Publish releases the current agenda as the edition's next numbered
// version and returns it with its change list against the previous one.
func (s *Store) Publish(ctx context.Context, editionID int64, userID *int64) (Agenda, error) {
	var out Agenda
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.editionExists(ctx, tx, editionID); err != nil {
			return err
		}
		a, err := draft(ctx, tx, editionID)
		if err != nil {
			return err
		}
		snap, err := json.Marshal(a.Sessions)
		if err != nil {
			return fmt.Errorf("agenda snapshot: %w", err)
		}
		now := s.now().UTC()
		err = tx.GetContext(ctx, &a.Release, `INSERT INTO agenda_releases (edition_id, number, snapshot, released_by, released_at)
			VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM agenda_releases WHERE edition_id = ?), ?, ?, ?) RETURNING number`,
			editionID, editionID, string(snap), userID, now)
		if err != nil {
			return fmt.Errorf("insert release: %w", err)
		}
		if out, err = releasedAgenda(ctx, tx, editionID, a.Release); err != nil {
			return err
		}
		return s.notifyRelease(ctx, tx, out)
	})
	return out, err
}

// Releases lists an edition's releases, newest first.
func (s *Store) Releases(ctx context.Context, editionID int64) ([]Release, error) {
	var rs []Release
	err := s.db.R.SelectContext(ctx, &rs, `SELECT * FROM agenda_releases WHERE edition_id = ? ORDER BY number DESC`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list releases of edition %d: %w", editionID, err)
	}
	return rs, nil
}

// Published returns the latest released agenda with its changes; an
// edition with no release yet has an empty agenda (Release 0).
func (s *Store) Published(ctx context.Context, editionID int64) (Agenda, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return Agenda{}, err
	}
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COALESCE(MAX(number), 0) FROM agenda_releases WHERE edition_id = ?`, editionID)
	if err != nil {
		return Agenda{}, fmt.Errorf("latest release: %w", err)
	}
	if n == 0 {
		return Agenda{EditionID: editionID, Sessions: []AgendaSession{}, Changes: []Change{}}, nil
	}
	return releasedAgenda(ctx, s.db.R, editionID, n)
}

// releasedAgenda reads release number n and compares it with n-1.
func releasedAgenda(ctx context.Context, q sqlx.QueryerContext, editionID int64, n int) (Agenda, error) {
	cur, at, err := snapshot(ctx, q, editionID, n)
	if err != nil {
		return Agenda{}, err
	}
	a := Agenda{EditionID: editionID, Release: n, ReleasedAt: &at, Sessions: cur, Changes: []Change{}}
	if n > 1 {
		prev, _, err := snapshot(ctx, q, editionID, n-1)
		if err != nil {
			return Agenda{}, err
		}
		a.Changes = diff(prev, cur)
	}
	return a, nil
}

func snapshot(ctx context.Context, q sqlx.QueryerContext, editionID int64, n int) ([]AgendaSession, time.Time, error) {
	var r Release
	err := sqlx.GetContext(ctx, q, &r, `SELECT * FROM agenda_releases WHERE edition_id = ? AND number = ?`, editionID, n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("release %d of edition %d is missing", n, editionID)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("get release %d: %w", n, err)
	}
	var ss []AgendaSession
	if err := json.Unmarshal([]byte(r.Snapshot), &ss); err != nil {
		return nil, time.Time{}, fmt.Errorf("read release %d: %w", n, err)
	}
	return ss, r.ReleasedAt, nil
}
