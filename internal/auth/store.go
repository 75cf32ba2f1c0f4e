package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"huizhan/internal/apperr"
	"huizhan/internal/audit"
	"huizhan/internal/db"
	"huizhan/internal/web"
)

// User is an account.
type User struct {
	ID           int64     `db:"id" json:"id"`
	Username     string    `db:"username" json:"username"`
	Role         string    `db:"role" json:"role"`
	DelegationID *int64    `db:"delegation_id" json:"delegation_id"`
	Disabled     bool      `db:"disabled" json:"disabled"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
	PasswordHash string    `db:"password_hash" json:"-"`
}

// Store reads and writes accounts and sessions.
type Store struct {
	db    *db.DB
	opt   Options
	now   func() time.Time
	fake  []byte // a hash to compare against when the user does not exist
	cache *identityCache
}

// Options tune the store; zero values take the defaults.
type Options struct {
	BcryptCost  int           // default bcrypt.DefaultCost; tests use bcrypt.MinCost
	IdleTimeout time.Duration // a session unused this long ends; default 12h
	MaxAge      time.Duration // a session ends this long after sign-in; default 30 days
}

// NewStore returns a store over d.
func NewStore(d *db.DB, opt Options) *Store {
	if opt.BcryptCost == 0 {
		opt.BcryptCost = bcrypt.DefaultCost
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = 12 * time.Hour
	}
	if opt.MaxAge == 0 {
		opt.MaxAge = 30 * 24 * time.Hour
	}
	fake, _ := bcrypt.GenerateFromPassword([]byte("no such user"), opt.BcryptCost)
	return &Store{db: d, opt: opt, now: time.Now, fake: fake, cache: newIdentityCache()}
}

// NewUser is what it takes to create an account.
type NewUser struct {
	Username     string `json:"username"`
	Password     string `json:"password"`
	Role         string `json:"role"`
	DelegationID *int64 `json:"delegation_id"`
}

var validUsername = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$`)

func (n *NewUser) validate() error {
	n.Username = strings.TrimSpace(n.Username)
	var details []apperr.Detail
	if !validUsername.MatchString(n.Username) {
		details = append(details, apperr.Detail{Field: "username", Key: "user.username_invalid"})
	}
	if err := checkPassword(n.Username, n.Password); err != nil {
		details = append(details, err.Details...)
	}
	details = append(details, checkRole(n.Role, n.DelegationID)...)
	if len(details) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(details...)
	}
	return nil
}

func checkRole(role string, delegationID *int64) []apperr.Detail {
	switch {
	case !web.ValidRole(role):
		return []apperr.Detail{{Field: "role", Key: "user.role_invalid",
			Args: map[string]any{"Roles": strings.Join(web.Roles, ", ")}}}
	case role == web.RoleDelegation && (delegationID == nil || *delegationID <= 0):
		return []apperr.Detail{{Field: "delegation_id", Key: "user.delegation_required"}}
	case role != web.RoleDelegation && delegationID != nil:
		return []apperr.Detail{{Field: "delegation_id", Key: "user.delegation_only"}}
	}
	return nil
}

// CreateUser adds an account.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (User, error) {
	if err := n.validate(); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.opt.BcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("create user: hash password: %w", err)
	}
	var u User
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		now := s.now().UTC()
		err := tx.GetContext(ctx, &u, `INSERT INTO users
			(username, password_hash, role, delegation_id, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, FALSE, ?, ?) RETURNING *`,
			n.Username, string(hash), n.Role, n.DelegationID, now, now)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user", u.ID, "create", audit.Diff(nil, u))
	})
	switch {
	case db.IsUnique(err):
		return User{}, apperr.New(apperr.Conflict, "user.username_taken").
			With(map[string]any{"Username": n.Username}).
			WithDetails(apperr.Detail{Field: "username", Key: "user.username_taken", Args: map[string]any{"Username": n.Username}})
	case db.IsForeignKey(err):
		return User{}, apperr.Field("delegation_id", "user.delegation_unknown", nil)
	case err != nil:
		return User{}, fmt.Errorf("create user %q: %w", n.Username, err)
	}
	return u, nil
}

