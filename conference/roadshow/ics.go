package roadshow

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteICS writes the agenda as an iCalendar feed (RFC 5545): one event per
// session and one per pitch, times in UTC, lines ended with CRLF and
// folded at 75 octets. host names the feed in the events' UIDs.
func WriteICS(w io.Writer, a Agenda, name, host string) error {
	stamp := time.Now().UTC()
	if a.ReleasedAt != nil {
		stamp = a.ReleasedAt.UTC()
	}
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Huizhan//Agenda//ZH",
		"CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + escapeText(name)}
	for _, s := range a.Sessions {
		lines = append(lines, event(fmt.Sprintf("session-%d@%s", s.ID, host), stamp, s.StartsAt, s.EndsAt,
			s.Title, s.Room, "")...)
		for _, sl := range s.Slots {
			desc := fmt.Sprintf("%s · %s · %s", s.Title, sl.Delegation, sl.Presenter)
			lines = append(lines, event(fmt.Sprintf("slot-%d@%s", sl.ID, host), stamp, sl.StartsAt, sl.EndsAt,
				sl.Project, s.Room, desc)...)
		}
	}
	lines = append(lines, "END:VCALENDAR")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(fold(l))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func event(uid string, stamp, start, end time.Time, summary, location, desc string) []string {
	ev := []string{"BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:" + icsTime(stamp),
		"DTSTART:" + icsTime(start), "DTEND:" + icsTime(end),
		"SUMMARY:" + escapeText(summary), "LOCATION:" + escapeText(location)}
	if desc != "" {
		ev = append(ev, "DESCRIPTION:"+escapeText(desc))
	}
	return append(ev, "END:VEVENT")
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
var escapeText = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace

// fold ends a content line with CRLF, breaking it so that no line is longer
// than 75 octets; continuation lines start with a space. A UTF-8 character
// is never split.
func fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
