package auth

import (
	"testing"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

func TestLastOrganiserCannotBeRemoved(t *testing.T) {
	f := newFixture(t, Options{})
	only := f.user(t, "chief", web.RoleOrganiser, nil)
	off, leader := true, web.RoleLeader
	if _, err := f.store.UpdateUser(ctxb(), only.ID, UserPatch{Disabled: &off}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("disabling the only organiser: %v, want conflict", err)
	}
	if _, err := f.store.UpdateUser(ctxb(), only.ID, UserPatch{Role: &leader}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("demoting the only organiser: %v, want conflict", err)
	}
	f.user(t, "deputy", web.RoleOrganiser, nil)
	if _, err := f.store.UpdateUser(ctxb(), only.ID, UserPatch{Disabled: &off}); err != nil {
		t.Errorf("disabling one of two organisers: %v", err)
	}
}

func TestEnsureAdminRevivesAdmin(t *testing.T) {
	f := newFixture(t, Options{})
	// "Admin" differs only in case: usernames compare without case.
	admin := f.user(t, "Admin", web.RoleOrganiser, nil)
	f.user(t, "deputy", web.RoleOrganiser, nil)
	staff, off := web.RoleStaff, true
	if _, err := f.store.UpdateUser(ctxb(), admin.ID, UserPatch{Role: &staff}); err != nil {
		t.Fatal(err)
	}
	deputy, err := f.store.Authenticate(ctxb(), "deputy", password)
	if err != nil {
		t.Fatal(err)
	}
	// Disable the last organiser behind the store's back, as a broken
	// restore might leave it.
	if _, err := f.db.W.Exec(`UPDATE users SET disabled = ? WHERE id = ?`, off, deputy.ID); err != nil {
		t.Fatal(err)
	}
	pw, changed, err := f.store.EnsureAdmin(ctxb(), "")
	if err != nil || !changed || pw == "" {
		t.Fatalf("EnsureAdmin = %q, %v, %v", pw, changed, err)
	}
	u, err := f.store.Authenticate(ctxb(), "admin", pw)
	if err != nil || u.Role != web.RoleOrganiser || u.ID != admin.ID {
		t.Fatalf("admin after EnsureAdmin: %+v, %v", u, err)
	}
	if _, changed, _ := f.store.EnsureAdmin(ctxb(), ""); changed {
		t.Error("EnsureAdmin changed something with an organiser in place")
	}
}
