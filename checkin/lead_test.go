package checkin

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huizhan/booths"
	"huizhan/conference"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// leadEnv is a booth held by delegation A with its checkpoint and a staff
// account bound to it, plus a booth held by delegation B.
type leadEnv struct {
	env            *webtest.Env
	f              *fixture
	booth, other   booths.Booth
	cp, gate       Checkpoint
	delA, delB     conference.Delegation
	boothStaff     string // token of the staff bound to booth
	org, otherDel  string
	ownDel, leader string
	attendee       Attendee
}

func newLeadEnv(t *testing.T) *leadEnv {
	t.Helper()
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	bs := booths.NewStore(env.DB)
	f.store.UseBooths(bs)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	le := &leadEnv{env: env, f: f}
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	le.delA, err = f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳代表团", Region: "绵阳"})
	must(err)
	le.delB, err = f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "德阳代表团", Region: "德阳"})
	must(err)
	z, err := bs.CreateZone(f.ctx, f.e1.ID, booths.ZoneInput{Name: "A区", Hall: "1号馆"})
	must(err)
	le.booth, err = bs.CreateBooth(f.ctx, f.e1.ID, booths.BoothInput{ZoneID: z.ID, Code: "A01", W: 3, H: 3})
	must(err)
	le.other, err = bs.CreateBooth(f.ctx, f.e1.ID, booths.BoothInput{ZoneID: z.ID, Code: "A02", W: 3, H: 3})
	must(err)
	_, err = bs.Assign(f.ctx, le.booth.ID, le.delA.ID)
	must(err)
	_, err = bs.Assign(f.ctx, le.other.ID, le.delB.ID)
	must(err)
	le.boothStaff = env.Token(web.RoleStaff, 0)
	var staffID int64
	must(env.DB.R.Get(&staffID, `SELECT MAX(id) FROM users`))
	_, err = bs.BindStaff(f.ctx, le.booth.ID, staffID)
	must(err)
	le.org = env.Token(web.RoleOrganiser, 0)
	le.ownDel = env.Token(web.RoleDelegation, le.delA.ID)
	le.otherDel = env.Token(web.RoleDelegation, le.delB.ID)
	le.leader = env.Token(web.RoleLeader, 0)
	le.cp = f.checkpoint(f.e1.ID, CheckpointInput{Name: "A01 展位", Kind: "booth", BoothID: &le.booth.ID})
	le.gate = f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	le.attendee = f.attendee(f.e1.ID, "=HYPERLINK(\"x\")", "enterprise")
	return le
}

