package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockForServer: a second server on the same file is refused with the
// first one's PID; after the first lets go, the file can be served again.
func TestLockForServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huizhan.db")
	first, err := LockForServer(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockForServer("sqlite:" + path)
	if !errors.Is(err, ErrServed) || !strings.Contains(err.Error(), fmt.Sprintf("process %d", os.Getpid())) {
		t.Fatalf("second server: %v", err)
	}
	st, err := os.Stat(path + ".lock")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v %v", st, err)
	}
	first.Release()
	again, err := LockForServer(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
	if _, err := LockForServer("postgres://x@127.0.0.1/db"); err != nil {
		t.Errorf("PostgreSQL URL: %v", err)
	}
}
