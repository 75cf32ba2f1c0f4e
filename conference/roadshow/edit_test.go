package roadshow

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// noErr marks a case that must succeed (apperr.Kind 0 is Internal).
const noErr apperr.Kind = -1

// TestUpdateSessionRechecksSlots checks that every session change runs the
// clash check for the session's slots and refuses, listing each clash, a
// change that leaves a slot outside or double-books a room.
func TestUpdateSessionRechecksSlots(t *testing.T) {
	tests := []struct {
		name      string
		patch     SessionPatch
		wantKind  apperr.Kind
		wantClash []string // clash kinds of a 409, in order
	}{
		{"title and criteria", SessionPatch{Title: ptr("路演一（改）"), Criteria: &Criteria{"innovation", "team"}}, noErr, nil},
		{"longer, same room", SessionPatch{EndsAt: ptr(at(0, 18, 0))}, noErr, nil},
		{"to a new room", SessionPatch{Room: ptr("第三分会场")}, noErr, nil},
		{"end before the last slot", SessionPatch{EndsAt: ptr(at(0, 16, 0))}, apperr.Conflict, []string{ClashOutside}},
		{"start after both slots", SessionPatch{StartsAt: ptr(at(0, 16, 55)), EndsAt: ptr(at(0, 18, 0))}, apperr.Conflict,
			[]string{ClashOutside, ClashOutside}},
		{"into a booked room", SessionPatch{Room: ptr("第二分会场")}, apperr.Conflict, []string{ClashRoom}},
		{"end before start", SessionPatch{EndsAt: ptr(at(0, 13, 0))}, apperr.Invalid, nil},
		{"criteria named twice", SessionPatch{Criteria: &Criteria{"team", " team"}}, apperr.Invalid, nil},
		{"no criteria", SessionPatch{Criteria: &Criteria{}}, apperr.Invalid, nil},
		{"unknown kind", SessionPatch{Kind: ptr("party")}, apperr.Invalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
			f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 17, 0))
			a := f.mustSlot(s.ID, f.project(0, "芯片", "电子信息", "selected"), "张三", at(0, 14, 0), at(0, 14, 10))
			b := f.mustSlot(s.ID, f.project(1, "电池", "双碳与新能源", "selected"), "李四", at(0, 16, 50), at(0, 17, 0))
			got, err := f.store.UpdateSession(f.ctx, s.ID, tt.patch)
			if tt.wantKind == noErr {
				if err != nil {
					t.Fatal(err)
				}
				assertSlotsFollow(t, f, got, a.ID, b.ID)
				return
			}
			if apperr.KindOf(err) != tt.wantKind {
				t.Fatalf("err %v, want kind %v", err, tt.wantKind)
			}
			if tt.wantClash != nil {
				e, _ := apperr.As(err)
				var kinds []string
				for _, d := range e.Details {
					kinds = append(kinds, d.Kind)
				}
				if fmt.Sprint(kinds) != fmt.Sprint(tt.wantClash) {
					t.Errorf("clashes %v, want %v", kinds, tt.wantClash)
				}
			}
			if after, _ := f.store.Session(f.ctx, s.ID); after.Title != s.Title || after.Room != s.Room ||
				!after.EndsAt.Equal(s.EndsAt) || !after.StartsAt.Equal(s.StartsAt) {
				t.Errorf("refused change was saved: %+v", after)
			}
		})
	}
}

// assertSlotsFollow checks the slots moved with the session's room.
func assertSlotsFollow(t *testing.T, f *fixture, s Session, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		sl, err := f.store.Slot(f.ctx, id)
		if err != nil || sl.RoomID != s.RoomID {
			t.Errorf("slot %d room %d, session room %d (%v)", id, sl.RoomID, s.RoomID, err)
		}
	}
}

