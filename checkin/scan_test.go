package checkin

import (
	"bytes"
	"image/png"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

func TestRejections(t *testing.T) {
	f := newFixture(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	media := f.checkpoint(f.e1.ID, CheckpointInput{Name: "媒体区", Kind: "gate", Categories: CategoryList{"media"}})
	open, closes := time.Date(2024, 1, 18, 1, 0, 0, 0, time.UTC), time.Date(2024, 1, 18, 2, 0, 0, 0, time.UTC)
	windowed := f.checkpoint(f.e1.ID, CheckpointInput{Name: "开幕式", Kind: "session", OpensAt: &open, ClosesAt: &closes})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	other := f.attendee(f.e2.ID, "李娜", "guest")
	reissued := f.attendee(f.e1.ID, "张强", "expert")
	old := reissued.Code
	f.scan(gate.ID, old, time.Time{}) // cached as valid before the reissue
	if _, err := f.store.Reissue(f.ctx, reissued.ID); err != nil {
		t.Fatal(err)
	}
	last := a.Code[len(a.Code)-1]
	changed := a.Code[:len(a.Code)-1] + string("AB"[map[bool]int{true: 1}[last == 'A']])
	inside := time.Date(2024, 1, 18, 1, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		cp     int64
		code   string
		at     time.Time
		reason string
	}{
		{"last character changed", gate.ID, changed, time.Time{}, ReasonForged},
		{"garbage", gate.ID, "HELLO", time.Time{}, ReasonForged},
		{"another edition's code", gate.ID, other.Code, time.Time{}, ReasonWrongEdition},
		{"reissued attendee's old code", gate.ID, old, time.Time{}, ReasonRevoked},
		{"category not let in", media.ID, a.Code, time.Time{}, ReasonCategory},
		{"before the window", windowed.ID, a.Code, open.Add(-time.Minute), ReasonClosed},
		{"at the window's end", windowed.ID, a.Code, closes, ReasonClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The server's clock at tc.at judges the window.
			if !tc.at.IsZero() {
				f.store.SetClock(func() time.Time { return tc.at })
				defer f.store.SetClock(clockFrom(time.Date(2024, 1, 19, 20, 0, 0, 0, china)))
			}
			r := f.scan(tc.cp, tc.code, time.Time{})
			if r.Verdict != Rejected || r.Reason != tc.reason {
				t.Errorf("verdict %s/%s, want rejected/%s", r.Verdict, r.Reason, tc.reason)
			}
		})
	}
	f.store.SetClock(func() time.Time { return inside })
	if r := f.scan(windowed.ID, a.Code, time.Time{}); r.Verdict != Accepted {
		t.Errorf("inside the window: %s/%s", r.Verdict, r.Reason)
	}
	f.store.SetClock(clockFrom(time.Date(2024, 1, 19, 20, 0, 0, 0, china)))
	if r := f.scan(gate.ID, "https://hz.example/b/"+string(bytes.ToLower([]byte(a.Code))), time.Time{}); r.Verdict != Accepted || r.Attendee.Name != "王伟" {
		t.Errorf("the badge URL in lower case: %+v", r)
	}
	// The stored rows: every scan kept, rejected ones too.
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE verdict = 'rejected'`); n != 7 {
		t.Errorf("%d rejected scans stored, want 7", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'revoked' AND attendee_id = ?`, reissued.ID); n != 1 {
		t.Errorf("the revoked scan is not tied to its attendee")
	}
}

