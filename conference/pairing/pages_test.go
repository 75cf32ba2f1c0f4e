package pairing

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/internal/web"
)

// TestPages renders every page with data in it, for each role that may
// see it, and drives the forms that change things.
func TestPages(t *testing.T) {
	env, f := apiFixture(t)
	org := env.Token(web.RoleOrganiser, 0)
	del := env.Token(web.RoleDelegation, f.dels[0])
	other := env.Token(web.RoleDelegation, f.dels[1])
	d := f.project(0, "demand", "锂电池正极材料需求", "张三")
	s := f.project(1, "achievement", "锂电池正极材料制备技术", "李四")
	p := f.pairing(d, s)
	if _, err := f.store.Book(t.Context(), p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(0)}); err != nil {
		t.Fatal(err)
	}
	get := func(path, token string, want int, contains ...string) {
		t.Helper()
		req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
		res, body := env.Request(req, token)
		if res.StatusCode != want {
			t.Fatalf("GET %s: %d, want %d: %s", path, res.StatusCode, want, body)
		}
		for _, c := range contains {
			if !strings.Contains(string(body), c) {
				t.Errorf("GET %s lacks %q", path, c)
			}
		}
	}
	post := func(path, token string, form url.Values, want int) string {
		t.Helper()
		req, _ := http.NewRequest("POST", env.Server.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, body := env.Request(req, token)
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, body)
		}
		return res.Header.Get("Location")
	}
	e := f.edition
	get(fmt.Sprintf("/editions/%d/pairing", e), org, 200, "锂电池正极材料需求", "供需对接洽谈会")
	get(fmt.Sprintf("/editions/%d/pairing/suggest?delegation_id=%d", e, f.dels[0]), org, 200, "锂电池正极材料需求")
	get(fmt.Sprintf("/editions/%d/pairing/ceremony", e), org, 200)
	get(fmt.Sprintf("/editions/%d/pairing/board", e), org, 200, "pairing-board.js")
	get(fmt.Sprintf("/projects/%d/matches", d), org, 200)
	get(fmt.Sprintf("/pairings/%d", p.ID), org, 200, "锂电池正极材料制备技术", "1 号桌")
	get(fmt.Sprintf("/pairings/%d/quick", p.ID), org, 200, "quick-next")
	get(fmt.Sprintf("/pairing/sessions/%d", f.session.ID), org, 200, "锂电池正极材料需求")
	get(fmt.Sprintf("/pairing/sessions/%d/participants", f.session.ID), org, 200, "张三")
	get(fmt.Sprintf("/editions/%d/pairing", e), del, 200, "本团项目", fmt.Sprintf("/projects/%d/matches", d))
	get(fmt.Sprintf("/projects/%d/matches", d), del, 200, "申请对接")
	get(fmt.Sprintf("/projects/%d/matches", s), del, 403)
	get(fmt.Sprintf("/pairings/%d/quick", p.ID), del, 403)
	get(fmt.Sprintf("/editions/%d/pairing/suggest", e), del, 403)

	// A delegation requests a pairing from the suggestions page, the other
	// side accepts it.
	w := f.project(1, "capability", "锂电池检测能力", "王五")
	loc := post(fmt.Sprintf("/editions/%d/pairing/create", e), del,
		url.Values{"demand_id": {fmt.Sprint(d)}, "supply_id": {fmt.Sprint(w)}, "message": {"希望面谈"}}, 303)
	get(loc, del, 200, "希望面谈", "接受对接")
	post(loc+"/respond", other, url.Values{"accept": {"1"}}, 303)
	get(loc, other, 200, "对方已接受")

	// Stage form: a mistake comes back on the page, then it is saved.
	post(fmt.Sprintf("/pairings/%d/stage", p.ID), org, url.Values{"stage": {"signed"}, "signed_on": {"2024-01-18"}}, 422)
	post(fmt.Sprintf("/pairings/%d/quick", p.ID), org, url.Values{"stage": {"contacted"}}, 303)
	post(fmt.Sprintf("/pairing/sessions/%d/schedule", f.session.ID), org, url.Values{}, 200)
	post(fmt.Sprintf("/editions/%d/pairing/bulk", e), org, url.Values{"pair": {fmt.Sprintf("%d-%d", d, f.project(1, "research", "研究", ""))}}, 303)
	got, _ := f.store.Pairing(t.Context(), p.ID)
	if got.Stage != StageContacted {
		t.Errorf("stage after the quick form: %s", got.Stage)
	}
}
