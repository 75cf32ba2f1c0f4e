package pairing

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkAcceptRequest measures accepting a participant's request in a
// busy hall: 30 tables × 12 slots with 300 meetings booked; each accept
// creates the pairing and searches the grid for a clash-free slot that
// suits both sides (or queues it once the hall is full).
func BenchmarkAcceptRequest(b *testing.B) {
	f := newFixtureOn(b, dbtestOpen(b))
	ctx := context.Background()
	start := time.Date(2024, 1, 19, 1, 0, 0, 0, time.UTC)
	room := f.insert(`INSERT INTO rooms (edition_id, name, created_at) VALUES (?, '大厅', ?) RETURNING id`, f.edition, time.Now().UTC())
	sid := f.insert(`INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables,
		created_at, updated_at) VALUES (?, ?, 'pairing', '大场', ?, ?, 20, 30, ?, ?) RETURNING id`,
		f.edition, room, start, start.Add(240*time.Minute), time.Now().UTC(), time.Now().UTC())
	project := func(del int, kind string, i int) int64 {
		return f.project(del, kind, fmt.Sprintf("%s %d", kind, i), fmt.Sprintf("联系人 %s %d", kind, i))
	}
	for i := range 300 {
		p := f.pairing(project(0, "demand", i), project(1, "achievement", i))
		in := MeetingInput{SessionID: sid, Table: i%30 + 1, StartsAt: start.Add(time.Duration(i/30*20) * time.Minute)}
		if _, err := f.store.Book(ctx, p.ID, in); err != nil {
			b.Fatal(err)
		}
	}
	n := 0
	for b.Loop() {
		n++
		d, s := project(0, "demand", 1000+n), project(1, "capability", 1000+n)
		r, err := f.store.RequestMeeting(ctx, s, NewRequest{ProjectID: d})
		if err == nil {
			_, err = f.store.AnswerRequest(ctx, r.ID, true, "", Answerer{ProjectID: d})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
