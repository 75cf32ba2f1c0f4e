package roadshow

import (
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// BenchmarkClashCheck checks one new slot against an edition holding 5,000
// slots (20 rooms × 250 pitches of 2 minutes over two days).
func BenchmarkClashCheck(b *testing.B) {
	f := newFixture(b)
	const rooms, perRoom = 20, 250
	var sessions []Session
	for r := range rooms {
		sessions = append(sessions, f.session(fmt.Sprint("场次", r), KindRoadshow, fmt.Sprint("会场", r), at(0, 8, 0), at(0, 8, 0).Add(perRoom*2*time.Minute)))
	}
	projects := make([]int64, 100)
	for i := range projects {
		projects[i] = f.project(i%3, fmt.Sprint("项目", i), "电子信息", "selected")
	}
	now := time.Now().UTC()
	err := f.db.Tx(f.ctx, func(tx *sqlx.Tx) error {
		for r, s := range sessions {
			for i := range perRoom {
				from := s.StartsAt.Add(time.Duration(i*2) * time.Minute)
				_, err := tx.ExecContext(f.ctx, `INSERT INTO slots (session_id, edition_id, room_id, project_id, presenter,
					starts_at, ends_at, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					s.ID, f.edition, s.RoomID, projects[(r*perRoom+i)%len(projects)], fmt.Sprint("路演人", (r*perRoom+i)%700),
					from, from.Add(2*time.Minute), i+1, now, now)
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	p := placement{Session: sessions[7], ProjectID: projects[5], Presenter: "路演人42",
		StartsAt: at(0, 12, 1), EndsAt: at(0, 12, 9)}
	b.ResetTimer()
	for b.Loop() {
		hard, _, err := f.store.check.check(f.ctx, f.db.R, p)
		if err != nil || len(hard) == 0 {
			b.Fatalf("check: %v, %d clashes", err, len(hard))
		}
	}
}

// BenchmarkAutoSchedule plans 500 projects into 20 sessions.
func BenchmarkAutoSchedule(b *testing.B) {
	var sessions []planSession
	for i := range 20 {
		sessions = append(sessions, planSession{Session: Session{ID: int64(i + 1), StartsAt: at(0, 9, 0), EndsAt: at(0, 17, 0)}})
	}
	var projects []planProject
	for i := range 500 {
		projects = append(projects, planProject{ID: int64(i + 1), Industry: fmt.Sprint("产业", i%7),
			DelegationID: int64(i % 12), Presenter: fmt.Sprint("路演人", i%450)})
	}
	busy := func(string, interval) bool { return false }
	b.ResetTimer()
	for b.Loop() {
		placed, unplaced := plan(projects, candidates(sessions, 15*time.Minute, 3*time.Minute), busy)
		if len(placed) != 500 || len(unplaced) != 0 {
			b.Fatalf("%d placed, %d unplaced", len(placed), len(unplaced))
		}
	}
}

// BenchmarkPropose is the auto-schedule proposal against the database:
// 500 selected projects into 20 sessions.
func BenchmarkPropose(b *testing.B) {
	f := newFixture(b)
	var ids []int64
	for i := range 20 {
		ids = append(ids, f.session(fmt.Sprint("场次", i), KindRoadshow, fmt.Sprint("会场", i), at(0, 9, 0), at(0, 17, 0)).ID)
	}
	for i := range 500 {
		f.project(i%3, fmt.Sprint("项目", i), industries[i%len(industries)], "selected")
	}
	for b.Loop() {
		p, err := f.store.Propose(f.ctx, f.edition, ScheduleInput{SessionIDs: ids, PitchMinutes: 15, ChangeoverMinutes: 3})
		if err != nil || len(p.Slots) != 500 {
			b.Fatalf("proposal: %d slots, %v", len(p.Slots), err)
		}
	}
}

// BenchmarkProposeAndAccept is the whole auto-schedule against the
// database: 500 selected projects proposed into 20 sessions, and the
// proposal accepted through the clash check, slot by slot.
func BenchmarkProposeAndAccept(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b)
		var ids []int64
		for i := range 20 {
			ids = append(ids, f.session(fmt.Sprint("场次", i), KindRoadshow, fmt.Sprint("会场", i), at(0, 9, 0), at(0, 17, 0)).ID)
		}
		for i := range 500 {
			f.project(i%3, fmt.Sprint("项目", i), industries[i%len(industries)], "selected")
		}
		b.StartTimer()
		p, err := f.store.Propose(f.ctx, f.edition, ScheduleInput{SessionIDs: ids, PitchMinutes: 15, ChangeoverMinutes: 3})
		if err != nil || len(p.Slots) != 500 {
			b.Fatalf("proposal: %d slots, %v", len(p.Slots), err)
		}
		var in AcceptInput
		for _, ps := range p.Slots {
			in.Slots = append(in.Slots, acceptSlot(ps))
		}
		if _, err := f.store.Accept(f.ctx, f.edition, in); err != nil {
			b.Fatal(err)
		}
	}
}

// industries are the ones the projects migration creates.
var industries = []string{"电子信息", "先进材料", "装备制造", "食品饮料", "双碳与新能源", "农业种业", "生命健康"}
