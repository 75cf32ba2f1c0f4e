package checkin

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"huizhan/booths"
	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

func migrationsForTest() []db.Migrations {
	return []db.Migrations{conference.Migrations(), auth.Migrations(), booths.Migrations(), Migrations()}
}

type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *db.DB
	conf  *conference.Store
	store *Store
	e1    conference.Edition
	e2    conference.Edition
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t, migrationsForTest()...)
	return fixtureOn(t, d)
}

func fixtureOn(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	conf := conference.NewStore(d, Copier{})
	s := NewStore(d, NewMemoryKeyring(), conf, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// The store's clock runs from the last evening of the third edition
	// made below: its badges are within their valid days, and the device
	// times tests give (on both days) are not in the future.
	s.now = clockFrom(time.Date(2024, 1, 19, 20, 0, 0, 0, china))
	t.Cleanup(s.Close)
	f := &fixture{t: t, ctx: ctx, db: d, conf: conf, store: s}
	var err error
	f.e1, err = conf.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届", Year: 2024,
		StartsOn: civil.NewDate(2024, 1, 18), EndsOn: civil.NewDate(2024, 1, 19), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	f.e2, err = conf.CreateEdition(ctx, conference.EditionInput{Number: 2, Name: "第二届", Year: 2023,
		StartsOn: civil.NewDate(2023, 1, 12), EndsOn: civil.NewDate(2023, 1, 13), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) attendee(edition int64, name, category string) Attendee {
	f.t.Helper()
	a, err := f.store.CreateAttendee(f.ctx, edition, AttendeeInput{Name: name, Organisation: "西南科技大学", Category: category}, "organiser")
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) checkpoint(edition int64, in CheckpointInput) Checkpoint {
	f.t.Helper()
	c, err := f.store.CreateCheckpoint(f.ctx, edition, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

var scanSeq int

// scan scans code at cp at time at (zero: now) with a fresh scan_id.
func (f *fixture) scan(cp int64, code string, at time.Time) Result {
	f.t.Helper()
	scanSeq++
	in := ScanInput{Code: code, ScanID: "t-" + time.Now().Format("150405.000000") + "-" + itoa(scanSeq)}
	if !at.IsZero() {
		in.ScannedAt = &at
	}
	r, err := f.store.Scan(f.ctx, cp, Scanner{UserID: 0, Organiser: true, Device: "test"}, in)
	if err != nil {
		f.t.Fatalf("scan %s: %v", code, err)
	}
	return r
}

func itoa(n int) string { return time.Duration(n).String() }

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.R.GetContext(f.ctx, &n, query, args...); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func webPage() web.Paging { return web.Paging{Page: 1, PerPage: 10} }

func (f *fixture) now() time.Time { return f.store.now() }

// clockFrom is a clock that starts at t and runs at the real rate.
func clockFrom(t time.Time) func() time.Time {
	start := time.Now()
	return func() time.Time { return t.Add(time.Since(start)) }
}

// user adds a staff account and returns its ID.
func (f *fixture) user(t *testing.T, name string) int64 {
	t.Helper()
	var uid int64
	err := f.db.W.GetContext(f.ctx, &uid, `INSERT INTO users (username, password_hash, role, created_at, updated_at)
		VALUES (?, 'x', 'staff', ?, ?) RETURNING id`, name, time.Now(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return uid
}
