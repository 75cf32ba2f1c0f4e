package checkin

import (
	"testing"
	"time"
)

// The dashboard's people-today counts today's (Beijing) distinct entries
// at entry gates, not everyone ever let in.
func TestPeopleToday(t *testing.T) {
	f := newFixture(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	exit := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门出口", Kind: "gate", Rule: "multiple", Direction: "out"})
	hall := f.checkpoint(f.e1.ID, CheckpointInput{Name: "主会场", Kind: "session"})
	a, b, c := f.attendee(f.e1.ID, "王伟", "guest"), f.attendee(f.e1.ID, "李娜", "guest"), f.attendee(f.e1.ID, "张强", "guest")
	f.store.SetClock(clockFrom(time.Date(2024, 1, 18, 9, 0, 0, 0, china)))
	f.scan(gate.ID, a.Code, time.Time{}) // yesterday
	f.store.SetClock(clockFrom(time.Date(2024, 1, 19, 9, 0, 0, 0, china)))
	f.scan(gate.ID, b.Code, time.Time{})
	f.scan(gate.ID, b.Code, time.Time{}) // twice: one person
	f.scan(exit.ID, b.Code, time.Time{}) // and out again
	f.scan(hall.ID, c.Code, time.Time{}) // not through a gate
	l, err := f.store.LiveCounters(f.ctx, f.e1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.PeopleToday != 1 || l.People != 3 {
		t.Errorf("people today %d (want 1), ever %d (want 3)", l.PeopleToday, l.People)
	}
	// The station's count of people inside: b went in and out.
	n, err := f.store.CheckpointCounters(f.ctx, Scanner{Organiser: true}, gate.ID)
	if err != nil || n.Inside == nil || *n.Inside != 0 || n.Scans != 2 {
		t.Errorf("gate counters %+v (%v), want 2 scans today and nobody inside", n, err)
	}
	f.scan(gate.ID, a.Code, time.Time{})
	if n, _ := f.store.CheckpointCounters(f.ctx, Scanner{Organiser: true}, gate.ID); n.Inside == nil || *n.Inside != 1 {
		t.Errorf("after a came in: %+v, want 1 inside", n)
	}
}
