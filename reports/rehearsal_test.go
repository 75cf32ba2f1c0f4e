package reports

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Scans at a checkpoint in rehearsal (演练) test the gates; they count in
// no workbook, summary or dashboard figure.
func TestRehearsalScansLeftOut(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	ctx := context.Background()
	before, err := f.r.Summary(ctx, ed, "")
	if err != nil {
		t.Fatal(err)
	}
	rowsBefore := len(rows(t, f.build(t, Request{Name: "checkins", EditionID: ed, Lang: "zh-CN"}), "签到记录"))
	var gate, att int64
	if err := f.d.R.Get(&gate, `SELECT id FROM checkpoints WHERE edition_id = ? ORDER BY id LIMIT 1`, ed); err != nil {
		t.Fatal(err)
	}
	if err := f.d.R.Get(&att, `SELECT id FROM attendees WHERE edition_id = ? ORDER BY id LIMIT 1`, ed); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		at := seedNow.Add(-24*time.Hour + time.Duration(i)*time.Minute) // the day before, as rehearsals are
		exec(t, f.d, `INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code, verdict, reason, device,
			server_at, scanned_at, day, rehearsal) VALUES (?, ?, ?, ?, 'X', 'accepted', '', 'dev', ?, ?, ?, TRUE)`,
			fmt.Sprintf("rehearsal-%d", i), gate, ed, att, at, at, at.In(china).Format("2006-01-02"))
	}
	after, err := f.r.Summary(ctx, ed, "")
	if err != nil {
		t.Fatal(err)
	}
	if b, a := before.Counters(), after.Counters(); a.Checkins != b.Checkins || a.People != b.People {
		t.Errorf("dashboard counters %+v after rehearsal scans, want %+v", a, b)
	}
	if len(after.Days) != len(before.Days) {
		t.Errorf("check-ins per day %+v after rehearsal scans, want %+v", after.Days, before.Days)
	}
	if n := len(rows(t, f.build(t, Request{Name: "checkins", EditionID: ed, Lang: "zh-CN"}), "签到记录")); n != rowsBefore {
		t.Errorf("check-in workbook has %d rows after rehearsal scans, want %d", n, rowsBefore)
	}
}
