package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huizhan/checkin"
)

// TestFilesArePrivate: the database, its WAL and shared-memory files, a
// backup and a report written by the CLI hold personal data and are
// created readable by the server's user only.
func TestFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "huizhan.db")
	keys := filepath.Join(dir, "keys.json")
	var out bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"demo", "-db", path, "-keys", keys}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	live, err := openDB(ctx, path) // keeps the WAL and -shm files in place
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if _, err := live.W.Exec(`UPDATE editions SET name = name`); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "copy.db")
	if err := run(ctx, []string{"backup", "-db", path, "-o", backup}, nil, &out, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	report := filepath.Join(dir, "checkins.xlsx")
	if err := run(ctx, []string{"report", "checkins", "-db", path, "-edition", "3", "-o", report}, nil, &out, &out); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	for _, f := range []string{path, path + "-wal", path + "-shm", keys, backup, report} {
		st, err := os.Stat(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
}

// TestMissingKeyFileRefusesToStart: with attendees in the database and
// their key file gone, the server refuses to start rather than sign with
// a new key under which every issued badge scans as forged; -new-keys
// starts over on purpose.
func TestMissingKeyFileRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "huizhan.db")
	keys := filepath.Join(dir, "keys.json")
	var out bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"demo", "-db", path, "-keys", keys}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if err := os.Remove(keys); err != nil {
		t.Fatal(err)
	}
	d, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, err = newApp(d, log, appConfig{Keys: keys})
	if !errors.Is(err, checkin.ErrKeysLost) || !strings.Contains(err.Error(), "-new-keys") {
		t.Fatalf("start without the key file: %v", err)
	}
	if _, err := os.Stat(keys); !errors.Is(err, os.ErrNotExist) {
		t.Error("the refused start wrote a key file")
	}
	a, err := newApp(d, log, appConfig{Keys: keys, NewKeys: true})
	if err != nil {
		t.Fatalf("start with -new-keys: %v", err)
	}
	a.checkin.Close()

	// An empty database starts with a new key file as before.
	empty := filepath.Join(dir, "empty.db")
	e, err := openDB(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	b, err := newApp(e, log, appConfig{Keys: filepath.Join(dir, "new-keys.json")})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	b.checkin.Close()
}

// TestOneServerPerFile: a second server on a SQLite file that one already
// serves is refused with a message naming the first one's process; backup
// still works beside it.
func TestOneServerPerFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "huizhan.db")
	keys := filepath.Join(dir, "keys.json")
	first := startServe(t, freeAddr(t), path, keys)
	out, code := huizhan(t, "", "serve", "-addr", freeAddr(t), "-db", path, "-keys", keys)
	if code == 0 || !strings.Contains(out, "another huizhan server") || !strings.Contains(out, fmt.Sprintf("process %d", first.Process.Pid)) {
		t.Fatalf("second server: exit %d, %q", code, out)
	}
	if out, code := huizhan(t, "", "backup", "-db", path, "-o", filepath.Join(dir, "copy.db")); code != 0 {
		t.Errorf("backup beside the server: exit %d, %q", code, out)
	}
}
