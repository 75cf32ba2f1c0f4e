package checkin

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// upload posts body as the multipart field file.
func upload(t *testing.T, env *webtest.Env, path, token, name string, body []byte) (*http.Response, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(body)
	mw.Close()
	req, err := http.NewRequest("POST", env.Server.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return env.Request(req, token)
}

func TestImportAttendees(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	org := env.Token(web.RoleOrganiser, 0)
	if _, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳代表团", Region: "绵阳"}); err != nil {
		t.Fatal(err)
	}
	f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: "已有", Phone: "13900000000", Category: "guest"}, "organiser")
	path := fmt.Sprintf("/api/v1/editions/%d/attendees/import", f.e1.ID)

	bad := "姓名,单位,手机,类别,代表团\n" +
		"王建国,西南科技大学,13800000001,专家,绵阳代表团\n" +
		",长虹,13800000002,嘉宾,\n" + // row 3: no name
		"李娜,长虹,12345,嘉宾,\n" + // row 4: bad phone
		"张伟,九洲,13800000001,厨师,德阳代表团\n" + // row 5: phone twice, unknown category and delegation
		"赵敏,,13900000000,media,\n" // row 6: phone already registered
	res, raw := upload(t, env, path, org, "attendees.csv", []byte(bad))
	if res.StatusCode != 422 {
		t.Fatalf("bad file: %d %s", res.StatusCode, raw)
	}
	e := webtest.ErrorOf(t, raw)
	got := map[string]bool{}
	for _, d := range e.Details {
		got[fmt.Sprintf("%d/%s", d.Row, d.Column)] = true
	}
	for _, want := range []string{"3/姓名", "4/手机", "5/类别", "5/代表团", "6/手机"} {
		if !got[want] {
			t.Errorf("no error at %s; got %v", want, got)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM attendees`); n != 1 {
		t.Fatalf("a bad file stored %d attendees, want none", n-1)
	}

	good := "姓名,单位,手机,类别,代表团\n王建国,西南科技大学,138 0000 0001,专家,绵阳代表团\n李娜,=cmd,,嘉宾,\n"
	res, raw = upload(t, env, path, org, "attendees.csv", []byte(good))
	if res.StatusCode != 200 || !strings.Contains(string(raw), `"imported":2`) {
		t.Fatalf("good file: %d %s", res.StatusCode, raw)
	}
	as, _, err := f.store.Attendees(f.ctx, f.e1.ID, AttendeeFilter{Q: "王建国"}, webPage())
	if err != nil || len(as) != 1 || as[0].Phone != "13800000001" || as[0].Category != "expert" || as[0].DelegationID == nil {
		t.Fatalf("imported %+v %v", as, err)
	}
	if c, err := f.store.keys.Verify(as[0].Code); err != nil || c.AttendeeID != as[0].ID {
		t.Errorf("imported badge code does not verify: %v", err)
	}
	staff := env.Token(web.RoleStaff, 0)
	if res, _ := upload(t, env, path, staff, "attendees.csv", []byte(good)); res.StatusCode != 403 {
		t.Errorf("staff import: %d", res.StatusCode)
	}
	// The page form shows the row errors.
	res, raw = upload(t, env, fmt.Sprintf("/editions/%d/attendees/import", f.e1.ID), org, "attendees.csv", []byte(bad))
	if res.StatusCode != 422 || !strings.Contains(string(raw), `id="import-errors"`) {
		t.Errorf("import form: %d", res.StatusCode)
	}
	res, _ = env.Request(mustReq(t, "GET", env.Server.URL+fmt.Sprintf("/api/v1/editions/%d/attendees/template.xlsx", f.e1.ID)), org)
	if res.StatusCode != 200 {
		t.Errorf("template: %d", res.StatusCode)
	}
}
