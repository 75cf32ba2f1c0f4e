package checkin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
)

// Statuses of an attendee. Only an approved attendee's badge is let in;
// a pending or waiting one is refused at scan (not_allowed, detail
// "pending"); a cancelled one has had its code replaced, so the code it
// held answers "revoked".
const (
	StatusApproved  = "approved"
	StatusPending   = "pending"
	StatusWaiting   = "waiting"
	StatusCancelled = "cancelled"
)

// Statuses lists the statuses in the order pages show them.
var Statuses = []string{StatusApproved, StatusPending, StatusWaiting, StatusCancelled}

// defaultPrivacyVersion names the built-in privacy text, used until an
// organiser writes the edition's own.
const defaultPrivacyVersion = "default"

var (
	errCancelled   = apperr.New(apperr.Conflict, "reg.cancelled_already")
	errNotPending  = apperr.New(apperr.Conflict, "reg.not_pending")
	errBadManage   = apperr.New(apperr.NotFound, "reg.manage_not_found")
	defaultPublics = []string{"enterprise"}
)

// RegistrationSettings are an edition's rules for public registration.
// Capacity maps a category to its places; a category not in it has no
// limit. PrivacyText is the text the public consents to, by version.
type RegistrationSettings struct {
	EditionID          int64          `json:"edition_id"`
	PublicCategories   []string       `json:"public_categories"`
	ApprovalCategories []string       `json:"approval_categories"`
	Capacity           map[string]int `json:"capacity"`
	PrivacyText        string         `json:"privacy_text"`
	PrivacyVersion     string         `json:"privacy_version"`
	// Taken counts the places held (approved and pending) and Waiting the
	// waiting list, by category; answers only.
	Taken   map[string]int `json:"taken,omitempty"`
	Waiting map[string]int `json:"waiting,omitempty"`
}

// NeedsApproval reports whether a public registration of category waits
// for an organiser.
func (r RegistrationSettings) NeedsApproval(category string) bool {
	return slices.Contains(r.ApprovalCategories, category)
}

type settingsRow struct {
	EditionID          int64  `db:"edition_id"`
	PublicCategories   string `db:"public_categories"`
	ApprovalCategories string `db:"approval_categories"`
	Capacity           string `db:"capacity"`
	PrivacyVersion     string `db:"privacy_version"`
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// DefaultPrivacyText is the built-in privacy notice (in Chinese, the
// language the consent is given in), until an organiser writes one.
const DefaultPrivacyText = "为办理参会报名、制作胸卡和现场签到，主办方收集您的姓名、手机号码、工作单位及电子邮箱（选填）。" +
	"这些信息仅用于本届大会的会务组织，不向第三方提供；会后按主办方的保存期限删除。" +
	"您可以通过报名后获得的自助链接查看、更正或取消报名，也可以联系服务台。"

// RegistrationSettings returns an edition's settings, the defaults when
// the organiser has set none.
func (s *Store) RegistrationSettings(ctx context.Context, editionID int64) (RegistrationSettings, error) {
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return RegistrationSettings{}, err
	}
	return s.settings(ctx, s.db.R, editionID)
}

type queryer interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

func (s *Store) settings(ctx context.Context, q queryer, editionID int64) (RegistrationSettings, error) {
	set := RegistrationSettings{EditionID: editionID, PublicCategories: defaultPublics,
		ApprovalCategories: []string{}, Capacity: map[string]int{},
		PrivacyText: DefaultPrivacyText, PrivacyVersion: defaultPrivacyVersion}
	var row settingsRow
	err := q.GetContext(ctx, &row, `SELECT edition_id, public_categories, approval_categories, capacity, privacy_version
		FROM registration_settings WHERE edition_id = ?`, editionID)
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	if err != nil {
		return set, fmt.Errorf("registration settings of edition %d: %w", editionID, err)
	}
	set.PublicCategories, set.ApprovalCategories = splitList(row.PublicCategories), splitList(row.ApprovalCategories)
	if err := json.Unmarshal([]byte(row.Capacity), &set.Capacity); err != nil {
		return set, fmt.Errorf("capacity of edition %d: %w", editionID, err)
	}
	if row.PrivacyVersion != defaultPrivacyVersion && row.PrivacyVersion != "" {
		set.PrivacyVersion = row.PrivacyVersion
		err := q.GetContext(ctx, &set.PrivacyText, `SELECT body FROM privacy_texts WHERE edition_id = ? AND version = ?`,
			editionID, row.PrivacyVersion)
		if err != nil {
			return set, fmt.Errorf("privacy text of edition %d: %w", editionID, err)
		}
	}
	return set, nil
}

