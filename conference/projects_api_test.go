package conference_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

type apiFixture struct {
	env                   *webtest.Env
	edition               conference.Edition
	mianyang, chengdu     conference.Delegation
	org, myTok, cdTok, ld string
}

func newAPIFixture(t *testing.T) apiFixture {
	t.Helper()
	env := webtest.New(t, conference.Migrations(), auth.Migrations())
	store := conference.NewStore(env.DB)
	conference.NewProjectHandlers(env.Site, store, sheet.Limits{MaxBytes: 1 << 20}).Register(env.Engine)
	ctx := context.Background()
	e, err := store.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届", Year: 2024,
		StartsOn: mustDate("2024-01-18"), EndsOn: mustDate("2024-01-19"), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	my, _ := store.CreateDelegation(ctx, e.ID, conference.DelegationInput{Name: conference.Mianyang})
	cd, _ := store.CreateDelegation(ctx, e.ID, conference.DelegationInput{Name: "成都市科协"})
	return apiFixture{env: env, edition: e, mianyang: my, chengdu: cd,
		org: env.Token(web.RoleOrganiser, 0), myTok: env.Token(web.RoleDelegation, my.ID),
		cdTok: env.Token(web.RoleDelegation, cd.ID), ld: env.Token(web.RoleLeader, 0)}
}

func (f apiFixture) projects() string {
	return fmt.Sprintf("/api/v1/editions/%d/projects", f.edition.ID)
}

func TestProjectAPIRolesAndStatus(t *testing.T) {
	f := newAPIFixture(t)
	var p conference.Project
	f.env.Do("POST", f.projects(), f.myTok, map[string]any{"kind": "achievement", "title": "强稳健性锂电池循环寿命预估系统",
		"industry": "双碳与新能源", "organisation": "西南科技大学", "keywords": []string{"锂电池"}}, 201, &p)
	if p.Status != "submitted" || p.DelegationID != f.mianyang.ID || p.ID == 0 {
		t.Fatalf("created %+v", p)
	}
	one := fmt.Sprintf("/api/v1/projects/%d", p.ID)
	// Another delegation may neither read nor change it.
	f.env.Do("GET", one, f.cdTok, nil, 403, nil)
	f.env.Do("PATCH", one, f.cdTok, map[string]any{"title": "改名"}, 403, nil)
	f.env.Do("POST", one+"/status", f.cdTok, map[string]any{"status": "reviewed"}, 403, nil)
	f.env.Do("POST", f.projects(), f.cdTok, map[string]any{"delegation_id": f.mianyang.ID, "kind": "demand",
		"title": "冒名", "industry": "电子信息"}, 403, nil)
	f.env.Do("GET", one, "", nil, 401, nil)
	f.env.Do("PATCH", one, f.ld, map[string]any{"title": "改名"}, 403, nil)
	// PATCH keeps omitted fields.
	f.env.Do("PATCH", one, f.myTok, map[string]any{"summary": "早期循环预测寿命"}, 200, &p)
	if p.Title != "强稳健性锂电池循环寿命预估系统" || p.Summary != "早期循环预测寿命" || p.Organisation != "西南科技大学" {
		t.Errorf("patched %+v", p)
	}
	// Quota of one: the second selection is refused, naming the quota.
	f.env.Do("PUT", fmt.Sprintf("/api/v1/editions/%d/quota", f.edition.ID), f.org, map[string]any{"selected_quota": 1}, 200, nil)
	var q conference.Project
	f.env.Do("POST", f.projects(), f.org, map[string]any{"delegation_id": f.mianyang.ID, "kind": "demand",
		"title": "高分子功能薄膜材料研究", "industry": "先进材料"}, 201, &q)
	for _, id := range []int64{p.ID, q.ID} {
		f.env.Do("POST", fmt.Sprintf("/api/v1/projects/%d/status", id), f.myTok, map[string]any{"status": "reviewed", "note": "初审通过"}, 200, nil)
	}
	f.env.Do("POST", one+"/status", f.myTok, map[string]any{"status": "selected"}, 403, nil)
	f.env.Do("POST", one+"/status", f.org, map[string]any{"status": "selected", "note": "上台"}, 200, &p)
	raw := f.env.Do("POST", fmt.Sprintf("/api/v1/projects/%d/status", q.ID), f.org, map[string]any{"status": "selected"}, 409, nil)
	if msg := webtest.ErrorOf(t, raw).Message; !strings.Contains(msg, "1 个") || !strings.Contains(msg, conference.Mianyang) {
		t.Errorf("quota message %q does not name the quota", msg)
	}
	var hist web.List[conference.StatusChange]
	f.env.Do("GET", one+"/history", f.ld, nil, 200, &hist)
	if hist.Total != 2 || hist.Items[1].ToStatus != "selected" || hist.Items[1].Note != "上台" {
		t.Errorf("history %+v", hist)
	}
	// Organisers add industries; projects may use them from then on.
	f.env.Do("POST", "/api/v1/industries", f.myTok, map[string]any{"name": "航空航天"}, 403, nil)
	f.env.Do("POST", "/api/v1/industries", f.org, map[string]any{"name": " 航空航天 "}, 201, nil)
	f.env.Do("POST", "/api/v1/industries", f.org, map[string]any{"name": "航空航天"}, 409, nil)
	f.env.Do("PATCH", fmt.Sprintf("/api/v1/projects/%d", q.ID), f.org, map[string]any{"industry": "航空航天"}, 200, nil)
	// A delegation's list holds its own projects only.
	var l web.List[conference.Project]
	f.env.Do("GET", f.projects(), f.cdTok, nil, 200, &l)
	if l.Total != 0 {
		t.Errorf("Chengdu sees %d projects", l.Total)
	}
	f.env.Do("GET", f.projects()+"?status=selected", f.ld, nil, 200, &l)
	if l.Total != 1 || l.Items[0].ID != p.ID {
		t.Errorf("selected %+v", l)
	}
}

