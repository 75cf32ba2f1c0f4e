package roadshow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

// Store reads and writes rooms, sessions, slots, releases and scores.
type Store struct {
	db    *db.DB
	log   *slog.Logger
	check checker
	now   func() time.Time

	notify   Notifier // nil: nobody is told of releases
	contacts Contacts
}

// NewStore returns a store. commitments are the presenter's other
// commitments (pairing meetings, ...), consulted by every clash check.
func NewStore(d *db.DB, log *slog.Logger, commitments ...Commitments) *Store {
	return &Store{db: d, log: log, check: checker{commitments: commitments}, now: time.Now}
}

var (
	errSessionNotFound = apperr.New(apperr.NotFound, "roadshow.session_not_found")
	errSlotNotFound    = apperr.New(apperr.NotFound, "roadshow.slot_not_found")
	errEditionNotFound = apperr.New(apperr.NotFound, "edition.not_found")
)

const sessionColumns = `SELECT a.*, r.name AS room, r.capacity AS room_capacity FROM agenda_sessions a JOIN rooms r ON r.id = a.room_id `

// Sessions lists an edition's sessions in time order.
func (s *Store) Sessions(ctx context.Context, editionID int64) ([]Session, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return nil, err
	}
	var ss []Session
	err := s.db.R.SelectContext(ctx, &ss, sessionColumns+`WHERE a.edition_id = ? ORDER BY a.starts_at, r.name, a.id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list sessions of edition %d: %w", editionID, err)
	}
	return ss, nil
}

// Session returns one session.
func (s *Store) Session(ctx context.Context, id int64) (Session, error) {
	return getSession(ctx, s.db.R, id)
}

func getSession(ctx context.Context, q sqlx.QueryerContext, id int64) (Session, error) {
	var ss Session
	err := sqlx.GetContext(ctx, q, &ss, sessionColumns+`WHERE a.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, errSessionNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("get session %d: %w", id, err)
	}
	return ss, nil
}

func (s *Store) editionExists(ctx context.Context, q sqlx.QueryerContext, id int64) error {
	var n int
	if err := sqlx.GetContext(ctx, q, &n, `SELECT COUNT(*) FROM editions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("find edition %d: %w", id, err)
	}
	if n == 0 {
		return errEditionNotFound
	}
	return nil
}

// LatestEdition returns the ID of the newest edition, 0 when there is none.
func (s *Store) LatestEdition(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.R.GetContext(ctx, &id, `SELECT id FROM editions ORDER BY number DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("latest edition: %w", err)
	}
	return id, nil
}

// Rooms lists an edition's rooms by name.
func (s *Store) Rooms(ctx context.Context, editionID int64) ([]Room, error) {
	var rs []Room
	if err := s.db.R.SelectContext(ctx, &rs, `SELECT * FROM rooms WHERE edition_id = ? ORDER BY name`, editionID); err != nil {
		return nil, fmt.Errorf("list rooms of edition %d: %w", editionID, err)
	}
	return rs, nil
}

// CreateSession adds a session, creating its room when the name is new. A
// session overlapping another in the same room is refused with 409.
func (s *Store) CreateSession(ctx context.Context, editionID int64, in SessionInput) (Session, error) {
	if err := in.Validate(); err != nil {
		return Session{}, err
	}
	var out Session
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.editionExists(ctx, tx, editionID); err != nil {
			return err
		}
		roomID, err := s.roomID(ctx, tx, editionID, in.Room)
		if err != nil {
			return err
		}
		if err := sessionRoomFree(ctx, tx, roomID, in.StartsAt, in.EndsAt, 0); err != nil {
			return err
		}
		now := s.now().UTC()
		var id int64
		err = tx.GetContext(ctx, &id, `INSERT INTO agenda_sessions
			(edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			editionID, roomID, in.Kind, in.Title, in.StartsAt, in.EndsAt, in.MeetingMinutes, in.Tables, now, now)
		if err != nil {
			return fmt.Errorf("insert session %q: %w", in.Title, err)
		}
		out, err = getSession(ctx, tx, id)
		return err
	})
	return out, err
}

// roomID finds the edition's room by name, creating it when new.
func (s *Store) roomID(ctx context.Context, tx *sqlx.Tx, editionID int64, name string) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO rooms (edition_id, name, created_at) VALUES (?, ?, ?)
		ON CONFLICT (edition_id, name) DO UPDATE SET name = excluded.name RETURNING id`,
		editionID, name, s.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("room %q: %w", name, err)
	}
	return id, nil
}

// sessionRoomFree refuses a session that overlaps another in its room.
func sessionRoomFree(ctx context.Context, q sqlx.QueryerContext, roomID int64, from, to time.Time, exclude int64) error {
	var others []Session
	err := sqlx.SelectContext(ctx, q, &others, sessionColumns+`WHERE a.room_id = ? AND a.starts_at < ? AND a.ends_at > ? AND a.id <> ?`,
		roomID, to, from, exclude)
	if err != nil {
		return fmt.Errorf("room clash: %w", err)
	}
	var hard Clashes
	for _, o := range others {
		hard = append(hard, Clash{Kind: ClashRoom, Key: "roadshow.clash_room_session",
			With: ClashWith{Type: clashWithSession, ID: o.ID, Title: o.Title},
			Args: map[string]any{"Session": o.Title, "Room": o.Room,
				"Time": o.StartsAt.In(China).Format("01-02 15:04")}})
	}
	if len(hard) > 0 {
		return refuse(hard)
	}
	return nil
}

// DeleteSession removes a session and its slots.
func (s *Store) DeleteSession(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM agenda_sessions WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete session %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errSessionNotFound
		}
		return nil
	})
}
