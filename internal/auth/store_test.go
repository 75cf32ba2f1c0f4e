package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// clock is a fake time source for the store's now field.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }

var chengdu = time.FixedZone("CST", 8*60*60)

func newClock() *clock { return &clock{time.Date(2024, 1, 18, 9, 0, 0, 0, chengdu)} }

func ptr[T any](v T) *T { return &v }

func ctxb() context.Context { return context.Background() }

func hashOf(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func keyOf(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Key
	}
	return ""
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

const password = "correct-horse"

type fixture struct {
	db         *db.DB
	store      *Store
	clock      *clock
	delegation int64 // a delegation of the 3rd edition
}

func newFixture(t *testing.T, opt Options) *fixture {
	t.Helper()
	d := dbtest.Open(t, conference.Migrations(), Migrations())
	opt.BcryptCost = bcrypt.MinCost
	s := NewStore(d, opt)
	c := newClock()
	s.now = c.Now
	cs := conference.NewStore(d)
	e, err := cs.CreateEdition(ctxb(), conference.EditionInput{Number: 3, Name: "第三届天府科技云服务大会",
		Year: 2024, StartsOn: civil.NewDate(2024, time.January, 18), EndsOn: civil.NewDate(2024, time.January, 19),
		City: "成都"})
	if err != nil {
		t.Fatalf("create edition: %v", err)
	}
	del, err := cs.CreateDelegation(ctxb(), e.ID, conference.DelegationInput{Name: conference.Mianyang, Region: "四川省绵阳市"})
	if err != nil {
		t.Fatalf("create delegation: %v", err)
	}
	return &fixture{db: d, store: s, clock: c, delegation: del.ID}
}

func (f *fixture) user(t *testing.T, username, role string, delegation *int64) User {
	t.Helper()
	u, err := f.store.CreateUser(ctxb(), NewUser{Username: username, Password: password, Role: role, DelegationID: delegation})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

func (f *fixture) session(t *testing.T, u User) string {
	t.Helper()
	token, err := f.store.NewSession(ctxb(), u, KindCookie, "127.0.0.1", "test")
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	return token
}

func (f *fixture) identify(t *testing.T, token string) *web.Identity {
	t.Helper()
	id, err := f.store.Identify(ctxb(), token)
	if err != nil {
		t.Fatalf("Identify: %v", err)
	}
	return id
}

func (f *fixture) sessions(t *testing.T, userID int64) int {
	t.Helper()
	var n int
	if err := f.db.R.Get(&n, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, userID); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantInvalid checks that err is Invalid and names exactly the fields in
// want (field -> message key).
func wantInvalid(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if k := apperr.KindOf(err); k != apperr.Invalid {
		t.Fatalf("error %v has kind %s, want invalid", err, k.Code())
	}
	ae, _ := apperr.As(err)
	got := map[string]string{}
	for _, d := range ae.Details {
		got[d.Field] = d.Key
	}
	if len(got) != len(want) || len(ae.Details) != len(want) {
		t.Errorf("details = %+v, want fields %v", ae.Details, want)
	}
	for f, k := range want {
		if got[f] != k {
			t.Errorf("detail for %q has key %q, want %q (details %+v)", f, got[f], k, ae.Details)
		}
	}
}

func TestCreateUserValidation(t *testing.T) {
	f := newFixture(t, Options{})
	del := f.delegation
	tests := []struct {
		name string
		in   NewUser
		want map[string]string
	}{
		{"empty username", NewUser{"", password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"one character", NewUser{"a", password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"space inside", NewUser{"li si", password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"leading dash", NewUser{"-lisi", password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"chinese", NewUser{"李四", password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"too long", NewUser{strings.Repeat("a", 65), password, web.RoleStaff, nil},
			map[string]string{"username": "user.username_invalid"}},
		{"short password", NewUser{"lisi", "1234567", web.RoleStaff, nil},
			map[string]string{"password": "user.password_length"}},
		{"short password in runes", NewUser{"lisi", "密码密码密码", web.RoleStaff, nil},
			map[string]string{"password": "user.password_length"}},
		{"password over 72 bytes", NewUser{"lisi", strings.Repeat("p", 73), web.RoleStaff, nil},
			map[string]string{"password": "user.password_length"}},
		{"unknown role", NewUser{"lisi", password, "admin", nil},
			map[string]string{"role": "user.role_invalid"}},
		{"empty role", NewUser{"lisi", password, "", nil},
			map[string]string{"role": "user.role_invalid"}},
		{"delegation role without delegation", NewUser{"lisi", password, web.RoleDelegation, nil},
			map[string]string{"delegation_id": "user.delegation_required"}},
		{"delegation role with delegation 0", NewUser{"lisi", password, web.RoleDelegation, ptr(int64(0))},
			map[string]string{"delegation_id": "user.delegation_required"}},
		{"staff with a delegation", NewUser{"lisi", password, web.RoleStaff, &del},
			map[string]string{"delegation_id": "user.delegation_only"}},
		{"organiser with a delegation", NewUser{"lisi", password, web.RoleOrganiser, &del},
			map[string]string{"delegation_id": "user.delegation_only"}},
		{"everything at once", NewUser{"x", "short", web.RoleDelegation, nil},
			map[string]string{"username": "user.username_invalid", "password": "user.password_length",
				"delegation_id": "user.delegation_required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.store.CreateUser(ctxb(), tt.in)
			wantInvalid(t, err, tt.want)
		})
	}
	us, err := f.store.Users(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 0 {
		t.Errorf("invalid input created %d users", len(us))
	}

	// The role-specific check carries the list of roles for the message.
	_, err = f.store.CreateUser(ctxb(), NewUser{"lisi", password, "admin", nil})
	ae, _ := apperr.As(err)
	if ae == nil || len(ae.Details) != 1 || ae.Details[0].Args["Roles"] != strings.Join(web.Roles, ", ") {
		t.Errorf("role error = %+v, want Roles in the args", ae)
	}
}

func TestCreateUser(t *testing.T) {
	f := newFixture(t, Options{})
	del := f.delegation
	valid := []NewUser{
		{"organiser1", password, web.RoleOrganiser, nil},
		{"mianyang", password, web.RoleDelegation, &del},
		{"staff.01", password, web.RoleStaff, nil},
		{"coord_1", password, web.RoleCoordinator, nil},
		{"Leader-A", password, web.RoleLeader, nil},
		{"  padded  ", "中文密码中文密码长一些", web.RoleStaff, nil},
		{"ab", strings.Repeat("pq", 36), web.RoleStaff, nil},
	}
	for _, in := range valid {
		u, err := f.store.CreateUser(ctxb(), in)
		if err != nil {
			t.Errorf("CreateUser(%+v): %v", in, err)
			continue
		}
		if want := strings.TrimSpace(in.Username); u.Username != want {
			t.Errorf("username = %q, want %q", u.Username, want)
		}
		if u.ID == 0 || u.Role != in.Role || u.Disabled {
			t.Errorf("created %+v from %+v", u, in)
		}
		if (u.DelegationID == nil) != (in.DelegationID == nil) ||
			(u.DelegationID != nil && *u.DelegationID != *in.DelegationID) {
			t.Errorf("delegation = %v, want %v", u.DelegationID, in.DelegationID)
		}
		if !u.CreatedAt.Equal(f.clock.Now()) || !u.UpdatedAt.Equal(f.clock.Now()) {
			t.Errorf("created_at %v, updated_at %v, want %v", u.CreatedAt, u.UpdatedAt, f.clock.Now())
		}
		got, err := f.store.User(ctxb(), u.ID)
		if err != nil || got.Username != u.Username {
			t.Errorf("User(%d) = %+v, %v", u.ID, got, err)
		}
	}
	us, err := f.store.Users(ctxb())
	if err != nil || len(us) != len(valid) {
		t.Fatalf("Users = %d users, %v; want %d", len(us), err, len(valid))
	}
	for i := 1; i < len(us); i++ {
		// Usernames compare without case (COLLATE NOCASE), as sign-in does.
		if strings.ToLower(us[i-1].Username) > strings.ToLower(us[i].Username) {
			t.Errorf("Users not ordered by username: %q before %q", us[i-1].Username, us[i].Username)
		}
	}
	if _, err := f.store.User(ctxb(), 9999); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("User(9999) error = %v, want not found", err)
	}
}

func TestCreateUserPasswordHashed(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	var stored string
	if err := f.db.R.Get(&stored, `SELECT password_hash FROM users WHERE id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	if stored == password || strings.Contains(stored, password) {
		t.Fatalf("password stored in plain text: %q", stored)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(stored), []byte(password)); err != nil {
		t.Errorf("stored hash does not match the password: %v", err)
	}
	if cost, err := bcrypt.Cost([]byte(stored)); err != nil || cost != bcrypt.MinCost {
		t.Errorf("bcrypt cost = %d, %v; want %d", cost, err, bcrypt.MinCost)
	}
	// The hash never leaves in JSON.
	if b, err := jsonOf(u); err != nil || strings.Contains(b, "$2") || strings.Contains(b, "password") {
		t.Errorf("user JSON leaks the hash: %s, %v", b, err)
	}
}

func TestCreateUserConflicts(t *testing.T) {
	f := newFixture(t, Options{})
	f.user(t, "zhangsan", web.RoleStaff, nil)

	_, err := f.store.CreateUser(ctxb(), NewUser{" zhangsan ", password, web.RoleLeader, nil})
	if k := apperr.KindOf(err); k != apperr.Conflict {
		t.Fatalf("duplicate username: kind %s (%v), want conflict", k.Code(), err)
	}
	ae, _ := apperr.As(err)
	if ae.Key != "user.username_taken" || len(ae.Details) != 1 || ae.Details[0].Field != "username" ||
		ae.Details[0].Key != "user.username_taken" || ae.Details[0].Args["Username"] != "zhangsan" {
		t.Errorf("duplicate username error = %+v", ae)
	}

	_, err = f.store.CreateUser(ctxb(), NewUser{"nobody", password, web.RoleDelegation, ptr(int64(9999))})
	wantInvalid(t, err, map[string]string{"delegation_id": "user.delegation_unknown"})

	us, _ := f.store.Users(ctxb())
	if len(us) != 1 {
		t.Errorf("%d users after the conflicts, want 1", len(us))
	}
}

func TestAuthenticate(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	off := f.user(t, "disabled", web.RoleStaff, nil)
	if _, err := f.store.UpdateUser(ctxb(), off.ID, UserPatch{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}

	got, err := f.store.Authenticate(ctxb(), "zhangsan", password)
	if err != nil || got.ID != u.ID {
		t.Fatalf("Authenticate = %+v, %v; want user %d", got, err, u.ID)
	}
	if got, err := f.store.Authenticate(ctxb(), "  zhangsan ", password); err != nil || got.ID != u.ID {
		t.Errorf("Authenticate with padded username = %+v, %v", got, err)
	}

	tests := []struct{ name, username, password string }{
		{"wrong password", "zhangsan", "wrong-password"},
		{"empty password", "zhangsan", ""},
		{"password differs in case", "zhangsan", strings.ToUpper(password)},
		{"unknown user", "lisi", password},
		{"empty username", "", password},
		{"disabled user", "disabled", password},
	}
	var first string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.store.Authenticate(ctxb(), tt.username, tt.password)
			if k := apperr.KindOf(err); k != apperr.Unauthenticated {
				t.Fatalf("kind %s (%v), want unauthenticated", k.Code(), err)
			}
			if keyOf(err) != "auth.bad_credentials" {
				t.Errorf("key %q, want auth.bad_credentials", keyOf(err))
			}
			if got.ID != 0 || got.Username != "" {
				t.Errorf("returned user %+v on failure", got)
			}
			// Every failure reads exactly the same.
			if first == "" {
				first = err.Error()
			} else if err.Error() != first {
				t.Errorf("error %q differs from %q", err, first)
			}
		})
	}
}

func TestSessionRoundTrip(t *testing.T) {
	f := newFixture(t, Options{})
	del := f.delegation
	tests := []struct {
		username, role string
		delegation     *int64
	}{
		{"organiser1", web.RoleOrganiser, nil},
		{"mianyang", web.RoleDelegation, &del},
		{"staff1", web.RoleStaff, nil},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			u := f.user(t, tt.username, tt.role, tt.delegation)
			token := f.session(t, u)
			if len(token) < 40 {
				t.Errorf("token %q is short", token)
			}
			id := f.identify(t, token)
			if id == nil {
				t.Fatal("Identify = nil for a fresh session")
			}
			if id.UserID != u.ID || id.Username != u.Username || id.Role != tt.role || id.SessionID == 0 {
				t.Errorf("identity %+v for user %+v", id, u)
			}
			var wantDel int64
			if tt.delegation != nil {
				wantDel = *tt.delegation
			}
			if id.DelegationID != wantDel {
				t.Errorf("identity delegation %d, want %d", id.DelegationID, wantDel)
			}
		})
	}

	u := f.user(t, "two", web.RoleStaff, nil)
	a, b := f.session(t, u), f.session(t, u)
	if a == b {
		t.Fatal("two sessions got the same token")
	}
	ia, ib := f.identify(t, a), f.identify(t, b)
	if ia == nil || ib == nil || ia.SessionID == ib.SessionID {
		t.Errorf("identities %+v, %+v; want two sessions", ia, ib)
	}

	for _, bad := range []string{"", "nope", a[:len(a)-1], a + "x", strings.Repeat("a", 101), hashOf(a)} {
		if id := f.identify(t, bad); id != nil {
			t.Errorf("Identify(%q) = %+v, want nil", bad, id)
		}
	}
}

func TestSessionStoresOnlyTheHash(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	token, err := f.store.NewSession(ctxb(), u, KindBearer, "10.0.0.1", strings.Repeat("UA", 150))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.R.Queryx(`SELECT * FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		row := map[string]any{}
		if err := rows.MapScan(row); err != nil {
			t.Fatal(err)
		}
		for col, v := range row {
			s := fmt.Sprint(v)
			if b, ok := v.([]byte); ok {
				s = string(b)
			}
			if strings.Contains(s, token) {
				t.Errorf("column %s holds the token", col)
			}
		}
		if h := fmt.Sprintf("%s", row["token_hash"]); h != hashOf(token) {
			t.Errorf("token_hash = %q, want the SHA-256 %q", h, hashOf(token))
		}
		if k := fmt.Sprintf("%s", row["kind"]); k != KindBearer {
			t.Errorf("kind = %q, want bearer", k)
		}
		if ua := fmt.Sprintf("%s", row["user_agent"]); len(ua) != 200 {
			t.Errorf("user_agent kept %d bytes, want 200", len(ua))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d session rows, want 1", n)
	}
}

func TestSessionExpiry(t *testing.T) {
	opt := Options{IdleTimeout: time.Hour, MaxAge: 3 * time.Hour}

	t.Run("idle", func(t *testing.T) {
		f := newFixture(t, opt)
		token := f.session(t, f.user(t, "zhangsan", web.RoleStaff, nil))
		f.clock.Add(59 * time.Minute)
		if f.identify(t, token) == nil {
			t.Fatal("session ended before the idle timeout")
		}
		// Use refreshed it: another 59 minutes is still within an hour of
		// the last use, though two hours from sign-in.
		f.clock.Add(59 * time.Minute)
		if f.identify(t, token) == nil {
			t.Fatal("session ended though used within the idle timeout")
		}
		f.clock.Add(time.Hour + time.Second)
		if id := f.identify(t, token); id != nil {
			t.Errorf("Identify after %v idle = %+v, want nil", time.Hour+time.Second, id)
		}
	})

	t.Run("absolute", func(t *testing.T) {
		f := newFixture(t, opt)
		token := f.session(t, f.user(t, "zhangsan", web.RoleStaff, nil))
		// Used every 50 minutes, so never idle, until past MaxAge.
		for elapsed := 50 * time.Minute; elapsed < 3*time.Hour; elapsed += 50 * time.Minute {
			f.clock.Add(50 * time.Minute)
			if f.identify(t, token) == nil {
				t.Fatalf("session ended %v after sign-in, before MaxAge", elapsed)
			}
		}
		f.clock.Add(50 * time.Minute) // 250 minutes after sign-in
		if id := f.identify(t, token); id != nil {
			t.Errorf("Identify past MaxAge = %+v, want nil", id)
		}
	})

	t.Run("defaults", func(t *testing.T) {
		f := newFixture(t, Options{})
		token := f.session(t, f.user(t, "zhangsan", web.RoleStaff, nil))
		f.clock.Add(11 * time.Hour)
		if f.identify(t, token) == nil {
			t.Fatal("session ended within the default 12h idle timeout")
		}
		f.clock.Add(12*time.Hour + time.Minute)
		if f.identify(t, token) != nil {
			t.Error("session outlived the default 12h idle timeout")
		}
	})
}

func TestEndSession(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	keep, end := f.session(t, u), f.session(t, u)
	id := f.identify(t, end)
	if id == nil {
		t.Fatal("Identify = nil for a fresh session")
	}
	if err := f.store.EndSession(ctxb(), id.SessionID); err != nil {
		t.Fatalf("EndSession: %v", err)
	}
	if got := f.identify(t, end); got != nil {
		t.Errorf("Identify after EndSession = %+v, want nil", got)
	}
	if f.identify(t, keep) == nil {
		t.Error("EndSession ended the user's other session too")
	}
	// Ending it again, or one that never was, is harmless.
	if err := f.store.EndSession(ctxb(), id.SessionID); err != nil {
		t.Errorf("second EndSession: %v", err)
	}
}

func TestIdentifyDisabledUser(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	token := f.session(t, u)
	// Disabled behind the store's back: the session row is still there,
	// and Identify must still refuse it.
	if _, err := f.db.W.Exec(`UPDATE users SET disabled = TRUE WHERE id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	if f.sessions(t, u.ID) != 1 {
		t.Fatal("session row gone")
	}
	if id := f.identify(t, token); id != nil {
		t.Errorf("Identify for a disabled user = %+v, want nil", id)
	}
}

func TestSetPassword(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "zhangsan", web.RoleStaff, nil)
	other := f.user(t, "lisi", web.RoleStaff, nil)
	token, otherToken := f.session(t, u), f.session(t, other)

	const newPassword = "new-password-2"
	if err := f.store.SetPassword(ctxb(), u.ID, newPassword); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if id := f.identify(t, token); id != nil {
		t.Errorf("Identify after SetPassword = %+v, want nil", id)
	}
	if n := f.sessions(t, u.ID); n != 0 {
		t.Errorf("%d sessions left after SetPassword, want 0", n)
	}
	if f.identify(t, otherToken) == nil {
		t.Error("SetPassword ended another user's session")
	}
	if _, err := f.store.Authenticate(ctxb(), "zhangsan", password); apperr.KindOf(err) != apperr.Unauthenticated {
		t.Errorf("old password still works: %v", err)
	}
	if got, err := f.store.Authenticate(ctxb(), "zhangsan", newPassword); err != nil || got.ID != u.ID {
		t.Errorf("new password: %+v, %v", got, err)
	}

	err := f.store.SetPassword(ctxb(), u.ID, "short")
	wantInvalid(t, err, map[string]string{"password": "user.password_length"})
	if _, err := f.store.Authenticate(ctxb(), "zhangsan", newPassword); err != nil {
		t.Errorf("rejected SetPassword changed the password: %v", err)
	}
	if err := f.store.SetPassword(ctxb(), 9999, newPassword); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("SetPassword of an unknown user = %v, want not found", err)
	}
}

func TestUpdateUser(t *testing.T) {
	f := newFixture(t, Options{})
	del := f.delegation
	u := f.user(t, "mianyang", web.RoleDelegation, &del)
	token := f.session(t, u)

	// Disabling ends every session and blocks sign-in.
	f.session(t, u)
	f.clock.Add(time.Minute)
	got, err := f.store.UpdateUser(ctxb(), u.ID, UserPatch{Disabled: ptr(true)})
	if err != nil {
		t.Fatalf("disable: %v", err)
	}
	if !got.Disabled || got.Role != web.RoleDelegation || got.DelegationID == nil || *got.DelegationID != del {
		t.Errorf("after disabling: %+v", got)
	}
	if n := f.sessions(t, u.ID); n != 0 {
		t.Errorf("%d sessions left after disabling, want 0", n)
	}
	if f.identify(t, token) != nil {
		t.Error("session survived disabling")
	}
	stored, err := f.store.User(ctxb(), u.ID)
	if err != nil || !stored.Disabled || !stored.UpdatedAt.Equal(f.clock.Now()) {
		t.Errorf("stored after disabling: %+v, %v", stored, err)
	}

	// Enabling again lets the user sign in.
	if _, err := f.store.UpdateUser(ctxb(), u.ID, UserPatch{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Authenticate(ctxb(), "mianyang", password); err != nil {
		t.Errorf("Authenticate after enabling: %v", err)
	}

	// A role other than delegation drops the delegation.
	got, err = f.store.UpdateUser(ctxb(), u.ID, UserPatch{Role: ptr(web.RoleStaff)})
	if err != nil || got.Role != web.RoleStaff || got.DelegationID != nil {
		t.Errorf("to staff: %+v, %v", got, err)
	}

	tests := []struct {
		name string
		p    UserPatch
		want map[string]string
	}{
		{"delegation role without one", UserPatch{Role: ptr(web.RoleDelegation)},
			map[string]string{"delegation_id": "user.delegation_required"}},
		{"delegation for a staff account", UserPatch{DelegationID: &del},
			map[string]string{"delegation_id": "user.delegation_only"}},
		{"unknown role", UserPatch{Role: ptr("root")},
			map[string]string{"role": "user.role_invalid"}},
		{"unknown delegation", UserPatch{Role: ptr(web.RoleDelegation), DelegationID: ptr(int64(9999))},
			map[string]string{"delegation_id": "user.delegation_unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.store.UpdateUser(ctxb(), u.ID, tt.p)
			wantInvalid(t, err, tt.want)
			stored, err := f.store.User(ctxb(), u.ID)
			if err != nil || stored.Role != web.RoleStaff || stored.DelegationID != nil {
				t.Errorf("rejected update changed the user: %+v, %v", stored, err)
			}
		})
	}

	got, err = f.store.UpdateUser(ctxb(), u.ID, UserPatch{Role: ptr(web.RoleDelegation), DelegationID: &del})
	if err != nil || got.Role != web.RoleDelegation || got.DelegationID == nil || *got.DelegationID != del {
		t.Errorf("back to delegation: %+v, %v", got, err)
	}
	if _, err := f.store.UpdateUser(ctxb(), 9999, UserPatch{Disabled: ptr(true)}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("UpdateUser of an unknown user = %v, want not found", err)
	}
}

func TestEnsureAdmin(t *testing.T) {
	f := newFixture(t, Options{})
	pw, created, err := f.store.EnsureAdmin(ctxb(), "")
	if err != nil || !created {
		t.Fatalf("EnsureAdmin = %q, %v, %v; want a new account", pw, created, err)
	}
	if len(pw) < MinPassword {
		t.Errorf("generated password %q is short", pw)
	}
	u, err := f.store.Authenticate(ctxb(), "admin", pw)
	if err != nil || u.Role != web.RoleOrganiser || u.DelegationID != nil {
		t.Fatalf("admin sign-in = %+v, %v", u, err)
	}

	pw2, created, err := f.store.EnsureAdmin(ctxb(), "other-password")
	if err != nil || created || pw2 != "" {
		t.Errorf("second EnsureAdmin = %q, %v, %v; want nothing done", pw2, created, err)
	}
	us, _ := f.store.Users(ctxb())
	if len(us) != 1 {
		t.Errorf("%d users after two EnsureAdmin, want 1", len(us))
	}
	if _, err := f.store.Authenticate(ctxb(), "admin", pw); err != nil {
		t.Errorf("second EnsureAdmin changed the password: %v", err)
	}

	// A given password is used as it is.
	g := newFixture(t, Options{})
	pw, created, err = g.store.EnsureAdmin(ctxb(), "given-password")
	if err != nil || !created || pw != "given-password" {
		t.Fatalf("EnsureAdmin(given) = %q, %v, %v", pw, created, err)
	}
	if _, err := g.store.Authenticate(ctxb(), "admin", "given-password"); err != nil {
		t.Errorf("admin sign-in with the given password: %v", err)
	}

	// Any organiser counts, whatever its name.
	h := newFixture(t, Options{})
	h.user(t, "boss", web.RoleOrganiser, nil)
	if _, created, err := h.store.EnsureAdmin(ctxb(), ""); err != nil || created {
		t.Errorf("EnsureAdmin with an organiser present = %v, %v; want nothing done", created, err)
	}
}

func TestRandomPassword(t *testing.T) {
	a, b := RandomPassword(), RandomPassword()
	if a == b || len(a) != 26 {
		t.Errorf("RandomPassword = %q, %q", a, b)
	}
	if checkPassword("admin", a) != nil {
		t.Errorf("RandomPassword %q fails the password rule", a)
	}
}