// User returns one account.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.R.GetContext(ctx, &u, `SELECT * FROM users WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.NotFound, "user.not_found")
	}
	if err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.db.R.SelectContext(ctx, &us, `SELECT * FROM users ORDER BY username`); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// UserPatch changes some of an account's settings; nil fields stay.
type UserPatch struct {
	Role         *string `json:"role"`
	DelegationID *int64  `json:"delegation_id"`
	Disabled     *bool   `json:"disabled"`
}

// UpdateUser applies p. Disabling an account ends its sessions.
func (s *Store) UpdateUser(ctx context.Context, id int64, p UserPatch) (User, error) {
	defer s.cache.reset()
	var u User
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &u, `SELECT * FROM users WHERE id = ?`, id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.NotFound, "user.not_found")
			}
			return err
		}
		before := u
		if p.Role != nil {
			u.Role = *p.Role
			if u.Role != web.RoleDelegation && p.DelegationID == nil {
				u.DelegationID = nil
			}
		}
		if p.DelegationID != nil {
			u.DelegationID = p.DelegationID
			if *p.DelegationID == 0 {
				u.DelegationID = nil
			}
		}
		if p.Disabled != nil {
			u.Disabled = *p.Disabled
		}
		if d := checkRole(u.Role, u.DelegationID); d != nil {
			return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
		}
		if err := lastOrganiserGuard(ctx, tx, u); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, delegation_id = ?, disabled = ?, updated_at = ?
			WHERE id = ?`, u.Role, u.DelegationID, u.Disabled, s.now().UTC(), id)
		if err != nil {
			return err
		}
		if u.Disabled {
			if _, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "user", id, "update", audit.Diff(before, u))
	})
	if db.IsForeignKey(err) {
		return User{}, apperr.Field("delegation_id", "user.delegation_unknown", nil)
	}
	if err != nil {
		return User{}, apperr.Wrap(err, fmt.Sprintf("update user %d", id))
	}
	return u, nil
}

// lastOrganiserGuard refuses a change that would leave no enabled
// organiser, since nobody could then manage accounts.
func lastOrganiserGuard(ctx context.Context, tx *sqlx.Tx, u User) error {
	if u.Role == web.RoleOrganiser && !u.Disabled {
		return nil
	}
	var others int
	err := tx.GetContext(ctx, &others, `SELECT COUNT(*) FROM users
		WHERE role = 'organiser' AND NOT disabled AND id <> ?`, u.ID)
	if err != nil {
		return err
	}
	var was int
	if err := tx.GetContext(ctx, &was, `SELECT COUNT(*) FROM users
		WHERE id = ? AND role = 'organiser' AND NOT disabled`, u.ID); err != nil {
		return err
	}
	if was == 1 && others == 0 {
		return apperr.New(apperr.Conflict, "user.last_organiser")
	}
	return nil
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	u, err := s.User(ctx, id)
	if err != nil {
		return err
	}
	if err := checkPassword(u.Username, password); err != nil {
		return err
	}
	defer s.cache.reset()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.opt.BcryptCost)
	if err != nil {
		return fmt.Errorf("set password of user %d: hash: %w", id, err)
	}
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
			string(hash), s.now().UTC(), id)
		if err != nil {
			return fmt.Errorf("set password of user %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "user.not_found")
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user", id, "set_password", map[string]audit.Change{"password": {nil, "(changed)"}})
	})
}

// Authenticate checks a username and password. Every failure, whether the
// user is unknown, disabled or the password wrong, is the same error, and
// takes the same bcrypt time, so the answer does not tell which part was
// wrong.
func (s *Store) Authenticate(ctx context.Context, username, password string) (User, error) {
	var u User
	err := s.db.R.GetContext(ctx, &u, `SELECT * FROM users WHERE username = ?`, strings.TrimSpace(username))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	hash := s.fake
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || u.Disabled {
		return User{}, apperr.New(apperr.Unauthenticated, "auth.bad_credentials")
	}
	return u, nil
}

// Session kinds.
const (
	KindCookie = "cookie"
	KindBearer = "bearer"
)

// NewSession starts a session for u and returns its token, which is shown
// to the client once and never stored.
func (s *Store) NewSession(ctx context.Context, u User, kind, ip, userAgent string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	if len(userAgent) > 200 {
		userAgent = strings.ToValidUTF8(userAgent[:200], "")
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		// Sign-ins are rare enough to sweep ended sessions here.
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`,
			now, now.Add(-s.opt.IdleTimeout))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions
			(token_hash, user_id, kind, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			hashToken(token), u.ID, kind, now, now, now.Add(s.opt.MaxAge), ip, userAgent)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("new session for %s: %w", u.Username, err)
	}
	return token, nil
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