func TestRules(t *testing.T) {
	f := newFixture(t)
	day1 := time.Date(2024, 1, 18, 1, 0, 0, 0, time.UTC)
	day1Later := day1.Add(5 * time.Hour)
	day2 := day1.Add(24 * time.Hour)
	for _, tc := range []struct {
		rule string
		want []string // verdicts of scans on day1, day1 later, day2
	}{
		{"once", []string{Accepted, Duplicate, Duplicate}},
		{"once_per_day", []string{Accepted, Duplicate, Accepted}},
		{"multiple", []string{Accepted, Accepted, Accepted}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: tc.rule, Kind: "gate", Rule: tc.rule})
			a := f.attendee(f.e1.ID, "刘洋"+tc.rule, "enterprise")
			var got []Result
			for _, at := range []time.Time{day1, day1Later, day2} {
				f.store.SetClock(func() time.Time { return at })
				got = append(got, f.scan(cp.ID, a.Code, at))
			}
			for i, r := range got {
				if r.Verdict != tc.want[i] {
					t.Errorf("scan %d: %s, want %s", i+1, r.Verdict, tc.want[i])
				}
				if r.Verdict == Duplicate && (r.First == nil || !r.First.Time.Equal(day1) || r.First.Checkpoint != tc.rule) {
					t.Errorf("scan %d: first %+v, want %v at %s", i+1, r.First, day1, tc.rule)
				}
			}
		})
	}
}

