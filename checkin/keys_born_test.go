package checkin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A key's creation time is the time it was made, not the time the file
// was last written: rotating must not rewrite the history of older keys.
func TestRotateKeepsKeyCreationTimes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	read := func() map[uint8]time.Time {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f keyFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		m := map[uint8]time.Time{}
		for _, e := range f.Keys {
			m[e.ID] = e.CreatedAt
		}
		return m
	}
	first := read()[1]
	time.Sleep(10 * time.Millisecond) // so a rewritten time would differ
	if k, err = LoadKeyring(path); err != nil {
		t.Fatal(err)
	}
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	after := read()
	if !after[1].Equal(first) {
		t.Errorf("key 1 created_at changed from %v to %v on rotation", first, after[1])
	}
	if !after[2].After(first) {
		t.Errorf("key 2 created_at %v is not after key 1's %v", after[2], first)
	}
}
