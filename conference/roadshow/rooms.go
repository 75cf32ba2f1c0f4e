package roadshow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

var errRoomNotFound = apperr.New(apperr.NotFound, "roadshow.room_not_found")

// RoomInput creates a room; RoomPatch changes one (only the fields sent).
type RoomInput struct {
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

// RoomPatch changes a room's name or capacity.
type RoomPatch struct {
	Name     *string `json:"name"`
	Capacity *int    `json:"capacity"`
}

// Validate trims the name and reports every problem at once.
func (in *RoomInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if in.Capacity < 0 || in.Capacity > 100000 {
		d = append(d, apperr.Detail{Field: "capacity", Key: "roadshow.capacity_range"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// Room returns one room.
func (s *Store) Room(ctx context.Context, id int64) (Room, error) { return getRoom(ctx, s.db.R, id) }

func getRoom(ctx context.Context, q sqlx.QueryerContext, id int64) (Room, error) {
	var r Room
	err := sqlx.GetContext(ctx, q, &r, `SELECT * FROM rooms WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Room{}, errRoomNotFound
	}
	if err != nil {
		return Room{}, fmt.Errorf("get room %d: %w", id, err)
	}
	return r, nil
}

// EditionRooms lists an edition's rooms, NotFound for an unknown edition.
func (s *Store) EditionRooms(ctx context.Context, editionID int64) ([]Room, error) {
	if err := s.editionExists(ctx, s.db.R, editionID); err != nil {
		return nil, err
	}
	return s.Rooms(ctx, editionID)
}

// CreateRoom adds a room; a name the edition already has is a 409.
func (s *Store) CreateRoom(ctx context.Context, editionID int64, in RoomInput) (Room, error) {
	if err := in.Validate(); err != nil {
		return Room{}, err
	}
	var out Room
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.editionExists(ctx, tx, editionID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &out, `INSERT INTO rooms (edition_id, name, capacity, created_at)
			VALUES (?, ?, ?, ?) RETURNING *`, editionID, in.Name, in.Capacity, s.now().UTC())
		return roomWriteError(err, in.Name)
	})
	return out, err
}

// UpdateRoom renames a room or changes its capacity. Sessions name their
// room by ID, so a rename shows everywhere at once.
func (s *Store) UpdateRoom(ctx context.Context, id int64, p RoomPatch) (Room, error) {
	var out Room
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getRoom(ctx, tx, id)
		if err != nil {
			return err
		}
		in := RoomInput{Name: cur.Name, Capacity: cur.Capacity}
		set(&in.Name, p.Name)
		set(&in.Capacity, p.Capacity)
		if err := in.Validate(); err != nil {
			return err
		}
		err = tx.GetContext(ctx, &out, `UPDATE rooms SET name = ?, capacity = ? WHERE id = ? RETURNING *`,
			in.Name, in.Capacity, id)
		return roomWriteError(err, in.Name)
	})
	return out, err
}

func roomWriteError(err error, name string) error {
	switch {
	case err == nil:
		return nil
	case db.IsUnique(err):
		return apperr.New(apperr.Conflict, "roadshow.room_taken").With(map[string]any{"Name": name}).
			WithDetails(apperr.Detail{Field: "name", Key: "roadshow.room_taken", Args: map[string]any{"Name": name}})
	default:
		return fmt.Errorf("write room %q: %w", name, err)
	}
}
