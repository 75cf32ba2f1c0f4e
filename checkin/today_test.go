package checkin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
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

// Leaving a locked station needs the account's password (or an
// organiser), and wrong guesses run out.
func TestLeaveStation(t *testing.T) {
	e := newStationEnv(t)
	f := e.f
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	post := func(token, path string, form url.Values) *http.Response {
		req, _ := http.NewRequest("POST", e.Server.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: StationCookie, Value: fmt.Sprint(gate.ID)})
		res, _ := e.Request(req, token)
		return res
	}
	leave := func(token, password string) int {
		return post(token, "/checkin/station/leave", url.Values{"password": {password}}).StatusCode
	}
	// Choosing another checkpoint while locked is refused.
	other := f.checkpoint(f.e1.ID, CheckpointInput{Name: "北门", Kind: "gate"})
	if s := post(e.staff, "/checkin/station", url.Values{"checkpoint_id": {fmt.Sprint(other.ID)}}).StatusCode; s != http.StatusConflict {
		t.Errorf("choosing another checkpoint while locked: %d, want 409", s)
	}
	if s := leave(e.org, ""); s != http.StatusSeeOther {
		t.Errorf("organiser leaving: %d, want 303", s)
	}
	codes := []int{}
	for range 7 {
		codes = append(codes, leave(e.staff, "guess"))
	}
	if codes[0] != http.StatusForbidden || codes[6] != http.StatusTooManyRequests {
		t.Errorf("wrong passwords answered %v, want 403 then 429", codes)
	}
	if s := leave(e.Token(web.RoleStaff, 0), webtest.Password); s != http.StatusSeeOther {
		t.Errorf("staff leaving with the password: %d, want 303", s)
	}
}
