package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"huizhan/checkin"
)

// pdfPages counts the pages of a PDF by its page objects.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestBrowserBadgeSheetPrintsEightAPage prints the A4 badge sheet to PDF
// in headless Chromium, as an organiser's browser would print it, and
// checks that n badges take ⌈n/8⌉ pages (four rows of badges must fit an
// A4 page with its margins).
func TestBrowserBadgeSheetPrintsEightAPage(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	groups := map[string]int{"media": 8, "expert": 16, "guest": 80}
	for category, n := range groups {
		for i := range n {
			env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
				map[string]any{"name": fmt.Sprintf("参会者%d", i), "organisation": "四川省科学技术协会", "category": category}, 201, nil)
		}
	}
	for _, category := range []string{"media", "expert", "guest"} {
		n := groups[category]
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			// A browser each: the time limit is per browser, and a shared
			// machine is slow to print 80 badges.
			ctx := newBrowser(t)
			signIn(t, ctx, env, "organiser")
			var badges int
			browse(t, ctx, "open the badge sheet of "+category,
				chromedp.Navigate(fmt.Sprintf("%s/editions/%d/badges?category=%s", env.srv.URL, ed, category)),
				chromedp.WaitVisible(chromedp.CSS(`#badge-sheet .sheet-badge`)),
				into(&badges, chromedp.Evaluate[int](`document.querySelectorAll("#badge-sheet .sheet-badge").length`)),
			)
			if badges != n {
				t.Fatalf("the sheet shows %d badges, want %d", badges, n)
			}
			res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true)})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(pdfPage.FindAll(res.Data, -1)), (n+7)/8; got != want {
				t.Errorf("%d badges print on %d pages, want %d", n, got, want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestBrowserRegistrationAndHelpDesk: a member of the public registers on
// a phone for a category that needs approval and is told they wait; the
// organiser finds them at the help desk by the last four digits of their
// phone and approves them; their self-service page then shows the badge.
func TestBrowserRegistrationAndHelpDesk(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	env.do("PUT", fmt.Sprintf("/api/v1/editions/%d/registration-settings", ed), "organiser", map[string]any{
		"public_categories": []string{"enterprise", "expert"}, "approval_categories": []string{"expert"},
		"privacy_text": "仅用于会务。", "privacy_version": "v1"}, 200, nil)

	ctx := newBrowser(t)
	var status, manage string
	browse(t, ctx, "register as an expert",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/editions/%d/register", env.srv.URL, ed)),
		chromedp.WaitVisible(chromedp.CSS(`#register-form`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "王建国"),
		chromedp.SendKeys(chromedp.CSS(`input[name=phone]`), "139 0000 4321"),
		chromedp.SendKeys(chromedp.CSS(`input[name=organisation]`), "西南科技大学"),
		chromedp.SetValue(chromedp.CSS(`select[name=category]`), "expert"),
		chromedp.Click(chromedp.CSS(`input[name=consent]`)),
		chromedp.Click(chromedp.CSS(`#register-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#reg-status`)),
		into(&status, chromedp.Text(chromedp.CSS(`#reg-status`))),
		into(&manage, chromedp.Location()),
	)
	if !strings.Contains(status, "待审核") || !strings.Contains(manage, "/r/") {
		t.Fatalf("after registering: %q at %s", status, manage)
	}

	signIn(t, ctx, env, "organiser")
	var text string
	browse(t, ctx, "find them by the last four digits and approve",
		chromedp.EmulateViewport(1024, 768),
		chromedp.Navigate(fmt.Sprintf("%s/editions/%d/helpdesk", env.srv.URL, ed)),
		chromedp.SendKeys(chromedp.CSS(`#desk-search input[name=q]`), "4321\r"),
		chromedp.WaitVisible(chromedp.CSS(`#desk-results a`)),
		chromedp.Click(chromedp.CSS(`#desk-results a`)),
		chromedp.WaitVisible(chromedp.CSS(`#approve`)),
		chromedp.Click(chromedp.CSS(`#approve`)),
		chromedp.WaitVisible(chromedp.CSS(`#print-badge`)),
		into(&text, chromedp.Text(chromedp.CSS(`#attendee-status`))),
	)
	if !strings.Contains(text, "已通过") {
		t.Errorf("after approval the status shows %q", text)
	}
	browse(t, ctx, "the self-service page shows the badge",
		chromedp.Navigate(manage),
		chromedp.WaitVisible(chromedp.CSS(`#badge img.badge-qr`)),
	)
	// Two more experts wait; the queue approves them together.
	for i, phone := range []string{"13900001001", "13900001002"} {
		env.do("POST", fmt.Sprintf("/api/v1/editions/%d/registrations", ed), "", map[string]any{
			"name": fmt.Sprint("专家", i), "phone": phone, "category": "expert", "consent": true}, 201, nil)
	}
	var count string
	browse(t, ctx, "approve the queue at once",
		chromedp.Navigate(fmt.Sprintf("%s/editions/%d/approvals", env.srv.URL, ed)),
		chromedp.WaitVisible(chromedp.CSS(`#approvals input[name=ids]`)),
		chromedp.Click(chromedp.CSS(`#select-all`)),
		chromedp.Click(chromedp.CSS(`#approve-selected`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#approvals`)),
		into(&count, chromedp.Text(chromedp.CSS(`#pending-count`))),
	)
	if !strings.Contains(count, "0") {
		t.Errorf("after bulk approval the queue says %q", count)
	}
	var a checkin.Attendee
	var l struct{ Items []checkin.Attendee }
	env.do("GET", fmt.Sprintf("/api/v1/editions/%d/attendees?q=4321", ed), "organiser", nil, 200, &l)
	if len(l.Items) != 1 {
		t.Fatalf("found %d", len(l.Items))
	}
	a = l.Items[0]
	if a.Status != checkin.StatusApproved || a.Phone != "13900004321" || a.ConsentVersion != "v1" {
		t.Errorf("stored %+v", a)
	}
}
