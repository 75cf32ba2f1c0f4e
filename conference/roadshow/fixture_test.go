package roadshow

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// fixture is a migrated database with one edition (18–19 January 2024),
// two delegations and helpers to add projects and sessions.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	db      *db.DB
	store   *Store
	edition int64
	dels    []int64
}

func newFixture(t testing.TB, commitments ...Commitments) *fixture {
	t.Helper()
	d := dbtest.Open(t, conference.Migrations(), auth.Migrations(), Migrations())
	ctx := context.Background()
	cs := conference.NewStore(d)
	e, err := cs.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届", Year: 2024,
		StartsOn: civil.NewDate(2024, time.January, 18), EndsOn: civil.NewDate(2024, time.January, 19), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: d, store: NewStore(d, slog.New(slog.NewTextHandler(io.Discard, nil)), commitments...), edition: e.ID}
	for _, name := range []string{"绵阳市科协", "成都市科协", "德阳市科协"} {
		del, err := cs.CreateDelegation(ctx, e.ID, conference.DelegationInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.dels = append(f.dels, del.ID)
	}
	return f
}

// project adds a project of delegation index del with the given status.
func (f *fixture) project(del int, title, industry, status string) int64 {
	f.t.Helper()
	var id int64
	err := f.db.W.GetContext(f.ctx, &id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry,
		contact_name, status, created_at, updated_at) VALUES (?, ?, 'achievement', ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.edition, f.dels[del], title, industry, title+"负责人", status, time.Now(), time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// at is a Beijing time on 18 January 2024 (day 0) or the 19th (day 1).
func at(day, hour, minute int) time.Time {
	return time.Date(2024, time.January, 18+day, hour, minute, 0, 0, China)
}

func (f *fixture) session(title, kind, room string, from, to time.Time) Session {
	f.t.Helper()
	s, err := f.store.CreateSession(f.ctx, f.edition, SessionInput{Title: title, Kind: kind, Room: room, StartsAt: from, EndsAt: to})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) slot(sessionID, projectID int64, presenter string, from, to time.Time) (Slot, error) {
	return f.store.CreateSlot(f.ctx, sessionID, SlotInput{ProjectID: projectID, Presenter: presenter, StartsAt: from, EndsAt: to})
}

func (f *fixture) mustSlot(sessionID, projectID int64, presenter string, from, to time.Time) Slot {
	f.t.Helper()
	sl, err := f.slot(sessionID, projectID, presenter, from, to)
	if err != nil {
		f.t.Fatal(err)
	}
	return sl
}
