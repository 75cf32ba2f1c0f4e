package pairing

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

// issue makes a participant link through the API and returns its token.
func issue(t *testing.T, env *webtest.Env, project int64, token string) string {
	t.Helper()
	var out struct{ URL string }
	env.Do("POST", fmt.Sprintf("/api/v1/projects/%d/participant-link", project), token, nil, 201, &out)
	i := strings.Index(out.URL, "/participant/")
	if i < 0 || !strings.HasPrefix(out.URL, "http") {
		t.Fatalf("url %q", out.URL)
	}
	return out.URL[i+len("/participant/"):]
}

func TestAPIParticipantJourney(t *testing.T) {
	env, f := apiFixture(t)
	demand := f.project(0, "demand", "锂电池正极材料需求", "张三")
	supply := f.project(1, "achievement", "锂电池正极材料制备技术", "李四")
	other := f.project(1, "capability", "正极材料检测服务", "王五")
	org := env.Token(web.RoleOrganiser, 0)
	coord := env.Token(web.RoleCoordinator, 0)
	mine, theirs := env.Token(web.RoleDelegation, f.dels[1]), env.Token(web.RoleDelegation, f.dels[0])

	// Who may issue: the hall's staff and the project's own delegation.
	linkPath := fmt.Sprintf("/api/v1/projects/%d/participant-link", supply)
	env.Do("POST", linkPath, theirs, nil, 403, nil)
	env.Do("POST", linkPath, env.Token(web.RoleLeader, 0), nil, 403, nil)
	env.Do("POST", linkPath, "", nil, 401, nil)
	supplyTok := issue(t, env, supply, mine)
	demandTok := issue(t, env, demand, org)
	otherTok := issue(t, env, other, coord)
	base := func(tok string) string { return "/api/v1/participant/" + tok }

	var v ParticipantView
	env.Do("GET", base(supplyTok), "", nil, 200, &v)
	if v.Project.ID != supply || v.ContactName != "李四" || len(v.HalfDays) != 1 {
		t.Fatalf("view %+v", v)
	}
	var cs struct{ Items []Counterpart }
	env.Do("GET", base(supplyTok)+"/counterparts", "", nil, 200, &cs)
	if len(cs.Items) != 1 || cs.Items[0].ID != demand || len(cs.Items[0].Reasons) == 0 {
		t.Fatalf("recommended %+v", cs.Items)
	}
	env.Do("GET", base(supplyTok)+"/counterparts?q="+url.QueryEscape("正极"), "", nil, 200, &cs)
	if len(cs.Items) != 1 || cs.Items[0].ID != demand {
		t.Fatalf("search %+v", cs.Items)
	}
	if raw := env.Do("GET", base(supplyTok)+"/counterparts", "", nil, 200, nil); strings.Contains(string(raw), "contact_phone") {
		t.Errorf("counterparts show contact details: %s", raw)
	}

	// Request, duplicate, answer by the side asked only.
	var r Request
	env.Do("POST", base(supplyTok)+"/requests", "", map[string]any{"project_id": demand, "message": "可以谈谈吗"}, 201, &r)
	env.Do("POST", base(supplyTok)+"/requests", "", map[string]any{"project_id": demand}, 409, nil)
	env.Do("POST", base(demandTok)+"/requests", "", map[string]any{"project_id": supply}, 409, nil)
	env.Do("POST", fmt.Sprintf("%s/requests/%d/accept", base(supplyTok), r.ID), "", nil, 403, nil)
	env.Do("POST", fmt.Sprintf("%s/requests/%d/accept", base(demandTok), r.ID), "", nil, 200, &r)
	if r.State != RequestAccepted || r.PairingID == nil || r.Meeting == nil || *r.Stage != StageContacted {
		t.Fatalf("accepted %+v", r)
	}
	env.Do("GET", base(supplyTok), "", nil, 200, &v)
	if len(v.Schedule) != 1 || v.Schedule[0].Table != r.Meeting.Table || v.Schedule[0].Counterpart.ID != demand {
		t.Fatalf("schedule %+v", v.Schedule)
	}

	// A declined request makes no pairing.
	var d Request
	env.Do("POST", base(otherTok)+"/requests", "", map[string]any{"project_id": demand}, 201, &d)
	env.Do("POST", fmt.Sprintf("%s/requests/%d/decline", base(demandTok), d.ID), "", map[string]string{"reason": "暂不需要"}, 200, &d)
	if d.State != RequestDeclined || d.PairingID != nil || d.Reason != "暂不需要" {
		t.Fatalf("declined %+v", d)
	}
	var list struct{ Total int }
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/pairings", f.edition), coord, nil, 200, &list)
	if list.Total != 1 {
		t.Errorf("%d pairings, want 1", list.Total)
	}

	// Availability: the fixture's one half-day, by any time inside it.
	var av AvailabilityInput
	env.Do("PUT", base(demandTok)+"/availability", "", map[string]any{"half_days": []string{"2024-01-18T14:40:00+08:00"}}, 200, &av)
	if len(av.HalfDays) != 1 || av.HalfDays[0].Format(time.RFC3339) != "2024-01-18T14:00:00+08:00" {
		t.Errorf("availability %v", av.HalfDays)
	}
	env.Do("PUT", base(demandTok)+"/availability", "", map[string]any{"half_days": []string{"2024-01-19T09:00:00+08:00"}}, 422, nil)

	// Outcome, then the coordinator's list shows it.
	var oc struct{ Stage string }
	env.Do("POST", fmt.Sprintf("%s/pairings/%d/outcome", base(demandTok), *r.PairingID), "", map[string]string{"outcome": "interested"}, 200, &oc)
	if oc.Stage != StageMet {
		t.Errorf("stage after outcome %q", oc.Stage)
	}
	env.Do("POST", fmt.Sprintf("%s/pairings/%d/outcome", base(otherTok), *r.PairingID), "", map[string]string{"outcome": "met"}, 404, nil)
	var reqs struct {
		Items []Request
		Total int
	}
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/participant-requests", f.edition), coord, nil, 200, &reqs)
	if reqs.Total != 2 || len(reqs.Items[1].Outcomes) != 1 || reqs.Items[1].Outcomes[0].Outcome != OutcomeInterested {
		t.Errorf("coordinator list %+v", reqs)
	}
	var ocs struct{ Items []OutcomeReport }
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/participant-outcomes", f.edition), coord, nil, 200, &ocs)
	if len(ocs.Items) != 1 || ocs.Items[0].Reporter != "锂电池正极材料需求" || ocs.Items[0].Counterpart != "锂电池正极材料制备技术" ||
		ocs.Items[0].Outcome != OutcomeInterested || ocs.Items[0].Stage != StageMet {
		t.Errorf("outcomes %+v", ocs.Items)
	}
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/participant-requests", f.edition), mine, nil, 403, nil)
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/participant-requests?state=nope", f.edition), coord, nil, 422, nil)

	// The calendar.
	res, err := http.Get(env.Server.URL + base(supplyTok) + "/schedule.ics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") ||
		res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("ics %d %v", res.StatusCode, res.Header)
	}

	// Revoked: every route of the link answers 404, pages included.
	env.Do("DELETE", linkPath, theirs, nil, 403, nil)
	env.Do("DELETE", linkPath, mine, nil, 204, nil)
	env.Do("DELETE", linkPath, mine, nil, 404, nil)
	for _, probe := range []struct{ method, path string }{
		{"GET", base(supplyTok)}, {"GET", base(supplyTok) + "/schedule.ics"}, {"GET", base(supplyTok) + "/counterparts"},
		{"POST", base(supplyTok) + "/requests"}, {"PUT", base(supplyTok) + "/availability"},
		{"GET", "/participant/" + supplyTok}, {"GET", base("x")},
	} {
		if got := env.Status(probe.method, probe.path, "", map[string]any{"project_id": other, "half_days": []string{}}); got != 404 {
			t.Errorf("%s %s after revoke: %d", probe.method, probe.path, got)
		}
	}
	env.Do("GET", base(demandTok), "", nil, 200, nil) // other links live on
}

