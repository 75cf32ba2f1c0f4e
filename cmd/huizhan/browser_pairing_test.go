package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huizhan/conference"
	"huizhan/conference/pairing"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// TestBrowserPairingSignedShowsOnBoard: a coordinator keeps the live board
// open in one tab and, in another (the phone page), moves a pairing from
// the agreement to signed; the board shows the signing without a reload.
func TestBrowserPairingSignedShowsOnBoard(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	e := env.demo.Current()
	mianyang, _ := env.demo.DelegationNamed(e.ID, conference.Mianyang)
	other := env.demo.Delegations[e.ID][1]
	now := time.Now().UTC()
	project := func(del int64, kind, title string) int64 {
		var id int64
		err := env.app.db.W.Get(&id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, organisation,
			created_at, updated_at) VALUES (?, ?, ?, ?, '双碳与新能源', '示例单位', ?, ?) RETURNING id`, e.ID, del, kind, title, now, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	demand := project(mianyang.ID, "demand", "动力电池回收利用技术需求")
	supply := project(other.ID, "achievement", "退役锂电池梯次利用成果")
	coord := &web.Identity{UserID: 1, Username: "coordinator", Role: web.RoleCoordinator}
	p, err := env.app.pairing.Create(ctx, e.ID, pairing.NewPairing{DemandID: demand, SupplyID: supply}, coord)
	if err != nil {
		t.Fatal(err)
	}
	amount := pairing.WanOf(1200)
	if _, err := env.app.pairing.SetStage(ctx, p.ID, pairing.StageInput{Stage: pairing.StageAgreement,
		AmountWan: &amount, SignedOn: civil.NewDate(2024, 1, 18)}, coord); err != nil {
		t.Fatal(err)
	}

	board := newBrowser(t)
	signIn(t, board, env, web.RoleCoordinator)
	var signed, latest string
	browse(t, board, "open the live board",
		chromedp.Navigate(fmt.Sprintf("%s/editions/%d/pairing/board", env.srv.URL, e.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#board[data-connected="1"]`)),
		into(&signed, chromedp.Text(chromedp.CSS(`#c-signed`))),
	)
	if signed != "0" {
		t.Fatalf("board shows %q signed before the change", signed)
	}
	// Mark the page, so a reload (which would lose the mark) fails the test.
	browse(t, board, "mark the board page", chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true`))

	phone, cancel := chromedp.NewContext(board) // a second tab, same sign-in
	defer cancel()
	var stage string
	browse(t, phone, "move the pairing to signed on the phone page",
		chromedp.Navigate(fmt.Sprintf("%s/pairings/%d/quick", env.srv.URL, p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#quick-next`)),
		chromedp.Click(chromedp.CSS(`#quick-next`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		into(&stage, chromedp.Text(chromedp.CSS(`#quick-stage`))),
	)
	if stage != "正式签约" {
		t.Fatalf("phone page shows stage %q after the tap, want 正式签约", stage)
	}

	var notReloaded bool
	browse(t, board, "see the signing on the board",
		chromedp.Poll[chromedp.Void](`document.getElementById("c-signed").textContent === "1" &&
			document.getElementById("board-latest").textContent.includes("正式签约")`, chromedp.WithPollingInterval(50*time.Millisecond)),
		into(&latest, chromedp.Text(chromedp.CSS(`#board-latest`))),
		into(&notReloaded, chromedp.Evaluate[bool](`window.__notReloaded === true`)),
	)
	if !strings.Contains(latest, "退役锂电池梯次利用成果") || !strings.Contains(latest, "1,200.00") {
		t.Errorf("latest signings %q", latest)
	}
	if !notReloaded {
		t.Error("the board page was reloaded")
	}
	got, _ := env.app.pairing.Pairing(ctx, p.ID)
	if got.Stage != pairing.StageSigned {
		t.Errorf("stored stage %s", got.Stage)
	}
}
