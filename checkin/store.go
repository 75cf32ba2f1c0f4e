package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// Editions is what check-in needs from the conference package.
type Editions interface {
	Edition(ctx context.Context, id int64) (conference.Edition, error)
	Delegation(ctx context.Context, id int64) (conference.Delegation, error)
	Delegations(ctx context.Context, editionID int64) ([]conference.Delegation, error)
	Editions(ctx context.Context, p web.Paging) ([]conference.Edition, int, error)
}

// Store reads and writes attendees, checkpoints and scans. Close stops its
// scan writer.
type Store struct {
	db       *db.DB
	keys     *Keyring
	editions Editions
	booths   BoothStaff // nil: no account is booth staff
	log      *slog.Logger
	now      func() time.Time

	codes                *codeCache
	badges               *pngCache
	points               *pointCache
	starts               editionStarts
	limiter              *forgeLimiter
	floods               floods
	stopFlood, floodDone chan struct{}
	writer               *writer
	live                 *hub
	unlisten             func() // stops hearing other instances' changes
	closeOnce            sync.Once
	notify               Notifier
	baseURL              string
}

// NewStore returns a store and starts its scan writer.
func NewStore(d *db.DB, keys *Keyring, editions Editions, log *slog.Logger) *Store {
	s := &Store{
		db: d, keys: keys, editions: editions, log: log, now: time.Now,
		codes: newCodeCache(100_000), badges: newBoundedMap[string, []byte](20_000), points: newPointCache(),
		limiter: newForgeLimiter(30, 2*time.Second, time.Now), live: startHub(d, log),
		starts: editionStarts{m: map[int64]editionStart{}},
	}
	s.writer = startWriter(d, s.live, log)
	s.unlisten = s.listenForChanges()
	s.stopFlood, s.floodDone = make(chan struct{}), make(chan struct{})
	go s.flushFloodsEvery(s.stopFlood, s.floodDone)
	return s
}

// SetClock makes the store judge and date scans by now instead of the
// system clock, for tests (the forged-code limit keeps real time). Call
// it while no scan is being made.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Close stops the scan writer after the scans already handed to it, then
// the live views' notifier.
func (s *Store) Close() {
	s.closeOnce.Do(func() { close(s.stopFlood) })
	<-s.floodDone
	s.writer.stop()
	s.live.stop()
	s.unlisten()
}

var errAttendeeNotFound = apperr.New(apperr.NotFound, "checkin.attendee_not_found")

// CreateAttendee registers a person for an edition and signs their badge.
// source is "organiser", "public" or "demo". Public registration and
// organiser entry share this path (see create in registration.go).
func (s *Store) CreateAttendee(ctx context.Context, editionID int64, in AttendeeInput, source string) (Attendee, error) {
	r, err := s.create(ctx, editionID, in, source)
	return r.Attendee, err
}

func (s *Store) checkDelegation(ctx context.Context, editionID int64, id *int64) error {
	if id == nil {
		return nil
	}
	d, err := s.editions.Delegation(ctx, *id)
	if err != nil || d.EditionID != editionID {
		return apperr.Field("delegation_id", "checkin.delegation_unknown", nil)
	}
	return nil
}

