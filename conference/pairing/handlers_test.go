package pairing

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/auth"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// apiFixture is the fixture's data behind a real server.
func apiFixture(t *testing.T) (*webtest.Env, *fixture) {
	env := webtest.New(t, conference.Migrations(), auth.Migrations(), roadshow.Migrations(), Migrations())
	f := &fixture{t: t, db: env.DB}
	g := newFixtureOn(t, env.DB)
	*f = *g
	NewHandlers(env.Site, f.store, NewRecommender(env.DB, nil), f.broker).Register(env.Engine)
	return env, f
}

func TestAPIPairingJourney(t *testing.T) {
	env, f := apiFixture(t)
	org := env.Token(web.RoleOrganiser, 0)
	coord := env.Token(web.RoleCoordinator, 0)
	leader := env.Token(web.RoleLeader, 0)
	d := f.project(0, "demand", "锂电池正极材料需求", "张三")
	s := f.project(1, "achievement", "锂电池正极材料制备技术", "李四")
	f.project(1, "achievement", "白酒酿造工艺", "王五")

	var ms struct{ Items []Match }
	env.Do("GET", fmt.Sprintf("/api/v1/projects/%d/matches?limit=10", d), coord, nil, 200, &ms)
	if len(ms.Items) != 1 || ms.Items[0].Project.ID != s || len(ms.Items[0].Reasons) == 0 || ms.Items[0].Score <= 0 {
		t.Fatalf("matches %+v", ms.Items)
	}

	path := fmt.Sprintf("/api/v1/editions/%d/pairings", f.edition)
	body := map[string]int64{"demand_id": d, "supply_id": s}
	env.Do("POST", path, leader, body, 403, nil)
	var p Pairing
	env.Do("POST", path, org, body, 201, &p)
	if p.Stage != StageProposed || p.ID == 0 {
		t.Fatalf("created %+v", p)
	}
	env.Do("POST", path, coord, body, 409, nil)

	meeting := fmt.Sprintf("/api/v1/pairings/%d/meeting", p.ID)
	start := f.slot(1).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
	var m Meeting
	env.Do("POST", meeting, coord, map[string]any{"session_id": f.session.ID, "table": 2, "starts_at": start}, 201, &m)
	if m.Table != 2 || !m.StartsAt.Equal(f.slot(1)) {
		t.Errorf("meeting %+v", m)
	}
	other := f.pairing(f.project(0, "demand", "另一需求", ""), f.project(1, "capability", "另一所能", ""))
	raw := env.Do("POST", fmt.Sprintf("/api/v1/pairings/%d/meeting", other.ID), coord,
		map[string]any{"session_id": f.session.ID, "table": 2, "starts_at": start}, 409, nil)
	if e := webtest.ErrorOf(t, raw); e.Code != "conflict" || len(e.Details) == 0 || e.Details[0].Kind != "table" {
		t.Errorf("table clash answer %+v", e)
	}

	stage := fmt.Sprintf("/api/v1/pairings/%d/stage", p.ID)
	env.Do("POST", stage, coord, map[string]any{"stage": "signed"}, 422, nil)
	env.Do("POST", stage, coord, map[string]any{"stage": "signed", "amount_wan": 800, "signed_on": "2024-01-18"}, 200, &p)
	if p.Stage != StageSigned || p.Amount() != "800.00" {
		t.Errorf("signed %+v", p)
	}
	env.Do("POST", stage, leader, map[string]any{"stage": "met"}, 403, nil)
	var detail PairingDetail
	env.Do("GET", fmt.Sprintf("/api/v1/pairings/%d", p.ID), leader, nil, 200, &detail)
	if len(detail.History) != 2 || detail.Meeting == nil {
		t.Errorf("detail %+v", detail)
	}
	var b Board
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/board", f.edition), leader, nil, 200, &b)
	if b.Counters.Signed != 1 || len(b.Latest) != 1 {
		t.Errorf("board %+v", b)
	}
}

// TestLiveStream: a stage change reaches a subscriber of the event stream.
func TestLiveStream(t *testing.T) {
	env, f := apiFixture(t)
	leader := env.Token(web.RoleLeader, 0)
	p := f.pairing(f.project(0, "demand", "需求", ""), f.project(1, "achievement", "成果", ""))
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/editions/%d/live", env.Server.URL, f.edition), nil)
	req.Header.Set("Authorization", "Bearer "+leader)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	lines := bufio.NewScanner(res.Body)
	next := func(prefix string) string {
		for lines.Scan() {
			if l := lines.Text(); strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Fatalf("stream ended before %q: %v", prefix, lines.Err())
		return ""
	}
	if e := next("event:"); e != "event: counters" {
		t.Fatalf("first event %q", e)
	}
	if _, err := f.store.SetStage(t.Context(), p.ID, StageInput{Stage: StageMet}, f.organiser); err != nil {
		t.Fatal(err)
	}
	if e := next("event:"); e != "event: stage" {
		t.Fatalf("event after the change %q", e)
	}
	if d := next("data:"); !strings.Contains(d, `"stage":"met"`) {
		t.Errorf("stage event data %s", d)
	}
	if e := next("event:"); e != "event: counters" {
		t.Fatalf("event after the stage event %q", e)
	}
	if d := next("data:"); !strings.Contains(d, `"effective":1`) {
		t.Errorf("counters %s", d)
	}
}
