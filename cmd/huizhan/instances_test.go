package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huizhan/checkin"
	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// openTestDB opens dsn as an instance of the app does, schema up to date,
// closed when the test ends.
func openTestDB(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := openDB(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// instance starts a second instance of the app on e's database, as a
// second process behind a load balancer: its own stores, caches and
// server; the same accounts, sessions and demo data.
func (e *testEnv) instance() *testEnv {
	e.t.Helper()
	d := openTestDB(e.t, e.dsn)
	a, err := newApp(d, slog.New(slog.NewTextHandler(io.Discard, nil)), appConfig{Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(a.checkin.Close)
	h, engine, err := a.router(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	other := &testEnv{t: e.t, dsn: e.dsn, app: a, engine: engine, srv: httptest.NewServer(h), demo: e.demo, tokens: e.tokens}
	e.t.Cleanup(other.srv.Close)
	return other
}

// Two instances on one PostgreSQL database: a scan through instance A
// moves the live counters that instance B streams.
func TestLiveCountersAcrossInstances(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) == "" {
		t.Skip("instances share a database only on PostgreSQL: set " + dbtest.PostgresEnv)
	}
	a := newTestEnv(t)
	b := a.instance()
	ed := a.demo.Current()
	// Badges are judged on the server's clock: both instances stand on the
	// demo edition's first morning.
	onDay := func() time.Time { return time.Date(2024, 1, 18, 1, 30, 0, 0, time.UTC) }
	a.app.checkin.SetClock(onDay)
	b.app.checkin.SetClock(onDay)
	var cp struct{ ID int64 }
	a.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", ed.ID), "organiser",
		map[string]any{"name": "南门", "kind": "gate", "rule": "once"}, 201, &cp)
	var who struct{ Code string }
	a.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed.ID), "organiser",
		map[string]any{"name": "王五", "organisation": "四川大学", "phone": "13900000077", "category": "guest"}, 201, &who)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/editions/%d/checkins/live", b.srv.URL, ed.ID), nil)
	req.Header.Set("Authorization", "Bearer "+b.tokens["organiser"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	next := func() checkin.Live {
		t.Helper()
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				var l checkin.Live
				if err := json.Unmarshal([]byte(data), &l); err != nil {
					t.Fatalf("counters event %s: %v", data, err)
				}
				return l
			}
		}
		t.Fatalf("stream from B ended: %v", lines.Err())
		return checkin.Live{}
	}
	before := next()

	a.do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", cp.ID), "staff",
		map[string]any{"code": who.Code, "scan_id": "across-1", "scanned_at": "2024-01-18T09:30:00+08:00"}, 201, nil)
	if after := next(); after.Scans != before.Scans+1 {
		t.Errorf("B streamed %d scans after A's scan, had %d", after.Scans, before.Scans)
	}
}
