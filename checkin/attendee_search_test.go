package checkin

import "testing"

// Searching attendees ignores the case of Latin letters on both databases
// (PostgreSQL's LIKE does not).
func TestAttendeeSearchIgnoresCase(t *testing.T) {
	f := newFixture(t)
	a, err := f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: "Anna Schmidt", Organisation: "Fraunhofer IPA", Category: "guest"}, "organiser")
	if err != nil {
		t.Fatal(err)
	}
	f.attendee(f.e1.ID, "王伟", "guest")
	for _, q := range []string{"anna", "SCHMIDT", "fraunhofer ipa"} {
		as, total, err := f.store.Attendees(f.ctx, f.e1.ID, AttendeeFilter{Q: q}, webPage())
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(as) != 1 || as[0].ID != a.ID {
			t.Errorf("search %q: %d found (%+v), want %s", q, total, as, a.Name)
		}
	}
}
