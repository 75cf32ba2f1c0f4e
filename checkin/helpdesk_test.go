package checkin

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/web"
)

// TestHelpdeskSearch: the help desk's one box finds an attendee by the
// last four digits of their phone, the whole number in any spelling, a
// part of the name or organisation, and the badge code or URL.
func TestHelpdeskSearch(t *testing.T) {
	r := newRegEnv(t)
	f := r.f
	mk := func(name, org, phone string) Attendee {
		a, err := f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: name, Organisation: org, Phone: phone, Category: "guest"}, "organiser")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	zhang := mk("张敏", "四川长虹电器", "13812345678")
	li := mk("李娜", "西南科技大学", "13956785678")
	wang := mk("王伟", "成都5678科技", "13900001111")
	mk("赵强", "绵阳科协", "13900002222")
	cases := []struct {
		q    string
		want []int64
	}{
		{"5678", []int64{zhang.ID, li.ID, wang.ID}}, // two phones end in it; an organisation holds it
		{"1111", []int64{wang.ID}},
		{"1234", nil}, // inside a phone, not its end
		{"13812345678", []int64{zhang.ID}},
		{"+86 138 1234 5678", []int64{zhang.ID}},
		{"张", []int64{zhang.ID}},
		{"长虹", []int64{zhang.ID}},
		{"科技", []int64{li.ID, wang.ID}},
		{li.Code, []int64{li.ID}},
		{strings.ToLower("http://huizhan.test/b/" + li.Code), []int64{li.ID}},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			var l web.List[Attendee]
			r.Do("GET", fmt.Sprintf("/api/v1/editions/%d/attendees?q=%s", f.e1.ID, urlQuery(tc.q)), r.staff, nil, 200, &l)
			var got []int64
			for _, a := range l.Items {
				got = append(got, a.ID)
			}
			if fmt.Sprint(sortIDs(got)) != fmt.Sprint(sortIDs(tc.want)) {
				t.Errorf("found %v, want %v", got, tc.want)
			}
		})
	}
	// The page finds the same.
	res, body := r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf("/editions/%d/helpdesk?q=1111", f.e1.ID)), r.staff)
	if res.StatusCode != 200 || !strings.Contains(string(body), fmt.Sprintf(`href="/attendees/%d"`, wang.ID)) ||
		strings.Contains(string(body), fmt.Sprintf(`href="/attendees/%d"`, zhang.ID)) {
		t.Errorf("help desk page %d", res.StatusCode)
	}
}

func urlQuery(s string) string {
	return strings.NewReplacer("+", "%2B", " ", "+", "/", "%2F", ":", "%3A").Replace(s)
}

func sortIDs(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestAttendeePage: the help desk's attendee page shows the details, the
// badge and every scan with checkpoint and verdict, and offers the
// actions the account may take; a reissue shows the new badge at once.
func TestAttendeePage(t *testing.T) {
	r := newRegEnv(t)
	f := r.f
	a := f.attendee(f.e1.ID, "张敏", "guest")
	r.scanAPI(t, a.Code)
	r.scanAPI(t, a.Code)
	var scans web.List[AttendeeScan]
	r.Do("GET", fmt.Sprintf("/api/v1/attendees/%d/scans", a.ID), r.staff, nil, 200, &scans)
	if len(scans.Items) != 2 || scans.Items[0].Checkpoint != "南门" || !scans.Items[0].Current {
		t.Fatalf("scans %+v", scans.Items)
	}
	page := func(token string) string {
		res, body := r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf("/attendees/%d", a.ID)), token)
		if res.StatusCode != 200 {
			t.Fatalf("attendee page %d", res.StatusCode)
		}
		return string(body)
	}
	staffPage, orgPage := page(r.staff), page(r.org)
	for _, want := range []string{"张敏", "南门", `id="print-badge"`, "/b/" + a.Code + "/qr.png", `id="cancel"`, `id="manage-link"`} {
		if !strings.Contains(staffPage, want) {
			t.Errorf("staff's attendee page lacks %s", want)
		}
	}
	if strings.Contains(staffPage, `id="category-form"`) || !strings.Contains(orgPage, `id="category-form"`) {
		t.Error("change category is for organisers only")
	}
	// Reissue from the page: the new badge shows at once.
	req, _ := http.NewRequest("POST", r.Server.URL+fmt.Sprintf("/attendees/%d/reissue", a.ID), nil)
	res, _ := r.Request(req, r.org)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/attendees/%d?reissued=1", a.ID) {
		t.Fatalf("reissue answers %d to %q", res.StatusCode, loc)
	}
	re, _ := f.store.Attendee(f.ctx, a.ID)
	_, body := r.Request(mustReq(t, "GET", r.Server.URL+res.Header.Get("Location")), r.org)
	if !strings.Contains(string(body), "/b/"+re.Code+"/qr.png") || !strings.Contains(string(body), `id="print-badge"`) {
		t.Error("the attendee page does not show the reissued badge")
	}
	// The one-badge print page.
	_, body = r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf("/attendees/%d/print", a.ID)), r.staff)
	if strings.Count(string(body), `class="sheet-badge"`) != 1 {
		t.Error("the print page does not hold the one badge")
	}
	// Pages organisers use render.
	for _, p := range []string{"/editions/%d/approvals", "/editions/%d/registration-settings", "/editions/%d/register"} {
		if res, _ := r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf(p, f.e1.ID)), r.org); res.StatusCode != 200 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

