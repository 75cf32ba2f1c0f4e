package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huizhan/checkin"
)

// TestKeysRotate: after a rotation the file has a new active key with mode
// 0600, a badge signed before still verifies, and new badges use the new
// key.
func TestKeysRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "badge-keys.json")
	k, err := checkin.LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	before, err := k.Sign(checkin.Claims{EditionID: 3, AttendeeID: 7, Category: "guest", Days: 3})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := cmdKeys(context.Background(), []string{"rotate", "-keys", path}, &out, &errOut); err != nil {
		t.Fatalf("rotate: %v; %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "key 2 now signs") {
		t.Errorf("output %q", out.String())
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	k2, err := checkin.LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if k2.Active() != 2 {
		t.Errorf("active key %d, want 2", k2.Active())
	}
	if c, err := k2.Verify(before); err != nil || c.AttendeeID != 7 || c.KeyID != 1 {
		t.Errorf("a badge signed before the rotation: %+v %v", c, err)
	}
	after, _ := k2.Sign(checkin.Claims{EditionID: 3, AttendeeID: 8, Category: "guest", Days: 3})
	if c, err := k2.Verify(after); err != nil || c.KeyID != 2 {
		t.Errorf("a new badge: %+v %v", c, err)
	}
	for _, args := range [][]string{{"rotate", "-keys", filepath.Join(t.TempDir(), "missing.json")}, {"rotate"}, {"list"}} {
		if err := cmdKeys(context.Background(), args, &out, &errOut); err == nil {
			t.Errorf("keys %v: no error", args)
		}
	}
}

func TestKeysPath(t *testing.T) {
	for _, tc := range []struct{ keys, db, want string }{
		{"/etc/huizhan/keys.json", "/srv/h.db", "/etc/huizhan/keys.json"},
		{"", "/srv/event/h.db", "/srv/event/badge-keys.json"},
		{"", "sqlite:/srv/event/h.db", "/srv/event/badge-keys.json"},
		{"", "h.db", "badge-keys.json"},
		// A server's URL has no directory: the working directory.
		{"", "postgres://huizhan@db.example:5432/huizhan", "badge-keys.json"},
		{"/etc/huizhan/keys.json", "postgres://huizhan@db.example/huizhan", "/etc/huizhan/keys.json"},
	} {
		if got := keysPath(tc.keys, tc.db); got != tc.want {
			t.Errorf("keysPath(%q, %q) = %q, want %q", tc.keys, tc.db, got, tc.want)
		}
	}
}
