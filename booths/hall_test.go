package booths

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/auth"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

var hallOrganiser = &web.Identity{UserID: 1, Username: "organiser", Role: web.RoleOrganiser}

// hallFixture: zone 综合展区 (1号馆) and the online zone; delegation 0
// holds A01 and shows its first project there, delegation 1 reserved A02,
// delegation 2 holds nothing; the project moved from delegation 0 to 2
// is still shown at A01.
type hallFixture struct {
	*fixture
	online   Zone
	projects [][]conference.Project // by delegation
	moved    conference.Project
}

func newHallFixture(t *testing.T, f *fixture) *hallFixture {
	t.Helper()
	h := &hallFixture{fixture: f}
	var err error
	if h.online, err = h.store.CreateZone(ctxb(), h.edition.ID, ZoneInput{Name: "云展厅", Online: true}); err != nil {
		t.Fatal(err)
	}
	for i, d := range h.dels {
		var ps []conference.Project
		for j := range 2 {
			p, err := h.conf.CreateProject(ctxb(), hallOrganiser, h.edition.ID, conference.ProjectInput{DelegationID: d.ID,
				Kind: conference.KindAchievement, Title: fmt.Sprintf("项目%d-%d", i, j), Industry: "先进材料"})
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		h.projects = append(h.projects, ps)
	}
	a01, a02 := h.booth(t, "A01"), h.booth(t, "A02")
	h.booth(t, "A03")
	if _, err = h.store.Assign(ctxb(), a01.ID, h.dels[0].ID); err == nil {
		_, err = h.store.SetProjects(ctxb(), a01.ID, []int64{h.projects[0][0].ID})
	}
	if err == nil {
		_, err = h.store.Reserve(ctxb(), a02.ID, h.dels[1].ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	// A project handed to another delegation stays shown where it was.
	in := conference.ProjectInput{DelegationID: h.dels[2].ID, Kind: conference.KindAchievement, Title: "移交项目", Industry: "先进材料"}
	if h.moved, err = h.conf.CreateProject(ctxb(), hallOrganiser, h.edition.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err = h.db.W.Exec(`INSERT INTO booth_projects (booth_id, project_id) VALUES (?, ?)`, a01.ID, h.moved.ID); err != nil {
		t.Fatal(err)
	}
	return h
}

func ids(ps ...conference.Project) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	slices.Sort(out)
	return out
}

func TestProjectIDsInZone(t *testing.T) {
	h := newHallFixture(t, newFixture(t, 3))
	p := h.projects
	got, err := h.store.ProjectIDsInZone(ctxb(), h.edition.ID, h.zone.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Held (assigned or reserved) booths bring all the holder's projects;
	// a shown project counts even when its delegation holds nothing here.
	if want := ids(p[0][0], p[0][1], p[1][0], p[1][1], h.moved); !slices.Equal(got, want) {
		t.Errorf("zone projects %v, want %v", got, want)
	}
	got, err = h.store.ProjectIDsInZone(ctxb(), h.edition.ID, h.online.ID)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty online zone: %v, %v; want an empty, non-nil list", got, err)
	}
	b, err := h.store.CreateBooth(ctxb(), h.edition.ID, BoothInput{ZoneID: h.online.ID, Code: "Y01"})
	if err == nil {
		_, err = h.store.Assign(ctxb(), b.ID, h.dels[2].ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	got, _ = h.store.ProjectIDsInZone(ctxb(), h.edition.ID, h.online.ID)
	if want := ids(p[2][0], p[2][1], h.moved); !slices.Equal(got, want) {
		t.Errorf("online zone projects %v, want %v", got, want)
	}
	_, err = h.store.ProjectIDsInZone(ctxb(), h.edition.ID+1, h.zone.ID)
	ae := wantKind(t, err, apperr.Invalid, "")
	if len(ae.Details) != 1 || ae.Details[0].Field != "zone_id" || ae.Details[0].Key != "zone.not_found" {
		t.Errorf("zone of another edition: details %+v", ae.Details)
	}
}

func TestHallZones(t *testing.T) {
	h := newHallFixture(t, newFixture(t, 3))
	zs, err := h.store.HallZones(ctxb(), h.edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []conference.HallZone{{ID: h.zone.ID, Name: "综合展区", Hall: "1号馆"}, {ID: h.online.ID, Name: "云展厅", Online: true}}
	if !slices.Equal(zs, want) {
		t.Errorf("hall zones %+v, want %+v", zs, want)
	}
}

func TestHallZoneFilterHandlers(t *testing.T) {
	env := webtest.New(t, conference.Migrations(), auth.Migrations(), Migrations())
	h := newHallFixture(t, newFixtureOn(t, env.DB, 3))
	conference.NewProjectHandlers(env.Site, h.conf, sheet.Limits{}).WithZones(h.store).Register(env.Engine)
	// A rejected project in the zone stays out of the hall.
	rejected := h.projects[1][1]
	if _, err := h.conf.SetProjectStatus(ctxb(), hallOrganiser, rejected.ID, conference.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}
	api := fmt.Sprintf("/api/v1/hall/editions/%d/projects", h.edition.ID)
	p := h.projects
	for _, tc := range []struct {
		name  string
		query string
		want  []int64
	}{
		{"zone", fmt.Sprintf("zone_id=%d", h.zone.ID), ids(p[0][0], p[0][1], p[1][0], h.moved)},
		{"zone and delegation", fmt.Sprintf("zone_id=%d&delegation_id=%d", h.zone.ID, h.dels[0].ID), ids(p[0][0], p[0][1])},
		{"empty online zone", fmt.Sprintf("zone_id=%d", h.online.ID), []int64{}},
		{"no zone", "", ids(p[0][0], p[0][1], p[1][0], p[2][0], p[2][1], h.moved)},
	} {
		var out web.List[conference.Project]
		env.Do("GET", api+"?"+tc.query, "", nil, 200, &out)
		got := ids(out.Items...)
		if !slices.Equal(got, tc.want) || out.Total != len(tc.want) {
			t.Errorf("%s: got %v (total %d), want %v", tc.name, got, out.Total, tc.want)
		}
	}
	for _, q := range []string{"zone_id=x", fmt.Sprintf("zone_id=%d", h.online.ID+100)} {
		raw := env.Do("GET", api+"?"+q, "", nil, 422, nil)
		if e := webtest.ErrorOf(t, raw); len(e.Details) != 1 || e.Details[0].Field != "zone_id" {
			t.Errorf("%s: error %+v", q, e)
		}
	}
	page := string(env.Do("GET", fmt.Sprintf("/hall/editions/%d?q=&zone_id=%d", h.edition.ID, h.zone.ID), "", nil, 200, nil))
	for _, want := range []string{
		`name="zone_id"`, fmt.Sprintf(`<option value="%d" selected>综合展区`, h.zone.ID),
		`id="hall-zones"`, fmt.Sprintf(`href="/hall/editions/%d?q=&amp;zone_id=%d"`, h.edition.ID, h.online.ID),
		"项目0-1", "移交项目",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("hall page lacks %q", want)
		}
	}
	if strings.Contains(page, "项目2-0") {
		t.Error("hall page filtered by zone shows a project of another zone")
	}
}