func TestScanIDIsIdempotent(t *testing.T) {
	f := newFixture(t)
	cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "once"})
	a := f.attendee(f.e1.ID, "陈杰", "guest")
	sc := Scanner{Organiser: true, Device: "t"}
	in := ScanInput{Code: a.Code, ScanID: "same-1"}
	r1, err := f.store.Scan(f.ctx, cp.ID, sc, in)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.store.Scan(f.ctx, cp.ID, sc, in)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Verdict != Accepted || r2.Verdict != Accepted || !r1.ScannedAt.Equal(r2.ScannedAt) || r2.Attendee == nil {
		t.Errorf("second answer %+v, want the first %+v again", r2, r1)
	}
	if n := f.count(`SELECT COUNT(*) FROM scans`); n != 1 {
		t.Errorf("%d scans stored, want 1", n)
	}
	// A batch sent twice (the station resending its queue) stores each once
	// and answers the same verdicts, in order.
	b := f.attendee(f.e1.ID, "杨帆", "guest")
	batch := []ScanInput{{Code: b.Code, ScanID: "q-1"}, {Code: b.Code, ScanID: "q-2"}, {Code: "XYZ", ScanID: "q-3"}}
	want := []string{Accepted, Duplicate, Rejected}
	for round := 1; round <= 2; round++ {
		rs, err := f.store.ScanBatch(f.ctx, cp.ID, sc, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rs {
			if r.Verdict != want[i] || r.ScanID != batch[i].ScanID {
				t.Errorf("round %d, scan %d: %s %s, want %s %s", round, i, r.ScanID, r.Verdict, batch[i].ScanID, want[i])
			}
		}
		if rs[1].First == nil || rs[1].First.Checkpoint != "南门" {
			t.Errorf("round %d: duplicate without its first scan: %+v", round, rs[1].First)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM scans`); n != 4 {
		t.Errorf("%d scans stored, want 4", n)
	}
}

func TestForgedFloodIsRateLimited(t *testing.T) {
	f := newFixture(t)
	cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	a := f.attendee(f.e1.ID, "赵敏", "guest")
	now := time.Date(2024, 1, 18, 1, 0, 0, 0, time.UTC)
	f.store.limiter.now = func() time.Time { return now }
	f.scan(cp.ID, a.Code, time.Time{}) // known before the flood
	limited := 0
	for i := range 100 {
		// The device ID is the client's to choose: a new one each time
		// changes nothing, the account and address are the same.
		flooder := Scanner{UserID: 0, Organiser: true, Address: "10.0.0.9", Device: "10.0.0.9|dev-" + itoa(i)}
		_, err := f.store.Scan(f.ctx, cp.ID, flooder, ScanInput{Code: "FORGED", ScanID: "f-" + itoa(i)})
		if apperr.KindOf(err) == apperr.RateLimited {
			limited++
		}
	}
	if limited != 70 {
		t.Errorf("%d of 100 forged scans refused, want 70 (a burst of 30 is allowed)", limited)
	}
	// The flood is not stored scan by scan: the first few are, the rest
	// (25 answered, 70 refused) are one counted row.
	if n := f.count(`SELECT COUNT(*) FROM scans WHERE reason = 'forged'`); n != floodAfter {
		t.Errorf("%d forged scans stored, want %d", n, floodAfter)
	}
	if err := f.store.flushFloods(f.ctx); err != nil {
		t.Fatal(err)
	}
	fl, err := f.store.ForgedFloods(f.ctx, f.e1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fl) != 1 || fl[0].Scans != 95 || fl[0].Address != "10.0.0.9" || fl[0].CheckpointID != cp.ID {
		t.Errorf("forged floods %+v, want one of 95 scans from 10.0.0.9", fl)
	}
	// A known badge still passes from the same address, and another
	// address is not affected at all.
	flooder := Scanner{Organiser: true, Address: "10.0.0.9", Device: "10.0.0.9"}
	if _, err := f.store.Scan(f.ctx, cp.ID, flooder, ScanInput{Code: a.Code, ScanID: "ok-1"}); err != nil {
		t.Errorf("known code from the flooding address: %v", err)
	}
	other := Scanner{Organiser: true, Address: "10.0.0.7", Device: "10.0.0.7"}
	if _, err := f.store.Scan(f.ctx, cp.ID, other, ScanInput{Code: "FORGED", ScanID: "ok-2"}); err != nil {
		t.Errorf("another address: %v", err)
	}
	now = now.Add(time.Minute) // tokens come back
	if _, err := f.store.Scan(f.ctx, cp.ID, flooder, ScanInput{Code: "FORGED", ScanID: "ok-3"}); err != nil {
		t.Errorf("after a minute: %v", err)
	}
}

func TestBadgePNGDecodesToURL(t *testing.T) {
	f := newFixture(t)
	a := f.attendee(f.e1.ID, "孙丽", "media")
	url := "http://huizhan.test/b/" + a.Code
	b, err := f.store.BadgePNG(a.Code, url)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is nothing but the code, so the reader is told so: its
	// finder-pattern search, meant for photos, misses about 1 generated
	// code in 80 (which the stations' jsQR reads), and the test would flake.
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetText() != url {
		t.Errorf("QR says %q, want %q", res.GetText(), url)
	}
	if again, _ := f.store.BadgePNG(a.Code, url); &again[0] != &b[0] {
		t.Error("the second request rendered the image again")
	}
}

func TestStaffLimits(t *testing.T) {
	f := newFixture(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	door := f.checkpoint(f.e1.ID, CheckpointInput{Name: "主会场", Kind: "session"})
	var uid int64
	err := f.db.W.GetContext(f.ctx, &uid, `INSERT INTO users (username, password_hash, role, created_at, updated_at)
		VALUES ('gate-1', 'x', 'staff', ?, ?) RETURNING id`, time.Now(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sc := Scanner{UserID: uid}
	if err := f.store.MayScan(f.ctx, sc, door); err != nil {
		t.Errorf("unlimited staff refused: %v", err)
	}
	if err := f.store.SetStaff(f.ctx, gate.ID, []int64{uid}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.MayScan(f.ctx, sc, gate); err != nil {
		t.Errorf("staff refused at its checkpoint: %v", err)
	}
	if err := f.store.MayScan(f.ctx, sc, door); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("staff limited to the gate scans at the door: %v", err)
	}
}

func TestCopyEditionBringsCheckpoints(t *testing.T) {
	f := newFixture(t)
	open := time.Date(2024, 1, 18, 1, 0, 0, 0, time.UTC)
	f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "once_per_day", OpensAt: &open,
		Categories: CategoryList{"guest", "media"}})
	e, err := f.conf.CopyEdition(f.ctx, f.e1.ID, conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: civil.NewDate(2025, 1, 16), EndsOn: civil.NewDate(2025, 1, 17), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := f.store.Checkpoints(f.ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Name != "南门" || cs[0].Rule != "once_per_day" || len(cs[0].Categories) != 2 ||
		cs[0].OpensAt == nil || !cs[0].OpensAt.Equal(open.AddDate(0, 0, 364)) {
		t.Errorf("copied checkpoints %+v", cs)
	}
}

func TestSeedDemo(t *testing.T) {
	f := newFixture(t)
	demo := conference.Demo{Editions: []conference.Edition{f.e2, f.e1}, Delegations: map[int64][]conference.Delegation{}}
	if err := f.store.SeedDemo(f.ctx, demo); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT COUNT(DISTINCT category) FROM attendees WHERE edition_id = ?`, f.e1.ID); n != 6 {
		t.Errorf("%d categories, want all 6", n)
	}
	st, err := f.store.Stats(f.ctx, f.e1.ID)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]bool{}
	for _, d := range st.ByDay {
		days[d.Day] = true
	}
	if st.Attendees != demoAttendees || st.Scans < demoAttendees || !days["2024-01-18"] || !days["2024-01-19"] {
		t.Errorf("demo: %d attendees, %d scans, days %v", st.Attendees, st.Scans, days)
	}
	// Demo badges are real: a demo code scans like any other.
	a, _, err := f.store.Attendees(f.ctx, f.e1.ID, AttendeeFilter{}, webPage())
	if err != nil {
		t.Fatal(err)
	}
	cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: "测试门", Kind: "gate", Rule: "multiple"})
	if r := f.scan(cp.ID, a[0].Code, time.Time{}); r.Verdict != Accepted {
		t.Errorf("demo badge: %s/%s", r.Verdict, r.Reason)
	}
}