// seedAttendees adds n attendees quickly (direct inserts, codes not
// signed): for benchmarks of reading.
func seedAttendees(b testing.TB, f *fixture, n int) {
	now := time.Now().UTC()
	err := f.db.Tx(f.ctx, func(tx *sqlx.Tx) error {
		for i := range n {
			_, err := tx.ExecContext(f.ctx, `INSERT INTO attendees (edition_id, name, organisation, phone, category, code, source, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'guest', ?, 'organiser', ?, ?)`, f.e1.ID, fmt.Sprintf("参会者%05d", i),
				fmt.Sprintf("第%d研究所", i%300), fmt.Sprintf("139%08d", i), seedCode(i), now, now)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// seedCode is a code-shaped (128 characters), unsigned badge code.
func seedCode(i int) string { return fmt.Sprintf("%0128d", i) }

// BenchmarkHelpdeskSearch searches 10,000 attendees the ways the help
// desk does; each op is one search with its count (one page of 50).
func BenchmarkHelpdeskSearch(b *testing.B) {
	f := newFixture(&testing.T{})
	defer f.store.Close()
	seedAttendees(b, f, 10_000)
	for _, q := range []string{"4321", "13900004321", "参会者0432", "第17研究所", seedCode(4321)} {
		b.Run(q[:min(len(q), 20)], func(b *testing.B) {
			for b.Loop() {
				as, total, err := f.store.Attendees(f.ctx, f.e1.ID, AttendeeFilter{Q: q}, web.Paging{Page: 1, PerPage: 50})
				if err != nil || total == 0 || len(as) == 0 {
					b.Fatalf("%q: %d found, %v", q, total, err)
				}
			}
		})
	}
}

// BenchmarkAttendeeScans reads one attendee's scans among 100,000 of the
// edition (no index by attendee: see AttendeeScans).
func BenchmarkAttendeeScans(b *testing.B) {
	f := newFixture(&testing.T{})
	defer f.store.Close()
	seedAttendees(b, f, 10_000)
	cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: "门", Kind: "gate", Rule: "multiple"})
	now := time.Now().UTC()
	err := f.db.Tx(f.ctx, func(tx *sqlx.Tx) error {
		for i := range 100_000 {
			_, err := tx.ExecContext(f.ctx, `INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code, verdict, server_at, scanned_at, day)
				SELECT ?, ?, ?, id, code, 'accepted', ?, ?, '2024-01-18' FROM attendees WHERE code = ?`,
				fmt.Sprint("s", i), cp.ID, f.e1.ID, now, now, seedCode(i%10_000))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	as, _, _ := f.store.Attendees(f.ctx, f.e1.ID, AttendeeFilter{Q: seedCode(4321)}, web.Paging{Page: 1, PerPage: 1})
	for b.Loop() {
		ss, err := f.store.AttendeeScans(f.ctx, as[0])
		if err != nil || len(ss) != 10 {
			b.Fatalf("%d scans, %v", len(ss), err)
		}
	}
}