func TestUpdateSessionDropsScoresOfRemovedCriteria(t *testing.T) {
	f := newFixture(t)
	s := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	sl := f.mustSlot(s.ID, f.project(0, "芯片", "电子信息", "selected"), "张三", at(0, 14, 0), at(0, 14, 10))
	j, err := f.store.InviteJudge(f.ctx, s.ID, JudgeInput{Name: "评委"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Score(f.ctx, j, sl.ID, map[string]int{"innovation": 8, "maturity": 7, "market": 6, "team": 9}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateSession(f.ctx, s.ID, SessionPatch{Criteria: &Criteria{"team", "impact"}}); err != nil {
		t.Fatal(err)
	}
	mine, err := f.store.OwnScores(f.ctx, j.ID)
	if err != nil || len(mine[sl.ID]) != 1 || mine[sl.ID]["team"] != 9 {
		t.Errorf("scores after criteria change: %v, %v", mine, err)
	}
}

func TestSessionPatchAPIAndMovedInChangeList(t *testing.T) {
	e := newAPIEnv(t)
	p := e.f.project(0, "芯片", "电子信息", "selected")
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	sl := e.f.mustSlot(s.ID, p, "张三", at(0, 16, 0), at(0, 16, 10))
	ed := fmt.Sprintf("/api/v1/editions/%d", e.f.edition)
	e.Do("POST", ed+"/releases", e.org, nil, 201, nil)

	path := fmt.Sprintf("/api/v1/sessions/%d", s.ID)
	raw := e.Do("PATCH", path, e.org, map[string]any{"ends_at": "2024-01-18T15:00:00+08:00"}, 409, nil)
	if d := webtest.ErrorOf(t, raw).Details; len(d) != 1 || d[0].Kind != ClashOutside || !strings.Contains(d[0].Message, "芯片") {
		t.Errorf("409 details: %s", raw)
	}
	e.Do("PATCH", path, e.Token(web.RoleDelegation, e.f.dels[0]), map[string]any{"title": "x"}, 403, nil)
	e.Do("PATCH", "/api/v1/sessions/999", e.org, map[string]any{"title": "x"}, 404, nil)
	var got Session
	e.Do("PATCH", path, e.org, map[string]any{"room": "主会场", "starts_at": "2024-01-18T15:00:00+08:00",
		"criteria": []string{"innovation", "market"}}, 200, &got)
	if got.Room != "主会场" || !got.StartsAt.Equal(at(0, 15, 0)) || len(got.Criteria) != 2 || got.Title != "路演一" {
		t.Errorf("patched session: %+v", got)
	}

	var a Agenda
	e.Do("POST", ed+"/releases", e.org, nil, 201, &a)
	moved := map[string]Change{}
	for _, c := range a.Changes {
		if c.Kind == ChangeMoved {
			moved[c.Type] = c
		}
	}
	if c, ok := moved["session"]; !ok || c.ID != s.ID || c.OldRoom != "第一分会场" || c.Room != "主会场" {
		t.Errorf("moved session missing from %+v", a.Changes)
	}
	if c, ok := moved["slot"]; !ok || c.ID != sl.ID {
		t.Errorf("slot in a moved room missing from %+v", a.Changes)
	}
	// The public agenda page shows the move.
	if st, body := e.page("/editions/"+fmt.Sprint(e.f.edition)+"/agenda", ""); st != 200 || !strings.Contains(body, "change-moved") {
		t.Errorf("agenda page: %d", st)
	}
}

// page GETs a page with token and returns its status and body.
func (e *apiEnv) page(path, token string) (int, string) {
	req, err := http.NewRequest("GET", e.Server.URL+path, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	res, body := e.Request(req, token)
	return res.StatusCode, string(body)
}

func TestSessionsAndSlotsReadableBySignedIn(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	e.f.mustSlot(s.ID, e.f.project(0, "芯片", "电子信息", "selected"), "张三", at(0, 14, 0), at(0, 14, 10))
	paths := []string{fmt.Sprintf("/api/v1/sessions/%d", s.ID), fmt.Sprintf("/api/v1/sessions/%d/slots", s.ID),
		fmt.Sprintf("/api/v1/editions/%d/sessions", e.f.edition), fmt.Sprintf("/api/v1/editions/%d/rooms", e.f.edition)}
	roles := []string{web.RoleOrganiser, web.RoleDelegation, web.RoleStaff, web.RoleCoordinator, web.RoleLeader}
	for _, role := range roles {
		var del int64
		if role == web.RoleDelegation {
			del = e.f.dels[0]
		}
		tok := e.Token(role, del)
		for _, p := range paths {
			e.Do("GET", p, tok, nil, 200, nil)
		}
	}
	for _, p := range paths {
		e.Do("GET", p, "", nil, 401, nil)
	}
}

func TestRoomsAPIAndPage(t *testing.T) {
	e := newAPIEnv(t)
	base := fmt.Sprintf("/api/v1/editions/%d/rooms", e.f.edition)
	var r Room
	e.Do("POST", base, e.org, map[string]any{"name": " 主会场 ", "capacity": 800}, 201, &r)
	if r.Name != "主会场" || r.Capacity != 800 {
		t.Errorf("created room %+v", r)
	}
	e.Do("POST", base, e.org, map[string]any{"name": "主会场"}, 409, nil)
	raw := e.Do("POST", base, e.org, map[string]any{"name": "", "capacity": -1}, 422, nil)
	if n := len(webtest.ErrorOf(t, raw).Details); n != 2 {
		t.Errorf("bad room: %d details: %s", n, raw)
	}
	e.Do("POST", base, e.Token(web.RoleStaff, 0), map[string]any{"name": "x"}, 403, nil)
	e.Do("POST", "/api/v1/editions/999/rooms", e.org, map[string]any{"name": "x"}, 404, nil)
	var up Room
	e.Do("PATCH", fmt.Sprintf("/api/v1/rooms/%d", r.ID), e.org, map[string]any{"capacity": 1200}, 200, &up)
	if up.Name != "主会场" || up.Capacity != 1200 {
		t.Errorf("patched room %+v", up)
	}
	e.Do("PATCH", "/api/v1/rooms/999", e.org, map[string]any{"capacity": 1}, 404, nil)
	var list web.List[Room]
	e.Do("GET", base, e.org, nil, 200, &list)
	if len(list.Items) != 1 || list.Items[0].Capacity != 1200 {
		t.Errorf("rooms %+v", list.Items)
	}

	// The session page shows the room's capacity; the rooms page edits it.
	s := e.f.session("开幕式", KindCeremony, "主会场", at(0, 9, 0), at(0, 11, 0))
	if st, body := e.page(fmt.Sprintf("/sessions/%d", s.ID), e.org); st != 200 || !strings.Contains(body, "1200 座") {
		t.Errorf("session page: %d, capacity missing", st)
	}
	if st, _ := e.form(fmt.Sprintf("/rooms/%d", r.ID), url.Values{"name": {"主会场"}, "capacity": {"900"}}); st != 303 {
		t.Errorf("room form: %d", st)
	}
	if st, body := e.form(fmt.Sprintf("/editions/%d/rooms", e.f.edition), url.Values{"name": {"主会场"}}); st != 409 ||
		!strings.Contains(body, "已有名为") {
		t.Errorf("duplicate room form: %d", st)
	}
	if st, body := e.page(fmt.Sprintf("/editions/%d/rooms", e.f.edition), e.org); st != 200 || !strings.Contains(body, `value="900"`) {
		t.Errorf("rooms page: %d", st)
	}
}

func TestSlotEditFormAndPatch(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	p1, p2 := e.f.project(0, "芯片", "电子信息", "selected"), e.f.project(1, "电池", "双碳与新能源", "selected")
	a := e.f.mustSlot(s.ID, p1, "张三", at(0, 14, 0), at(0, 14, 10))
	b := e.f.mustSlot(s.ID, p2, "李四", at(0, 14, 10), at(0, 14, 20))

	// A move onto the other slot is refused; the clash shows beside the form.
	st, body := e.form(fmt.Sprintf("/slots/%d/edit", b.ID), url.Values{"project_id": {fmt.Sprint(p2)},
		"presenter": {"李四"}, "starts_at": {"2024-01-18T14:05"}, "ends_at": {"2024-01-18T14:15"}})
	if st != 409 || !strings.Contains(body, "芯片") || !strings.Contains(body, fmt.Sprintf(`id="slot-%d" open`, b.ID)) {
		t.Errorf("clashing slot form: %d", st)
	}
	st, _ = e.form(fmt.Sprintf("/slots/%d/edit", b.ID), url.Values{"project_id": {fmt.Sprint(p2)},
		"presenter": {"王五"}, "starts_at": {"2024-01-18T15:00"}, "ends_at": {"2024-01-18T15:10"}})
	if got, _ := e.f.store.Slot(e.f.ctx, b.ID); st != 303 || got.Presenter != "王五" || !got.StartsAt.Equal(at(0, 15, 0)) {
		t.Errorf("slot form: %d, %+v", st, got)
	}

	// The API changes the project too; a project of another edition is refused.
	path := fmt.Sprintf("/api/v1/slots/%d", a.ID)
	p3 := e.f.project(2, "传感器", "电子信息", "selected")
	var got Slot
	e.Do("PATCH", path, e.org, map[string]any{"project_id": p3, "presenter": "赵六",
		"starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T14:10:00+08:00"}, 200, &got)
	if got.ProjectID != p3 || got.Project != "传感器" {
		t.Errorf("patched slot %+v", got)
	}
	e.Do("PATCH", path, e.org, map[string]any{"project_id": 999, "presenter": "赵六",
		"starts_at": "2024-01-18T14:00:00+08:00", "ends_at": "2024-01-18T14:10:00+08:00"}, 422, nil)
	raw := e.Do("PATCH", path, e.org, map[string]any{"presenter": "王五",
		"starts_at": "2024-01-18T15:05:00+08:00", "ends_at": "2024-01-18T17:30:00+08:00"}, 409, nil)
	kinds := map[string]bool{}
	for _, d := range webtest.ErrorOf(t, raw).Details {
		kinds[d.Kind] = true
	}
	if !kinds[ClashOutside] || !kinds[ClashRoom] || !kinds[ClashPresenter] {
		t.Errorf("clashes %v: %s", kinds, raw)
	}
	if st, body := e.page(fmt.Sprintf("/sessions/%d", s.ID), e.org); st != 200 || strings.Count(body, `class="stack slot-edit-form"`) != 2 {
		t.Errorf("session page: %d, want an edit form per slot", st)
	}
}

func TestJudgingPage(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("海外专场", KindSpecial, "第二分会场", at(1, 9, 0), at(1, 11, 0))
	e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	judge, uid := e.tokenAndID(web.RoleStaff, 0)
	if _, err := e.f.store.InviteJudge(e.f.ctx, s.ID, JudgeInput{Name: "王评委", UserID: uid}); err != nil {
		t.Fatal(err)
	}
	st, body := e.page("/judging", judge)
	if st != 200 || !strings.Contains(body, fmt.Sprintf(`href="/sessions/%d/judge"`, s.ID)) || strings.Contains(body, "路演一") {
		t.Errorf("judge's list: %d", st)
	}
	st, body = e.page("/judging", e.Token(web.RoleCoordinator, 0))
	if st != 200 || strings.Contains(body, "海外专场") {
		t.Errorf("non-judge's list: %d", st)
	}
	if st := e.Status("GET", "/judging", "", nil); st == 200 {
		t.Errorf("guest saw /judging")
	}
	// The pages a judge already sees link to the list.
	if _, body := e.page(fmt.Sprintf("/editions/%d/agenda", e.f.edition), judge); !strings.Contains(body, `href="/judging"`) {
		t.Errorf("agenda page has no link to /judging")
	}
	if _, body := e.page(fmt.Sprintf("/editions/%d/roadshow", e.f.edition), e.org); !strings.Contains(body, `href="/judging"`) {
		t.Errorf("roadshow hub has no link to /judging")
	}
}

func TestSessionEditPage(t *testing.T) {
	e := newAPIEnv(t)
	s := e.f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	e.f.mustSlot(s.ID, e.f.project(0, "芯片", "电子信息", "selected"), "张三", at(0, 16, 0), at(0, 16, 10))
	path := fmt.Sprintf("/sessions/%d/edit", s.ID)
	if st, body := e.page(path, e.org); st != 200 || !strings.Contains(body, `value="innovation, maturity, market, team"`) ||
		!strings.Contains(body, `value="2024-01-18T14:00"`) {
		t.Errorf("edit page: %d", st)
	}
	form := url.Values{"title": {"路演一（下午）"}, "kind": {KindRoadshow}, "room": {"第一分会场"},
		"starts_at": {"2024-01-18T14:00"}, "ends_at": {"2024-01-18T15:00"}, "meeting_minutes": {"20"}, "tables": {"10"},
		"criteria": {"innovation，team"}}
	if st, body := e.form(path, form); st != 409 || !strings.Contains(body, "芯片") || !strings.Contains(body, "路演一（下午）") {
		t.Errorf("clashing edit: %d", st)
	}
	form.Set("ends_at", "2024-01-18T17:30")
	if st, _ := e.form(path, form); st != 303 {
		t.Fatalf("edit: %d", st)
	}
	got, _ := e.f.store.Session(e.f.ctx, s.ID)
	if got.Title != "路演一（下午）" || !got.EndsAt.Equal(at(0, 17, 30)) || fmt.Sprint(got.Criteria) != "[innovation team]" {
		t.Errorf("edited session %+v", got)
	}
	if st := e.Status("GET", path, e.Token(web.RoleStaff, 0), nil); st != 403 {
		t.Errorf("staff edit page: %d", st)
	}
}