// Validate checks settings an organiser sends: staff and delegation
// members are never public, approval applies to public categories, a
// capacity is at least one place, and a privacy text has a version.
func (r *RegistrationSettings) Validate() error {
	var d []apperr.Detail
	pub := publicCategories()
	clean := func(field string, in []string, allowed []string) []string {
		out := []string{}
		for _, c := range in {
			c = strings.TrimSpace(c)
			switch {
			case !slices.Contains(allowed, c):
				d = append(d, apperr.Detail{Field: field, Key: "checkin.category_invalid",
					Args: map[string]any{"Categories": strings.Join(allowed, ", ")}})
			case !slices.Contains(out, c):
				out = append(out, c)
			}
		}
		return out
	}
	r.PublicCategories = clean("public_categories", r.PublicCategories, pub)
	r.ApprovalCategories = clean("approval_categories", r.ApprovalCategories, pub)
	if r.Capacity == nil {
		r.Capacity = map[string]int{}
	}
	for c, n := range r.Capacity {
		if !slices.Contains(Categories, c) || n < 1 || n > 1_000_000 {
			d = append(d, apperr.Detail{Field: "capacity", Key: "reg.capacity_invalid", Args: map[string]any{"Category": c}})
		}
	}
	r.PrivacyText, r.PrivacyVersion = strings.TrimSpace(r.PrivacyText), strings.TrimSpace(r.PrivacyVersion)
	if r.PrivacyText == "" || utf8.RuneCountInString(r.PrivacyText) > 20_000 {
		d = append(d, apperr.Detail{Field: "privacy_text", Key: "error.required_max", Args: map[string]any{"Max": 20_000}})
	}
	if r.PrivacyVersion == "" || utf8.RuneCountInString(r.PrivacyVersion) > 50 {
		d = append(d, apperr.Detail{Field: "privacy_version", Key: "error.required_max", Args: map[string]any{"Max": 50}})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// SetRegistrationSettings stores an edition's settings. A privacy text is
// kept by version: a new text needs a new version, so that every consent
// stored names the words it was given to.
func (s *Store) SetRegistrationSettings(ctx context.Context, editionID int64, in RegistrationSettings) (RegistrationSettings, error) {
	if err := in.Validate(); err != nil {
		return RegistrationSettings{}, err
	}
	if _, err := s.editions.Edition(ctx, editionID); err != nil {
		return RegistrationSettings{}, err
	}
	capacity, _ := json.Marshal(in.Capacity)
	now := s.now().UTC()
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var body string
		err := tx.GetContext(ctx, &body, `SELECT body FROM privacy_texts WHERE edition_id = ? AND version = ?`, editionID, in.PrivacyVersion)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if in.PrivacyVersion == defaultPrivacyVersion && in.PrivacyText != DefaultPrivacyText {
				return apperr.Field("privacy_version", "reg.privacy_version_reused", nil)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO privacy_texts (edition_id, version, body, created_at) VALUES (?, ?, ?, ?)`,
				editionID, in.PrivacyVersion, in.PrivacyText, now); err != nil {
				return fmt.Errorf("store privacy text: %w", err)
			}
		case err != nil:
			return fmt.Errorf("read privacy text: %w", err)
		case body != in.PrivacyText:
			return apperr.Field("privacy_version", "reg.privacy_version_reused", nil)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO registration_settings
			(edition_id, public_categories, approval_categories, capacity, privacy_version, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (edition_id) DO UPDATE SET public_categories = excluded.public_categories,
			approval_categories = excluded.approval_categories, capacity = excluded.capacity,
			privacy_version = excluded.privacy_version, updated_at = excluded.updated_at`,
			editionID, strings.Join(in.PublicCategories, ","), strings.Join(in.ApprovalCategories, ","),
			string(capacity), in.PrivacyVersion, now)
		if err != nil {
			return fmt.Errorf("store registration settings: %w", err)
		}
		return nil
	})
	if err != nil {
		return RegistrationSettings{}, err
	}
	return s.RegistrationSettingsWithCounts(ctx, editionID)
}

