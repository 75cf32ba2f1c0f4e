package checkin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// TestPublicRegistrationChoosesOnlyPublicCategories sends the same
// registrations through the public API and the public form: both must
// refuse a staff or delegation category and a claimed delegation, and
// neither may create anyone when they refuse.
func TestPublicRegistrationChoosesOnlyPublicCategories(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	org := env.Token(web.RoleOrganiser, 0)
	d, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳市科协", Region: "绵阳"})
	if err != nil {
		t.Fatal(err)
	}
	del := d.ID

	cases := []struct {
		name       string
		category   string
		delegation int64
		want       int    // the API's status; the form answers 303 for 201
		field      string // the refused field
	}{
		{"enterprise", "enterprise", 0, 201, ""},
		{"guest", "guest", 0, 201, ""},
		{"staff", "staff", 0, 422, "category"},
		{"delegation member", "delegation", 0, 422, "category"},
		{"claims a delegation", "enterprise", del, 422, "delegation_id"},
		{"staff of a delegation", "staff", del, 422, "category"},
	}
	phone := 13900000100
	for _, tc := range cases {
		for _, via := range []string{"api", "form"} {
			t.Run(tc.name+" via "+via, func(t *testing.T) {
				phone++
				const count = `SELECT COUNT(*) FROM attendees`
				before := f.count(count)
				status, body := tc.want, ""
				if via == "api" {
					in := map[string]any{"name": "张敏", "organisation": "长虹", "phone": fmt.Sprint(phone), "category": tc.category}
					if tc.delegation != 0 {
						in["delegation_id"] = tc.delegation
					}
					raw := env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/registrations", f.e1.ID), "", in, tc.want, nil)
					if tc.want == 422 && !hasField(webtest.ErrorOf(t, raw), tc.field) {
						t.Errorf("refusal names %s, want %s", raw, tc.field)
					}
				} else {
					form := url.Values{"name": {"张敏"}, "organisation": {"长虹"}, "phone": {fmt.Sprint(phone)}, "category": {tc.category}}
					if tc.delegation != 0 {
						form.Set("delegation_id", fmt.Sprint(tc.delegation))
					}
					req, _ := http.NewRequest("POST", env.Server.URL+fmt.Sprintf("/editions/%d/register", f.e1.ID), strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					res, b := env.Request(req, "")
					status, body = res.StatusCode, string(b)
					if status == http.StatusSeeOther {
						status = 201
					}
				}
				if status != tc.want {
					t.Fatalf("status %d, want %d %s", status, tc.want, body)
				}
				if grew := f.count(count) - before; (tc.want == 201) != (grew == 1) || grew > 1 {
					t.Errorf("attendees grew by %d", grew)
				}
			})
		}
	}

	// Organisers still add staff and delegation members themselves.
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), org,
		map[string]any{"name": "王强", "category": "staff"}, 201, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), org,
		map[string]any{"name": "李雷", "category": "delegation", "delegation_id": del}, 201, nil)
}

func hasField(e web.ErrorInfo, field string) bool {
	for _, d := range e.Details {
		if d.Field == field {
			return true
		}
	}
	return false
}
