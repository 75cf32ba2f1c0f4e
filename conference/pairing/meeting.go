package pairing

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference/roadshow"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

// Session is a pairing session as this package sees it; the roadshow
// package owns sessions and tells this one through Roadshows.
type Session struct {
	ID             int64     `db:"id" json:"id"`
	EditionID      int64     `db:"edition_id" json:"edition_id"`
	Kind           string    `db:"kind" json:"kind"`
	Title          string    `db:"title" json:"title"`
	Room           string    `db:"room" json:"room"`
	StartsAt       time.Time `db:"starts_at" json:"starts_at"`
	EndsAt         time.Time `db:"ends_at" json:"ends_at"`
	MeetingMinutes int       `db:"meeting_minutes" json:"meeting_minutes"`
	Tables         int       `db:"tables" json:"tables"`
}

// Slots is the number of meetings one table holds: back to back from the
// start, as many whole meetings as fit.
func (s Session) Slots() int {
	if s.MeetingMinutes <= 0 {
		return 0
	}
	return int(s.EndsAt.Sub(s.StartsAt) / (time.Duration(s.MeetingMinutes) * time.Minute))
}

// SlotStart is when slot i (from 0) starts.
func (s Session) SlotStart(i int) time.Time {
	return s.StartsAt.Add(time.Duration(i*s.MeetingMinutes) * time.Minute).UTC()
}

// SlotAt returns the slot starting at t, if t is on the grid.
func (s Session) SlotAt(t time.Time) (int, bool) {
	d := t.Sub(s.StartsAt)
	step := time.Duration(s.MeetingMinutes) * time.Minute
	if d < 0 || step <= 0 || d%step != 0 {
		return 0, false
	}
	i := int(d / step)
	return i, i < s.Slots()
}

// Meeting is a pairing booked at a table in one slot.
type Meeting struct {
	ID              int64     `db:"id" json:"id"`
	PairingID       int64     `db:"pairing_id" json:"pairing_id"`
	SessionID       int64     `db:"session_id" json:"session_id"`
	EditionID       int64     `db:"edition_id" json:"edition_id"`
	Table           int       `db:"table_no" json:"table"`
	StartsAt        time.Time `db:"starts_at" json:"starts_at"`
	EndsAt          time.Time `db:"ends_at" json:"ends_at"`
	DemandID        int64     `db:"demand_id" json:"demand_id"`
	SupplyID        int64     `db:"supply_id" json:"supply_id"`
	DemandPresenter string    `db:"demand_presenter" json:"demand_presenter"`
	SupplyPresenter string    `db:"supply_presenter" json:"supply_presenter"`
	CreatedAt       time.Time `db:"created_at" json:"created_at"`
}

// MeetingInput books a pairing's meeting.
type MeetingInput struct {
	SessionID int64     `json:"session_id"`
	Table     int       `json:"table"`
	StartsAt  time.Time `json:"starts_at"`
}

var errSessionNotFound = apperr.New(apperr.NotFound, "meeting.session_not_found")

// Session returns a pairing session (from the roadshow package).
func (s *Store) Session(ctx context.Context, id int64) (Session, error) {
	if s.roadshows == nil {
		return Session{}, errSessionNotFound
	}
	rs, err := s.roadshows.Session(ctx, id)
	if apperr.KindOf(err) == apperr.NotFound || (err == nil && rs.Kind != "pairing") {
		return Session{}, errSessionNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("get session %d: %w", id, err)
	}
	return sessionOf(rs), nil
}

func sessionOf(rs roadshow.Session) Session {
	return Session{ID: rs.ID, EditionID: rs.EditionID, Kind: rs.Kind, Title: rs.Title, Room: rs.Room,
		StartsAt: rs.StartsAt, EndsAt: rs.EndsAt, MeetingMinutes: rs.MeetingMinutes, Tables: rs.Tables}
}

