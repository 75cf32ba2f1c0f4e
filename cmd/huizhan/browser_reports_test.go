package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/conference/pairing"
)

// seedSigned adds two projects and a signed pairing between them to the
// current demo edition, straight into the database, and returns the
// pairing's signatories.
func seedSigned(t *testing.T, env *testEnv) string {
	t.Helper()
	ed := env.demo.Current()
	mianyang, _ := env.demo.DelegationNamed(ed.ID, conference.Mianyang)
	other := env.demo.Delegations[ed.ID][1]
	now := time.Now().UTC()
	// RETURNING rather than LastInsertId, which PostgreSQL lacks.
	insert := func(q string, args ...any) int64 {
		var id int64
		if err := env.app.db.W.Get(&id, q+" RETURNING id", args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	project := `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, organisation, created_at, updated_at)
		VALUES (?, ?, ?, ?, '电子信息', ?, ?, ?)`
	demand := insert(project, ed.ID, other.ID, "demand", "智能传感器需求", "德阳某装备企业", now, now)
	supply := insert(project, ed.ID, mianyang.ID, "achievement", "MEMS 传感器成果", "绵阳某研究院", now, now)
	const signatories = "张三；李四"
	insert(`INSERT INTO pairings (edition_id, demand_id, supply_id, stage, amount_wan, signed_on, signatories, created_at, updated_at)
		VALUES (?, ?, ?, 'signed', 1200, '2024-01-19', ?, ?, ?)`, ed.ID, demand, supply, signatories, now, now)
	return signatories
}

// TestBrowserLeaderDownloadsSigned: a leader opens the dashboard from the
// navigation, sees its charts, and downloads the signed workbook, which
// is saved under its Chinese name and holds the signed pairing.
func TestBrowserLeaderDownloadsSigned(t *testing.T) {
	env := newTestEnv(t)
	signatories := seedSigned(t, env)
	ctx := newBrowser(t)
	signIn(t, ctx, env, "leader")

	dir := t.TempDir()
	events := true
	var title string
	var charts int
	browse(t, ctx, "open the dashboard",
		chromedp.Navigate(env.srv.URL+"/"),
		chromedp.Click(chromedp.CSS(`nav.main-nav a[href="/dashboard"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard-title`)),
		into(&title, chromedp.Text(chromedp.CSS(`#dashboard-title`))),
		into(&charts, chromedp.Evaluate[int](`document.querySelectorAll(".dash-chart svg").length`)),
	)
	if want := env.demo.Current().Name; !strings.Contains(title, want) {
		t.Errorf("dashboard title %q lacks %q", title, want)
	}
	if charts < 2 {
		t.Errorf("%d charts on the dashboard", charts)
	}
	browse(t, ctx, "download signed",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &events,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`#download-signed`)),
	)
	want := env.demo.Current().Name + "-签约项目.xlsx"
	path := waitForFile(t, filepath.Join(dir, want))

	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open the downloaded workbook: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("签约项目")
	if err != nil {
		t.Fatalf("sheets %v: %v", x.GetSheetList(), err)
	}
	var n int
	if err := env.app.db.R.Get(&n, `SELECT COUNT(*) FROM pairings WHERE edition_id = ? AND stage IN ('agreement','signed')`,
		env.demo.Current().ID); err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != n || n != 1 {
		t.Fatalf("%d rows in the workbook, %d in the database", len(rows)-1, n)
	}
	if rows[0][0] != "编号" || rows[1][1] != "智能传感器需求" || rows[1][5] != conference.Mianyang || rows[1][11] != signatories {
		t.Errorf("signed sheet %q", rows)
	}
}

// waitForFile waits for the browser to finish saving path.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(browseTimeout)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			if _, err := os.Stat(path + ".crdownload"); errors.Is(err, os.ErrNotExist) {
				return path
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	t.Fatalf("no %s after %s; the folder holds %v", filepath.Base(path), browseTimeout, names)
	return ""
}

// TestBrowserDashboardLivePairings: the leader's dashboard subscribes to
// the pairing stream and its pairing counters follow a signing without a
// reload (the 10 s poll would be too slow for the wait below).
func TestBrowserDashboardLivePairings(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current()
	ctx := newBrowser(t)
	signIn(t, ctx, env, "leader")

	var stream, agreements, intents string
	browse(t, ctx, "open the dashboard and wait for the stream",
		chromedp.Navigate(fmt.Sprintf("%s/editions/%d/dashboard", env.srv.URL, ed.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#live-intents`)),
		into(&stream, chromedp.Evaluate[string](`document.getElementById("live").dataset.pairingStream`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("live").dataset.pairingLive === "1"`,
			chromedp.WithPollingInterval(50*time.Millisecond)),
		into(&agreements, chromedp.Text(chromedp.CSS(`#live-agreements`))),
		into(&intents, chromedp.Text(chromedp.CSS(`#live-intents`))),
		chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true`),
	)
	if want := fmt.Sprintf("/api/v1/editions/%d/live", ed.ID); stream != want {
		t.Fatalf("dashboard stream %q, want %q", stream, want)
	}
	before, err := strconv.Atoi(agreements)
	if err != nil {
		t.Fatalf("agreements %q: %v", agreements, err)
	}
	beforeIntents, _ := strconv.Atoi(intents)

	seedSigned(t, env) // straight into the database: only the event tells
	env.app.live.Publish(pairing.Event{EditionID: ed.ID, Type: "stage", Stage: pairing.StageSigned, At: time.Now().UTC()})
	var notReloaded bool
	browse(t, ctx, "see the signing on the dashboard",
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("live-agreements").textContent === "%d" &&
			document.getElementById("live-intents").textContent === "%d"`, before+1, beforeIntents+1),
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)),
		into(&notReloaded, chromedp.Evaluate[bool](`window.__notReloaded === true`)),
	)
	if !notReloaded {
		t.Error("the dashboard was reloaded")
	}
}
