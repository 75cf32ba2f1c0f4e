package db

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrServed says another server process holds a SQLite file.
var ErrServed = errors.New("another huizhan server is using this database")

// ServerLock is a server's exclusive claim on a SQLite file. Two servers on
// one file would each keep their own caches (a badge reissued on one would
// still scan on the other), so the second is refused at start. Commands
// that only read, or copy the file (backup), do not take it.
type ServerLock struct{ f *os.File }

// LockForServer takes the lock file beside the SQLite database at path
// (path + ".lock"), or fails with ErrServed naming the process holding it.
// The lock is the kernel's (flock), so it ends with the process however
// that ends: a killed server leaves no stale lock. For a PostgreSQL URL it
// does nothing: instances there share the database by design.
func LockForServer(path string) (*ServerLock, error) {
	if IsPostgresURL(path) {
		return &ServerLock{}, nil
	}
	path = strings.TrimPrefix(path, "sqlite:")
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := "another process"
		if b, rerr := os.ReadFile(name); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
				holder = fmt.Sprintf("process %d", pid)
			}
		}
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s holds %s. Stop that server first, or give this one another -db; "+
				"backup and reports work beside a running server", ErrServed, holder, name)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	// The holder's PID, for the message a second server prints.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &ServerLock{f: f}, nil
}

// Release gives the lock up; the file stays, empty of meaning.
func (l *ServerLock) Release() {
	if l == nil || l.f == nil {
		return
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
