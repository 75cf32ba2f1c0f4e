package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huizhan/checkin"
)

// The station is used on a phone: these tests run at 390×844.
func phone(t *testing.T, env *testEnv, role string) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	browse(t, ctx, "phone-sized window", chromedp.EmulateViewport(390, 844))
	signIn(t, ctx, env, role)
	return ctx
}

// lockStation opens the station and chooses the checkpoint named name.
func lockStation(t *testing.T, ctx context.Context, env *testEnv, cp int64) {
	t.Helper()
	browse(t, ctx, "choose the checkpoint",
		chromedp.Navigate(env.srv.URL+"/checkin/station"),
		chromedp.WaitVisible(chromedp.CSS(`#point-list`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[data-checkpoint="%d"]`, cp))),
		chromedp.WaitVisible(chromedp.CSS(`#station.kiosk #scan-input`)),
	)
}

// scanCode types a code as a keyboard-wedge scanner does and waits for the
// verdict of kind (accepted, duplicate, rejected); it returns what the
// full-screen verdict said (it may be gone already on a slow machine).
func scanCode(t *testing.T, ctx context.Context, code, kind string) (overlay string) {
	t.Helper()
	browse(t, ctx, "scan "+code[:min(len(code), 8)]+"…",
		into(new(string), chromedp.Evaluate[string](`document.getElementById("verdict").className = "verdict"`)),
		chromedp.SendKeys(chromedp.CSS(`#scan-input`), code+"\r"),
		chromedp.WaitReady(chromedp.CSS(`#verdict.verdict-`+kind)),
		chromedp.WaitReady(chromedp.CSS(`#overlay.overlay-`+kind)),
		into(&overlay, chromedp.TextContent(chromedp.CSS(`#overlay`))),
	)
	return overlay
}

// shot saves a screenshot to $HUIZHAN_SCREENSHOTS/name.png when set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HUIZHAN_SCREENSHOTS")
	if dir == "" {
		return
	}
	var b []byte
	browse(t, ctx, "screenshot "+name, into(&b, chromedp.CaptureScreenshot()))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func noHorizontalScroll(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var wide bool
	browse(t, ctx, "measure the page width",
		into(&wide, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)))
	if wide {
		t.Errorf("%s: the page scrolls sideways at 390 px", where)
	}
}

func visible(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	var v bool
	browse(t, ctx, "is "+sel+" visible",
		into(&v, chromedp.Evaluate[bool](`(function(){var e=document.querySelector(`+"`"+sel+"`"+`);return !!e && e.getClientRects().length>0 && getComputedStyle(e).display!=="none"})()`)))
	return v
}

// TestBrowserStationGate: at a gate on a phone, the station locks to the
// checkpoint and hides the site's navigation; no lead form shows before or
// after a scan; a duplicate shows the first scan's Beijing time and place;
// a reload keeps the lock; leaving needs the staff member's password.
func TestBrowserStationGate(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	var a checkin.Attendee
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
		map[string]any{"name": "王建国", "organisation": "西南科技大学", "category": "expert"}, 201, &a)
	var gate checkin.Checkpoint
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", ed), "organiser",
		map[string]any{"name": "南门入口", "kind": "gate", "rule": "once_per_day"}, 201, &gate)
	// Last year's gates are not offered.
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", env.demo.Editions[0].ID), "organiser",
		map[string]any{"name": "去年的北门", "kind": "gate"}, 201, nil)

	ctx := phone(t, env, "staff")
	var list string
	browse(t, ctx, "open the station",
		chromedp.Navigate(env.srv.URL+"/checkin/station"),
		chromedp.WaitVisible(chromedp.CSS(`#point-list`)),
		into(&list, chromedp.Text(chromedp.CSS(`#point-list`))))
	if strings.Contains(list, "去年的北门") || !strings.Contains(list, "南门入口") {
		t.Errorf("checkpoints offered: %q", list)
	}
	noHorizontalScroll(t, ctx, "choosing a checkpoint")
	shot(t, ctx, "choose")
	lockStation(t, ctx, env, gate.ID)
	if visible(t, ctx, "header.top") {
		t.Error("the site navigation shows on a locked station")
	}
	if visible(t, ctx, "#lead-form") {
		t.Error("a lead form shows at a gate before any scan")
	}
	noHorizontalScroll(t, ctx, "gate, idle")
	shot(t, ctx, "gate-idle")

	text := scanCode(t, ctx, strings.ToLower(a.Code), "accepted")
	if !strings.Contains(text, "签到成功") || !strings.Contains(text, "王建国") || !strings.Contains(text, "西南科技大学") || !strings.Contains(text, "专家") {
		t.Errorf("accepted verdict shows %q", text)
	}
	shot(t, ctx, "gate-accepted")
	if visible(t, ctx, "#lead-form") {
		t.Error("a lead form shows at a gate after an accepted scan")
	}
	var firstAt time.Time
	if err := env.app.db.R.Get(&firstAt, `SELECT scanned_at FROM scans WHERE attendee_id = ? AND verdict = 'accepted'`, a.ID); err != nil {
		t.Fatal(err)
	}
	text = scanCode(t, ctx, a.BadgeURL, "duplicate")
	want := firstAt.In(time.FixedZone("CST", 8*3600)).Format("15:04")
	if !strings.Contains(text, "重复签到") || !strings.Contains(text, "首次签到 "+want+" · 南门入口") {
		t.Errorf("duplicate verdict shows %q, want the first scan at %s (Beijing) at 南门入口", text, want)
	}
	if regexp.MustCompile(`AM|PM|/20`).MatchString(text) {
		t.Errorf("duplicate verdict shows a browser-formatted time: %q", text)
	}
	shot(t, ctx, "gate-duplicate")
	noHorizontalScroll(t, ctx, "gate, duplicate")
	text = scanCode(t, ctx, "NOTACODE", "rejected")
	if !strings.Contains(text, "无效码") {
		t.Errorf("forged verdict shows %q", text)
	}
	shot(t, ctx, "gate-forged")

	var device, name string
	browse(t, ctx, "reload the page",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#station.kiosk #scan-input`)),
		into(new(bool), chromedp.Poll[bool](`document.getElementById("count-device").textContent === "3"`)),
		into(&device, chromedp.Text(chromedp.CSS(`#count-device`))),
		into(&name, chromedp.Text(chromedp.CSS(`#station-name`))))
	if name != "南门入口" || device != "3" {
		t.Errorf("after a reload: station %q, %s scans of this device today", name, device)
	}
	// Without network a reload is answered by the station's service
	// worker, from its copy of the page.
	var cached bool
	browse(t, ctx, "wait for the station's copy",
		into(&cached, chromedp.Evaluate[bool](`new Promise(function (resolve) {
			var n = 0;
			(function check() {
				caches.match("/checkin/station").then(function (r) { return r ? r.text() : ""; }).then(function (s) {
					if (s.indexOf("station-name") > 0) resolve(true);
					else if (++n > 60) resolve(false);
					else setTimeout(check, 250);
				});
			})();
		})`, chromedp.EvalAwaitPromise)))
	if !cached {
		t.Error("the service worker keeps no copy of the station page")
	}
	browse(t, ctx, "leave with a wrong password",
		chromedp.Click(chromedp.CSS(`#leave summary`)),
		chromedp.SendKeys(chromedp.CSS(`#leave-password`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`#leave-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#station-error`)),
		chromedp.WaitVisible(chromedp.CSS(`#station.kiosk`)))
	browse(t, ctx, "leave with the password",
		chromedp.Click(chromedp.CSS(`#leave summary`)),
		chromedp.SendKeys(chromedp.CSS(`#leave-password`), testPassword),
		chromedp.Click(chromedp.CSS(`#leave-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#point-list`)))
}

