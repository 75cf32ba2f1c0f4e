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
		{"before the first day", 0b11, at(17, 23), ReasonNotYetValid},
		{"a day the badge skips", 0b101, at(19, 9), ReasonNotYetValid},
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
// answer for a code already known to the server is the same). The
// server's clock judges: a scan that says it was made on a valid day, a
// queued one or a lie, does not pass the badge.
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
	for _, back := range []time.Time{
		time.Date(2024, 1, 19, 23, 0, 0, 0, china), // within the lag: taken for the record
		time.Date(2024, 1, 18, 9, 0, 0, 0, china),  // beyond it: flagged late
	} {
		if r := f.scan(gate.ID, a.Code, back); r.Verdict != Rejected || r.Reason != ReasonExpired {
			t.Errorf("backdated to %s: %s/%s, want rejected/expired", back, r.Verdict, r.Reason)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'expired'`); n != 3 {
		t.Errorf("%d expired scans stored, want 3", n)
	}
	// The device's times are kept; the one beyond the lag is flagged and
	// counts at the server's time.
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'expired' AND late AND day = '2024-01-20' AND device_at IS NOT NULL`); n != 1 {
		t.Errorf("%d late scans flagged, want 1", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'expired' AND NOT late AND day = '2024-01-19'`); n != 1 {
		t.Errorf("%d scans within the lag counted on the device's day, want 1", n)
	}
}

func TestWindowJudgedOnServerTime(t *testing.T) {
	f := newFixture(t)
	open, closes := time.Date(2024, 1, 19, 1, 0, 0, 0, time.UTC), time.Date(2024, 1, 19, 2, 0, 0, 0, time.UTC)
	door := f.checkpoint(f.e1.ID, CheckpointInput{Name: "开幕式", Kind: "session", OpensAt: &open, ClosesAt: &closes})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	// The clock is the evening: the window is past, whatever the device says.
	inside := open.Add(30 * time.Minute)
	if r := f.scan(door.ID, a.Code, inside); r.Verdict != Rejected || r.Reason != ReasonClosed {
		t.Errorf("backdated into the window: %s/%s, want rejected/closed", r.Verdict, r.Reason)
	}
	f.store.SetClock(func() time.Time { return inside })
	if r := f.scan(door.ID, a.Code, time.Time{}); r.Verdict != Accepted {
		t.Errorf("inside the window: %s/%s", r.Verdict, r.Reason)
	}
}