func (s *Store) insertAttendee(ctx context.Context, tx *sqlx.Tx, e conference.Edition, in AttendeeInput, source string, x registration) (Attendee, error) {
	now := s.now().UTC()
	var id int64
	// The code signs the attendee's ID, which exists only after the insert;
	// a random placeholder holds the unique column meanwhile.
	err := tx.GetContext(ctx, &id, `INSERT INTO attendees
		(edition_id, name, organisation, phone, category, delegation_id, code, source, created_at, updated_at,
		 status, email, consent_version, consented_at, manage_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.ID, in.Name, in.Organisation, in.Phone, in.Category, in.DelegationID,
		fmt.Sprintf("pending-%d-%d", now.UnixNano(), newNonce()), source, now, now,
		x.status(), in.Email, x.consentVersion, x.consentedAt, x.manageHash)
	if db.IsUnique(err) {
		if source == "public" {
			// Say no more than that the number is registered: not whose,
			// nor with what status.
			return Attendee{}, apperr.New(apperr.Conflict, "reg.already_registered").
				WithDetails(apperr.Detail{Field: "phone", Key: "reg.already_registered_detail"})
		}
		return Attendee{}, apperr.New(apperr.Conflict, "checkin.phone_taken").
			WithDetails(apperr.Detail{Field: "phone", Key: "checkin.phone_taken"})
	}
	if err != nil {
		return Attendee{}, fmt.Errorf("insert attendee: %w", err)
	}
	code, err := s.keys.Sign(Claims{EditionID: e.ID, AttendeeID: id, Category: in.Category,
		Days: daysMask(e), Nonce: newNonce()})
	if err != nil {
		return Attendee{}, fmt.Errorf("sign badge of attendee %d: %w", id, err)
	}
	var a Attendee
	err = tx.GetContext(ctx, &a, `UPDATE attendees SET code = ? WHERE id = ? RETURNING *`, code, id)
	if err != nil {
		return Attendee{}, fmt.Errorf("store badge code of attendee %d: %w", id, err)
	}
	return a, nil
}

// daysMask marks every day of the edition valid (up to eight days).
func daysMask(e conference.Edition) uint8 {
	n := min(e.Days(), 8)
	return uint8(1<<n - 1)
}

// Attendee returns one attendee.
func (s *Store) Attendee(ctx context.Context, id int64) (Attendee, error) {
	var a Attendee
	err := s.db.R.GetContext(ctx, &a, `SELECT * FROM attendees WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, errAttendeeNotFound
	}
	if err != nil {
		return Attendee{}, fmt.Errorf("get attendee %d: %w", id, err)
	}
	return a, nil
}

// AttendeeByCode returns the attendee whose current badge code is code.
func (s *Store) AttendeeByCode(ctx context.Context, code string) (Attendee, error) {
	var a Attendee
	err := s.db.R.GetContext(ctx, &a, `SELECT * FROM attendees WHERE code = ?`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, errAttendeeNotFound
	}
	if err != nil {
		return Attendee{}, fmt.Errorf("get attendee by code: %w", err)
	}
	return a, nil
}

// Attendees lists one page of an edition's attendees, by name.
func (s *Store) Attendees(ctx context.Context, editionID int64, f AttendeeFilter, p web.Paging) ([]Attendee, int, error) {
	where := []string{"edition_id = ?"}
	args := []any{editionID}
	if q := strings.TrimSpace(f.Q); q != "" {
		cond, qargs := s.searchCond(q)
		where, args = append(where, cond), append(args, qargs...)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	if f.DelegationID != 0 {
		where, args = append(where, "delegation_id = ?"), append(args, f.DelegationID)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM attendees WHERE `+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count attendees: %w", err)
	}
	var as []Attendee
	err := s.db.R.SelectContext(ctx, &as, `SELECT * FROM attendees WHERE `+cond+
		` ORDER BY name, id LIMIT ? OFFSET ?`, append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list attendees: %w", err)
	}
	return as, total, nil
}

// Reissue gives an attendee a new badge code; the old one is revoked from
// this moment (scans of it answer "revoked").
func (s *Store) Reissue(ctx context.Context, id int64) (Attendee, error) {
	old, err := s.Attendee(ctx, id)
	if err != nil {
		return Attendee{}, err
	}
	if old.Status == StatusCancelled {
		return Attendee{}, errCancelled
	}
	e, err := s.editions.Edition(ctx, old.EditionID)
	if err != nil {
		return Attendee{}, err
	}
	code, err := s.keys.Sign(Claims{EditionID: e.ID, AttendeeID: id, Category: old.Category,
		Days: daysMask(e), Nonce: newNonce()})
	if err != nil {
		return Attendee{}, fmt.Errorf("reissue badge of attendee %d: %w", id, err)
	}
	var a Attendee
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &a, `UPDATE attendees SET code = ?, updated_at = ? WHERE id = ? RETURNING *`,
			code, s.now().UTC(), id)
		if errors.Is(err, sql.ErrNoRows) {
			return errAttendeeNotFound
		}
		if err != nil {
			return err
		}
		return s.notifyReissued(ctx, tx, e, a)
	})
	if err != nil {
		return Attendee{}, apperr.Wrap(err, fmt.Sprintf("reissue badge of attendee %d", id))
	}
	// After the commit, so a scan racing the reissue cannot re-cache the
	// old code as current; on every instance.
	s.changed("code:" + old.Code)
	return a, nil
}
