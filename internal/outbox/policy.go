package outbox

import (
	"context"
	"time"
)

// china is Beijing time, in which quiet hours and SMS days are counted.
var china = time.FixedZone("CST", 8*3600)

// Quiet hours for SMS reminders: none from 22:00 to 08:00 Beijing time,
// unless the event is within UrgentWithin.
const (
	quietFrom    = 22
	quietUntil   = 8
	UrgentWithin = 2 * time.Hour
)

// hold says whether r must wait, and until when: an SMS reminder in quiet
// hours, or an SMS to a recipient who has had the day's allowance.
func (s *Sender) hold(ctx context.Context, r claimed, now time.Time) (time.Time, bool) {
	if r.Channel != SMS || r.Kind == Test {
		return time.Time{}, false
	}
	if r.Kind == Reminder {
		urgent := r.EventAt != nil && r.EventAt.Sub(now) <= UrgentWithin
		if end, quiet := QuietUntil(now); quiet && !urgent {
			return end, true
		}
	}
	if s.opt.SMSPerDay > 0 {
		day := beijingMidnight(now)
		var n int
		err := s.o.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM outbox_messages
			WHERE channel = 'sms' AND recipient = ? AND status = 'sent' AND sent_at >= ?`, r.Recipient, day.UTC())
		if err == nil && n >= s.opt.SMSPerDay {
			return day.Add(24 * time.Hour), true
		}
	}
	return time.Time{}, false
}

// QuietUntil reports whether t falls in SMS quiet hours and, if so, when
// they end (08:00 Beijing time).
func QuietUntil(t time.Time) (time.Time, bool) {
	b := t.In(china)
	h := b.Hour()
	if h >= quietUntil && h < quietFrom {
		return time.Time{}, false
	}
	end := time.Date(b.Year(), b.Month(), b.Day(), quietUntil, 0, 0, 0, china)
	if h >= quietFrom {
		end = end.AddDate(0, 0, 1)
	}
	return end, true
}

func beijingMidnight(t time.Time) time.Time {
	b := t.In(china)
	return time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, china)
}
