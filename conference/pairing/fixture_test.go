package pairing

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// fixture is an edition with two delegations, projects, a pairing session
// (2 tables × 4 slots of 20 minutes from 14:00) and a roadshow session.
type fixture struct {
	t         testing.TB
	db        *db.DB
	store     *Store
	broker    *Broker
	edition   int64
	dels      [2]int64
	session   Session
	roadshow  int64
	roadshows *roadshow.Store // the roadshow package, wired as in app.go
	organiser *web.Identity
}

var hallStart = time.Date(2024, 1, 18, 6, 0, 0, 0, time.UTC) // 14:00 Beijing

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, dbtest.Open(t, conference.Migrations(), auth.Migrations(), roadshow.Migrations(), Migrations()))
}

func newFixtureOn(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: d, broker: NewBroker(), organiser: &web.Identity{UserID: 1, Username: "org", Role: web.RoleOrganiser}}
	f.store = NewStore(d, f.broker, nil)
	f.roadshows = roadshow.NewStore(d, slog.New(slog.DiscardHandler), f.store)
	f.store.UseRoadshows(f.roadshows)
	now := time.Now().UTC()
	f.edition = f.insert(`INSERT INTO editions (number, name, year, starts_on, ends_on, city, created_at, updated_at)
		VALUES (3, '第三届', 2024, '2024-01-18', '2024-01-19', '成都', ?, ?) RETURNING id`, now, now)
	for i, name := range []string{"绵阳市科协", "成都市科协"} {
		f.dels[i] = f.insert(`INSERT INTO delegations (edition_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			f.edition, name, now, now)
	}
	room := f.insert(`INSERT INTO rooms (edition_id, name, created_at) VALUES (?, '对接大厅', ?) RETURNING id`, f.edition, now)
	sid := f.insert(`INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables,
		created_at, updated_at) VALUES (?, ?, 'pairing', '供需对接洽谈会', ?, ?, 20, 2, ?, ?) RETURNING id`,
		f.edition, room, hallStart, hallStart.Add(80*time.Minute), now, now)
	stage := f.insert(`INSERT INTO rooms (edition_id, name, created_at) VALUES (?, '主会场', ?) RETURNING id`, f.edition, now)
	f.roadshow = f.insert(`INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, created_at, updated_at)
		VALUES (?, ?, 'roadshow', '路演', ?, ?, ?, ?) RETURNING id`, f.edition, stage, hallStart, hallStart.Add(2*time.Hour), now, now)
	var err error
	if f.session, err = f.store.Session(context.Background(), sid); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) insert(q string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.W.Get(&id, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return id
}

// project adds a project of delegation dels[del] with a contact (the
// presenter at meetings).
func (f *fixture) project(del int, kind, title, contact string) int64 {
	now := time.Now().UTC()
	return f.insert(`INSERT INTO projects (edition_id, delegation_id, kind, title, summary, industry, contact_name,
		created_at, updated_at) VALUES (?, ?, ?, ?, '', '先进材料', ?, ?, ?) RETURNING id`,
		f.edition, f.dels[del], kind, title, contact, now, now)
}

func (f *fixture) pairing(demand, supply int64) Pairing {
	f.t.Helper()
	p, err := f.store.Create(context.Background(), f.edition, NewPairing{DemandID: demand, SupplyID: supply}, f.organiser)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) slot(i int) time.Time { return f.session.SlotStart(i) }

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func dbtestOpen(tb testing.TB) *db.DB {
	return dbtest.Open(tb, conference.Migrations(), auth.Migrations(), roadshow.Migrations(), Migrations())
}