// Sessions lists an edition's pairing sessions in time order.
func (s *Store) Sessions(ctx context.Context, editionID int64) ([]Session, error) {
	if s.roadshows == nil {
		return nil, nil
	}
	all, err := s.roadshows.Sessions(ctx, editionID)
	if err != nil {
		return nil, fmt.Errorf("pairing sessions of edition %d: %w", editionID, err)
	}
	var ss []Session
	for _, rs := range all {
		if rs.Kind == "pairing" {
			ss = append(ss, sessionOf(rs))
		}
	}
	slices.SortStableFunc(ss, func(a, b Session) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return ss, nil
}

func (s *Store) meetingOf(ctx context.Context, pairingID int64) (*Meeting, error) {
	var m Meeting
	err := s.db.R.GetContext(ctx, &m, `SELECT * FROM meetings WHERE pairing_id = ?`, pairingID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meeting of pairing %d: %w", pairingID, err)
	}
	return &m, nil
}

// Book puts a pairing's meeting at a table and slot of a pairing session,
// replacing its earlier booking. It is refused (409, with one detail per
// clash) when the table, either project or either presenter is busy then,
// roadshow slots included. The check and the write share one transaction
// on the single write connection, and the table and slot are a unique key,
// so of two bookings of one table and slot exactly one wins.
func (s *Store) Book(ctx context.Context, pairingID int64, in MeetingInput) (Meeting, error) {
	var m Meeting
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		p, ss, err := s.bookable(ctx, tx, pairingID, in)
		if err != nil {
			return err
		}
		cs, err := s.commitments(ctx, tx, p.EditionID)
		if err != nil {
			return err
		}
		want := candidate{pairing: p, start: in.StartsAt.UTC(), end: in.StartsAt.UTC().Add(time.Duration(ss.MeetingMinutes) * time.Minute)}
		if clashes := want.clashes(cs, ss.ID, in.Table); len(clashes) > 0 {
			return apperr.New(apperr.Conflict, "meeting.clash").WithDetails(clashes...)
		}
		m, err = s.insertMeeting(ctx, tx, p, ss.ID, in.Table, want.start, want.end)
		return err
	})
	if err != nil {
		return Meeting{}, apperr.Wrap(err, fmt.Sprintf("book pairing %d", pairingID))
	}
	s.publishMeeting(m)
	return m, nil
}

func (s *Store) bookable(ctx context.Context, tx *sqlx.Tx, pairingID int64, in MeetingInput) (Pairing, Session, error) {
	p, err := getPairing(ctx, tx, pairingID)
	if err != nil {
		return p, Session{}, err
	}
	if !p.Bookable() {
		return p, Session{}, apperr.New(apperr.Conflict, "meeting.not_bookable")
	}
	ss, err := s.Session(ctx, in.SessionID)
	if err != nil || ss.EditionID != p.EditionID {
		return p, ss, apperr.Field("session_id", "meeting.session_not_found", nil)
	}
	if in.Table < 1 || in.Table > ss.Tables {
		return p, ss, apperr.Field("table", "meeting.table_range", map[string]any{"Tables": ss.Tables})
	}
	if _, ok := ss.SlotAt(in.StartsAt); !ok {
		return p, ss, apperr.Field("starts_at", "meeting.off_grid", map[string]any{"Minutes": ss.MeetingMinutes})
	}
	return p, ss, nil
}

func (s *Store) insertMeeting(ctx context.Context, tx *sqlx.Tx, p Pairing, sessionID int64, table int, start, end time.Time) (Meeting, error) {
	old, err := previousMeeting(ctx, tx, p.ID)
	if err != nil {
		return Meeting{}, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meetings WHERE pairing_id = ?`, p.ID); err != nil {
		return Meeting{}, fmt.Errorf("replace meeting: %w", err)
	}
	var m Meeting
	err = tx.GetContext(ctx, &m, `INSERT INTO meetings (pairing_id, session_id, edition_id, table_no, starts_at,
		ends_at, demand_id, supply_id, demand_presenter, supply_presenter, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
		p.ID, sessionID, p.EditionID, table, start, end, p.DemandID, p.SupplyID,
		p.Demand.ContactName, p.Supply.ContactName, s.now().UTC())
	if db.IsUnique(err) {
		return Meeting{}, apperr.New(apperr.Conflict, "meeting.clash").
			WithDetails(apperr.Detail{Kind: "table", Key: "meeting.clash_table",
				Args: map[string]any{"Table": table, "Time": start.In(china).Format("01-02 15:04")}})
	}
	if err != nil {
		return Meeting{}, fmt.Errorf("insert meeting: %w", err)
	}
	return m, s.notifyMeeting(ctx, tx, p, m, old)
}

// Cancel removes a pairing's meeting.
func (s *Store) Cancel(ctx context.Context, pairingID int64) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		old, err := previousMeeting(ctx, tx, pairingID)
		if err != nil {
			return err
		}
		if old == nil {
			return apperr.New(apperr.NotFound, "meeting.not_found")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meetings WHERE pairing_id = ?`, pairingID); err != nil {
			return fmt.Errorf("cancel meeting of pairing %d: %w", pairingID, err)
		}
		return s.cancelReminders(ctx, tx, *old)
	})
}

func (s *Store) publishMeeting(m Meeting) {
	if s.broker != nil {
		s.broker.Publish(Event{EditionID: m.EditionID, Type: "meeting", PairingID: m.PairingID, At: s.now().UTC()})
	}
}
