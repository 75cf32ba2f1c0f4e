package checkin

import (
	"testing"
	"time"

	"huizhan/internal/civil"
)

func TestValidity(t *testing.T) {
	start := civil.NewDate(2024, 1, 18)
	at := func(d int, h int) time.Time { return time.Date(2024, 1, d, h, 0, 0, 0, china) }
	for _, tc := range []struct {
		name string
		days uint8
		at   time.Time
		want string
	}{
		{"first day", 0b11, at(18, 9), ""},
		{"second day, late evening Beijing", 0b11, at(19, 23), ""},
		{"the day after the last valid day", 0b11, at(20, 0), ReasonExpired},
		{"a year later", 0b11, time.Date(2025, 1, 18, 9, 0, 0, 0, china), ReasonExpired},
		{"before the first day", 0b11, at(17, 23), ReasonNotAllowed},
		{"a day the badge skips", 0b101, at(19, 9), ReasonNotAllowed},
		{"the valid day after a skipped one", 0b101, at(20, 9), ""},
		{"one-day badge, second day", 0b01, at(19, 9), ReasonExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := validity(tc.days, start, tc.at); got != tc.want {
				t.Errorf("validity(%08b, %s) = %q, want %q", tc.days, tc.at, got, tc.want)
			}
		})
	}
}

// TestExpiredBadge: a badge signed for the edition's two days is rejected
// as expired when scanned on the day after, by the code's own claims (the
// answer for a code already known to the server is the same).
func TestExpiredBadge(t *testing.T) {
	f := newFixture(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	if r := f.scan(gate.ID, a.Code, time.Time{}); r.Verdict != Accepted {
		t.Fatalf("on the last day: %s/%s", r.Verdict, r.Reason)
	}
	f.store.now = clockFrom(time.Date(2024, 1, 20, 9, 0, 0, 0, china))
	if r := f.scan(gate.ID, a.Code, time.Time{}); r.Verdict != Rejected || r.Reason != ReasonExpired || r.Attendee == nil {
		t.Errorf("the day after: %+v", r)
	}
	// A queued scan made on a valid day still counts when it arrives later.
	if r := f.scan(gate.ID, a.Code, time.Date(2024, 1, 19, 17, 0, 0, 0, china)); r.Verdict != Accepted {
		t.Errorf("offline scan from the last day: %s/%s", r.Verdict, r.Reason)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'expired'`); n != 1 {
		t.Errorf("%d expired scans stored, want 1", n)
	}
}