func TestLeadCaptureAndPermissions(t *testing.T) {
	le := newLeadEnv(t)
	env, a := le.env, le.attendee

	// Booth staff scan at their booth's checkpoint, not at the gate.
	var r Result
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", le.cp.ID), le.boothStaff,
		map[string]any{"code": a.Code, "scan_id": "lead-1"}, 201, &r)
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", le.gate.ID), le.boothStaff,
		map[string]any{"code": a.Code, "scan_id": "gate-1"}, 403, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", le.gate.ID), le.org,
		map[string]any{"code": a.Code, "scan_id": "gate-2"}, 201, nil)

	leads := fmt.Sprintf("/api/v1/checkpoints/%d/leads", le.cp.ID)
	cases := []struct {
		name   string
		token  string
		url    string
		body   map[string]any
		status int
	}{
		{"rating out of range", le.boothStaff, leads, map[string]any{"scan_id": "lead-1", "rating": 6}, 422},
		{"unknown scan", le.boothStaff, leads, map[string]any{"scan_id": "nope", "rating": 3}, 404},
		{"not a booth checkpoint", le.org, fmt.Sprintf("/api/v1/checkpoints/%d/leads", le.gate.ID),
			map[string]any{"scan_id": "gate-2", "rating": 3}, 422},
		{"a delegation cannot capture", le.ownDel, leads, map[string]any{"scan_id": "lead-1", "rating": 3}, 403},
		{"booth staff capture", le.boothStaff, leads, map[string]any{"scan_id": "lead-1", "rating": 4, "note": "想要样品"}, 200},
		{"saving again replaces", le.boothStaff, leads, map[string]any{"scan_id": "lead-1", "rating": 5, "note": "+86 合作意向强"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { env.Do("POST", c.url, c.token, c.body, c.status, nil) })
	}
	if n := le.f.count(`SELECT COUNT(*) FROM leads`); n != 1 {
		t.Fatalf("%d leads stored, want 1", n)
	}

	list := fmt.Sprintf("/api/v1/booths/%d/leads", le.booth.ID)
	for _, c := range []struct {
		name   string
		token  string
		status int
	}{
		{"own delegation", le.ownDel, 200}, {"bound staff", le.boothStaff, 200},
		{"organiser", le.org, 200}, {"leader", le.leader, 200},
		{"other delegation", le.otherDel, 403}, {"guest", "", 401},
	} {
		t.Run("list by "+c.name, func(t *testing.T) {
			var got LeadList
			env.Do("GET", list, c.token, nil, c.status, &got)
			if c.status == 200 && (len(got.Items) != 1 || *got.Items[0].Rating != 5 || got.Items[0].Note != "+86 合作意向强" ||
				got.Items[0].Name != a.Name || got.Booth.Code != "A01") {
				t.Errorf("leads %+v", got)
			}
		})
	}
	// The other delegation sees its own (empty) booth, not ours.
	var theirs LeadList
	env.Do("GET", fmt.Sprintf("/api/v1/booths/%d/leads", le.other.ID), le.otherDel, nil, 200, &theirs)
	if len(theirs.Items) != 0 {
		t.Errorf("other booth shows %d leads", len(theirs.Items))
	}
	env.Do("GET", fmt.Sprintf("/api/v1/booths/%d/leads", le.other.ID), le.boothStaff, nil, 403, nil)
	env.Do("GET", fmt.Sprintf("/booths/%d/leads", le.other.ID), le.ownDel, nil, 403, nil)
	env.Do("GET", list+"?format=pdf", le.ownDel, nil, 422, nil)
}

func TestLeadExports(t *testing.T) {
	le := newLeadEnv(t)
	env := le.env
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", le.cp.ID), le.boothStaff,
		map[string]any{"code": le.attendee.Code, "scan_id": "lead-x"}, 201, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/leads", le.cp.ID), le.boothStaff,
		map[string]any{"scan_id": "lead-x", "rating": 2, "note": "=1+1"}, 200, nil)
	list := fmt.Sprintf("/api/v1/booths/%d/leads", le.booth.ID)

	res, body := env.Request(mustReq(t, "GET", env.Server.URL+list+"?format=csv"), le.ownDel)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.StatusCode, body)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, utf8BOM))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv %q: %v", body, err)
	}
	if recs[0][2] != "姓名" || recs[1][2] != "'"+le.attendee.Name || recs[1][7] != "'=1+1" || recs[1][6] != "2" || recs[1][4] != "企业" {
		t.Errorf("csv rows %q", recs)
	}

	res, body = env.Request(mustReq(t, "GET", env.Server.URL+list+"?format=xlsx"), le.ownDel)
	if res.StatusCode != 200 {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for cell, want := range map[string]string{"A1": "扫码时间", "C2": le.attendee.Name, "H2": "=1+1"} {
		if v, _ := x.GetCellValue("线索", cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
		if f, _ := x.GetCellFormula("线索", cell); f != "" {
			t.Errorf("%s holds formula %q", cell, f)
		}
	}
	env.Do("GET", list+"?format=xlsx", le.otherDel, nil, 403, nil)
}

func TestLeadPages(t *testing.T) {
	le := newLeadEnv(t)
	raw := le.env.Do("GET", "/leads", le.ownDel, nil, 200, nil)
	if !strings.Contains(string(raw), fmt.Sprintf("/booths/%d/leads", le.booth.ID)) ||
		strings.Contains(string(raw), fmt.Sprintf("/booths/%d/leads", le.other.ID)) {
		t.Errorf("/leads for delegation A lists the wrong booths")
	}
	raw = le.env.Do("GET", fmt.Sprintf("/booths/%d/leads", le.booth.ID), le.boothStaff, nil, 200, nil)
	if !strings.Contains(string(raw), "leads-xlsx") {
		t.Errorf("leads page has no export link")
	}
}
