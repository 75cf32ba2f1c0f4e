package checkin

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"testing"

	"huizhan/conference"
	"huizhan/internal/web"
)

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// needPDFFont skips a test when the machine has no font for the badge
// PDF, except in CI, where the font is installed and the test must run.
func needPDFFont(t *testing.T) {
	t.Helper()
	if _, err := badgeFont(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no font for the badge PDF (apt-get install fonts-droid-fallback)")
		}
		t.Skip("no font for the badge PDF: apt-get install fonts-droid-fallback")
	}
}

// TestBadgePDF: the server's badge PDF of a delegation or a category has
// ⌈n/8⌉ A4 pages of approved badges, with no cap on n; a delegation
// account gets its own delegation's only.
func TestBadgePDF(t *testing.T) {
	needPDFFont(t)
	r := newRegEnv(t)
	f := r.f
	d, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳市科协", Region: "绵阳"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "德阳市科协", Region: "德阳"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 17 {
		if _, err := f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: fmt.Sprintf("代表团成员䶮堃%d号", i),
			Organisation: "绵阳市科学技术协会（四川省绵阳市涪城区）", Category: "delegation", DelegationID: &d.ID}, "organiser"); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 8 {
		f.attendee(f.e1.ID, fmt.Sprint("记者", i), "media")
	}
	// Pending and cancelled attendees have no badge to print.
	r.settings(t, map[string]any{"public_categories": []string{"media"}, "approval_categories": []string{"media"}})
	r.register(t, map[string]any{"name": "待审", "phone": "13800000001", "category": "media", "consent": true}, 201)
	gone := f.attendee(f.e1.ID, "已取消", "media")
	if _, err := f.store.Cancel(f.ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query string
		token string
		want  int // pages; 0: the status below
		code  int
	}{
		{fmt.Sprintf("delegation_id=%d", d.ID), r.org, 3, 200},
		{"category=media", r.org, 1, 200},
		{"category=delegation", r.org, 3, 200},
		{fmt.Sprintf("delegation_id=%d", d.ID), r.Token(web.RoleDelegation, d.ID), 3, 200},
		{fmt.Sprintf("delegation_id=%d", d.ID), r.Token(web.RoleDelegation, other.ID), 0, 403},
		{"category=media", r.Token(web.RoleDelegation, d.ID), 0, 403},
		{fmt.Sprintf("delegation_id=%d", other.ID), r.org, 0, 404}, // no badges
		{"", r.org, 0, 422},
		{"category=staff", r.staff, 0, 403},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res, body := r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf("/api/v1/editions/%d/badges.pdf?%s", f.e1.ID, tc.query)), tc.token)
			if res.StatusCode != tc.code {
				t.Fatalf("status %d, want %d: %.200s", res.StatusCode, tc.code, body)
			}
			if tc.code != 200 {
				return
			}
			if res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %s", res.Header.Get("Content-Type"))
			}
			if got := len(pdfPage.FindAll(body, -1)); got != tc.want {
				t.Errorf("%d pages, want %d", got, tc.want)
			}
			if !bytes.Contains(body, []byte("/MediaBox [0 0 595.28 841.89]")) {
				t.Error("the pages are not A4")
			}
		})
	}
}

// BenchmarkBadgePDF makes the PDF of 800 badges (100 pages).
func BenchmarkBadgePDF(b *testing.B) {
	if _, err := badgeFont(); err != nil {
		b.Skip(err)
	}
	f := newFixture(&testing.T{})
	defer f.store.Close()
	for i := range 800 {
		f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: fmt.Sprint("嘉宾", i), Organisation: "四川省科学技术协会", Category: "guest"}, "organiser")
	}
	for b.Loop() {
		var buf bytes.Buffer
		n, err := f.store.WriteBadgePDF(f.ctx, &buf, f.e1, AttendeeFilter{Category: "guest"}, func(c string) string { return c }, func(c string) string { return "https://x/b/" + c })
		if err != nil || n != 800 {
			b.Fatal(n, err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB")
	}
}
