package checkin

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

// Checkpoint kinds and rules.
var (
	Kinds = []string{"gate", "session", "booth"}
	Rules = []string{"once", "once_per_day", "multiple"}
)

// CategoryList is the categories a checkpoint lets in, stored as a
// comma-separated string; empty lets everyone in.
type CategoryList []string

// Value stores the list as "a,b,c".
func (l CategoryList) Value() (driver.Value, error) { return strings.Join(l, ","), nil }

// Scan reads "a,b,c".
func (l *CategoryList) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case nil:
	default:
		return fmt.Errorf("category list: cannot scan %T", src)
	}
	*l = nil
	if s != "" {
		*l = strings.Split(s, ",")
	}
	return nil
}

// Allows reports whether category may pass.
func (l CategoryList) Allows(category string) bool {
	return len(l) == 0 || slices.Contains(l, category)
}

// Checkpoint is a gate, a session door or a booth where codes are scanned.
type Checkpoint struct {
	ID         int64        `db:"id" json:"id"`
	EditionID  int64        `db:"edition_id" json:"edition_id"`
	Name       string       `db:"name" json:"name"`
	Kind       string       `db:"kind" json:"kind"`
	SessionID  *int64       `db:"session_id" json:"session_id"`
	BoothID    *int64       `db:"booth_id" json:"booth_id"`
	Rule       string       `db:"rule" json:"rule"`
	Categories CategoryList `db:"categories" json:"categories"`
	OpensAt    *time.Time   `db:"opens_at" json:"opens_at"`
	ClosesAt   *time.Time   `db:"closes_at" json:"closes_at"`
	// Rehearsal (演练): badges are taken on any day and hour, and the
	// scans, marked, count in no stats, reports or dashboard.
	Rehearsal bool `db:"rehearsal" json:"rehearsal"`
	// Direction of a gate: "in" or "out", for the count of people inside.
	Direction string    `db:"direction" json:"direction"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Open reports whether t lies in the checkpoint's time window.
func (c Checkpoint) Open(t time.Time) bool {
	return (c.OpensAt == nil || !t.Before(*c.OpensAt)) && (c.ClosesAt == nil || t.Before(*c.ClosesAt))
}

// CheckpointInput is what an organiser sends to create a checkpoint.
type CheckpointInput struct {
	Name       string       `json:"name"`
	Kind       string       `json:"kind"`
	SessionID  *int64       `json:"session_id"`
	BoothID    *int64       `json:"booth_id"`
	Rule       string       `json:"rule"`
	Categories CategoryList `json:"categories"`
	OpensAt    *time.Time   `json:"opens_at"`
	ClosesAt   *time.Time   `json:"closes_at"`
	Rehearsal  bool         `json:"rehearsal"`
	Direction  string       `json:"direction"` // "in" (default) or "out"
}

// Directions of a gate.
var Directions = []string{"in", "out"}

// defaultRules: people enter the grounds once a day, a session once, and
// visit a booth as often as they like.
var defaultRules = map[string]string{"gate": "once_per_day", "session": "once", "booth": "multiple"}

// Validate trims the input, fills the default rule, and reports every
// problem at once.
func (in *CheckpointInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if !slices.Contains(Kinds, in.Kind) {
		d = append(d, apperr.Detail{Field: "kind", Key: "checkin.kind_invalid"})
	}
	if in.Rule == "" {
		in.Rule = defaultRules[in.Kind]
	}
	if !slices.Contains(Rules, in.Rule) {
		d = append(d, apperr.Detail{Field: "rule", Key: "checkin.rule_invalid"})
	}
	if in.Direction == "" || in.Kind != "gate" {
		in.Direction = "in"
	}
	if !slices.Contains(Directions, in.Direction) {
		d = append(d, apperr.Detail{Field: "direction", Key: "checkin.direction_invalid"})
	}
	if in.Kind == "booth" && in.BoothID == nil {
		d = append(d, apperr.Detail{Field: "booth_id", Key: "checkin.booth_required"})
	}
	if in.Kind != "booth" {
		in.BoothID = nil
	}
	if in.Kind != "session" {
		in.SessionID = nil
	}
	for _, c := range in.Categories {
		if categoryIndex(c) == 0 {
			d = append(d, apperr.Detail{Field: "categories", Key: "checkin.category_invalid",
				Args: map[string]any{"Categories": strings.Join(Categories, ", ")}})
			break
		}
	}
	if in.OpensAt != nil && in.ClosesAt != nil && !in.ClosesAt.After(*in.OpensAt) {
		d = append(d, apperr.Detail{Field: "closes_at", Key: "checkin.window_invalid"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

var errCheckpointNotFound = apperr.New(apperr.NotFound, "checkin.checkpoint_not_found")

// CreateCheckpoint adds a checkpoint to an edition.
func (s *Store) CreateCheckpoint(ctx context.Context, editionID int64, in CheckpointInput) (Checkpoint, error) {
	if err := in.Validate(); err != nil {
		return Checkpoint{}, err
	}
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return Checkpoint{}, err
	}
	if err := s.checkBooth(ctx, editionID, in.BoothID); err != nil {
		return Checkpoint{}, err
	}
	var c Checkpoint
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		c, err = insertCheckpoint(ctx, tx, editionID, in, s.now().UTC())
		return err
	})
	s.points.clear()
	return c, err
}

func insertCheckpoint(ctx context.Context, tx *sqlx.Tx, editionID int64, in CheckpointInput, now time.Time) (Checkpoint, error) {
	if in.Direction == "" {
		in.Direction = "in"
	}
	var c Checkpoint
	err := tx.GetContext(ctx, &c, `INSERT INTO checkpoints
		(edition_id, name, kind, session_id, booth_id, rule, categories, opens_at, closes_at, rehearsal, direction,
		created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
		editionID, in.Name, in.Kind, in.SessionID, in.BoothID, in.Rule, in.Categories,
		utcPtr(in.OpensAt), utcPtr(in.ClosesAt), in.Rehearsal, in.Direction, now, now)
	if db.IsUnique(err) {
		args := map[string]any{"Name": in.Name}
		return Checkpoint{}, apperr.New(apperr.Conflict, "checkin.checkpoint_name_taken").With(args).
			WithDetails(apperr.Detail{Field: "name", Key: "checkin.checkpoint_name_taken", Args: args})
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("insert checkpoint %q: %w", in.Name, err)
	}
	return c, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// checkBooth makes sure a booth checkpoint names a booth of its edition.
func (s *Store) checkBooth(ctx context.Context, editionID int64, boothID *int64) error {
	if boothID == nil {
		return nil
	}
	var ed int64
	err := s.db.R.GetContext(ctx, &ed, `SELECT edition_id FROM booths WHERE id = ?`, *boothID)
	if errors.Is(err, sql.ErrNoRows) || err == nil && ed != editionID {
		return apperr.Field("booth_id", "checkin.booth_unknown", nil)
	}
	if err != nil {
		return fmt.Errorf("check booth %d: %w", *boothID, err)
	}
	return nil
}

// CheckpointPatch is the body of PATCH /api/v1/checkpoints/{id}: the
// fields sent change, the others stay.
type CheckpointPatch struct {
	Rehearsal *bool `json:"rehearsal"`
}

// PatchCheckpoint changes a checkpoint; an organiser puts it in or out of
// rehearsal this way.
func (s *Store) PatchCheckpoint(ctx context.Context, id int64, p CheckpointPatch) (Checkpoint, error) {
	c, err := s.Checkpoint(ctx, id)
	if err != nil {
		return Checkpoint{}, err
	}
	if p.Rehearsal == nil {
		return c, nil
	}
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &c, `UPDATE checkpoints SET rehearsal = ?, updated_at = ? WHERE id = ? RETURNING *`,
			*p.Rehearsal, s.now().UTC(), id)
		if errors.Is(err, sql.ErrNoRows) {
			return errCheckpointNotFound
		}
		if err != nil {
			return fmt.Errorf("update checkpoint %d: %w", id, err)
		}
		return nil
	})
	// Every instance reads the checkpoint afresh before its next scan.
	s.changed("points")
	return c, err
}