// TestBrowserStationBooth: at a booth the lead form shows only after an
// accepted scan, its five ratings on one line.
func TestBrowserStationBooth(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	var a checkin.Attendee
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
		map[string]any{"name": "李秀英", "organisation": "长虹", "category": "guest"}, 201, &a)
	var zone, booth struct{ ID int64 }
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/zones", ed), "organiser",
		map[string]any{"name": "综合展区", "hall": "1号馆"}, 201, &zone)
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/booths", ed), "organiser",
		map[string]any{"zone_id": zone.ID, "code": "A01", "area_m2": 9, "x": 1, "y": 1, "w": 3, "h": 3}, 201, &booth)
	var cp checkin.Checkpoint
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", ed), "organiser",
		map[string]any{"name": "展位 A01", "kind": "booth", "booth_id": booth.ID}, 201, &cp)

	ctx := phone(t, env, "staff")
	lockStation(t, ctx, env, cp.ID)
	if visible(t, ctx, "#lead-form") {
		t.Error("the lead form shows at a booth before any scan")
	}
	scanCode(t, ctx, "FORGEDCODE", "rejected")
	if visible(t, ctx, "#lead-form") {
		t.Error("the lead form shows after a rejected scan")
	}
	scanCode(t, ctx, a.Code, "accepted")
	browse(t, ctx, "let the verdict go", chromedp.WaitNotVisible(chromedp.CSS(`#overlay`)))
	if !visible(t, ctx, "#lead-form") {
		t.Fatal("no lead form after an accepted scan at a booth")
	}
	var tops []float64
	browse(t, ctx, "measure the ratings",
		into(&tops, chromedp.Evaluate[[]float64](`Array.from(document.querySelectorAll("#lead-form .rating span")).map(function(e){return e.getBoundingClientRect().top})`)))
	for _, top := range tops {
		if len(tops) != 5 || top != tops[0] {
			t.Errorf("the five ratings are not on one line: %v", tops)
			break
		}
	}
	noHorizontalScroll(t, ctx, "booth with the lead form")
	shot(t, ctx, "booth-lead")
}

