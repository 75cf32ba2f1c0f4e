package booths

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

type apiFixture struct {
	env   *webtest.Env
	store *Store
	ed    int64
	dels  []conference.Delegation
	org   string
}

func newAPI(t *testing.T) *apiFixture {
	t.Helper()
	env := webtest.New(t, conference.Migrations(), auth.Migrations(), Migrations())
	store := NewStore(env.DB)
	NewHandlers(env.Site, store).Register(env.Engine)
	conf := conference.NewStore(env.DB, store)
	conference.NewHandlers(env.Site, conf).Register(env.Engine)
	a := &apiFixture{env: env, store: store, org: env.Token(web.RoleOrganiser, 0)}
	var e conference.Edition
	env.Do("POST", "/api/v1/editions", a.org, map[string]any{"number": 3, "name": "第三届", "year": 2024,
		"starts_on": "2024-01-18", "ends_on": "2024-01-19", "city": "成都"}, 201, &e)
	a.ed = e.ID
	for _, n := range []string{"绵阳市科协", "德阳市科协"} {
		var d conference.Delegation
		env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/delegations", a.ed), a.org, map[string]string{"name": n}, 201, &d)
		a.dels = append(a.dels, d)
	}
	return a
}

func TestAPIZonesBoothsAndConflicts(t *testing.T) {
	a := newAPI(t)
	env := a.env
	var z Zone
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/zones", a.ed), a.org,
		map[string]any{"name": "绵阳展区", "hall": "1号馆", "key": true, "online": false}, 201, &z)
	if !z.Key || z.Online || z.Hall != "1号馆" {
		t.Errorf("zone %+v", z)
	}
	var zl web.List[Zone]
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/zones", a.ed), "", nil, 200, &zl)
	if zl.Total != 1 || zl.Items[0].ID != z.ID {
		t.Errorf("public zone list %+v", zl)
	}
	path := fmt.Sprintf("/api/v1/editions/%d/booths", a.ed)
	body := map[string]any{"zone_id": z.ID, "code": "A01", "area_m2": 9, "x": 2, "y": 2, "w": 3, "h": 3}
	var b Booth
	env.Do("POST", path, a.org, body, 201, &b)
	raw := env.Do("POST", path, a.org, body, 409, nil)
	if e := webtest.ErrorOf(t, raw); e.Code != "conflict" || !strings.Contains(e.Message, "A01") {
		t.Errorf("duplicate code answer %+v", e)
	}
	ex := fmt.Sprintf("/api/v1/booths/%d/exhibitor", b.ID)
	env.Do("PUT", ex, a.org, map[string]any{"delegation_id": a.dels[0].ID}, 200, &b)
	if b.State != StateAssigned || b.Exhibitor != "绵阳市科协" {
		t.Errorf("assigned %+v", b)
	}
	raw = env.Do("PUT", ex, a.org, map[string]any{"delegation_id": a.dels[1].ID}, 409, nil)
	if e := webtest.ErrorOf(t, raw); !strings.Contains(e.Message, "绵阳市科协") || len(e.Details) != 1 {
		t.Errorf("409 does not name the holder: %+v", e)
	}
	env.Do("DELETE", ex, a.org, nil, 200, &b)
	if b.State != StateFree || b.DelegationID != nil {
		t.Errorf("released %+v", b)
	}
	var grid map[string]int
	env.Do("POST", path+"/grid", a.org, map[string]any{"zone_id": z.ID, "code_pattern": "B##", "rows": 2, "cols": 5}, 201, &grid)
	if grid["created"] != 10 {
		t.Errorf("grid answer %v", grid)
	}
	res, png := env.Request(mustReq(t, "GET", env.Server.URL+fmt.Sprintf("/api/v1/booths/%d/qr.png", b.ID)), "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || len(png) < 100 {
		t.Errorf("QR: %d %s %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(png))
	}
}

func mustReq(t *testing.T, method, url string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRoleChecks: booth staff see their booth and no other; a delegation
// sees its own booths; only organisers change anything.
func TestRoleChecks(t *testing.T) {
	a := newAPI(t)
	env := a.env
	z, err := a.store.CreateZone(ctxb(), a.ed, ZoneInput{Name: "综合", Hall: "1号馆"})
	if err != nil {
		t.Fatal(err)
	}
	var bs []Booth
	for _, code := range []string{"A01", "A02"} {
		b, err := a.store.CreateBooth(ctxb(), a.ed, BoothInput{ZoneID: z.ID, Code: code})
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	if _, err := a.store.Assign(ctxb(), bs[0].ID, a.dels[0].ID); err != nil {
		t.Fatal(err)
	}
	staff := env.Token(web.RoleStaff, 0)
	var me struct{ User struct{ ID int64 } }
	env.Do("GET", "/api/v1/session", staff, nil, 200, &me)
	env.Do("POST", fmt.Sprintf("/api/v1/booths/%d/staff", bs[0].ID), a.org, map[string]any{"user_id": me.User.ID}, 200, nil)
	if id, ok, _ := a.store.StaffBooth(ctxb(), me.User.ID); !ok || id != bs[0].ID {
		t.Fatalf("StaffBooth = %d %v (user %d)", id, ok, me.User.ID)
	}
	mianyang := env.Token(web.RoleDelegation, a.dels[0].ID)
	deyang := env.Token(web.RoleDelegation, a.dels[1].ID)
	otherStaff := env.Token(web.RoleStaff, 0)
	leader := env.Token(web.RoleLeader, 0)
	one := func(i int) string { return fmt.Sprintf("/api/v1/booths/%d", bs[i].ID) }
	for _, tc := range []struct {
		who   string
		token string
		path  string
		want  int
	}{
		{"staff own booth", staff, one(0), 200},
		{"staff other booth", staff, one(1), 403},
		{"unbound staff", otherStaff, one(0), 403},
		{"delegation own", mianyang, one(0), 200},
		{"delegation other", deyang, one(0), 403},
		{"leader", leader, one(1), 200},
		{"guest", "", one(0), 401},
	} {
		t.Run(tc.who, func(t *testing.T) {
			env.Do("GET", tc.path, tc.token, nil, tc.want, nil)
		})
	}
	list := fmt.Sprintf("/api/v1/editions/%d/booths", a.ed)
	for _, tc := range []struct {
		who   string
		token string
		codes string
	}{{"staff", staff, "A01"}, {"unbound staff", otherStaff, ""}, {"mianyang", mianyang, "A01"},
		{"deyang", deyang, ""}, {"leader", leader, "A01,A02"}} {
		var l web.List[Booth]
		env.Do("GET", list, tc.token, nil, 200, &l)
		var codes []string
		for _, b := range l.Items {
			codes = append(codes, b.Code)
		}
		if got := strings.Join(codes, ","); got != tc.codes || l.Total != len(codes) {
			t.Errorf("%s lists %q (total %d), want %q", tc.who, got, l.Total, tc.codes)
		}
	}
	for _, tok := range []string{staff, mianyang, leader} {
		env.Do("PUT", fmt.Sprintf("/api/v1/booths/%d/exhibitor", bs[1].ID), tok,
			map[string]any{"delegation_id": a.dels[0].ID}, 403, nil)
	}
}
