package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/web"
)

// TestBrowserRoadshow: an organiser adds a slot that clashes with another
// pitch of the same presenter and reads the clash beside the form, adds
// one that fits, reorders the session with the arrow buttons, releases
// the agenda, and the public agenda shows the released slot.
func TestBrowserRoadshow(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	mianyang, _ := env.demo.DelegationNamed(ed, conference.Mianyang)
	project := func(title string) int64 { return selectedProject(t, env, ed, mianyang.ID, title) }
	first, second, third := project("北斗高精度定位芯片"), project("固态锂电池隔膜"), project("高端数控机床")
	var a, b roadshow.Session
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/sessions", ed), "organiser", map[string]any{"title": "科技成果路演（一）",
		"kind": "roadshow", "room": "第一分会场", "starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T17:00:00+08:00"}, 201, &a)
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/sessions", ed), "organiser", map[string]any{"title": "科技成果路演（二）",
		"kind": "roadshow", "room": "第二分会场", "starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T17:00:00+08:00"}, 201, &b)
	var taken roadshow.Slot
	env.do("POST", fmt.Sprintf("/api/v1/sessions/%d/slots", b.ID), "organiser", map[string]any{"project_id": first,
		"presenter": "张明", "starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T14:10:00+08:00"}, 201, &taken)

	ctx := newBrowser(t)
	signIn(t, ctx, env, web.RoleOrganiser)
	fill := func(project int64, presenter, from, to string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS(`#slot-form`)),
			chromedp.SetValue(chromedp.CSS(`#slot-form select[name=project_id]`), fmt.Sprint(project)),
			chromedp.SetValue(chromedp.CSS(`#slot-form input[name=presenter]`), presenter),
			chromedp.SetValue(chromedp.CSS(`#slot-form input[name=starts_at]`), from),
			chromedp.SetValue(chromedp.CSS(`#slot-form input[name=ends_at]`), to),
			chromedp.Click(chromedp.CSS(`#slot-submit`)),
		}
	}
	var clash string
	browse(t, ctx, "add a slot whose presenter is in the other room then",
		append(append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(env.srv.URL + fmt.Sprintf("/sessions/%d", a.ID))},
			fill(second, "张明", "2024-01-18T14:05", "2024-01-18T14:15")...),
			chromedp.WaitVisible(chromedp.CSS(`div.errors li`)),
			into(&clash, chromedp.Text(chromedp.CSS(`div.errors`))))...)
	if !strings.Contains(clash, "张明") || !strings.Contains(clash, "第二分会场") || !strings.Contains(clash, "北斗高精度定位芯片") {
		t.Errorf("the clash shown does not say who, where and with what: %q", clash)
	}

	var rows string
	browse(t, ctx, "add slots that fit and move the second up",
		append(append(fill(second, "李华", "2024-01-18T14:00", "2024-01-18T14:10"),
			chromedp.WaitVisible(chromedp.CSS(`.flash`))),
			append(fill(third, "王强", "2024-01-18T14:10", "2024-01-18T14:20"),
				// Wait for the second row: the page before this submission
				// had a flash too, but only one row.
				chromedp.WaitVisible(chromedp.CSS(`#slots tbody tr:nth-child(2) button.move[data-dir=up]`)),
				chromedp.Click(chromedp.CSS(`#slots tbody tr:nth-child(2) button.move[data-dir=up]`)),
				// The page reloads with the new order: 数控 first, no flash.
				chromedp.WaitNotPresent(chromedp.CSS(`.flash`)),
				chromedp.WaitVisible(chromedp.CSS(`#slots`)),
				into(&rows, chromedp.Text(chromedp.CSS(`#slots tbody`))))...)...)
	if i, j := strings.Index(rows, "数控"), strings.Index(rows, "固态"); i < 0 || j < 0 || i > j || !strings.Contains(rows, "14:00–14:10") {
		t.Errorf("after moving up, the slots read %q", rows)
	}

	var info, agenda string
	browse(t, ctx, "release the agenda and read it as the public does",
		chromedp.Navigate(env.srv.URL+fmt.Sprintf("/editions/%d/roadshow", ed)),
		chromedp.WaitVisible(chromedp.CSS(`#release`)),
		chromedp.Click(chromedp.CSS(`#release`)),
		chromedp.WaitVisible(chromedp.CSS(`#agenda`)),
		into(&info, chromedp.Text(chromedp.CSS(`#release-info`))),
		into(&agenda, chromedp.Text(chromedp.CSS(`#agenda`))),
	)
	if !strings.Contains(info, "第 1 版") {
		t.Errorf("release line %q", info)
	}
	for _, want := range []string{"科技成果路演（一）", "高端数控机床", "14:00–14:10", "王强", "固态锂电池隔膜", "北斗高精度定位芯片"} {
		if !strings.Contains(agenda, want) {
			t.Errorf("public agenda lacks %q:\n%s", want, agenda)
		}
	}
	// A guest sees the same release.
	var pub roadshow.Agenda
	env.do("GET", fmt.Sprintf("/api/v1/editions/%d/agenda", ed), "", nil, 200, &pub)
	if pub.Release != 1 || len(pub.Sessions) != 2 || len(pub.Sessions[0].Slots)+len(pub.Sessions[1].Slots) != 3 {
		t.Errorf("public agenda %+v", pub)
	}
}

// selectedProject inserts a project already selected for the stage, which
// is what a roadshow slot takes.
func selectedProject(t *testing.T, env *testEnv, edition, delegation int64, title string) int64 {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	err := env.app.db.W.Get(&id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, status,
		created_at, updated_at) VALUES (?, ?, 'achievement', ?, '电子信息', 'selected', ?, ?) RETURNING id`,
		edition, delegation, title, now, now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