// The writer remembers first scans so that duplicates cost no look-up; a
// first scan it did not store itself (another instance on a shared
// database) must still make the next scan a duplicate of it.
func TestDuplicateOfAScanStoredElsewhere(t *testing.T) {
	f := newFixture(t)
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	a := f.attendee(f.e1.ID, "王伟", "guest")
	b := f.attendee(f.e1.ID, "李娜", "guest")
	at := time.Date(2024, 1, 19, 1, 0, 0, 0, time.UTC)
	first := f.scan(gate.ID, a.Code, at)
	if r := f.scan(gate.ID, a.Code, at.Add(time.Minute)); r.Verdict != Duplicate || !r.First.Time.Equal(first.ScannedAt) {
		t.Fatalf("second scan of a: %+v, want a duplicate of %v", r, first.ScannedAt)
	}
	elsewhere := at.Add(-time.Hour)
	f.db.W.MustExec(`INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code, verdict,
		server_at, scanned_at, day) VALUES ('other-instance', ?, ?, ?, ?, 'accepted', ?, ?, '2024-01-19')`,
		gate.ID, f.e1.ID, b.ID, b.Code, elsewhere, elsewhere)
	r := f.scan(gate.ID, b.Code, at)
	if r.Verdict != Duplicate || r.First == nil || !r.First.Time.Equal(elsewhere) {
		t.Fatalf("scan of b after its scan elsewhere: %+v, want a duplicate of %v", r, elsewhere)
	}
	// Two scans of a new attendee in one batch: the second is a duplicate
	// of the first, learnt inside the group before it commits.
	c := f.attendee(f.e1.ID, "张强", "guest")
	rs, err := f.store.ScanBatch(f.ctx, gate.ID, Scanner{Organiser: true}, []ScanInput{
		{Code: c.Code, ScanID: "batch-1"}, {Code: c.Code, ScanID: "batch-2"}})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Verdict != Accepted || rs[1].Verdict != Duplicate {
		t.Errorf("batch verdicts %s, %s; want accepted, duplicate", rs[0].Verdict, rs[1].Verdict)
	}
	var firstID int64
	f.db.R.Get(&firstID, `SELECT first_id FROM scans WHERE scan_id = 'batch-2'`)
	var want int64
	f.db.R.Get(&want, `SELECT id FROM scans WHERE scan_id = 'batch-1'`)
	if firstID != want || want == 0 {
		t.Errorf("batch-2 first_id %d, want batch-1's %d", firstID, want)
	}
}