type sessionRow struct {
	SessionID  int64     `db:"session_id"`
	LastSeenAt time.Time `db:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at"`
	User
}

// Identify returns who holds token, or nil when the token is unknown,
// expired, idle too long, or its account disabled.
func (s *Store) Identify(ctx context.Context, token string) (*web.Identity, error) {
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	hash, now := hashToken(token), s.now().UTC()
	if e, ok := s.cache.get(hash, now); ok && s.live(e.lastSeen, e.expiresAt, now) &&
		now.Sub(e.lastSeen) <= time.Minute {
		id := e.id
		return &id, nil
	}
	var r sessionRow
	err := s.db.R.GetContext(ctx, &r, `SELECT s.id AS session_id, s.last_seen_at, s.expires_at, u.*
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("identify session: %w", err)
	}
	if r.Disabled || !s.live(r.LastSeenAt, r.ExpiresAt, now) {
		return nil, nil
	}
	// Record activity at most once a minute, so reads stay reads.
	if now.Sub(r.LastSeenAt) > time.Minute {
		if err := s.touch(ctx, r.SessionID, now); err != nil {
			return nil, err
		}
		r.LastSeenAt = now
	}
	id := web.Identity{UserID: r.User.ID, Username: r.Username, Role: r.Role, SessionID: r.SessionID}
	if r.DelegationID != nil {
		id.DelegationID = *r.DelegationID
	}
	s.cache.put(hash, cachedIdentity{id: id, until: now.Add(identityTTL), lastSeen: r.LastSeenAt, expiresAt: r.ExpiresAt})
	return &id, nil
}

// live reports whether a session is neither past its end nor idle too long.
func (s *Store) live(lastSeen, expiresAt, now time.Time) bool {
	return !now.After(expiresAt) && now.Sub(lastSeen) <= s.opt.IdleTimeout
}

func (s *Store) touch(ctx context.Context, sessionID int64, now time.Time) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, sessionID)
		if err != nil {
			return fmt.Errorf("touch session %d: %w", sessionID, err)
		}
		return nil
	})
}

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, sessionID int64) error {
	defer s.cache.reset()
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID)
		if err != nil {
			return fmt.Errorf("end session %d: %w", sessionID, err)
		}
		return nil
	})
}

// EnsureAdmin makes sure someone can administer the system: when no
// enabled organiser exists, it creates the account "admin" as organiser, or,
// if "admin" exists, makes it an enabled organiser again with a new
// password. It returns the password it set (password, or a random one when
// password is empty) and whether it changed anything.
func (s *Store) EnsureAdmin(ctx context.Context, password string) (string, bool, error) {
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM users WHERE role = 'organiser' AND NOT disabled`)
	if err != nil {
		return "", false, fmt.Errorf("ensure admin: %w", err)
	}
	if n > 0 {
		return "", false, nil
	}
	if password == "" {
		password = RandomPassword()
	}
	var existing User
	err = s.db.R.GetContext(ctx, &existing, `SELECT * FROM users WHERE username = 'admin'`)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = s.CreateUser(ctx, NewUser{Username: "admin", Password: password, Role: web.RoleOrganiser})
	case err == nil:
		role, enabled := web.RoleOrganiser, false
		if _, err = s.UpdateUser(ctx, existing.ID, UserPatch{Role: &role, Disabled: &enabled}); err == nil {
			err = s.SetPassword(ctx, existing.ID, password)
		}
	}
	if err != nil {
		return "", false, fmt.Errorf("ensure admin: %w", err)
	}
	return password, true, nil
}

// RandomPassword returns a random 26-character password, for generated
// accounts.
func RandomPassword() string { return rand.Text() }

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // dir is embedded by the caller; this cannot fail
	}
	return sub
}
