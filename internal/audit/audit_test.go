package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/internal/audit"
	"huizhan/internal/auth"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

type person struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
	Org   string `json:"organisation"`
	Hide  string `json:"-"`
}

func record(t *testing.T, env *webtest.Env, ctx context.Context, entity string, id int64, action string, ch map[string]audit.Change) {
	t.Helper()
	if err := env.DB.Tx(ctx, func(tx *sqlx.Tx) error { return audit.Record(ctx, tx, entity, id, action, ch) }); err != nil {
		t.Fatal(err)
	}
}

// TestRecordIsPartOfTheChange: a row exists only when its transaction
// commits; personal fields are masked in the row; the actor is the
// context's, or the system.
func TestRecordIsPartOfTheChange(t *testing.T) {
	env := webtest.New(t, conference.Migrations(), auth.Migrations())
	ctx := audit.WithActor(context.Background(), audit.Actor{Account: "organiser", Address: "10.1.2.3"})
	before := person{ID: 7, Name: "张伟", Phone: "13800000001", Org: "长虹"}
	after := before
	after.Phone, after.Email, after.Org, after.Hide = "13900000002", "zhangwei@example.com", "长虹控股", "x"
	record(t, env, ctx, "attendee", 7, "update", audit.Diff(before, after))
	boom := errors.New("boom")
	err := env.DB.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := audit.Record(ctx, tx, "attendee", 8, "create", nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	record(t, env, context.Background(), "edition", 1, "create", audit.Diff(nil, map[string]any{"name": "第三届"}))

	s := audit.NewStore(env.DB)
	es, total, err := s.List(ctx, audit.Filter{}, web.Paging{Page: 1, PerPage: 10})
	if err != nil || total != 2 {
		t.Fatalf("%d rows (%v), want 2: the rolled-back change left one?", total, err)
	}
	sys, upd := es[0], es[1]
	if sys.Account != audit.System || sys.Entity != "edition" || sys.Changes["name"][1] != "第三届" {
		t.Errorf("system row %+v", sys)
	}
	if upd.Account != "organiser" || upd.Address != "10.1.2.3" || upd.EntityID != 7 || upd.Action != "update" {
		t.Errorf("row %+v", upd)
	}
	want := map[string]audit.Change{
		"phone":        {"138****0001", "139****0002"},
		"email":        {"", "z***@example.com"},
		"organisation": {"长虹", "长虹控股"},
	}
	if len(upd.Changes) != len(want) {
		t.Errorf("changes %v, want %v", upd.Changes, want)
	}
	for k, w := range want {
		if fmt.Sprint(upd.Changes[k]) != fmt.Sprint(w) {
			t.Errorf("%s: %v, want %v", k, upd.Changes[k], w)
		}
	}
	var raw string
	if err := env.DB.R.Get(&raw, `SELECT changes FROM audit_log WHERE entity_id = 7`); err != nil || strings.Contains(raw, "13800000001") || strings.Contains(raw, "zhangwei@") {
		t.Errorf("the stored row holds personal data: %s %v", raw, err)
	}
	if m := audit.Mask("contact_name", "欧阳娜娜"); m != "欧*" {
		t.Errorf("masked name %q", m)
	}
}

// TestTrailFiltersAndPages: the API and the page filter by entity, ID,
// account and time; organisers and leaders read, nobody else; there is
// no route that writes; the export has every matching row.
func TestTrailFiltersAndPages(t *testing.T) {
	env := webtest.New(t, conference.Migrations(), auth.Migrations())
	audit.NewHandlers(env.Site, audit.NewStore(env.DB)).Register(env.Engine)
	// Making the accounts is audited too: filter them out with entity.
	org, leader := env.Token(web.RoleOrganiser, 0), env.Token(web.RoleLeader, 0)
	others := []string{env.Token(web.RoleStaff, 0), env.Token(web.RoleCoordinator, 0)}
	for i, who := range []string{"organiser", "mianyang", "organiser", "public"} {
		ctx := audit.WithActor(context.Background(), audit.Actor{Account: who, Address: "127.0.0.1"})
		record(t, env, ctx, []string{"project", "project", "attendee", "attendee"}[i], int64(10+i%2), "update",
			map[string]audit.Change{"status": {"submitted", "reviewed"}})
	}
	var users web.List[audit.Entry]
	env.Do("GET", "/api/v1/audit?entity=user", org, nil, 200, &users)
	if users.Total != 4 || users.Items[0].Account != audit.System {
		t.Errorf("account rows: %+v", users)
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"", 4 + 4},
		{"?entity=project", 2},
		{"?entity=project&entity_id=11", 1},
		{"?account=organiser", 2},
		{"?account=public&entity=attendee", 1},
		{"?from=" + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), 4 + 4},
		{"?to=2020-01-01", 0},
		{"?per_page=3&page=2&entity=attendee", 2},
	} {
		var l web.List[audit.Entry]
		env.Do("GET", "/api/v1/audit"+tc.query, leader, nil, 200, &l)
		if l.Total != tc.want {
			t.Errorf("GET /api/v1/audit%s: total %d, want %d", tc.query, l.Total, tc.want)
		}
	}
	env.Do("GET", "/api/v1/audit?entity_id=x", org, nil, 422, nil)
	env.Do("GET", "/api/v1/audit?from=yesterday", org, nil, 422, nil)
	for _, tok := range others {
		env.Do("GET", "/api/v1/audit", tok, nil, 403, nil)
	}
	env.Do("GET", "/api/v1/audit", "", nil, 401, nil)
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if st := env.Status(m, "/api/v1/audit", org, map[string]any{}); st != 404 {
			t.Errorf("%s /api/v1/audit answers %d: the trail must have no write route", m, st)
		}
	}

	res, body := env.Request(mustGet(t, env.Server.URL+"/audit?entity=project"), leader)
	if res.StatusCode != 200 || !strings.Contains(string(body), "project #11") || strings.Contains(string(body), "attendee #10") {
		t.Errorf("page: %d", res.StatusCode)
	}
	res, body = env.Request(mustGet(t, env.Server.URL+"/audit.xlsx?account=organiser"), org)
	if res.StatusCode != 200 {
		t.Fatalf("export: %d %s", res.StatusCode, body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil || len(rows) != 3 || !strings.Contains(rows[1][6], "status: submitted → reviewed") {
		t.Errorf("export rows %v, %v", rows, err)
	}
}

func mustGet(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