// RegistrationSettingsWithCounts adds the places taken and the waiting
// lists to the settings.
func (s *Store) RegistrationSettingsWithCounts(ctx context.Context, editionID int64) (RegistrationSettings, error) {
	set, err := s.RegistrationSettings(ctx, editionID)
	if err != nil {
		return set, err
	}
	var rows []struct {
		Category string `db:"category"`
		Status   string `db:"status"`
		N        int    `db:"n"`
	}
	err = s.db.R.SelectContext(ctx, &rows, `SELECT category, status, COUNT(*) AS n FROM attendees
		WHERE edition_id = ? AND status IN ('approved','pending','waiting') GROUP BY category, status`, editionID)
	if err != nil {
		return set, fmt.Errorf("count places: %w", err)
	}
	set.Taken, set.Waiting = map[string]int{}, map[string]int{}
	for _, r := range rows {
		if r.Status == StatusWaiting {
			set.Waiting[r.Category] += r.N
		} else {
			set.Taken[r.Category] += r.N
		}
	}
	return set, nil
}

// registration is what create adds to an attendee row beyond the input.
type registration struct {
	stat           string
	consentVersion string
	consentedAt    *time.Time
	manageHash     *string
}

func (x registration) status() string {
	if x.stat == "" {
		return StatusApproved
	}
	return x.stat
}

// Registration is a new public registration: the attendee and the token
// of their self-service link (shown once; only its hash is stored).
type Registration struct {
	Attendee
	Token string
}

// Register is public registration: CreateAttendee with source "public",
// which also answers the self-service token.
func (s *Store) Register(ctx context.Context, editionID int64, in AttendeeInput) (Registration, error) {
	return s.create(ctx, editionID, in, "public")
}

// create is the one path by which attendees are added one at a time. The
// edition's settings decide what the public may choose; the public also
// consents, may wait for approval, and waits for a place when the
// category is full. Organisers choose any category and need neither.
func (s *Store) create(ctx context.Context, editionID int64, in AttendeeInput, source string) (Registration, error) {
	public := source == "public"
	e, err := s.editions.Edition(ctx, editionID)
	if err != nil {
		return Registration{}, err
	}
	set, err := s.settings(ctx, s.db.R, editionID)
	if err != nil {
		return Registration{}, err
	}
	if err := in.validate(public, set.PublicCategories); err != nil {
		return Registration{}, err
	}
	if err := s.checkDelegation(ctx, editionID, in.DelegationID); err != nil {
		return Registration{}, err
	}
	var r Registration
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var x registration
		if public {
			// Settings may have changed since the check above; what the
			// transaction reads is what counts.
			if set, err = s.lockSettings(ctx, tx, editionID); err != nil {
				return err
			}
			if !slices.Contains(set.PublicCategories, in.Category) {
				return apperr.Field("category", "checkin.category_invalid",
					map[string]any{"Categories": strings.Join(set.PublicCategories, ", ")})
			}
			if x.stat, err = s.placeFor(ctx, tx, editionID, in.Category, set); err != nil {
				return err
			}
			now := s.now().UTC()
			x.consentVersion, x.consentedAt = set.PrivacyVersion, &now
			if set.PrivacyVersion == defaultPrivacyVersion {
				if _, err := tx.ExecContext(ctx, `INSERT INTO privacy_texts (edition_id, version, body, created_at)
					VALUES (?, ?, ?, ?) ON CONFLICT (edition_id, version) DO NOTHING`,
					editionID, defaultPrivacyVersion, DefaultPrivacyText, now); err != nil {
					return fmt.Errorf("keep the default privacy text: %w", err)
				}
			}
			var hash string
			r.Token, hash = newManageToken()
			x.manageHash = &hash
		}
		if r.Attendee, err = s.insertAttendee(ctx, tx, e, in, source, x); err != nil {
			return err
		}
		if !public {
			return nil // organisers hand their badges over themselves
		}
		return s.notifyStatus(ctx, tx, r.Attendee, r.Token)
	})
	if err != nil {
		return Registration{}, err
	}
	return r, nil
}

