package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// TestMain lets the tests run the real main in a child process: when
// HUIZHAN_TEST_MAIN is set, the test binary is the huizhan command.
func TestMain(m *testing.M) {
	if os.Getenv("HUIZHAN_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// huizhan runs the command in a child process and returns its output and
// exit code.
func huizhan(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HUIZHAN_TEST_MAIN=1")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

func TestUserAdd(t *testing.T) {
	path := dbtest.DSN(t)
	out, code := huizhan(t, "a-good-password\n", "user", "add", "-db", path, "-username", "gate-7", "-role", "boss")
	if code != 1 || !strings.Contains(out, `unknown role "boss"`) {
		t.Fatalf("unknown role: exit %d, output %q", code, out)
	}
	out, code = huizhan(t, "a-good-password\n", "user", "add", "-db", path, "-username", "gate-7", "-role", "staff")
	if code != 0 || !strings.Contains(out, "created account gate-7") {
		t.Fatalf("add: exit %d, output %q", code, out)
	}
	out, code = huizhan(t, "a-good-password\n", "user", "add", "-db", path, "-username", "gate-7", "-role", "staff")
	if code != 1 || !strings.Contains(out, "the username gate-7 is taken") {
		t.Fatalf("duplicate: exit %d, output %q", code, out)
	}
	out, code = huizhan(t, "short\n", "user", "add", "-db", path, "-username", "gate-8", "-role", "staff")
	if code != 1 || !strings.Contains(out, "10–72 characters") {
		t.Fatalf("short password: exit %d, output %q", code, out)
	}
	d, err := openDB(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := auth.NewStore(d, auth.Options{}).Authenticate(context.Background(), "gate-7", "a-good-password"); err != nil {
		t.Errorf("the new account cannot sign in: %v", err)
	}
}

func TestHelp(t *testing.T) {
	out, code := huizhan(t, "", "help")
	if code != 0 || !strings.Contains(out, "huizhan serve") || !strings.Contains(out, "huizhan migrate-data") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	for _, sub := range [][]string{{"serve", "-h"}, {"demo", "-h"}, {"backup", "-h"}, {"user", "add", "-h"}} {
		out, code := huizhan(t, "", sub...)
		if code != 0 || !strings.Contains(out, "-db") {
			t.Errorf("%v: exit %d, %q", sub, code, out)
		}
	}
	if _, code := huizhan(t, "", "frobnicate"); code != 1 {
		t.Errorf("unknown command: exit %d", code)
	}
}

func TestDemoAndBackup(t *testing.T) {
	dir := t.TempDir()
	path := dbtest.DSN(t)
	var out bytes.Buffer
	ctx := context.Background()
	// The key file would default to the working directory for a URL.
	keys := filepath.Join(dir, "keys.json")
	if err := run(ctx, []string{"demo", "-db", path, "-keys", keys}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "mianyang") {
		t.Errorf("demo output lacks the accounts: %s", out.String())
	}
	if err := run(ctx, []string{"demo", "-db", path, "-keys", keys}, nil, &out, &out); err == nil {
		t.Error("a second demo run into a full database succeeded")
	}

	if db.IsPostgresURL(path) {
		// VACUUM INTO is SQLite's: the command points at pg_dump instead.
		err := run(ctx, []string{"backup", "-db", path, "-o", filepath.Join(dir, "copy.db")}, nil, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("backup of PostgreSQL: %v, want a pointer to pg_dump", err)
		}
		return
	}
	// Back up while the database is open with a write in progress elsewhere.
	live, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	backup := filepath.Join(dir, "copy.db")
	if err := run(ctx, []string{"backup", "-db", path, "-o", backup}, nil, &out, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if err := run(ctx, []string{"backup", "-db", path, "-o", backup}, nil, &out, &out); err == nil {
		t.Error("backup over an existing file succeeded")
	}
	copyDB, err := db.Open(backup, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var n int
	if err := copyDB.R.Get(&n, `SELECT COUNT(*) FROM editions`); err != nil || n != 3 {
		t.Errorf("backup holds %d editions (%v), want 3", n, err)
	}
}