// upload posts file to the import route as token.
func (f apiFixture) upload(t *testing.T, token, name string, data []byte, delegationID int64) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if delegationID != 0 {
		mw.WriteField("delegation_id", fmt.Sprint(delegationID))
	}
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", f.env.Server.URL+f.projects()+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, raw := f.env.Request(req, token)
	return res.StatusCode, raw
}

func TestImportAPI(t *testing.T) {
	f := newAPIFixture(t)
	// The template comes back as a workbook with drop-downs, an example
	// and instructions.
	req, _ := http.NewRequest("GET", f.env.Server.URL+f.projects()+"/template.xlsx", nil)
	res, tpl := f.env.Request(req, f.myTok)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	wb, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := wb.GetRows("项目")
	dvs, _ := wb.GetDataValidations("项目")
	info, _ := wb.GetRows("填写说明")
	wb.Close()
	if len(header) != 2 || header[0][0] != "*项目类别" || header[0][1] != "*项目名称" || len(dvs) != 3 || len(info) < 5 {
		t.Errorf("template: rows %v, %d validations, %d instruction lines", header, len(dvs), len(info))
	}
	// The template itself, example row and all, imports.
	status, raw := f.upload(t, f.myTok, "模板.xlsx", tpl, 0)
	if status != 200 || !strings.Contains(string(raw), `"imported":1`) {
		t.Fatalf("import template: %d %s", status, raw)
	}
	// A second time, the example is a duplicate of what is there: 422 with
	// row, column and message, nothing imported.
	status, raw = f.upload(t, f.myTok, "模板.xlsx", tpl, 0)
	if status != 422 {
		t.Fatalf("re-import: %d %s", status, raw)
	}
	info2 := webtest.ErrorOf(t, raw)
	if len(info2.Details) != 1 || info2.Details[0].Row != 2 || info2.Details[0].Column != "项目名称" || info2.Details[0].Message == "" {
		t.Errorf("details %+v", info2.Details)
	}
	if !strings.Contains(string(raw), `"row":2`) || !strings.Contains(string(raw), `"column":"项目名称"`) {
		t.Errorf("JSON details %s", raw)
	}
	// Organisers name the delegation; other roles may not import.
	csv := "项目类别,项目名称,产业领域\n科技需求,需求一,电子信息\n"
	if status, raw = f.upload(t, f.org, "a.csv", []byte(csv), f.chengdu.ID); status != 200 {
		t.Errorf("organiser import %d %s", status, raw)
	}
	if status, _ = f.upload(t, f.ld, "a.csv", []byte(csv), f.chengdu.ID); status != 403 {
		t.Errorf("leader import %d", status)
	}
	if status, _ = f.upload(t, f.myTok, "a.csv", []byte(csv), f.chengdu.ID); status != 403 {
		t.Errorf("import into another delegation %d", status)
	}
	// Over the upload limit: 413 in our error shape.
	status, raw = f.upload(t, f.myTok, "big.csv", bytes.Repeat([]byte("a"), 2<<20), 0)
	if status != 413 || webtest.ErrorOf(t, raw).Code != "too_large" {
		t.Errorf("oversized upload: %d %s", status, raw)
	}
}

