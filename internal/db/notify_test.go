package db_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// patience bounds how long a test waits for a notification that should
// come: a failure deadline, not a speed assertion.
const patience = 15 * time.Second

func openDSN(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(dsn, db.Options{Readers: 1})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func needPostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(dbtest.PostgresEnv) == "" {
		t.Skip("needs PostgreSQL: set " + dbtest.PostgresEnv)
	}
}

// record listens on channel and returns what it hears, in order.
func record(t *testing.T, d *db.DB, channel string) (<-chan string, func()) {
	t.Helper()
	got := make(chan string, 64)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	stop, err := d.Listen(ctx, channel, func(p string) { got <- p })
	if err != nil {
		t.Fatalf("listen %s: %v", channel, err)
	}
	return got, stop
}

func next(t *testing.T, got <-chan string) string {
	t.Helper()
	select {
	case p := <-got:
		return p
	case <-time.After(patience):
		t.Fatal("no notification")
		return ""
	}
}

func notify(t *testing.T, d *db.DB, channel, payload string) {
	t.Helper()
	if err := d.Notify(context.Background(), channel, payload); err != nil {
		t.Fatalf("notify %s %q: %v", channel, payload, err)
	}
}

// On either database, a listener hears its own channel's payloads in
// order, not another channel's, and nothing after it stopped. Notifications
// from one connection arrive in the order sent, so the last payload on "b"
// proves that any stray one on "a" would already have arrived.
func TestNotifyReachesListeners(t *testing.T) {
	d := openDSN(t, dbtest.DSN(t))
	a, stopA := record(t, d, "checkin-live")
	b, _ := record(t, d, "pairing")

	notify(t, d, "checkin-live", "7")
	notify(t, d, "pairing", `{"edition_id":7}`)
	notify(t, d, "checkin-live", "with space")
	notify(t, d, "checkin-live", "")
	for _, want := range []string{"7", "with space", ""} {
		if got := next(t, a); got != want {
			t.Errorf("checkin.live heard %q, want %q", got, want)
		}
	}
	if got := next(t, b); got != `{"edition_id":7}` {
		t.Errorf("pairing heard %q", got)
	}

	stopA()
	notify(t, d, "checkin-live", "after stop")
	notify(t, d, "pairing", "last")
	if got := next(t, b); got != "last" {
		t.Errorf("pairing heard %q, want last", got)
	}
	select {
	case p := <-a:
		t.Errorf("stopped listener heard %q", p)
	default:
	}
}

func TestNotifyRejectsBadChannels(t *testing.T) {
	d := openDSN(t, dbtest.DSN(t))
	for _, channel := range []string{"", "two words", "new\nline", "é", strings.Repeat("x", 65)} {
		if err := d.Notify(context.Background(), channel, "1"); err == nil {
			t.Errorf("Notify(%q) succeeded", channel)
		}
		if _, err := d.Listen(context.Background(), channel, func(string) {}); err == nil {
			t.Errorf("Listen(%q) succeeded", channel)
		}
	}
}

func TestListenAfterClose(t *testing.T) {
	d, err := db.Open(dbtest.DSN(t), db.Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Listen(context.Background(), "x", func(string) {}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// Close must stop the listening goroutine and return.
	if err := d.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := d.Listen(context.Background(), "x", func(string) {}); err == nil {
		t.Error("Listen on a closed DB succeeded")
	}
}

// Two instances of the app on one PostgreSQL database: a notification
// sent through either reaches the listeners of both.
func TestNotifyAcrossHandles(t *testing.T) {
	needPostgres(t)
	dsn := dbtest.DSN(t)
	one, two := openDSN(t, dsn), openDSN(t, dsn)
	atOne, _ := record(t, one, "checkin-live")
	atTwo, _ := record(t, two, "checkin-live")

	notify(t, one, "checkin-live", "41")
	notify(t, two, "checkin-live", "42")
	for name, got := range map[string]<-chan string{"sender": atOne, "other": atTwo} {
		if p1, p2 := next(t, got), next(t, got); p1 != "41" || p2 != "42" {
			t.Errorf("%s heard %q, %q; want 41, 42", name, p1, p2)
		}
	}
}

// A database in another schema of the same server is another deployment:
// it hears nothing of this one.
func TestNotifyStaysInSchema(t *testing.T) {
	needPostgres(t)
	here, there := openDSN(t, dbtest.DSN(t)), openDSN(t, dbtest.DSN(t))
	atHere, _ := record(t, here, "c")
	atThere, _ := record(t, there, "c")
	notify(t, here, "c", "mine")
	notify(t, there, "c", "theirs")
	if got := next(t, atHere); got != "mine" {
		t.Errorf("heard %q from the other schema", got)
	}
	if got := next(t, atThere); got != "theirs" {
		t.Errorf("heard %q from the other schema", got)
	}
}

// The listening connection is killed by the server (a restart, a
// failover, an administrator): the DB reconnects, LISTENs again, and
// later notifications arrive.
func TestListenSurvivesTerminatedBackend(t *testing.T) {
	needPostgres(t)
	dsn := dbtest.DSN(t)
	listener, sender := openDSN(t, dsn), openDSN(t, dsn)
	got, _ := record(t, listener, "checkin-live")

	ctx := context.Background()
	var pids []int64
	err := sender.W.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity
		WHERE query = 'LISTEN ' || quote_ident(left('huizhan.' || current_schema(), 63))`)
	if err != nil || len(pids) != 1 {
		t.Fatalf("find the listening backend: %v, %v", pids, err)
	}
	var killed bool
	if err := sender.W.GetContext(ctx, &killed, `SELECT pg_terminate_backend(?)`, pids[0]); err != nil || !killed {
		t.Fatalf("terminate backend %d: %v, %v", pids[0], killed, err)
	}

	// Notifications sent before the reconnection are lost; keep sending
	// until one arrives.
	deadline := time.After(patience)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		notify(t, sender, "checkin-live", "after")
		select {
		case p := <-got:
			if p != "after" {
				t.Fatalf("heard %q", p)
			}
			return
		case <-tick.C:
		case <-deadline:
			t.Fatal("no notification after the listening backend was terminated")
		}
	}
}
