package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"huizhan/booths"
	"huizhan/conference"
	"huizhan/internal/web"
)

// TestBrowserFloorPlan: an organiser opens the demo edition's floor plan,
// clicks Mianyang's first booth and sees its exhibitor in the side panel.
func TestBrowserFloorPlan(t *testing.T) {
	env := newTestEnv(t)
	if err := env.app.booths.SeedDemo(context.Background(), env.demo); err != nil {
		t.Fatal(err)
	}
	ed := env.demo.Current().ID
	var l web.List[booths.Booth]
	env.do("GET", fmt.Sprintf("/api/v1/editions/%d/booths?state=assigned&per_page=500", ed), "organiser", nil, 200, &l)
	var target booths.Booth
	for _, b := range l.Items {
		if b.Code == "A01" {
			target = b
		}
	}
	if target.Exhibitor != conference.Mianyang {
		t.Fatalf("demo booth A01 is %+v, want it assigned to %s", target, conference.Mianyang)
	}

	ctx := newBrowser(t)
	signIn(t, ctx, env, web.RoleOrganiser)
	sel := fmt.Sprintf(`g.booth[data-id="%d"]`, target.ID)
	var exhibitor, code, drawn string
	var booths int
	browse(t, ctx, "open the floor plan and click booth A01",
		chromedp.Navigate(env.srv.URL+fmt.Sprintf("/editions/%d/floorplan", ed)),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		into(&booths, chromedp.Evaluate[int](`document.querySelectorAll("svg.floorplan g.booth").length`)),
		into(&drawn, chromedp.TextContent(chromedp.CSS(sel+` text.name`))),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS(`#booth-panel`)),
		chromedp.WaitReady(chromedp.CSS(`#panel-code:not(:empty)`)),
		into(&code, chromedp.Text(chromedp.CSS(`#panel-code`))),
		into(&exhibitor, chromedp.Text(chromedp.CSS(`#panel-exhibitor`))),
	)
	if booths < 180 {
		t.Errorf("the floor plan draws %d booths, want the demo's ~200", booths)
	}
	if drawn != conference.Mianyang {
		t.Errorf("booth A01 is labelled %q on the plan, want %s", drawn, conference.Mianyang)
	}
	if code != "A01" || exhibitor != conference.Mianyang {
		t.Errorf("panel shows booth %q exhibitor %q, want A01 and %s", code, exhibitor, conference.Mianyang)
	}
}