func TestCoordinatorActsForEitherSide(t *testing.T) {
	env, f := apiFixture(t)
	demand := f.project(0, "demand", "锂电池正极材料需求", "张三")
	supply := f.project(1, "achievement", "锂电池正极材料制备技术", "李四")
	coord := env.Token(web.RoleCoordinator, 0)
	tok := issue(t, env, supply, coord)
	var r Request
	env.Do("POST", "/api/v1/participant/"+tok+"/requests", "", map[string]any{"project_id": demand}, 201, &r)
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/accept", r.ID), env.Token(web.RoleDelegation, f.dels[0]), nil, 403, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/accept", r.ID), coord, nil, 200, &r)
	if r.State != RequestAccepted || r.Meeting == nil || !strings.HasPrefix(r.AnsweredBy, "coordinator") {
		t.Fatalf("accepted for them %+v", r)
	}
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/decline", r.ID), coord, nil, 409, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/place", r.ID), coord, nil, 409, nil)

	// And for the side that asked: take a request back.
	var w Request
	env.Do("POST", "/api/v1/participant/"+tok+"/requests", "", map[string]any{"project_id": f.project(0, "demand", "第二个需求", "")}, 201, &w)
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/withdraw", w.ID), env.Token(web.RoleLeader, 0), nil, 403, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/participant-requests/%d/withdraw", w.ID), coord, nil, 200, &w)
	if w.State != RequestWithdrawn {
		t.Errorf("withdrawn for them %+v", w)
	}
}