// lockSettings reads an edition's settings inside tx, holding the
// settings row so that two registrations for the last place take turns
// (a row lock on PostgreSQL; SQLite has one writer anyway).
func (s *Store) lockSettings(ctx context.Context, tx *sqlx.Tx, editionID int64) (RegistrationSettings, error) {
	_, err := tx.ExecContext(ctx, `INSERT INTO registration_settings (edition_id, updated_at) VALUES (?, ?)
		ON CONFLICT (edition_id) DO UPDATE SET updated_at = registration_settings.updated_at`, editionID, s.now().UTC())
	if err != nil {
		return RegistrationSettings{}, fmt.Errorf("lock registration settings: %w", err)
	}
	return s.settings(ctx, tx, editionID)
}

// placeFor says where a new public registration of category goes:
// pending when the category needs approval, waiting when its places are
// all held (by approved or pending attendees) or others already wait.
func (s *Store) placeFor(ctx context.Context, tx *sqlx.Tx, editionID int64, category string, set RegistrationSettings) (string, error) {
	if n, ok := set.Capacity[category]; ok {
		var held, waiting int
		err := tx.GetContext(ctx, &held, `SELECT COUNT(*) FROM attendees
			WHERE edition_id = ? AND category = ? AND status IN ('approved','pending')`, editionID, category)
		if err == nil {
			err = tx.GetContext(ctx, &waiting, `SELECT COUNT(*) FROM attendees
				WHERE edition_id = ? AND category = ? AND status = 'waiting'`, editionID, category)
		}
		if err != nil {
			return "", fmt.Errorf("count places: %w", err)
		}
		if held >= n || waiting > 0 {
			return StatusWaiting, nil
		}
	}
	if set.NeedsApproval(category) {
		return StatusPending, nil
	}
	return StatusApproved, nil
}

// promote moves the first person waiting in category up when a place is
// free: to pending when the category needs approval, approved otherwise.
// It answers the promoted attendee's ID (0 when nobody moved).
func (s *Store) promote(ctx context.Context, tx *sqlx.Tx, editionID int64, category string) (int64, error) {
	set, err := s.lockSettings(ctx, tx, editionID)
	if err != nil {
		return 0, err
	}
	n, limited := set.Capacity[category]
	var held int
	if err := tx.GetContext(ctx, &held, `SELECT COUNT(*) FROM attendees
		WHERE edition_id = ? AND category = ? AND status IN ('approved','pending')`, editionID, category); err != nil {
		return 0, fmt.Errorf("count places: %w", err)
	}
	if limited && held >= n {
		return 0, nil
	}
	var id int64
	err = tx.GetContext(ctx, &id, `SELECT id FROM attendees WHERE edition_id = ? AND category = ? AND status = 'waiting'
		ORDER BY id LIMIT 1`, editionID, category)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("first waiting: %w", err)
	}
	to := StatusApproved
	if set.NeedsApproval(category) {
		to = StatusPending
	}
	var a Attendee
	if err := tx.GetContext(ctx, &a, `UPDATE attendees SET status = ?, updated_at = ? WHERE id = ? RETURNING *`, to, s.now().UTC(), id); err != nil {
		return 0, fmt.Errorf("promote attendee %d: %w", id, err)
	}
	return id, s.notifyStatus(ctx, tx, a, "")
}

// newManageToken makes a self-service token and its stored hash.
func newManageToken() (token, hash string) {
	token = rand.Text() + rand.Text() // 2 × 128 bits
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Approve lets a pending (or waiting) attendee in: their badge becomes
// valid at once.
func (s *Store) Approve(ctx context.Context, id int64) (Attendee, error) {
	var a Attendee
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		a, err = s.approveIn(ctx, tx, id)
		return err
	})
	if err != nil {
		return Attendee{}, err
	}
	s.changed("code:" + a.Code)
	return a, nil
}

