package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"huizhan/checkin"
	"huizhan/conference"
)

// TestBrowserStation: a staff member opens the scanning station, types a
// badge code (accepted), types it again (duplicate), then loses the
// network: the next scan waits in the queue and is sent when the network
// comes back.
func TestBrowserStation(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	var a, b checkin.Attendee
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
		map[string]any{"name": "王建国", "organisation": "西南科技大学", "category": "expert"}, 201, &a)
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
		map[string]any{"name": "李秀英", "organisation": "长虹", "category": "guest"}, 201, &b)
	var cp checkin.Checkpoint
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", ed), "organiser",
		map[string]any{"name": "南门入口", "kind": "gate", "rule": "once"}, 201, &cp)

	ctx := newBrowser(t)
	signIn(t, ctx, env, "staff")
	lockStation(t, ctx, env, cp.ID)
	var text string
	browse(t, ctx, "scan a typed code",
		chromedp.SendKeys(chromedp.CSS(`#scan-input`), strings.ToLower(a.Code)+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#verdict.verdict-accepted`)),
		into(&text, chromedp.Text(chromedp.CSS(`#verdict`))),
	)
	if !strings.Contains(text, "签到成功") || !strings.Contains(text, "王建国") || !strings.Contains(text, "西南科技大学") {
		t.Errorf("accepted verdict shows %q", text)
	}
	browse(t, ctx, "scan the same code again",
		chromedp.SendKeys(chromedp.CSS(`#scan-input`), a.BadgeURL+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#verdict.verdict-duplicate`)),
		into(&text, chromedp.Text(chromedp.CSS(`#verdict`))),
	)
	if !strings.Contains(text, "重复签到") || !strings.Contains(text, "南门入口") {
		t.Errorf("duplicate verdict shows %q", text)
	}

	// Offline: the scan is queued, and goes up when the network is back.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	setOffline(t, ctx, true)
	var waiting string
	browse(t, ctx, "scan while offline",
		chromedp.SendKeys(chromedp.CSS(`#scan-input`), b.Code+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#verdict.verdict-queued`)),
		into(&waiting, chromedp.Text(chromedp.CSS(`#queue-count`))),
	)
	if waiting != "1" {
		t.Errorf("%s scans waiting, want 1", waiting)
	}
	if n := scansOf(env, b.ID); n != 0 {
		t.Fatalf("the offline scan reached the server: %d", n)
	}
	setOffline(t, ctx, false)
	browse(t, ctx, "come back online",
		chromedp.WaitVisible(chromedp.CSS(`#verdict.verdict-accepted`)),
		into(new(bool), chromedp.Poll[bool](`document.getElementById("queue-count").textContent === "0"`)),
		into(&text, chromedp.Text(chromedp.CSS(`#verdict`))),
	)
	if !strings.Contains(text, "李秀英") {
		t.Errorf("after sync the verdict shows %q", text)
	}
	if n := scansOf(env, b.ID); n != 1 {
		t.Errorf("%d scans of the queued badge stored, want 1", n)
	}
}

// editionToday creates an edition running today and tomorrow (Beijing):
// the station checks badges against their valid days.
func editionToday(env *testEnv) int64 {
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	tomorrow := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	var e conference.Edition
	env.do("POST", "/api/v1/editions", "organiser", map[string]any{"number": 9, "name": "第九届天府科技云服务大会",
		"year": time.Now().Year(), "starts_on": today, "ends_on": tomorrow, "city": "成都"}, 201, &e)
	return e.ID
}

// TestBrowserEmbeddedDecoder: the vendored jsQR, served from the binary,
// loads under the page's content security policy and reads a badge's QR
// image back to its URL (the station's camera fallback where the browser
// has no BarcodeDetector).
func TestBrowserEmbeddedDecoder(t *testing.T) {
	env := newTestEnv(t)
	ed := editionToday(env)
	var a checkin.Attendee
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed), "organiser",
		map[string]any{"name": "王建国", "category": "expert"}, 201, &a)
	ctx := newBrowser(t)
	signIn(t, ctx, env, "staff")
	decode := `new Promise(function (resolve) {
		var s = document.createElement("script");
		s.src = "/static/vendor/jsqr/jsQR.js";
		s.onerror = function () { resolve("script failed to load"); };
		s.onload = function () {
			var img = new Image();
			img.onload = function () {
				var c = document.createElement("canvas");
				c.width = img.width; c.height = img.height;
				var g = c.getContext("2d");
				g.drawImage(img, 0, 0);
				var d = g.getImageData(0, 0, c.width, c.height);
				var code = window.jsQR(d.data, d.width, d.height);
				resolve(code ? code.data : "no code found");
			};
			img.src = "/b/` + a.Code + `/qr.png";
		};
		document.head.appendChild(s);
	})`
	var got string
	browse(t, ctx, "decode a badge with the embedded decoder",
		chromedp.Navigate(env.srv.URL+"/checkin/station"),
		chromedp.WaitVisible(chromedp.CSS(`#station`)),
		into(&got, chromedp.Evaluate[string](decode, chromedp.EvalAwaitPromise)),
	)
	if got != a.BadgeURL {
		t.Errorf("jsQR read %q, want %q", got, a.BadgeURL)
	}
}

func setOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	conds := []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
		network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState,
		network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
}

func scansOf(env *testEnv, attendee int64) int {
	var n int
	if err := env.app.db.R.Get(&n, `SELECT COUNT(*) FROM scans WHERE attendee_id = ?`, attendee); err != nil {
		env.t.Fatal(err)
	}
	return n
}
