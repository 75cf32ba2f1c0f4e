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

// TestBrowserNoteKeepsSignedPairing: a coordinator opens a signed
// pairing's page, writes a note and saves it; the pairing stays signed
// with its amount (the stage drop-down used to default to 已提出 and send
// it back). Then saving the stage form set to 已联系 asks for
// confirmation and a reason before it moves anything.
func TestBrowserNoteKeepsSignedPairing(t *testing.T) {
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
	coord := &web.Identity{UserID: 1, Username: "coordinator", Role: web.RoleCoordinator}
	p, err := env.app.pairing.Create(ctx, e.ID, pairing.NewPairing{DemandID: project(mianyang.ID, "demand", "氢燃料电池堆测试需求"),
		SupplyID: project(other.ID, "achievement", "燃料电池电堆检测平台")}, coord)
	if err != nil {
		t.Fatal(err)
	}
	amount := pairing.WanOf(860)
	if _, err := env.app.pairing.SetStage(ctx, p.ID, pairing.StageInput{Stage: pairing.StageSigned,
		AmountWan: &amount, SignedOn: civil.NewDate(2024, 1, 19)}, coord); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	signIn(t, b, env, web.RoleCoordinator)
	var selected, stage, notes string
	browse(t, b, "save a note on the signed pairing",
		chromedp.Navigate(fmt.Sprintf("%s/pairings/%d", env.srv.URL, p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#note-form`)),
		into(&selected, chromedp.Evaluate[string](`document.getElementById("stage-select").value`)),
		chromedp.SendKeys(chromedp.CSS(`#note-text`), "对方要求补充检测报告"),
		chromedp.Click(chromedp.CSS(`#note-save`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		into(&stage, chromedp.Text(chromedp.CSS(`#pairing-stage`))),
		into(&notes, chromedp.Text(chromedp.CSS(`#note-list`))),
	)
	if selected != pairing.StageSigned {
		t.Errorf("the stage drop-down of a signed pairing starts at %q", selected)
	}
	if stage != "正式签约" || !strings.Contains(notes, "对方要求补充检测报告") {
		t.Errorf("after the note: stage %q, notes %q", stage, notes)
	}
	got, _ := env.app.pairing.Pairing(ctx, p.ID)
	if got.Stage != pairing.StageSigned || got.AmountWan == nil || *got.AmountWan != amount {
		t.Fatalf("stored after the note: %s %v", got.Stage, got.AmountWan)
	}

	var confirm string
	browse(t, b, "move it back: the page asks first",
		chromedp.SetValue(chromedp.CSS(`#stage-select`), pairing.StageContacted),
		chromedp.Click(chromedp.CSS(`#stage-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-correction`)),
		into(&confirm, chromedp.Text(chromedp.CSS(`#confirm-correction`))),
	)
	if got, _ := env.app.pairing.Pairing(ctx, p.ID); got.Stage != pairing.StageSigned {
		t.Fatalf("the correction was made before it was confirmed: %s", got.Stage)
	}
	if !strings.Contains(confirm, "已联系") || !strings.Contains(confirm, "860.00") {
		t.Errorf("confirmation %q", confirm)
	}
	browse(t, b, "confirm with a reason",
		chromedp.SendKeys(chromedp.CSS(`#confirm-reason`), "误录为签约"),
		chromedp.Click(chromedp.CSS(`#confirm-yes`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		into(&stage, chromedp.Text(chromedp.CSS(`#pairing-stage`))),
	)
	if stage != "已联系" {
		t.Errorf("after the confirmed correction the page shows %q", stage)
	}
	hist, _ := env.app.pairing.History(ctx, p.ID)
	if last := hist[len(hist)-1]; !last.Correction || last.Reason != "误录为签约" {
		t.Errorf("last change %+v", last)
	}
}