func (s *Store) approveIn(ctx context.Context, tx *sqlx.Tx, id int64) (Attendee, error) {
	var a Attendee
	err := tx.GetContext(ctx, &a, `SELECT * FROM attendees WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, errAttendeeNotFound
	}
	if err != nil {
		return Attendee{}, fmt.Errorf("get attendee %d: %w", id, err)
	}
	if a.Status != StatusPending && a.Status != StatusWaiting {
		return Attendee{}, errNotPending
	}
	err = tx.GetContext(ctx, &a, `UPDATE attendees SET status = 'approved', updated_at = ? WHERE id = ? RETURNING *`, s.now().UTC(), id)
	if err != nil {
		return Attendee{}, fmt.Errorf("approve attendee %d: %w", id, err)
	}
	return a, s.notifyStatus(ctx, tx, a, "")
}

// ApproveAll approves the pending attendees named, all or none, in the
// edition: any that is not pending (or not of the edition) refuses the lot.
func (s *Store) ApproveAll(ctx context.Context, editionID int64, ids []int64) ([]Attendee, error) {
	if len(ids) == 0 || len(ids) > 500 {
		return nil, apperr.Field("ids", "reg.ids_invalid", map[string]any{"Max": 500})
	}
	var as []Attendee
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, id := range ids {
			a, err := s.approveIn(ctx, tx, id)
			if err == nil && a.EditionID != editionID {
				err = errAttendeeNotFound
			}
			if err != nil {
				return err
			}
			as = append(as, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		s.changed("code:" + a.Code)
	}
	return as, nil
}

// Cancel cancels a registration: the badge code is replaced by one that
// nobody is shown, so the code the attendee held answers "revoked", and
// the first person waiting in the category takes the freed place.
func (s *Store) Cancel(ctx context.Context, id int64) (Attendee, error) {
	old, err := s.Attendee(ctx, id)
	if err != nil {
		return Attendee{}, err
	}
	if old.Status == StatusCancelled {
		return Attendee{}, errCancelled
	}
	code, err := s.signFor(ctx, old, old.Category)
	if err != nil {
		return Attendee{}, err
	}
	var a Attendee
	var promoted int64
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		// The status as this transaction sees it: a promotion may have
		// moved the attendee since the read above.
		var prev string
		if err := tx.GetContext(ctx, &prev, `SELECT status FROM attendees WHERE id = ?`, id); err != nil {
			return fmt.Errorf("cancel attendee %d: %w", id, err)
		}
		err := tx.GetContext(ctx, &a, `UPDATE attendees SET status = 'cancelled', code = ?, updated_at = ?
			WHERE id = ? AND status <> 'cancelled' RETURNING *`, code, s.now().UTC(), id)
		if errors.Is(err, sql.ErrNoRows) {
			return errCancelled
		}
		if err != nil {
			return fmt.Errorf("cancel attendee %d: %w", id, err)
		}
		if err := s.notifyStatus(ctx, tx, a, ""); err != nil {
			return err
		}
		if prev == StatusWaiting {
			return nil // held no place
		}
		promoted, err = s.promote(ctx, tx, a.EditionID, a.Category)
		return err
	})
	if err != nil {
		return Attendee{}, err
	}
	s.changed("code:" + old.Code)
	if promoted != 0 {
		if p, err := s.Attendee(ctx, promoted); err == nil {
			s.changed("code:" + p.Code)
		}
	}
	return a, nil
}

// signFor signs a new badge code for a with category.
func (s *Store) signFor(ctx context.Context, a Attendee, category string) (string, error) {
	e, err := s.editions.Edition(ctx, a.EditionID)
	if err != nil {
		return "", err
	}
	code, err := s.keys.Sign(Claims{EditionID: e.ID, AttendeeID: a.ID, Category: category,
		Days: daysMask(e), Nonce: newNonce()})
	if err != nil {
		return "", fmt.Errorf("sign badge of attendee %d: %w", a.ID, err)
	}
	return code, nil
}

// ChangeCategory moves an attendee to another category (an organiser's
// decision: no capacity or approval applies). The category is signed into
// the badge, so the badge is reissued and the old code revoked; a place
// freed in the old category goes to its first waiting person.
func (s *Store) ChangeCategory(ctx context.Context, id int64, category string) (Attendee, error) {
	category = strings.TrimSpace(category)
	if !slices.Contains(Categories, category) {
		return Attendee{}, apperr.Field("category", "checkin.category_invalid",
			map[string]any{"Categories": strings.Join(Categories, ", ")})
	}
	old, err := s.Attendee(ctx, id)
	if err != nil {
		return Attendee{}, err
	}
	if old.Status == StatusCancelled {
		return Attendee{}, errCancelled
	}
	if old.Category == category {
		return old, nil
	}
	code, err := s.signFor(ctx, old, category)
	if err != nil {
		return Attendee{}, err
	}
	var a Attendee
	var promoted int64
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var prev string
		if err := tx.GetContext(ctx, &prev, `SELECT status FROM attendees WHERE id = ?`, id); err != nil {
			return fmt.Errorf("change category of attendee %d: %w", id, err)
		}
		if prev == StatusCancelled {
			return errCancelled
		}
		err := tx.GetContext(ctx, &a, `UPDATE attendees SET category = ?, code = ?, updated_at = ? WHERE id = ? RETURNING *`,
			category, code, s.now().UTC(), id)
		if err != nil {
			return fmt.Errorf("change category of attendee %d: %w", id, err)
		}
		if prev == StatusWaiting {
			return nil
		}
		promoted, err = s.promote(ctx, tx, a.EditionID, old.Category)
		return err
	})
	if err != nil {
		return Attendee{}, err
	}
	s.changed("code:" + old.Code)
	if promoted != 0 {
		if p, err := s.Attendee(ctx, promoted); err == nil {
			s.changed("code:" + p.Code)
		}
	}
	return a, nil
}

// NewManageLink gives an attendee a new self-service token (the help desk
// hands it over when the first is lost); the old link stops working.
func (s *Store) NewManageLink(ctx context.Context, id int64) (string, error) {
	token, hash := newManageToken()
	res, err := s.db.W.ExecContext(ctx, `UPDATE attendees SET manage_hash = ?, updated_at = ? WHERE id = ? AND status <> 'cancelled'`,
		hash, s.now().UTC(), id)
	if err != nil {
		return "", fmt.Errorf("new manage link of attendee %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Attendee(ctx, id); err != nil {
			return "", err
		}
		return "", errCancelled
	}
	return token, nil
}

// ByManageToken returns the attendee whose self-service token is token.
func (s *Store) ByManageToken(ctx context.Context, token string) (Attendee, error) {
	if len(token) < 20 || len(token) > 100 {
		return Attendee{}, errBadManage
	}
	var a Attendee
	err := s.db.R.GetContext(ctx, &a, `SELECT * FROM attendees WHERE manage_hash = ?`, hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Attendee{}, errBadManage
	}
	if err != nil {
		return Attendee{}, fmt.Errorf("attendee by manage token: %w", err)
	}
	return a, nil
}

// Correction is what an attendee may change about themselves.
type Correction struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// Correct changes an attendee's name and organisation through their
// self-service token.
func (s *Store) Correct(ctx context.Context, token string, in Correction) (Attendee, error) {
	a, err := s.ByManageToken(ctx, token)
	if err != nil {
		return Attendee{}, err
	}
	if a.Status == StatusCancelled {
		return Attendee{}, errCancelled
	}
	in.Name, in.Organisation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Organisation)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if utf8.RuneCountInString(in.Organisation) > 200 {
		d = append(d, apperr.Detail{Field: "organisation", Key: "error.max_length", Args: map[string]any{"Max": 200}})
	}
	if len(d) > 0 {
		return Attendee{}, apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	err = s.db.W.GetContext(ctx, &a, `UPDATE attendees SET name = ?, organisation = ?, updated_at = ? WHERE id = ? RETURNING *`,
		in.Name, in.Organisation, s.now().UTC(), a.ID)
	if err != nil {
		return Attendee{}, fmt.Errorf("correct attendee %d: %w", a.ID, err)
	}
	// Scans answer the name from the code cache.
	s.changed("code:" + a.Code)
	return a, nil
}

// CancelByToken is the attendee cancelling their own registration.
func (s *Store) CancelByToken(ctx context.Context, token string) (Attendee, error) {
	a, err := s.ByManageToken(ctx, token)
	if err != nil {
		return Attendee{}, err
	}
	return s.Cancel(ctx, a.ID)
}

// editionOf is a small helper for handlers that have an attendee.
func (s *Store) editionOf(ctx context.Context, a Attendee) (conference.Edition, error) {
	return s.editions.Edition(ctx, a.EditionID)
}
