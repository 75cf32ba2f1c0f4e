package pairing

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ICSEvent is one meeting as a calendar event.
type ICSEvent struct {
	UID         string
	Stamp       time.Time
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
}

// ICS writes a calendar (RFC 5545) of events: times in UTC, texts
// escaped, lines folded at 75 octets without splitting a character, CRLF
// line ends. UIDs are the caller's and must stay the same for the same
// meeting, so a calendar that imports the file again updates rather than
// duplicates.
func ICS(name string, events []ICSEvent) []byte {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Huizhan//Pairing hall//ZH")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeICS(name))
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + escapeICS(e.UID))
		line("DTSTAMP:" + icsTime(e.Stamp))
		line(fmt.Sprintf("SEQUENCE:%d", icsSequence(e.Stamp)))
		line("DTSTART:" + icsTime(e.Start))
		line("DTEND:" + icsTime(e.End))
		line("SUMMARY:" + escapeICS(e.Summary))
		if e.Location != "" {
			line("LOCATION:" + escapeICS(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION:" + escapeICS(e.Description))
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

// icsSequence numbers an event's revisions: a meeting booked again is a
// new row with a later stamp, so minutes since 2020 grow with each
// rebooking and a calendar importing the file again takes the new time.
func icsSequence(stamp time.Time) int64 {
	return max(0, int64(stamp.Sub(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))/time.Minute))
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeICS escapes a TEXT value (RFC 5545 §3.3.11): backslash,
// semicolon, comma and line breaks.
func escapeICS(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it so that no line is
// longer than 75 octets (§3.1); a continuation starts with a space.
func foldICS(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}

// meetingUID is a meeting's calendar UID: by pairing, so a meeting moved
// to another table or slot stays the same event.
func meetingUID(pairingID int64, host string) string {
	return fmt.Sprintf("pairing-%d@%s", pairingID, host)
}
