package roadshow

import "time"

// span shows a time range in Beijing time for pages: "2024-01-18 09:00–11:30".
func span(from, to time.Time) string {
	f, t := from.In(China), to.In(China)
	if f.Format("20060102") != t.Format("20060102") {
		return f.Format("2006-01-02 15:04") + "–" + t.Format("2006-01-02 15:04")
	}
	return f.Format("2006-01-02 15:04") + "–" + t.Format("15:04")
}

// clock shows a range's times of day only: "09:00–09:10".
func clock(from, to time.Time) string {
	return from.In(China).Format("15:04") + "–" + to.In(China).Format("15:04")
}

// Span is the session's date and times, for pages.
func (s Session) Span() string { return span(s.StartsAt, s.EndsAt) }

// Clock is the slot's times of day, for pages.
func (s Slot) Clock() string { return clock(s.StartsAt, s.EndsAt) }

// Span is the session's date and times, for pages.
func (s AgendaSession) Span() string { return span(s.StartsAt, s.EndsAt) }

// Clock is the slot's times of day, for pages.
func (s AgendaSlot) Clock() string { return clock(s.StartsAt, s.EndsAt) }

// Span is the proposed slot's date and times, for pages.
func (s ProposedSlot) Span() string { return span(s.StartsAt, s.EndsAt) }

// Span is the changed item's new date and times, for pages.
func (c Change) Span() string { return span(c.StartsAt, c.EndsAt) }

// Was is the moved item's old start, for pages ("" unless moved).
func (c Change) Was() string {
	if c.OldStartsAt == nil {
		return ""
	}
	return c.OldStartsAt.In(China).Format("2006-01-02 15:04")
}

// Released is when the agenda was released, for pages.
func (a Agenda) Released() string {
	if a.ReleasedAt == nil {
		return ""
	}
	return a.ReleasedAt.In(China).Format("2006-01-02 15:04")
}
