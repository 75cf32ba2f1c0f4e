package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/web"
)

// TestBrowserRoadshowSlotEdit: an organiser opens a slot's edit form on the
// session page, moves it onto another pitch and reads the clash beside
// that form, then moves it to a free time and sees the new time.
func TestBrowserRoadshowSlotEdit(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	mianyang, _ := env.demo.DelegationNamed(ed, conference.Mianyang)
	project := func(title string) int64 { return selectedProject(t, env, ed, mianyang.ID, title) }
	var s roadshow.Session
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/sessions", ed), "organiser", map[string]any{"title": "编辑测试路演",
		"kind": "roadshow", "room": "编辑测试厅", "starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T17:00:00+08:00"}, 201, &s)
	var a, b roadshow.Slot
	env.do("POST", fmt.Sprintf("/api/v1/sessions/%d/slots", s.ID), "organiser", map[string]any{"project_id": project("北斗高精度定位芯片"),
		"presenter": "张明", "starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T14:10:00+08:00"}, 201, &a)
	env.do("POST", fmt.Sprintf("/api/v1/sessions/%d/slots", s.ID), "organiser", map[string]any{"project_id": project("固态锂电池隔膜"),
		"presenter": "李华", "starts_at": "2024-01-18T14:10:00+08:00", "ends_at": "2024-01-18T14:20:00+08:00"}, 201, &b)

	ctx := newBrowser(t)
	signIn(t, ctx, env, web.RoleOrganiser)
	form := fmt.Sprintf(`#slot-%d form`, b.ID)
	var clash, rows string
	browse(t, ctx, "move a slot onto another pitch, then to a free time",
		chromedp.Navigate(env.srv.URL+fmt.Sprintf("/sessions/%d", s.ID)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#slot-%d summary`, b.ID))),
		chromedp.WaitVisible(chromedp.CSS(form+` input[name=starts_at]`)),
		chromedp.SetValue(chromedp.CSS(form+` input[name=starts_at]`), "2024-01-18T14:05"),
		chromedp.SetValue(chromedp.CSS(form+` input[name=ends_at]`), "2024-01-18T14:15"),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(form+` .slot-errors div.errors li`)),
		into(&clash, chromedp.Text(chromedp.CSS(form+` .slot-errors`))),
		chromedp.SetValue(chromedp.CSS(form+` input[name=starts_at]`), "2024-01-18T15:00"),
		chromedp.SetValue(chromedp.CSS(form+` input[name=ends_at]`), "2024-01-18T15:10"),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(form+` .slot-errors div.errors`)),
		chromedp.WaitVisible(chromedp.CSS(`#slots`)),
		into(&rows, chromedp.Text(chromedp.CSS(`#slots tbody`))),
	)
	if !strings.Contains(clash, "北斗高精度定位芯片") {
		t.Errorf("the clash shown beside the form does not name the other pitch: %q", clash)
	}
	if !strings.Contains(rows, "15:00–15:10") {
		t.Errorf("after the move the slots read %q", rows)
	}
}
