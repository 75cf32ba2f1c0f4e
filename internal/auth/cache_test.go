package auth

import (
	"testing"

	"huizhan/internal/web"
)

// A session found once is answered from memory for a few seconds, but
// sign-out, disabling and a password reset through the store end it at
// once, cached or not.
func TestIdentityCache(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user(t, "gate-9", web.RoleStaff, nil)
	token, err := f.store.NewSession(ctxb(), u, KindBearer, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.store.Identify(ctxb(), token)
	if err != nil || id == nil {
		t.Fatalf("Identify = %v, %v", id, err)
	}
	// Behind the store's back: the cache still answers, until its TTL.
	if _, err := f.db.W.Exec(`DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	if id, _ := f.store.Identify(ctxb(), token); id == nil {
		t.Fatal("a cached session was not answered from the cache")
	}
	f.clock.Add(identityTTL + 1)
	if id, _ := f.store.Identify(ctxb(), token); id != nil {
		t.Fatal("the cache outlived its TTL")
	}

	for name, end := range map[string]func(sessionID int64) error{
		"sign-out": func(sid int64) error { return f.store.EndSession(ctxb(), sid) },
		"disable": func(int64) error {
			off := true
			_, err := f.store.UpdateUser(ctxb(), u.ID, UserPatch{Disabled: &off})
			return err
		},
		"password reset": func(int64) error { return f.store.SetPassword(ctxb(), u.ID, "another-password") },
	} {
		on := false
		if _, err := f.store.UpdateUser(ctxb(), u.ID, UserPatch{Disabled: &on}); err != nil {
			t.Fatal(err)
		}
		token, err := f.store.NewSession(ctxb(), u, KindBearer, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		id, _ := f.store.Identify(ctxb(), token) // now cached
		if id == nil {
			t.Fatalf("%s: new session not identified", name)
		}
		if err := end(id.SessionID); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if id, _ := f.store.Identify(ctxb(), token); id != nil {
			t.Errorf("%s: the session still works from the cache", name)
		}
	}
}
