package roadshow

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// apiEnv is the handlers on a test server over a fixture's kind of data.
type apiEnv struct {
	*webtest.Env
	f   *fixture
	org string
}

func newAPIEnv(t *testing.T) *apiEnv {
	env := webtest.New(t, conference.Migrations(), auth.Migrations(), Migrations())
	f := &fixture{t: t, ctx: t.Context(), db: env.DB, store: NewStore(env.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	cs := conference.NewStore(env.DB)
	e, err := cs.CreateEdition(f.ctx, conference.EditionInput{Number: 3, Name: "第三届", Year: 2024,
		StartsOn: conferenceDate(2024, 1, 18), EndsOn: conferenceDate(2024, 1, 19), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	f.edition = e.ID
	for _, name := range []string{"绵阳市科协", "成都市科协", "德阳市科协"} {
		d, err := cs.CreateDelegation(f.ctx, e.ID, conference.DelegationInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.dels = append(f.dels, d.ID)
	}
	NewHandlers(env.Site, f.store).Register(env.Engine)
	return &apiEnv{Env: env, f: f, org: env.Token(web.RoleOrganiser, 0)}
}

// tokenAndID makes an account and returns its token and user ID.
func (e *apiEnv) tokenAndID(role string, delegation int64) (string, int64) {
	tok := e.Token(role, delegation)
	var id int64
	if err := e.DB.R.Get(&id, `SELECT MAX(id) FROM users`); err != nil {
		e.T.Fatal(err)
	}
	return tok, id
}

func TestSessionsAndSlotsAPI(t *testing.T) {
	e := newAPIEnv(t)
	p1 := e.f.project(0, "芯片", "电子信息", "selected")
	p2 := e.f.project(1, "电池", "电子信息", "selected")
	base := fmt.Sprintf("/api/v1/editions/%d", e.f.edition)

	var pairing Session
	e.Do("POST", base+"/sessions", e.org, map[string]any{"title": "供需对接", "kind": "pairing", "room": "对接大厅",
		"starts_at": "2024-01-19T09:00:00+08:00", "ends_at": "2024-01-19T12:00:00+08:00"}, 201, &pairing)
	if pairing.MeetingMinutes != 20 || pairing.Tables != 10 || pairing.Room != "对接大厅" {
		t.Errorf("pairing defaults: %+v", pairing)
	}
	var s Session
	e.Do("POST", base+"/sessions", e.org, map[string]any{"title": "路演一", "kind": "roadshow", "room": "第一分会场",
		"starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T17:00:00+08:00"}, 201, &s)
	raw := e.Do("POST", base+"/sessions", e.org, map[string]any{"title": "", "kind": "party", "room": "x",
		"starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T13:00:00+08:00"}, 422, nil)
	if n := len(webtest.ErrorOf(t, raw).Details); n != 3 {
		t.Errorf("bad session: %d details, want 3: %s", n, raw)
	}
	e.Do("POST", base+"/sessions", e.Token(web.RoleDelegation, e.f.dels[0]), map[string]any{}, 403, nil)

	slots := fmt.Sprintf("/api/v1/sessions/%d/slots", s.ID)
	var sl Slot
	e.Do("POST", slots, e.org, map[string]any{"project_id": p1, "presenter": "张三",
		"starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T14:10:00+08:00"}, 201, &sl)
	if sl.Project != "芯片" || sl.Delegation != "绵阳市科协" || sl.Warnings == nil {
		t.Errorf("slot %+v", sl)
	}
	raw = e.Do("POST", slots, e.org, map[string]any{"project_id": p2, "presenter": "张三",
		"starts_at": "2024-01-18T13:55:00+08:00", "ends_at": "2024-01-18T14:05:00+08:00"}, 409, nil)
	var body struct {
		Error struct {
			Code    string                       `json:"code"`
			Details []map[string]json.RawMessage `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || body.Error.Code != "conflict" {
		t.Fatalf("409 body %s", raw)
	}
	kinds := map[string]bool{}
	for _, d := range body.Error.Details {
		for _, k := range []string{"kind", "message", "with"} {
			if len(d[k]) == 0 {
				t.Errorf("clash detail lacks %q: %s", k, raw)
			}
		}
		var k string
		json.Unmarshal(d["kind"], &k)
		kinds[k] = true
	}
	if !kinds["room"] || !kinds["presenter"] || !kinds["outside_session"] || len(kinds) != 3 {
		t.Errorf("clash kinds %v: %s", kinds, raw)
	}

	var list web.List[Slot]
	e.Do("GET", slots, e.org, nil, 200, &list)
	if list.Total != 1 {
		t.Errorf("refused slot saved: %+v", list)
	}
	// The agenda is public and empty until released.
	var ag Agenda
	e.Do("GET", base+"/agenda", "", nil, 200, &ag)
	if ag.Release != 0 || len(ag.Sessions) != 0 {
		t.Errorf("unreleased agenda public: %+v", ag)
	}
	e.Do("GET", base+"/agenda?draft=true", "", nil, 403, nil)
	e.Do("POST", base+"/releases", e.org, nil, 201, &ag)
	e.Do("GET", base+"/agenda", "", nil, 200, &ag)
	if ag.Release != 1 || len(ag.Sessions) != 2 || ag.Sessions[0].Title != "路演一" || len(ag.Sessions[0].Slots) != 1 {
		t.Errorf("released agenda %+v", ag)
	}
	res, ics := e.Request(mustRequest(t, "GET", e.Server.URL+base+"/agenda.ics"), "")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") || res.StatusCode != 200 {
		t.Errorf("ics: %d %s", res.StatusCode, ct)
	}
	if lines := unfold(t, ics); !strings.Contains(strings.Join(lines, "\n"), "DTSTART:20240118T060000Z") {
		t.Errorf("ics lacks the slot: %s", ics)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestScoringPermissionsAPI(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 16, 0))
	sl := e.f.mustSlot(s.ID, e.f.project(0, "芯片", "电子信息", "selected"), "张三", at(0, 14, 0), at(0, 14, 10))
	tokA, idA := e.tokenAndID(web.RoleLeader, 0)
	tokB, idB := e.tokenAndID(web.RoleCoordinator, 0)
	tokDel := e.Token(web.RoleDelegation, e.f.dels[0])
	judges := fmt.Sprintf("/api/v1/sessions/%d/judges", s.ID)
	e.Do("POST", judges, e.org, map[string]any{"name": "甲评委", "user_id": idA}, 201, nil)
	e.Do("POST", judges, e.org, map[string]any{"name": "乙评委", "user_id": idB}, 201, nil)
	var linked struct {
		Judge Judge  `json:"judge"`
		Link  string `json:"link"`
	}
	e.Do("POST", judges, e.org, map[string]any{"name": "丙评委"}, 201, &linked)
	token := linked.Judge.Token
	if token == "" || !strings.HasSuffix(linked.Link, "/judge/"+token) {
		t.Fatalf("link judge %+v", linked)
	}
	e.Do("POST", judges, tokA, map[string]any{"name": "自荐"}, 403, nil)

	put := fmt.Sprintf("/api/v1/slots/%d/scores", sl.ID)
	sc := func(v int) map[string]any {
		return map[string]any{"scores": map[string]int{"innovation": v, "maturity": v, "market": v, "team": v}}
	}
	e.Do("PUT", put, tokA, sc(9), 200, nil)
	e.Do("PUT", put, tokB, sc(5), 200, nil)
	e.Do("PUT", fmt.Sprintf("/api/v1/judging/%s/slots/%d/scores", token, sl.ID), "", sc(7), 200, nil)
	e.Do("PUT", put, tokDel, sc(10), 403, nil)
	e.Do("PUT", put, e.Token(web.RoleStaff, 0), sc(10), 403, nil)
	e.Do("PUT", fmt.Sprintf("/api/v1/judging/%s/slots/%d/scores", "forged", sl.ID), "", sc(7), 404, nil)

	scores := fmt.Sprintf("/api/v1/sessions/%d/scores", s.ID)
	var own struct {
		Scores map[string]map[string]int `json:"scores"`
	}
	e.Do("GET", scores, tokA, nil, 200, &own)
	raw := e.Do("GET", scores, tokA, nil, 200, nil)
	// Judge A's own answer holds only A's marks (all 9): no other judge's
	// 5 or 7, and no mean across judges.
	mine := own.Scores[fmt.Sprint(sl.ID)]
	others := false
	for _, v := range mine {
		others = others || v != 9
	}
	if len(own.Scores) != 1 || mine["team"] != 9 || others || strings.Contains(string(raw), `"mean"`) {
		t.Errorf("judge A sees more than their own scores: %s", raw)
	}
	var viaLink struct {
		Scores map[string]map[string]int `json:"scores"`
	}
	e.Do("GET", "/api/v1/judging/"+token, "", nil, 200, &viaLink)
	if len(viaLink.Scores) != 1 || viaLink.Scores[fmt.Sprint(sl.ID)]["team"] != 7 {
		t.Errorf("link judge scores %+v", viaLink.Scores)
	}
	e.Do("GET", scores, tokDel, nil, 403, nil)
	e.Do("GET", scores, "", nil, 401, nil)
	var rank struct {
		Ranking []Ranked `json:"ranking"`
	}
	e.Do("GET", scores, e.org, nil, 200, &rank)
	if len(rank.Ranking) != 1 || rank.Ranking[0].Mean != 7 || rank.Ranking[0].Judges != 3 || rank.Ranking[0].Spread != 1.63 {
		t.Errorf("ranking %+v", rank.Ranking)
	}
}

func conferenceDate(y, m, d int) civil.Date { return civil.NewDate(y, time.Month(m), d) }

// form posts a form to the test server as the organiser and returns the
// status and body.
func (e *apiEnv) form(path string, vals url.Values) (int, string) {
	req, err := http.NewRequest("POST", e.Server.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := e.Request(req, e.org)
	return res.StatusCode, string(body)
}

func TestOrganiserPagesAndScheduleForm(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 15, 0))
	for i := range 3 {
		e.f.project(i, fmt.Sprint("项目", i), "电子信息", "selected")
	}
	for _, p := range []string{fmt.Sprintf("/editions/%d/roadshow", e.f.edition), fmt.Sprintf("/sessions/%d", s.ID),
		fmt.Sprintf("/editions/%d/schedule", e.f.edition), fmt.Sprintf("/editions/%d/agenda", e.f.edition)} {
		if st := e.Status("GET", p, e.org, nil); st != 200 {
			t.Errorf("GET %s: %d", p, st)
		}
	}
	st, body := e.form(fmt.Sprintf("/editions/%d/schedule", e.f.edition), url.Values{
		"session_ids": {fmt.Sprint(s.ID)}, "pitch_minutes": {"10"}, "changeover_minutes": {"2"}})
	if st != 200 || !strings.Contains(body, `id="proposal"`) || strings.Count(body, "项目") < 3 {
		t.Fatalf("proposal page: %d", st)
	}
	i := strings.Index(body, `name="proposal" value="`)
	proposal := body[i+len(`name="proposal" value="`):]
	proposal = html.UnescapeString(proposal[:strings.Index(proposal, `"`)])
	if st, _ := e.form(fmt.Sprintf("/editions/%d/schedule/accept", e.f.edition), url.Values{"proposal": {proposal}}); st != 303 {
		t.Fatalf("accept: %d", st)
	}
	slots, _ := e.f.store.Slots(e.f.ctx, s.ID)
	if len(slots) != 3 {
		t.Errorf("accepted %d slots, want 3", len(slots))
	}
	// Accepting the same proposal again clashes and saves nothing.
	st, body = e.form(fmt.Sprintf("/editions/%d/schedule/accept", e.f.edition), url.Values{"proposal": {proposal}})
	if st != 409 || !strings.Contains(body, "冲突") {
		t.Errorf("second accept: %d", st)
	}
	// A link judge scores from the phone page.
	j, err := e.f.store.InviteJudge(e.f.ctx, s.ID, JudgeInput{Name: "评委"})
	if err != nil {
		t.Fatal(err)
	}
	if st := e.Status("GET", "/judge/"+j.Token, "", nil); st != 200 {
		t.Errorf("judge page: %d", st)
	}
	st, _ = e.form(fmt.Sprintf("/judge/%s/slots/%d", j.Token, slots[0].ID), url.Values{
		"innovation": {"8"}, "maturity": {"7"}, "market": {"6"}, "team": {"9"}})
	if mine, _ := e.f.store.OwnScores(e.f.ctx, j.ID); st != 303 || mine[slots[0].ID]["team"] != 9 {
		t.Errorf("score form: %d, %v", st, mine)
	}
}