// TestBrowserStationExpired: the demo's current edition is past, so its
// badges have expired: the station says so in words (not "not allowed").
// Its rehearsal gate still takes them, under a 演练 banner.
func TestBrowserStationExpired(t *testing.T) {
	env := newTestEnv(t)
	cur := env.demo.Current().ID
	var a checkin.Attendee
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", cur), "organiser",
		map[string]any{"name": "张伟", "organisation": "四川大学", "category": "guest"}, 201, &a)
	var gate, rehearsal checkin.Checkpoint
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", cur), "organiser",
		map[string]any{"name": "东门", "kind": "gate"}, 201, &gate)
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", cur), "organiser",
		map[string]any{"name": "东门（演练）", "kind": "gate", "rehearsal": true}, 201, &rehearsal)

	ctx := phone(t, env, "staff")
	lockStation(t, ctx, env, gate.ID)
	text := scanCode(t, ctx, a.Code, "rejected")
	if !strings.Contains(text, "证件已过有效期") || strings.Contains(text, "不允许") {
		t.Errorf("expired badge shows %q, want the expiry reason", text)
	}
	shot(t, ctx, "gate-expired")
	browse(t, ctx, "leave with the password",
		chromedp.WaitNotVisible(chromedp.CSS(`#overlay`)),
		chromedp.Click(chromedp.CSS(`#leave summary`)),
		chromedp.SendKeys(chromedp.CSS(`#leave-password`), testPassword),
		chromedp.Click(chromedp.CSS(`#leave-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#point-list`)))
	lockStation(t, ctx, env, rehearsal.ID)
	if !visible(t, ctx, "#rehearsal-banner") {
		t.Error("no rehearsal banner")
	}
	text = scanCode(t, ctx, a.Code, "accepted")
	if !strings.Contains(text, "演练") {
		t.Errorf("rehearsal scan shows %q, want it marked 演练", text)
	}
	shot(t, ctx, "rehearsal-accepted")
	noHorizontalScroll(t, ctx, "rehearsal")
}