// Checkpoints lists an edition's checkpoints by kind and name.
func (s *Store) Checkpoints(ctx context.Context, editionID int64) ([]Checkpoint, error) {
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return nil, err
	}
	var cs []Checkpoint
	err := s.db.R.SelectContext(ctx, &cs, `SELECT * FROM checkpoints WHERE edition_id = ? ORDER BY kind, name`, editionID)
	if err != nil {
		return nil, fmt.Errorf("list checkpoints of edition %d: %w", editionID, err)
	}
	return cs, nil
}

// Checkpoint returns one checkpoint, from memory after the first read.
func (s *Store) Checkpoint(ctx context.Context, id int64) (Checkpoint, error) {
	s.points.mu.RLock()
	c, ok := s.points.points[id]
	s.points.mu.RUnlock()
	if ok {
		return c, nil
	}
	err := s.db.R.GetContext(ctx, &c, `SELECT * FROM checkpoints WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{}, errCheckpointNotFound
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("get checkpoint %d: %w", id, err)
	}
	s.points.mu.Lock()
	s.points.points[id] = c
	s.points.mu.Unlock()
	return c, nil
}

// SetStaff limits the staff accounts userIDs to the checkpoint, replacing
// the list it had.
func (s *Store) SetStaff(ctx context.Context, checkpointID int64, userIDs []int64) error {
	if _, err := s.Checkpoint(ctx, checkpointID); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkpoint_staff WHERE checkpoint_id = ?`, checkpointID); err != nil {
			return fmt.Errorf("clear staff of checkpoint %d: %w", checkpointID, err)
		}
		for _, u := range userIDs {
			_, err := tx.ExecContext(ctx, `INSERT INTO checkpoint_staff (checkpoint_id, user_id) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, checkpointID, u)
			if db.IsForeignKey(err) {
				return apperr.Field("user_ids", "checkin.user_unknown", map[string]any{"ID": u})
			}
			if err != nil {
				return fmt.Errorf("add staff %d to checkpoint %d: %w", u, checkpointID, err)
			}
		}
		return nil
	})
	s.changed("points")
	return err
}

// Staff lists the accounts limited to a checkpoint.
func (s *Store) Staff(ctx context.Context, checkpointID int64) ([]int64, error) {
	ids := []int64{}
	err := s.db.R.SelectContext(ctx, &ids, `SELECT user_id FROM checkpoint_staff WHERE checkpoint_id = ? ORDER BY user_id`, checkpointID)
	if err != nil {
		return nil, fmt.Errorf("list staff of checkpoint %d: %w", checkpointID, err)
	}
	return ids, nil
}

// staffLimit returns the checkpoints a staff account is limited to; nil
// means every checkpoint.
func (s *Store) staffLimit(ctx context.Context, userID int64) ([]int64, error) {
	s.points.mu.RLock()
	ids, ok := s.points.staff[userID]
	s.points.mu.RUnlock()
	if ok {
		return ids, nil
	}
	if err := s.db.R.SelectContext(ctx, &ids, `SELECT checkpoint_id FROM checkpoint_staff WHERE user_id = ?`, userID); err != nil {
		return nil, fmt.Errorf("staff limits of user %d: %w", userID, err)
	}
	s.points.mu.Lock()
	s.points.staff[userID] = ids
	s.points.mu.Unlock()
	return ids, nil
}

// MayScan reports whether a staff account may scan at checkpoint c;
// organisers may scan anywhere. A staff account limited to checkpoints
// (checkpoint_staff) or bound to a booth scans only at those checkpoints
// and at its booth's; one with neither scans anywhere.
func (s *Store) MayScan(ctx context.Context, sc Scanner, c Checkpoint) error {
	if sc.Organiser {
		return nil
	}
	ids, err := s.staffLimit(ctx, sc.UserID)
	if err != nil {
		return err
	}
	booth, bound, err := s.staffBooth(ctx, sc.UserID, false)
	if err != nil {
		return err
	}
	switch {
	case len(ids) == 0 && !bound,
		slices.Contains(ids, c.ID),
		bound && c.BoothID != nil && *c.BoothID == booth:
		return nil
	}
	return apperr.New(apperr.Forbidden, "checkin.not_your_checkpoint")
}

// staffBooth is the booth a staff account is bound to. On the scan path
// (fresh false) the answer may be a few seconds old; permission checks on
// leads ask afresh.
func (s *Store) staffBooth(ctx context.Context, userID int64, fresh bool) (int64, bool, error) {
	if s.booths == nil || userID == 0 {
		return 0, false, nil
	}
	now := s.now()
	if !fresh {
		s.points.mu.RLock()
		b, ok := s.points.booths[userID]
		s.points.mu.RUnlock()
		if ok && now.Sub(b.at) < boothBindingTTL {
			return b.booth, b.ok, nil
		}
	}
	id, ok, err := s.booths.StaffBooth(ctx, userID)
	if err != nil {
		return 0, false, fmt.Errorf("booth of staff %d: %w", userID, err)
	}
	s.points.mu.Lock()
	s.points.booths[userID] = boothBinding{booth: id, ok: ok, at: now}
	s.points.mu.Unlock()
	return id, ok, nil
}
