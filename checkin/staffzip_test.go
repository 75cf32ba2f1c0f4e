package checkin

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

func TestBadgeZip(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	del, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳代表团", Region: "绵阳"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "德阳代表团", Region: "德阳"})
	for _, n := range []string{"王伟", "李/娜", "张强"} {
		if _, err := f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: n, Category: "delegation", DelegationID: &del.ID}, "organiser"); err != nil {
			t.Fatal(err)
		}
	}
	f.attendee(f.e1.ID, "不在团里", "guest")
	path := fmt.Sprintf("/api/v1/delegations/%d/badges.zip", del.ID)
	for _, tok := range []string{env.Token(web.RoleOrganiser, 0), env.Token(web.RoleDelegation, del.ID)} {
		res, body := env.Request(mustReq(t, "GET", env.Server.URL+path), tok)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("zip: %d %s", res.StatusCode, body)
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, zf := range zr.File {
			names = append(names, zf.Name)
			r, _ := zf.Open()
			if _, err := png.Decode(r); err != nil {
				t.Errorf("%s is not a PNG: %v", zf.Name, err)
			}
			r.Close()
		}
		if got := strings.Join(names, " "); got != "0001-张强.png 0002-李_娜.png 0003-王伟.png" {
			t.Errorf("zip holds %s", got)
		}
	}
	env.Do("GET", path, env.Token(web.RoleDelegation, other.ID), nil, 403, nil)
	env.Do("GET", path, env.Token(web.RoleStaff, 0), nil, 403, nil)
}

func TestStaffPage(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	org := env.Token(web.RoleOrganiser, 0)
	staff := env.Token(web.RoleStaff, 0)
	var staffID int64
	if err := env.DB.R.Get(&staffID, `SELECT id FROM users WHERE role = 'staff'`); err != nil {
		t.Fatal(err)
	}
	gate := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	hall := f.checkpoint(f.e1.ID, CheckpointInput{Name: "北门", Kind: "gate"})
	a := f.attendee(f.e1.ID, "王伟", "guest")

	raw := env.Do("GET", fmt.Sprintf("/checkpoints/%d/staff", gate.ID), org, nil, 200, nil)
	if !strings.Contains(string(raw), fmt.Sprintf(`value="%d"`, staffID)) {
		t.Fatalf("the staff account is not offered")
	}
	env.Do("GET", fmt.Sprintf("/checkpoints/%d/staff", gate.ID), staff, nil, 403, nil)
	form := url.Values{"user_ids": {fmt.Sprint(staffID)}}
	res, _ := env.Request(formReq(t, env, fmt.Sprintf("/checkpoints/%d/staff", gate.ID), form), org)
	if res.StatusCode != 303 && res.StatusCode != 302 {
		t.Fatalf("save staff: %d", res.StatusCode)
	}
	if ids, _ := f.store.Staff(f.ctx, gate.ID); len(ids) != 1 || ids[0] != staffID {
		t.Fatalf("staff of the gate %v", ids)
	}
	raw = env.Do("GET", fmt.Sprintf("/checkpoints/%d/staff", gate.ID), org, nil, 200, nil)
	if !strings.Contains(string(raw), " checked") {
		t.Errorf("the saved account is not ticked")
	}
	// Now limited to the gate: scanning at the other gate is refused.
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", gate.ID), staff, map[string]any{"code": a.Code, "scan_id": "st-1"}, 201, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", hall.ID), staff, map[string]any{"code": a.Code, "scan_id": "st-2"}, 403, nil)
}

func formReq(t *testing.T, env *webtest.Env, path string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", env.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
