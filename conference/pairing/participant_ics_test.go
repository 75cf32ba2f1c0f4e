package pairing

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parseICS reads a calendar back the way RFC 5545 says a client must:
// lines end in CRLF, a line starting with a space continues the one
// before, TEXT values are unescaped. It returns each event's properties.
func parseICS(t *testing.T, raw string) []map[string]string {
	t.Helper()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatal("does not end with CRLF")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bare line break in %q", l)
		}
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("folding split a character: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not a calendar: %q", lines)
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n")
	var events []map[string]string
	var cur map[string]string
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon: %q", l)
		}
		switch {
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur[name] = unescape.Replace(value)
		}
	}
	return events
}

func TestICSEscapesFoldsAndParses(t *testing.T) {
	start := time.Date(2024, 1, 18, 14, 20, 0, 0, china)
	tricky := `锂电池, 正极; 材料\需求` + "\n第二行"
	long := strings.Repeat("长标题", 40) // 360 octets of three-byte characters
	raw := string(ICS("日程", []ICSEvent{
		{UID: meetingUID(7, "hz.example"), Stamp: start, Start: start, End: start.Add(20 * time.Minute),
			Summary: tricky, Location: "对接大厅, 第 3 桌", Description: long},
		{UID: meetingUID(8, "hz.example"), Stamp: start, Start: start.Add(time.Hour), End: start.Add(80 * time.Minute), Summary: "b"},
	}))
	evs := parseICS(t, raw)
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	cases := map[string]string{
		"SUMMARY": tricky, "LOCATION": "对接大厅, 第 3 桌", "DESCRIPTION": long,
		"DTSTART": "20240118T062000Z", "DTEND": "20240118T064000Z", "UID": "pairing-7@hz.example",
	}
	for k, want := range cases {
		if e[k] != want {
			t.Errorf("%s = %q, want %q", k, e[k], want)
		}
	}
	if !strings.Contains(raw, `锂电池\, 正极\; 材料\\需求\n第二行`) {
		t.Errorf("escaping: %s", raw)
	}
	for _, must := range []string{"VERSION:2.0\r\n", "PRODID:", "DTSTAMP:20240118T062000Z\r\n"} {
		if !strings.Contains(raw, must) {
			t.Errorf("lacks %q", must)
		}
	}
	if later := icsSequence(start.Add(time.Hour)); later <= icsSequence(start) {
		t.Errorf("a later booking does not raise SEQUENCE: %d", later)
	}
	// The same meeting gives the same UID wherever it is booked.
	if meetingUID(7, "hz.example") != evs[0]["UID"] || evs[1]["UID"] == evs[0]["UID"] {
		t.Error("UIDs not stable and distinct")
	}
}

func TestHalfDayOf(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2024-01-18T09:00:00+08:00", "2024-01-18T09:00:00+08:00"},
		{"2024-01-18T11:59:00+08:00", "2024-01-18T09:00:00+08:00"},
		{"2024-01-18T12:00:00+08:00", "2024-01-18T14:00:00+08:00"},
		{"2024-01-18T06:30:00Z", "2024-01-18T14:00:00+08:00"}, // 14:30 Beijing
		{"2024-01-17T23:00:00Z", "2024-01-18T09:00:00+08:00"}, // 07:00 Beijing the next day
	}
	for _, c := range cases {
		in, _ := time.Parse(time.RFC3339, c.in)
		if got := halfDayOf(in).In(china).Format(time.RFC3339); got != c.want {
			t.Errorf("halfDayOf(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}
