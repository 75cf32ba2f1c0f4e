package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huizhan/conference"
	"huizhan/internal/web"
)

// TestBrowserParticipantRequestAccept: two company contacts, each on a
// phone (390 px wide) with their personal link and no account. The
// supplier finds the demand by search and asks for a meeting with a
// message; the demand's contact sees it, accepts, and both see the same
// meeting with its table in their schedules.
func TestBrowserParticipantRequestAccept(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	e := env.demo.Current()
	if err := env.app.roadshow.SeedDemo(ctx, env.demo); err != nil { // the pairing hall's sessions
		t.Fatal(err)
	}
	mianyang, _ := env.demo.DelegationNamed(e.ID, conference.Mianyang)
	other := env.demo.Delegations[e.ID][1]
	now := time.Now().UTC()
	project := func(del int64, kind, title, contact string) int64 {
		var id int64
		err := env.app.db.W.Get(&id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, organisation,
			contact_name, keywords, created_at, updated_at) VALUES (?, ?, ?, ?, '装备制造', '示例单位', ?, '["无人机","巡检"]', ?, ?) RETURNING id`,
			e.ID, del, kind, title, contact, now, now)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	demand := project(mianyang.ID, "demand", "输电线路无人机巡检需求", "周工")
	supply := project(other.ID, "achievement", "长航时巡检无人机系统", "吴经理")
	org := &web.Identity{UserID: 1, Username: "organiser", Role: web.RoleOrganiser}
	supplyTok, err := env.app.pairing.CreateLink(ctx, supply, org, nil)
	if err != nil {
		t.Fatal(err)
	}
	demandTok, err := env.app.pairing.CreateLink(ctx, demand, org, nil)
	if err != nil {
		t.Fatal(err)
	}

	phone := newBrowser(t)
	card := fmt.Sprintf(`article.counterpart[data-project="%d"]`, demand)
	var sent, width string
	browse(t, phone, "the supplier finds the demand and asks for a meeting",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(env.srv.URL+"/participant/"+supplyTok),
		chromedp.WaitVisible(chromedp.CSS(`#pp-project`)),
		chromedp.SetValue(chromedp.CSS(`.pp-search input[name=q]`), "无人机巡检"),
		chromedp.Submit(chromedp.CSS(`.pp-search input[name=q]`)),
		chromedp.WaitVisible(chromedp.CSS(card)),
		chromedp.Click(chromedp.CSS(card+` .pp-message summary`)),
		chromedp.SendKeys(chromedp.CSS(card+` textarea[name=message]`), "我们的无人机续航4小时，想约现场演示"),
		chromedp.Click(chromedp.CSS(card+` button.ask`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		into(&sent, chromedp.Text(chromedp.CSS(`#sent`))),
		into(&width, chromedp.Evaluate[string](`String(document.documentElement.scrollWidth)`)),
	)
	if !strings.Contains(sent, "输电线路无人机巡检需求") || !strings.Contains(sent, "待答复") {
		t.Fatalf("the request is not listed as waiting: %q", sent)
	}
	if width != "390" {
		t.Errorf("the page is %s px wide on a 390 px phone", width)
	}

	other2, cancel := chromedp.NewContext(phone) // the other contact's phone
	defer cancel()
	var incoming, table string
	browse(t, other2, "the demand's contact accepts",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(env.srv.URL+"/participant/"+demandTok),
		chromedp.WaitVisible(chromedp.CSS(`article.incoming`)),
		into(&incoming, chromedp.Text(chromedp.CSS(`article.incoming`))),
		chromedp.Click(chromedp.CSS(`article.incoming button.accept`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule article.meeting .pp-table`)),
		into(&table, chromedp.Text(chromedp.CSS(`#schedule article.meeting .pp-table`))),
	)
	if !strings.Contains(incoming, "长航时巡检无人机系统") || !strings.Contains(incoming, "续航4小时") {
		t.Errorf("the incoming request reads %q", incoming)
	}
	var theirs string
	browse(t, phone, "the supplier sees the same meeting",
		chromedp.Navigate(env.srv.URL+"/participant/"+supplyTok+"?again=1"), // a new load, not a jump to an anchor
		chromedp.WaitVisible(chromedp.CSS(`#schedule article.meeting .pp-table`)),
		into(&theirs, chromedp.Text(chromedp.CSS(`#schedule article.meeting .pp-table`))),
	)
	if table == "" || theirs != table {
		t.Errorf("tables differ: %q and %q", table, theirs)
	}
	for _, side := range []int64{demand, supply} {
		sch, err := env.app.pairing.Schedule(ctx, side)
		if err != nil || len(sch) != 1 || fmt.Sprintf("第 %d 桌", sch[0].Table) != table || sch[0].Stage != "contacted" {
			t.Errorf("schedule of %d: %+v %v", side, sch, err)
		}
	}
}