func TestHallIsPublic(t *testing.T) {
	f := newAPIFixture(t)
	var p conference.Project
	for i, title := range []string{"锂电池回收利用技术", "北京协同创新中心", "被退回的锂电项目"} {
		f.env.Do("POST", f.projects(), f.org, map[string]any{"delegation_id": f.mianyang.ID, "kind": "achievement",
			"title": title, "industry": "电子信息", "contact_phone": "13800000000"}, 201, &p)
		if i == 2 {
			f.env.Do("POST", fmt.Sprintf("/api/v1/projects/%d/status", p.ID), f.org, map[string]any{"status": "rejected"}, 200, nil)
		}
	}
	var l web.List[conference.Project]
	f.env.Do("GET", fmt.Sprintf("/api/v1/hall/editions/%d/projects?q=%s", f.edition.ID, "锂电"), "", nil, 200, &l)
	if l.Total != 1 || l.Items[0].Title != "锂电池回收利用技术" || l.Items[0].ContactPhone != "" {
		t.Errorf("hall search %+v", l)
	}
	page := f.env.Do("GET", fmt.Sprintf("/hall/editions/%d?q=%s", f.edition.ID, "%E5%8C%97%E4%BA%AC"), "", nil, 200, nil)
	if !strings.Contains(string(page), "北京协同创新中心") || strings.Contains(string(page), "锂电池回收") {
		t.Errorf("hall page for 北京 does not show just that project")
	}
	f.env.Do("GET", fmt.Sprintf("/hall/projects/%d", p.ID), "", nil, 404, nil) // the rejected one
	detail := f.env.Do("GET", fmt.Sprintf("/hall/projects/%d", l.Items[0].ID), "", nil, 200, nil)
	if strings.Contains(string(detail), "13800000000") {
		t.Error("the hall shows a phone number")
	}
}

func TestProjectPagesRender(t *testing.T) {
	f := newAPIFixture(t)
	var p conference.Project
	f.env.Do("POST", f.projects(), f.myTok, map[string]any{"kind": "achievement", "title": "页面测试项目", "industry": "电子信息"}, 201, &p)
	pages := []string{
		fmt.Sprintf("/editions/%d/projects", f.edition.ID),
		fmt.Sprintf("/editions/%d/projects?q=页面&kind=achievement&status=submitted", f.edition.ID),
		fmt.Sprintf("/editions/%d/projects/new", f.edition.ID),
		fmt.Sprintf("/editions/%d/projects/import", f.edition.ID),
		fmt.Sprintf("/projects/%d", p.ID),
		fmt.Sprintf("/projects/%d/edit", p.ID),
	}
	for _, tok := range []string{f.org, f.myTok} {
		for _, path := range pages {
			f.env.Do("GET", path, tok, nil, 200, nil)
		}
	}
	f.env.Do("GET", fmt.Sprintf("/projects/%d", p.ID), f.cdTok, nil, 403, nil)
	f.env.Do("GET", fmt.Sprintf("/projects/%d/edit", p.ID), f.ld, nil, 403, nil)
}

func mustDate(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}
