package checkin

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

func TestScanAPI(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	org := env.Token(web.RoleOrganiser, 0)
	staff := env.Token(web.RoleStaff, 0)

	var a Attendee
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), org,
		map[string]any{"name": "王伟", "organisation": "长虹", "phone": "+86 138 0000 0000", "category": "expert"}, 201, &a)
	if a.ID == 0 || len(a.Code) != CodeLen || a.BadgeURL != "http://huizhan.test/b/"+a.Code || a.Phone != "13800000000" {
		t.Fatalf("created attendee %+v", a)
	}
	raw := env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/registrations", f.e1.ID), "",
		map[string]any{"name": "李娜", "phone": "12345", "category": "enterprise", "consent": true}, 422, nil)
	if e := webtest.ErrorOf(t, raw); len(e.Details) != 1 || e.Details[0].Field != "phone" {
		t.Errorf("bad phone: %s", raw)
	}
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), staff,
		map[string]any{"name": "x", "category": "guest"}, 403, nil)

	var cp Checkpoint
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/checkpoints", f.e1.ID), org,
		map[string]any{"name": "南门", "kind": "gate", "rule": "once"}, 201, &cp)
	scans := fmt.Sprintf("/api/v1/checkpoints/%d/scans", cp.ID)
	var r Result
	env.Do("POST", scans, staff, map[string]any{"code": a.BadgeURL, "scan_id": "s1"}, 201, &r)
	if r.Verdict != Accepted || r.Attendee.Name != "王伟" {
		t.Errorf("first scan %+v", r)
	}
	env.Do("POST", scans, staff, map[string]any{"code": a.Code, "scan_id": "s2"}, 200, &r)
	if r.Verdict != Duplicate || r.First == nil || r.First.Checkpoint != "南门" {
		t.Errorf("second scan %+v", r)
	}
	env.Do("POST", scans, staff, map[string]any{"code": a.Code, "scan_id": "s1"}, 201, &r) // replay
	env.Do("POST", scans, staff, map[string]any{"code": "NOPE", "scan_id": "s3"}, 422, &r)
	if r.Verdict != Rejected || r.Reason != ReasonForged || r.Message == "" {
		t.Errorf("forged %+v", r)
	}
	env.Do("POST", scans, staff, map[string]any{"code": a.Code}, 422, nil) // no scan_id

	var re Attendee
	env.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/reissue", a.ID), org, nil, 200, &re)
	if re.Code == a.Code {
		t.Error("reissue kept the code")
	}
	env.Do("POST", scans, staff, map[string]any{"code": a.Code, "scan_id": "s4"}, 422, &r)
	if r.Reason != ReasonRevoked {
		t.Errorf("old code after reissue: %+v", r)
	}

	var b Batch
	env.Do("POST", scans+"/batch", staff, map[string]any{"scans": []map[string]any{
		{"code": re.Code, "scan_id": "b1", "scanned_at": "2024-01-18T09:00:00+08:00"},
		{"code": re.Code, "scan_id": "b2"}}}, 200, &b)
	if len(b.Results) != 2 || b.Results[0].Verdict != Duplicate || b.Results[1].Verdict != Duplicate {
		t.Errorf("batch %+v", b.Results)
	}

	res, png := env.Request(mustReq(t, "GET", env.Server.URL+fmt.Sprintf("/api/v1/attendees/%d/badge.png", a.ID)), org)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || len(png) < 100 {
		t.Errorf("badge.png: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	var st Stats
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/checkins/stats", f.e1.ID), org, nil, 200, &st)
	if st.Scans != 6 || st.People != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestLiveCounters(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	org := env.Token(web.RoleOrganiser, 0)
	cp := f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate"})
	a := f.attendee(f.e1.ID, "周杰", "guest")

	req := mustReq(t, "GET", env.Server.URL+fmt.Sprintf("/api/v1/editions/%d/checkins/live", f.e1.ID))
	req.Header.Set("Authorization", "Bearer "+org)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	next := func() string {
		for lines.Scan() {
			if l := lines.Text(); strings.HasPrefix(l, "data: ") {
				return l
			}
		}
		t.Fatal("stream ended")
		return ""
	}
	if first := next(); !strings.Contains(first, `"scans":0`) {
		t.Errorf("first event %s", first)
	}
	f.scan(cp.ID, a.Code, f.now())
	if second := next(); !strings.Contains(second, `"scans":1`) || !strings.Contains(second, `"people":1`) {
		t.Errorf("after a scan: %s", second)
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
