package reports

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// seedDB seeds the environment's database and registers the handlers.
func seedDB(t *testing.T, env *webtest.Env) *fixture {
	t.Helper()
	f := seedOn(t, env.DB)
	NewHandlers(env.Site, f.r).Register(env.Engine)
	return f
}

func get(t *testing.T, env *webtest.Env, path, token string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", env.Server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return env.Request(req, token)
}

func TestWorkbookRoutes(t *testing.T) {
	env := webtest.New(t, sets()...)
	f := seedDB(t, env)
	ed := f.editions[2]
	path := func(name string) string { return fmt.Sprintf("/api/v1/editions/%d/reports/%s", ed, name) }
	org := env.Token(web.RoleOrganiser, 0)
	leader := env.Token(web.RoleLeader, 0)

	res, body := get(t, env, path("signed.xlsx"), leader, nil)
	if res.StatusCode != 200 {
		t.Fatalf("leader signed.xlsx: %d %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("content type %q", ct)
	}
	wantName := "第3届天府科技云服务大会-签约项目.xlsx"
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(wantName)) ||
		!strings.Contains(cd, `filename="huizhan-signed-`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := x.GetSheetList(); got[1] != "签约项目" {
		t.Errorf("sheets %v", got)
	}
	x.Close()

	// English by ?lang= and by Accept-Language.
	for _, h := range []struct {
		path   string
		header map[string]string
	}{{path("projects.xlsx") + "?lang=en", nil}, {path("projects.xlsx"), map[string]string{"Accept-Language": "en-GB,en"}}} {
		res, body = get(t, env, h.path, org, h.header)
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", h.path, res.StatusCode, err)
		}
		if got := x.GetSheetList(); got[0] != "Cover" || got[1] != "Projects" {
			t.Errorf("%s %v sheets %v", h.path, h.header, got)
		}
		if v, _ := x.GetCellValue("Projects", "D1"); v != "Project" {
			t.Errorf("English header %q", v)
		}
		x.Close()
	}

	cases := []struct {
		what, path, token string
		status            int
	}{
		{"guest", path("summary.xlsx"), "", 401},
		{"staff", path("summary.xlsx"), env.Token(web.RoleStaff, 0), 403},
		{"coordinator", path("summary.xlsx"), env.Token(web.RoleCoordinator, 0), 403},
		{"unknown report", path("secret.xlsx"), org, 404},
		{"no suffix", path("summary"), org, 404},
		{"csv", path("summary.csv"), org, 404},
		{"no edition", "/api/v1/editions/999/reports/summary.xlsx", org, 404},
		{"delegation, another edition", fmt.Sprintf("/api/v1/editions/%d/reports/projects.xlsx", f.editions[1]), env.Token(web.RoleDelegation, f.mianyang), 403},
	}
	for _, c := range cases {
		if res, body := get(t, env, c.path, c.token, nil); res.StatusCode != c.status {
			t.Errorf("%s: %d, want %d: %s", c.what, res.StatusCode, c.status, body)
		}
	}
}

// TestDelegationAccount: a delegation account's download and dashboard
// hold its own delegation's rows only.
func TestDelegationAccount(t *testing.T) {
	env := webtest.New(t, sets()...)
	f := seedDB(t, env)
	tok := env.Token(web.RoleDelegation, f.chengdu)
	res, body := get(t, env, fmt.Sprintf("/api/v1/editions/%d/reports/projects.xlsx", f.editions[2]), tok, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rs := rows(t, x, "科创项目")
	var n int
	if err := f.d.R.Get(&n, `SELECT COUNT(*) FROM projects WHERE delegation_id = ?`, f.chengdu); err != nil {
		t.Fatal(err)
	}
	if len(rs)-1 != n {
		t.Errorf("%d rows, Chengdu has %d", len(rs)-1, n)
	}
	for _, v := range col(rs, 1) {
		if v != "成都市科协" {
			t.Errorf("row of %s", v)
		}
	}
	var d Dashboard
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/dashboard", f.editions[2]), tok, nil, 200, &d)
	if d.Summary.Delegation != "成都市科协" || len(d.Summary.ByDelegation.Rows) != 1 {
		t.Errorf("dashboard of a delegation: %+v", d.Summary.ByDelegation)
	}
}

func TestDashboardPage(t *testing.T) {
	env := webtest.New(t, sets()...)
	f := seedDB(t, env)
	leader := env.Token(web.RoleLeader, 0)
	res, body := get(t, env, fmt.Sprintf("/editions/%d/dashboard", f.editions[2]), leader, nil)
	page := string(body)
	if res.StatusCode != 200 || !strings.Contains(page, "<svg") || !strings.Contains(page, "&#43;127.27%") ||
		!strings.Contains(page, fmt.Sprintf("/api/v1/editions/%d/reports/signed.xlsx", f.editions[2])) {
		t.Errorf("dashboard %d:\n%s", res.StatusCode, page)
	}
	if strings.Contains(page, "<script>") {
		t.Error("inline script on the dashboard")
	}
	res, _ = get(t, env, "/dashboard", leader, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != fmt.Sprintf("/editions/%d/dashboard", f.editions[2]) {
		t.Errorf("/dashboard: %d to %q", res.StatusCode, loc)
	}
	res, body = get(t, env, "/reports", leader, nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), "第1届天府科技云服务大会") {
		t.Errorf("/reports: %d", res.StatusCode)
	}
}