// page GETs or POSTs a page as a guest and returns its body.
func page(t *testing.T, env *webtest.Env, method, path string, form url.Values, want int) string {
	t.Helper()
	req, _ := http.NewRequest(method, env.Server.URL+path, strings.NewReader(form.Encode()))
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, body := env.Request(req, "")
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, body)
	}
	return string(body)
}

func TestParticipantPages(t *testing.T) {
	env, f := apiFixture(t)
	demand := f.project(0, "demand", "锂电池正极材料需求", "张三")
	supply := f.project(1, "achievement", "锂电池正极材料制备技术", "李四")
	org := env.Token(web.RoleOrganiser, 0)
	tok := issue(t, env, supply, org)
	demandTok := issue(t, env, demand, org)
	p := "/participant/" + tok
	body := page(t, env, "GET", p, nil, 200)
	for _, want := range []string{"锂电池正极材料制备技术", "李四", "锂电池正极材料需求", `name="half_days"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	page(t, env, "POST", p+"/requests", url.Values{"project_id": {fmt.Sprint(demand)}, "message": {"你好"}}, 303)
	if body := page(t, env, "POST", p+"/requests", url.Values{"project_id": {fmt.Sprint(demand)}}, 409); !strings.Contains(body, "待答复的请求") {
		t.Errorf("409 page does not explain")
	}
	page(t, env, "POST", p+"/availability", url.Values{"half_days": {"2024-01-18T14:00:00+08:00"}}, 303)
	page(t, env, "POST", p+"/availability", url.Values{"half_days": {"garbage"}}, 422)
	body = page(t, env, "GET", "/participant/"+demandTok, nil, 200)
	if !strings.Contains(body, "你好") || !strings.Contains(body, "/accept") {
		t.Fatalf("incoming request not shown")
	}
	var rid int64
	if err := f.db.R.Get(&rid, `SELECT id FROM participant_requests`); err != nil {
		t.Fatal(err)
	}
	page(t, env, "POST", fmt.Sprintf("/participant/%s/requests/%d/accept", demandTok, rid), nil, 303)
	if body := page(t, env, "GET", p, nil, 200); !strings.Contains(body, "第 1 桌") || !strings.Contains(body, "schedule.ics") {
		t.Errorf("schedule not shown")
	}
	var pid int64
	if err := f.db.R.Get(&pid, `SELECT pairing_id FROM participant_requests`); err != nil {
		t.Fatal(err)
	}
	page(t, env, "POST", fmt.Sprintf("/participant/%s/pairings/%d/outcome", demandTok, pid), url.Values{"outcome": {"interested"}}, 303)
	page(t, env, "POST", fmt.Sprintf("/participant/%s/pairings/%d/outcome", demandTok, pid), url.Values{"outcome": {"signed"}}, 422)
	// The hall's pages: the link's issuing page and the coordinator's list.
	issueReq, _ := http.NewRequest("POST", fmt.Sprintf("%s/projects/%d/participant-link", env.Server.URL, supply), nil)
	if res, body := env.Request(issueReq, env.Token(web.RoleDelegation, f.dels[1])); res.StatusCode != 200 ||
		!strings.Contains(string(body), "/participant/") || !strings.Contains(string(body), "data:image/png;base64,") {
		t.Errorf("issue page %d", res.StatusCode)
	}
	page(t, env, "GET", p, nil, 404) // replaced by the new one
	for _, path := range []string{fmt.Sprintf("/projects/%d/participant-link", supply), fmt.Sprintf("/editions/%d/pairing/requests", f.edition)} {
		req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
		if res, body := env.Request(req, org); res.StatusCode != 200 || !strings.Contains(string(body), "锂电池正极材料制备技术") ||
			(strings.Contains(path, "requests") && !strings.Contains(string(body), "有意向")) {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
}
