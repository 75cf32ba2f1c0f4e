package booths

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// editFixture: a zone with booths A01 (free) and A02 (assigned to 绵阳市科协),
// and an empty second zone.
type editFixture struct {
	*apiFixture
	zone, empty Zone
	free, held  Booth
}

func newEditFixture(t *testing.T) *editFixture {
	t.Helper()
	a := newAPI(t)
	f := &editFixture{apiFixture: a}
	var err error
	if f.zone, err = a.store.CreateZone(ctxb(), a.ed, ZoneInput{Name: "综合展区", Hall: "1号馆"}); err != nil {
		t.Fatal(err)
	}
	if f.empty, err = a.store.CreateZone(ctxb(), a.ed, ZoneInput{Name: "空展区", Hall: "2号馆"}); err != nil {
		t.Fatal(err)
	}
	if f.free, err = a.store.CreateBooth(ctxb(), a.ed, BoothInput{ZoneID: f.zone.ID, Code: "A01"}); err != nil {
		t.Fatal(err)
	}
	if f.held, err = a.store.CreateBooth(ctxb(), a.ed, BoothInput{ZoneID: f.zone.ID, Code: "A02"}); err != nil {
		t.Fatal(err)
	}
	if _, err = a.store.Assign(ctxb(), f.held.ID, a.dels[0].ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAPIEditAndDelete(t *testing.T) {
	f := newEditFixture(t)
	env := f.env
	leader := env.Token(web.RoleLeader, 0)
	zone := func(id int64) string { return fmt.Sprintf("/api/v1/zones/%d", id) }
	booth := func(id int64) string { return fmt.Sprintf("/api/v1/booths/%d", id) }
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		token    string
		body     any
		want     int
		contains string // in the error message, or a detail's field
	}{
		{"zone: leader may not edit", "PATCH", zone(f.zone.ID), leader, map[string]any{"name": "x"}, 403, ""},
		{"zone: guest may not edit", "PATCH", zone(f.zone.ID), "", map[string]any{"name": "x"}, 401, ""},
		{"zone: name of another", "PATCH", zone(f.empty.ID), f.org, map[string]any{"name": "综合展区"}, 409, "综合展区"},
		{"zone: opens before the edition", "PATCH", zone(f.empty.ID), f.org, map[string]any{"opens_on": "2024-01-17"}, 422, "opens_on"},
		{"zone: closes after the edition", "PATCH", zone(f.empty.ID), f.org, map[string]any{"closes_on": "2024-01-20"}, 422, "closes_on"},
		{"zone: missing", "PATCH", zone(f.empty.ID + 100), f.org, map[string]any{"name": "x"}, 404, ""},
		{"zone: delete with booths", "DELETE", zone(f.zone.ID), f.org, nil, 409, "还有 2 个展位"},
		{"zone: leader may not delete", "DELETE", zone(f.empty.ID), leader, nil, 403, ""},
		{"booth: code of another", "PATCH", booth(f.free.ID), f.org, map[string]any{"code": "A02"}, 409, "A02"},
		{"booth: bad size", "PATCH", booth(f.free.ID), f.org, map[string]any{"w": 0.1}, 422, "w"},
		{"booth: zone of nowhere", "PATCH", booth(f.free.ID), f.org, map[string]any{"zone_id": 999}, 422, "zone_id"},
		{"booth: delete held", "DELETE", booth(f.held.ID), f.org, nil, 409, "绵阳市科协"},
		{"booth: leader may not delete", "DELETE", booth(f.free.ID), leader, nil, 403, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := env.Do(tc.method, tc.path, tc.token, tc.body, tc.want, nil)
			if tc.contains == "" {
				return
			}
			e := webtest.ErrorOf(t, raw)
			found := strings.Contains(e.Message, tc.contains)
			for _, d := range e.Details {
				found = found || d.Field == tc.contains
			}
			if !found {
				t.Errorf("error %+v does not mention %q", e, tc.contains)
			}
		})
	}

	var z Zone
	env.Do("PATCH", zone(f.empty.ID), f.org, map[string]any{"key": true, "opens_on": "2024-01-19"}, 200, &z)
	if !z.Key || z.Name != "空展区" || z.Hall != "2号馆" || z.OpensOn.String() != "2024-01-19" {
		t.Errorf("PATCH kept or changed the wrong fields: %+v", z)
	}
	env.Do("GET", zone(f.empty.ID), "", nil, 200, &z)
	if !z.Key {
		t.Errorf("public zone %+v", z)
	}
	var b Booth
	env.Do("PATCH", booth(f.free.ID), f.org, map[string]any{"x": 10, "zone_id": f.empty.ID}, 200, &b)
	if b.Code != "A01" || b.X != 10 || b.ZoneID != f.empty.ID || b.W != 3 {
		t.Errorf("PATCH booth %+v", b)
	}
	env.Do("DELETE", zone(f.empty.ID), f.org, nil, 409, nil) // A01 moved there
	env.Do("DELETE", booth(f.free.ID), f.org, nil, 204, nil)
	env.Do("GET", booth(f.free.ID), f.org, nil, 404, nil)
	env.Do("DELETE", zone(f.empty.ID), f.org, nil, 204, nil)
	env.Do("GET", zone(f.empty.ID), "", nil, 404, nil)
}

// postForm posts a form as the organiser and returns the response.
func (f *editFixture) postForm(t *testing.T, path string, form url.Values, want int) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.env.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := f.env.Request(req, f.org)
	if res.StatusCode != want {
		t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, body)
	}
	return res, string(body)
}

