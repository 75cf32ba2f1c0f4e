package pairing

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"huizhan/conference/roadshow"
	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// signedPairing makes a pairing and moves it to signed through the store.
func (f *fixture) signedPairing(amountWan float64) Pairing {
	f.t.Helper()
	p := f.pairing(f.project(0, "demand", "储能电站需求", "张三"), f.project(1, "achievement", "液流储能电池成果", "李四"))
	w := WanOf(amountWan)
	p, err := f.store.SetStage(f.t.Context(), p.ID, StageInput{Stage: StageSigned, AmountWan: &w,
		SignedOn: civil.NewDate(2024, 1, 18), Signatories: "甲；乙"}, f.organiser)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// TestAPINoteLeavesSignedPairingSigned: a note is its own action; the
// pairing stays signed with its amount, and no stage change is recorded.
func TestAPINoteLeavesSignedPairingSigned(t *testing.T) {
	env, f := apiFixture(t)
	coord := env.Token(web.RoleCoordinator, 0)
	p := f.signedPairing(1200.5)
	var n Note
	env.Do("POST", fmt.Sprintf("/api/v1/pairings/%d/notes", p.ID), coord, map[string]any{"text": "对方要求补充检测报告"}, 201, &n)
	if n.ID == 0 || n.Text != "对方要求补充检测报告" || n.Username == "" {
		t.Errorf("note %+v", n)
	}
	env.Do("POST", fmt.Sprintf("/api/v1/pairings/%d/notes", p.ID), coord, map[string]any{"text": "  "}, 422, nil)
	var got Pairing
	env.Do("GET", fmt.Sprintf("/api/v1/pairings/%d", p.ID), coord, nil, 200, &got)
	if got.Stage != StageSigned || got.AmountWan == nil || *got.AmountWan != WanOf(1200.5) {
		t.Errorf("after the note: stage %s amount %v", got.Stage, got.AmountWan)
	}
	var hist struct{ Items []Change }
	env.Do("GET", fmt.Sprintf("/api/v1/pairings/%d/history", p.ID), coord, nil, 200, &hist)
	if len(hist.Items) != 2 || hist.Items[1].ToStage != StageSigned {
		t.Errorf("history %+v, want creation and the signing only", hist.Items)
	}
}

// TestAPICorrectionNeedsReason: signed → contacted without a reason is
// 422; with one it is recorded as a correction, the amount goes into the
// history, and the pairing no longer counts as signed.
func TestAPICorrectionNeedsReason(t *testing.T) {
	env, f := apiFixture(t)
	coord := env.Token(web.RoleCoordinator, 0)
	p := f.signedPairing(800)
	stage := fmt.Sprintf("/api/v1/pairings/%d/stage", p.ID)
	raw := env.Do("POST", stage, coord, map[string]any{"stage": "contacted"}, 422, nil)
	if e := webtest.ErrorOf(t, raw); len(e.Details) != 1 || e.Details[0].Field != "reason" {
		t.Errorf("no reason: %+v", e)
	}
	for _, back := range []string{"dropped", "proposed"} {
		env.Do("POST", stage, coord, map[string]any{"stage": back, "note": ""}, 422, nil)
	}
	var got Pairing
	env.Do("POST", stage, coord, map[string]any{"stage": "contacted", "reason": "签约录入错误，实际尚未签约"}, 200, &got)
	if got.Stage != StageContacted || got.AmountWan != nil || !got.SignedOn.IsZero() || got.Signatories != "" {
		t.Errorf("moved back but kept live: %+v", got)
	}
	var hist struct{ Items []Change }
	env.Do("GET", fmt.Sprintf("/api/v1/pairings/%d/history", p.ID), coord, nil, 200, &hist)
	last := hist.Items[len(hist.Items)-1]
	if !last.Correction || last.Reason != "签约录入错误，实际尚未签约" || last.FromStage != StageSigned ||
		last.ToStage != StageContacted || last.PreviousAmount == nil || *last.PreviousAmount != WanOf(800) ||
		last.PreviousOn != civil.NewDate(2024, 1, 18) || last.Username == "" || last.ChangedAt.IsZero() {
		t.Errorf("correction entry %+v", last)
	}
	c, err := f.store.Counters(t.Context(), f.edition)
	if err != nil || c.Signed != 0 || c.AmountWan != 0 {
		t.Errorf("counters after the correction %+v %v", c, err)
	}
	// Forward again skips stages without a reason; reopening a dropped one needs one.
	env.Do("POST", stage, coord, map[string]any{"stage": "intent"}, 200, nil)
	env.Do("POST", stage, coord, map[string]any{"stage": "dropped", "reason": "企业转产"}, 200, nil)
	env.Do("POST", stage, coord, map[string]any{"stage": "met", "reopen": true}, 422, nil)
	env.Do("POST", stage, coord, map[string]any{"stage": "met", "reason": "企业恢复合作"}, 200, nil)
}

// TestAPIAmountRange: amounts outside 0 < x ≤ 10,000,000 万元 with two
// decimals, and future dates, are 422 naming the field.
func TestAPIAmountRange(t *testing.T) {
	env, f := apiFixture(t)
	coord := env.Token(web.RoleCoordinator, 0)
	p := f.pairing(f.project(0, "demand", "需求", ""), f.project(1, "achievement", "成果", ""))
	stage := fmt.Sprintf("/api/v1/pairings/%d/stage", p.ID)
	tomorrow := dayOf(time.Now()).AddDays(1).String()
	for _, tc := range []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"1e308", `{"stage":"signed","amount_wan":1e308,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"1e400", `{"stage":"signed","amount_wan":1e400,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"negative", `{"stage":"signed","amount_wan":-1,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"zero", `{"stage":"signed","amount_wan":0,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"NaN string", `{"stage":"signed","amount_wan":"NaN","signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"Infinity string", `{"stage":"signed","amount_wan":"Infinity","signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"-0 string", `{"stage":"signed","amount_wan":"-0","signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"three decimals", `{"stage":"signed","amount_wan":1.234,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"above the cap", `{"stage":"signed","amount_wan":10000000.01,"signed_on":"2024-01-18"}`, 422, "amount_wan"},
		{"future date", `{"stage":"signed","amount_wan":100,"signed_on":"` + tomorrow + `"}`, 422, "signed_on"},
		{"at the cap", `{"stage":"signed","amount_wan":10000000,"signed_on":"2024-01-18"}`, 200, ""},
	} {
		raw := env.Do("POST", stage, coord, tc.body, tc.status, nil)
		if tc.status == 422 {
			if e := webtest.ErrorOf(t, raw); len(e.Details) == 0 || e.Details[0].Field != tc.field {
				t.Errorf("%s: %+v", tc.name, e)
			}
		}
	}
}

// TestBoardSurvivesHugeAmounts: whatever is written straight into the
// table, the board and the live stream answer with their figures.
func TestBoardSurvivesHugeAmounts(t *testing.T) {
	env, f := apiFixture(t)
	leader := env.Token(web.RoleLeader, 0)
	f.signedPairing(100.25)
	inf := "9e999" // +Inf as SQLite reads it
	if f.db.Dialect() == db.Postgres {
		inf = "'Infinity'"
	}
	for i, v := range []string{"1e308", "1e308", inf, "10000000.01"} {
		p := f.pairing(f.project(0, "demand", fmt.Sprintf("需求%d", i), ""), f.project(1, "achievement", fmt.Sprintf("成果%d", i), ""))
		if _, err := f.db.W.Exec(`UPDATE pairings SET stage = 'signed', amount_wan = `+v+`, signed_on = '2024-01-18' WHERE id = ?`, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	var b Board
	raw := env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/board", f.edition), leader, nil, 200, &b)
	if len(raw) == 0 || b.Counters.Signed != 5 || b.Counters.AmountWan != WanOf(100.25) || b.Counters.OutOfRange != 4 {
		t.Errorf("board counters %+v (body %d bytes)", b.Counters, len(raw))
	}
	if len(b.Latest) != 5 {
		t.Errorf("board lists %d signings, want 5", len(b.Latest))
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/editions/%d/live", env.Server.URL, f.edition), nil)
	req.Header.Set("Authorization", "Bearer "+leader)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "data:") {
			if !strings.Contains(l, `"amount_wan":100.25`) || !strings.Contains(l, `"signed":5`) {
				t.Errorf("live counters %s", l)
			}
			return
		}
	}
	t.Fatalf("live stream ended without counters: %v", lines.Err())
}

// TestProjectClashBothDirections: a project on a roadshow stage cannot get
// a pairing meeting then, and a project at a pairing table cannot be put
// on a stage then; each 409 names the other engagement.
func TestProjectClashBothDirections(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	onStage := f.project(1, "achievement", "固态电池成果", "孙八")
	if _, err := f.roadshows.CreateSlot(ctx, f.roadshow, roadshow.SlotInput{ProjectID: onStage, Presenter: "孙工",
		StartsAt: f.slot(2), EndsAt: f.slot(2).Add(minutes(10))}); err != nil {
		t.Fatal(err)
	}
	p := f.pairing(f.project(0, "demand", "储能需求", "张三"), onStage)
	_, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(2)})
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Conflict || len(ae.Details) != 1 || ae.Details[0].Kind != "project" ||
		ae.Details[0].Key != "meeting.clash_project_roadshow" || ae.Details[0].Args["Session"] != "路演" {
		t.Fatalf("meeting during the project's roadshow: %+v", err)
	}
	if w, _ := ae.Details[0].With.(map[string]any); w["title"] != "路演" || w["type"] != "roadshow_slot" {
		t.Errorf("the clash does not name the roadshow slot: %+v", ae.Details[0].With)
	}
	if _, err := f.store.Book(ctx, p.ID, MeetingInput{SessionID: f.session.ID, Table: 1, StartsAt: f.slot(0)}); err != nil {
		t.Fatalf("meeting before the roadshow: %v", err)
	}
	_, err = f.roadshows.CreateSlot(ctx, f.roadshow, roadshow.SlotInput{ProjectID: onStage, Presenter: "孙工",
		StartsAt: f.slot(0).Add(minutes(5)), EndsAt: f.slot(0).Add(minutes(15))})
	ae, ok = apperr.As(err)
	if !ok || ae.Kind != apperr.Conflict {
		t.Fatalf("roadshow slot during the project's meeting: %v", err)
	}
	var named bool
	for _, d := range ae.Details {
		w, _ := d.With.(roadshow.ClashWith)
		named = named || d.Kind == roadshow.ClashProject && d.Key == "meeting.project_in_meeting" &&
			w.Type == "meeting" && w.Title == "储能需求" && d.Args["Table"] == 1
	}
	if !named {
		t.Errorf("the clash does not name the meeting: %+v", ae.Details)
	}
}

// TestKioskBoardWithoutSession: an organiser's board link shows the board
// (page and API) to a browser that is not signed in, without navigation,
// with thousands separators and two decimals, and without the request
// messages delegations wrote; revoking the links answers 404.
func TestKioskBoardWithoutSession(t *testing.T) {
	env, f := apiFixture(t)
	org := env.Token(web.RoleOrganiser, 0)
	del := env.Token(web.RoleDelegation, f.dels[0])
	d, s := f.project(0, "demand", "储能电站需求", ""), f.project(1, "achievement", "液流储能电池成果", "")
	var p Pairing
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/pairings", f.edition), del,
		map[string]any{"demand_id": d, "supply_id": s, "message": "机密留言：报价请勿外传"}, 201, &p)
	env.Do("POST", fmt.Sprintf("/api/v1/pairings/%d/respond", p.ID), org, map[string]any{"accept": true}, 200, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/pairings/%d/stage", p.ID), org,
		map[string]any{"stage": "signed", "amount_wan": "1234567.5", "signed_on": "2024-01-18"}, 200, nil)

	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/board-links", f.edition), del, nil, 403, nil)
	var link BoardLink
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/board-links", f.edition), org, nil, 201, &link)
	if link.Token == "" || !strings.HasSuffix(link.URL, "/board/"+link.Token) {
		t.Fatalf("link %+v", link)
	}
	var b Board
	raw := env.Do("GET", "/api/v1/board/"+link.Token, "", nil, 200, &b)
	if b.Counters.Signed != 1 || len(b.Latest) != 1 || b.Latest[0].Demand.Title != "储能电站需求" {
		t.Errorf("kiosk board %+v", b)
	}
	for _, board := range [][]byte{raw, env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/board", f.edition), env.Token(web.RoleDelegation, f.dels[1]), nil, 200, nil)} {
		if strings.Contains(string(board), "机密留言") {
			t.Errorf("a board shows a delegation's message: %s", board)
		}
	}
	res, body := env.Request(mustRequest(t, env.Server.URL+"/board/"+link.Token), "")
	page := string(body)
	if res.StatusCode != 200 || strings.Contains(page, "main-nav") || !strings.Contains(page, "1,234,567.50") ||
		!strings.Contains(page, `id="k-signed">1<`) || strings.Contains(page, "机密留言") {
		t.Errorf("kiosk page %d:\n%s", res.StatusCode, page)
	}
	env.Do("GET", "/api/v1/board/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", nil, 404, nil)
	env.Do("DELETE", fmt.Sprintf("/api/v1/editions/%d/board-links", f.edition), org, nil, 200, nil)
	env.Do("GET", "/api/v1/board/"+link.Token, "", nil, 404, nil)
	if res, _ := env.Request(mustRequest(t, env.Server.URL+"/board/"+link.Token), ""); res.StatusCode != 404 {
		t.Errorf("revoked kiosk page %d", res.StatusCode)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