func TestEditPages(t *testing.T) {
	f := newEditFixture(t)
	free, held := fmt.Sprintf("/booths/%d", f.free.ID), fmt.Sprintf("/booths/%d", f.held.ID)
	zone, empty := fmt.Sprintf("/zones/%d", f.zone.ID), fmt.Sprintf("/zones/%d", f.empty.ID)
	list := fmt.Sprintf("/editions/%d/booths", f.ed)
	boothForm := func(code string) url.Values {
		return url.Values{"zone_id": {fmt.Sprint(f.zone.ID)}, "code": {code}, "x": {"4"}, "y": {"0"}, "w": {"3"}, "h": {"3"}}
	}
	zoneForm := func(opens string) url.Values {
		return url.Values{"name": {"空展区"}, "hall": {"2号馆"}, "opens_on": {opens}}
	}
	for _, tc := range []struct {
		name     string
		path     string
		form     url.Values
		want     int
		contains string // in the page, or the redirect's target
	}{
		{"booth code taken", free + "/edit", boothForm("A02"), 409, `value="A02"`},
		{"booth not a number", free + "/edit", url.Values{"zone_id": {"1"}, "code": {"A01"}, "x": {"four"}}, 422, `id="booth-edit-form"`},
		{"booth saved", free + "/edit", boothForm("a09"), 303, free + "/manage"},
		{"held booth not deleted", held + "/delete", nil, 409, "绵阳市科协"},
		{"free booth deleted", free + "/delete", nil, 303, list},
		{"zone day outside", empty + "/edit", zoneForm("2024-02-01"), 422, `value="2024-02-01"`},
		{"zone saved", empty + "/edit", zoneForm("2024-01-18"), 303, empty + "/manage"},
		{"zone with a booth", zone + "/delete", nil, 409, "还有 1 个展位"},
		{"empty zone deleted", empty + "/delete", nil, 303, list},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.postForm(t, tc.path, tc.form, tc.want)
			if tc.want == 303 {
				body = res.Header.Get("Location")
			}
			if !strings.Contains(body, tc.contains) {
				t.Errorf("answer lacks %q: %.300s", tc.contains, body)
			}
		})
	}
	if _, err := f.store.Booth(ctxb(), f.free.ID); err == nil {
		t.Error("the free booth is still there")
	}
	for _, p := range []struct{ path, want string }{
		{held + "/manage", `id="booth-delete-hint"`},
		{zone + "/manage", `id="zone-delete-hint"`},
		{list, fmt.Sprintf(`href="/zones/%d/manage"`, f.zone.ID)},
	} {
		req, _ := http.NewRequest("GET", f.env.Server.URL+p.path, nil)
		res, body := f.env.Request(req, f.org)
		if res.StatusCode != 200 || !strings.Contains(string(body), p.want) {
			t.Errorf("GET %s: %d, lacks %q", p.path, res.StatusCode, p.want)
		}
	}
}

// TestPublicBoothLinksProjects: the public booth page links each project
// to its cloud hall page and leaves out rejected ones, which the hall hides.
func TestPublicBoothLinksProjects(t *testing.T) {
	f := newEditFixture(t)
	var ids []int64
	for _, p := range []struct{ title, status string }{{"锂电池回收", "selected"}, {"被拒项目", "rejected"}} {
		var id int64
		now := time.Now().UTC()
		err := f.env.DB.W.Get(&id, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, status, created_at, updated_at)
			VALUES (?, ?, 'achievement', ?, '电子信息', ?, ?, ?) RETURNING id`, f.ed, f.dels[0].ID, p.title, p.status, now, now)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := f.store.SetProjects(ctxb(), f.held.ID, ids); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", f.env.Server.URL+fmt.Sprintf("/booths/%d", f.held.ID), nil)
	res, raw := f.env.Request(req, "")
	body := string(raw)
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`<a href="/hall/projects/%d">锂电池回收</a>`, ids[0])) {
		t.Errorf("public booth page %d lacks the project link: %s", res.StatusCode, body)
	}
	if strings.Contains(body, "被拒项目") {
		t.Error("public booth page shows a rejected project")
	}
}

// TestBoothsHomeForEveryRole: the nav entry leads each role somewhere it
// may go; leaders and coordinators get the newest edition's booth list.
func TestBoothsHomeForEveryRole(t *testing.T) {
	f := newEditFixture(t)
	list := fmt.Sprintf("/editions/%d/booths", f.ed)
	for _, tc := range []struct {
		role, want string
	}{
		{web.RoleOrganiser, list},
		{web.RoleLeader, list},
		{web.RoleCoordinator, list},
		{web.RoleDelegation, "/booths/mine"},
		{web.RoleStaff, fmt.Sprintf("/editions/%d/zones", f.ed)},
	} {
		var del int64
		if tc.role == web.RoleDelegation {
			del = f.dels[0].ID
		}
		tok := f.env.Token(tc.role, del)
		t.Run(tc.role, func(t *testing.T) {
			req, _ := http.NewRequest("GET", f.env.Server.URL+"/booths", nil)
			res, _ := f.env.Request(req, tok)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.want {
				t.Fatalf("/booths: %d → %q, want %q", res.StatusCode, res.Header.Get("Location"), tc.want)
			}
			req, _ = http.NewRequest("GET", f.env.Server.URL+tc.want, nil)
			if res, _ := f.env.Request(req, tok); res.StatusCode != 200 {
				t.Errorf("GET %s: %d", tc.want, res.StatusCode)
			}
		})
	}
}
