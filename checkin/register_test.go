package checkin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"huizhan/conference"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// regEnv is a test server with check-in's handlers, an organiser and a
// staff token, and a gate to scan at.
type regEnv struct {
	*webtest.Env
	f     *fixture
	h     *Handlers
	org   string
	staff string
	gate  Checkpoint
}

func newRegEnv(t *testing.T) *regEnv {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	h := NewHandlers(env.Site, f.store)
	h.reg = newAddrLimiter(10_000, time.Minute, time.Now) // the tests register many from one address
	h.Register(env.Engine)
	r := &regEnv{Env: env, f: f, h: h, org: env.Token(web.RoleOrganiser, 0), staff: env.Token(web.RoleStaff, 0)}
	r.gate = f.checkpoint(f.e1.ID, CheckpointInput{Name: "南门", Kind: "gate", Rule: "multiple"})
	return r
}

func (r *regEnv) settings(t *testing.T, set map[string]any) {
	t.Helper()
	if _, ok := set["privacy_text"]; !ok {
		set["privacy_text"], set["privacy_version"] = "我们只为会务使用您的信息。", "2024-1"
	}
	r.Do("PUT", fmt.Sprintf("/api/v1/editions/%d/registration-settings", r.f.e1.ID), r.org, set, 200, nil)
}

// register posts a public registration through the API.
func (r *regEnv) register(t *testing.T, in map[string]any, want int) RegistrationAnswer {
	t.Helper()
	var a RegistrationAnswer
	raw := r.Do("POST", fmt.Sprintf("/api/v1/editions/%d/registrations", r.f.e1.ID), "", in, want, nil)
	if want == 201 {
		decode(t, raw, &a)
	}
	return a
}

// scanAPI scans code at the gate through the API and answers the result.
func (r *regEnv) scanAPI(t *testing.T, code string) Result {
	t.Helper()
	var res Result
	_, raw := r.send(t, "POST", fmt.Sprintf("/api/v1/checkpoints/%d/scans", r.gate.ID), r.staff,
		map[string]any{"code": code, "scan_id": fmt.Sprintf("reg-%d", time.Now().UnixNano())})
	decode(t, raw, &res)
	return res
}

func (r *regEnv) send(t *testing.T, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	req := mustJSONReq(t, method, r.Server.URL+path, body)
	return r.Request(req, token)
}

func (r *regEnv) byPhone(t *testing.T, phone string) Attendee {
	t.Helper()
	var a Attendee
	if err := r.f.db.R.GetContext(r.f.ctx, &a, `SELECT * FROM attendees WHERE phone = ? AND status <> 'cancelled'`, phone); err != nil {
		t.Fatalf("attendee with phone %s: %v", phone, err)
	}
	return a
}

// TestPublicRegistration sends the same registrations through the public
// API and the public form: both answer alike (the form 303 where the API
// 201), store alike, and a pending registration's code is refused at a
// gate (not_allowed, detail pending) until an organiser approves it.
func TestPublicRegistration(t *testing.T) {
	r := newRegEnv(t)
	d, err := r.f.conf.CreateDelegation(r.f.ctx, r.f.e1.ID, conference.DelegationInput{Name: "绵阳市科协", Region: "绵阳"})
	if err != nil {
		t.Fatal(err)
	}
	r.settings(t, map[string]any{"public_categories": []string{"enterprise", "guest", "expert"},
		"approval_categories": []string{"guest", "expert"}})

	cases := []struct {
		name       string
		category   string
		delegation int64
		phone      string // "" takes a fresh one
		noConsent  bool
		email      string
		want       int    // the API's status; the form answers 303 for 201
		field      string // the refused field
		status     string // the stored attendee's status
	}{
		{name: "enterprise", category: "enterprise", want: 201, status: StatusApproved},
		{name: "enterprise with e-mail", category: "enterprise", email: "a@example.com", want: 201, status: StatusApproved},
		{name: "guest needs approval", category: "guest", want: 201, status: StatusPending},
		{name: "expert needs approval", category: "expert", want: 201, status: StatusPending},
		{name: "media is not public here", category: "media", want: 422, field: "category"},
		{name: "staff", category: "staff", want: 422, field: "category"},
		{name: "delegation member", category: "delegation", want: 422, field: "category"},
		{name: "claims a delegation", category: "enterprise", delegation: d.ID, want: 422, field: "delegation_id"},
		{name: "staff of a delegation", category: "staff", delegation: d.ID, want: 422, field: "category"},
		{name: "no consent", category: "enterprise", noConsent: true, want: 422, field: "consent"},
		{name: "landline", category: "enterprise", phone: "028-85551234", want: 422, field: "phone"},
		{name: "bad e-mail", category: "enterprise", email: "not an address", want: 422, field: "email"},
		{name: "phone taken", category: "enterprise", phone: "13700000001", want: 409, field: "phone"},
	}
	if _, err := r.f.store.CreateAttendee(r.f.ctx, r.f.e1.ID, AttendeeInput{Name: "已有", Phone: "13700000001", Category: "guest"}, "organiser"); err != nil {
		t.Fatal(err)
	}
	seq := 13900000100
	for _, tc := range cases {
		for _, via := range []string{"api", "form"} {
			t.Run(tc.name+" via "+via, func(t *testing.T) {
				seq++
				phone := tc.phone
				if phone == "" {
					phone = strconv.Itoa(seq)
				}
				const count = `SELECT COUNT(*) FROM attendees`
				before := r.f.count(count)
				var status int
				var body []byte
				if via == "api" {
					in := map[string]any{"name": "张敏", "organisation": "长虹", "phone": phone, "category": tc.category,
						"email": tc.email, "consent": !tc.noConsent}
					if tc.delegation != 0 {
						in["delegation_id"] = tc.delegation
					}
					var res *http.Response
					res, body = r.send(t, "POST", fmt.Sprintf("/api/v1/editions/%d/registrations", r.f.e1.ID), "", in)
					status = res.StatusCode
				} else {
					form := url.Values{"name": {"张敏"}, "organisation": {"长虹"}, "phone": {phone}, "category": {tc.category}, "email": {tc.email}}
					if !tc.noConsent {
						form.Set("consent", "yes")
					}
					if tc.delegation != 0 {
						form.Set("delegation_id", fmt.Sprint(tc.delegation))
					}
					req, _ := http.NewRequest("POST", r.Server.URL+fmt.Sprintf("/editions/%d/register", r.f.e1.ID), strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					var res *http.Response
					res, body = r.Request(req, "")
					status = res.StatusCode
					if status == http.StatusSeeOther {
						status = 201
						if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/r/") {
							t.Errorf("form sends the registrant to %q, want their self-service page", loc)
						}
					}
				}
				if status != tc.want {
					t.Fatalf("status %d, want %d: %s", status, tc.want, body)
				}
				grew := r.f.count(count) - before
				if (tc.want == 201) != (grew == 1) || grew > 1 {
					t.Fatalf("attendees grew by %d", grew)
				}
				if tc.want != 201 {
					if via == "api" && !hasField(webtest.ErrorOf(t, body), tc.field) {
						t.Errorf("refusal %s does not name %s", body, tc.field)
					}
					if via == "form" && !strings.Contains(string(body), `data-field="`+tc.field+`"`) {
						t.Errorf("form refusal does not name %s", tc.field)
					}
					if tc.want == 409 && strings.Contains(string(body), "已有") {
						t.Error("a taken phone reveals who holds it")
					}
					return
				}
				a := r.byPhone(t, phone)
				if a.Status != tc.status || a.Source != "public" || a.ConsentVersion != "2024-1" || a.ConsentedAt == nil || a.Email != tc.email {
					t.Fatalf("stored %+v", a)
				}
				if via == "api" {
					var ans RegistrationAnswer
					decode(t, body, &ans)
					if ans.Status != tc.status || !strings.HasPrefix(ans.ManageURL, "http://huizhan.test/r/") ||
						(ans.BadgeURL != "") != (tc.status == StatusApproved) {
						t.Errorf("answer %+v", ans)
					}
				}
				res := r.scanAPI(t, a.Code)
				if tc.status == StatusApproved {
					if res.Verdict != Accepted {
						t.Errorf("approved badge: %+v", res)
					}
					return
				}
				if res.Verdict != Rejected || res.Reason != ReasonNotAllowed || res.Detail != "pending" {
					t.Errorf("pending badge: %+v", res)
				}
				r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/approve", a.ID), r.staff, nil, 403, nil)
				var ap Attendee
				r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/approve", a.ID), r.org, nil, 200, &ap)
				if ap.Status != StatusApproved || ap.Code != a.Code {
					t.Errorf("approved %+v", ap)
				}
				if res := r.scanAPI(t, a.Code); res.Verdict != Accepted {
					t.Errorf("badge after approval: %+v", res)
				}
			})
		}
	}

	// Organisers still add staff and delegation members themselves.
	r.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", r.f.e1.ID), r.org,
		map[string]any{"name": "王强", "category": "staff"}, 201, nil)
	r.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", r.f.e1.ID), r.org,
		map[string]any{"name": "李雷", "category": "delegation", "delegation_id": d.ID}, 201, nil)
}

// TestRegistrationDefaults: with no settings the public may register as
// enterprise only, under the built-in privacy text, whose words are kept.
func TestRegistrationDefaults(t *testing.T) {
	r := newRegEnv(t)
	var set RegistrationSettings
	r.Do("GET", fmt.Sprintf("/api/v1/editions/%d/registration-settings", r.f.e1.ID), "", nil, 200, &set)
	if strings.Join(set.PublicCategories, ",") != "enterprise" || set.PrivacyVersion != "default" || set.PrivacyText == "" {
		t.Fatalf("defaults %+v", set)
	}
	r.register(t, map[string]any{"name": "甲", "phone": "13800000001", "category": "guest", "consent": true}, 422)
	ans := r.register(t, map[string]any{"name": "甲", "phone": "13800000001", "category": "enterprise", "consent": true}, 201)
	if ans.Status != StatusApproved {
		t.Errorf("answer %+v", ans)
	}
	if n := r.f.count(`SELECT COUNT(*) FROM privacy_texts WHERE edition_id = ? AND version = 'default' AND body = ?`, r.f.e1.ID, DefaultPrivacyText); n != 1 {
		t.Errorf("default privacy text kept %d times", n)
	}
}

// TestRegistrationSettingsAPI: staff and delegation members can never be
// made public; a privacy text keeps its version.
func TestRegistrationSettingsAPI(t *testing.T) {
	r := newRegEnv(t)
	path := fmt.Sprintf("/api/v1/editions/%d/registration-settings", r.f.e1.ID)
	cases := []struct {
		name  string
		body  map[string]any
		want  int
		field string
	}{
		{"staff public", map[string]any{"public_categories": []string{"staff"}, "privacy_text": "x", "privacy_version": "1"}, 422, "public_categories"},
		{"delegation public", map[string]any{"public_categories": []string{"delegation"}, "privacy_text": "x", "privacy_version": "1"}, 422, "public_categories"},
		{"zero places", map[string]any{"public_categories": []string{"guest"}, "capacity": map[string]int{"guest": 0}, "privacy_text": "x", "privacy_version": "1"}, 422, "capacity"},
		{"no privacy text", map[string]any{"public_categories": []string{"guest"}, "privacy_version": "1"}, 422, "privacy_text"},
		{"good", map[string]any{"public_categories": []string{"guest", "media"}, "approval_categories": []string{"media"},
			"capacity": map[string]int{"guest": 300}, "privacy_text": "第一版", "privacy_version": "1"}, 200, ""},
		{"same version, other words", map[string]any{"public_categories": []string{"guest"}, "privacy_text": "第二版", "privacy_version": "1"}, 422, "privacy_version"},
		{"new version", map[string]any{"public_categories": []string{"guest"}, "privacy_text": "第二版", "privacy_version": "2"}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r.Do("PUT", path, r.staff, tc.body, 403, nil)
			raw := r.Do("PUT", path, r.org, tc.body, tc.want, nil)
			if tc.field != "" && !hasField(webtest.ErrorOf(t, raw), tc.field) {
				t.Errorf("refusal %s does not name %s", raw, tc.field)
			}
		})
	}
	var set RegistrationSettings
	r.Do("GET", path, r.org, nil, 200, &set)
	if set.PrivacyText != "第二版" || set.PrivacyVersion != "2" || strings.Join(set.PublicCategories, ",") != "guest" {
		t.Errorf("settings %+v", set)
	}
	if n := r.f.count(`SELECT COUNT(*) FROM privacy_texts WHERE edition_id = ?`, r.f.e1.ID); n != 2 {
		t.Errorf("%d privacy texts kept, want both versions", n)
	}
}

// TestCapacityWaitingList: when a category's places are held, public
// registrations wait; a cancellation gives the place to the first waiting
// person, and the cancelled badge is revoked.
func TestCapacityWaitingList(t *testing.T) {
	r := newRegEnv(t)
	r.settings(t, map[string]any{"public_categories": []string{"enterprise", "guest"}, "approval_categories": []string{"guest"},
		"capacity": map[string]int{"enterprise": 2, "guest": 1}})
	reg := func(phone, category string) RegistrationAnswer {
		return r.register(t, map[string]any{"name": "人" + phone[7:], "phone": phone, "category": category, "consent": true}, 201)
	}
	a1, a2, a3, a4 := reg("13800000001", "enterprise"), reg("13800000002", "enterprise"), reg("13800000003", "enterprise"), reg("13800000004", "enterprise")
	for i, want := range []string{StatusApproved, StatusApproved, StatusWaiting, StatusWaiting} {
		if got := []RegistrationAnswer{a1, a2, a3, a4}[i].Status; got != want {
			t.Fatalf("registration %d is %s, want %s", i+1, got, want)
		}
	}
	first := r.byPhone(t, "13800000001")
	if res := r.scanAPI(t, r.byPhone(t, "13800000003").Code); res.Detail != "pending" {
		t.Errorf("a waiting badge scans %+v", res)
	}
	// The first cancels through their self-service link.
	token := strings.TrimPrefix(a1.ManageURL, "http://huizhan.test/r/")
	r.Do("POST", "/api/v1/registrations/"+token+"/cancel", "", nil, 200, nil)
	if got := r.byPhone(t, "13800000003").Status; got != StatusApproved {
		t.Errorf("first waiting is %s after a cancellation, want approved", got)
	}
	if got := r.byPhone(t, "13800000004").Status; got != StatusWaiting {
		t.Errorf("second waiting is %s, want still waiting", got)
	}
	if res := r.scanAPI(t, first.Code); res.Reason != ReasonRevoked {
		t.Errorf("cancelled badge scans %+v", res)
	}
	if res := r.scanAPI(t, r.byPhone(t, "13800000003").Code); res.Verdict != Accepted {
		t.Errorf("promoted badge scans %+v", res)
	}
	// A waiting person cancelling frees no place: nobody moves.
	w := r.byPhone(t, "13800000004")
	r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/cancel", w.ID), r.staff, nil, 200, nil)
	if n := r.f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'approved' AND category = 'enterprise'`); n != 2 {
		t.Errorf("%d approved enterprise, want 2", n)
	}
	// The phone of a cancelled registration may register again.
	reg("13800000001", "enterprise")

	// In a category needing approval the promoted person is pending.
	g1, g2 := reg("13800000011", "guest"), reg("13800000012", "guest")
	if g1.Status != StatusPending || g2.Status != StatusWaiting {
		t.Fatalf("guests %s, %s", g1.Status, g2.Status)
	}
	r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/cancel", g1.ID), r.org, nil, 200, nil)
	if got := r.byPhone(t, "13800000012").Status; got != StatusPending {
		t.Errorf("promoted guest is %s, want pending", got)
	}
}

// TestSelfServiceLink: the link answers the registration, changes the
// name and organisation, and cancels (then the code is revoked). Only the
// token's hash is stored.
func TestSelfServiceLink(t *testing.T) {
	r := newRegEnv(t)
	ans := r.register(t, map[string]any{"name": "张敏", "organisation": "长虹", "phone": "13800000001", "category": "enterprise", "consent": true}, 201)
	token := strings.TrimPrefix(ans.ManageURL, "http://huizhan.test/r/")
	a := r.byPhone(t, "13800000001")
	if a.ManageHash == nil || *a.ManageHash == token || *a.ManageHash != hashToken(token) || len(token) < 40 {
		t.Fatalf("stored %v for token %q", a.ManageHash, token)
	}
	var got RegistrationAnswer
	r.Do("GET", "/api/v1/registrations/"+token, "", nil, 200, &got)
	if got.Name != "张敏" || got.BadgeURL != "http://huizhan.test/b/"+a.Code {
		t.Errorf("registration %+v", got)
	}
	r.Do("GET", "/api/v1/registrations/"+token[:len(token)-1]+"A", "", nil, 404, nil)
	r.Do("PATCH", "/api/v1/registrations/"+token, "", map[string]any{"name": "", "organisation": "长虹"}, 422, nil)
	r.Do("PATCH", "/api/v1/registrations/"+token, "", map[string]any{"name": "张敏敏", "organisation": "四川长虹"}, 200, &got)
	if got.Name != "张敏敏" || got.Organisation != "四川长虹" {
		t.Errorf("corrected %+v", got)
	}
	if res := r.scanAPI(t, a.Code); res.Verdict != Accepted || res.Attendee.Name != "张敏敏" {
		t.Errorf("scan after correction %+v", res)
	}
	// The page does the same.
	res, _ := r.send(t, "GET", "/r/"+token, "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("self-service page %d", res.StatusCode)
	}
	res, _ = r.postForm(t, "/r/"+token, url.Values{"name": {"张小敏"}, "organisation": {"长虹"}})
	if res.StatusCode != http.StatusSeeOther || r.byPhone(t, "13800000001").Name != "张小敏" {
		t.Errorf("form correction: %d", res.StatusCode)
	}
	res, _ = r.postForm(t, "/r/"+token+"/cancel", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("form cancel: %d", res.StatusCode)
	}
	if res := r.scanAPI(t, a.Code); res.Reason != ReasonRevoked {
		t.Errorf("scan after cancel %+v", res)
	}
	got = RegistrationAnswer{}
	r.Do("GET", "/api/v1/registrations/"+token, "", nil, 200, &got)
	if got.Status != StatusCancelled || got.BadgeURL != "" {
		t.Errorf("after cancel %+v", got)
	}
	r.Do("PATCH", "/api/v1/registrations/"+token, "", map[string]any{"name": "x"}, 409, nil)
	r.Do("POST", "/api/v1/registrations/"+token+"/cancel", "", nil, 409, nil)

	// The help desk hands out a new link; the old one stops working.
	b := r.register(t, map[string]any{"name": "李娜", "phone": "13800000002", "category": "enterprise", "consent": true}, 201)
	var link ManageLink
	r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/manage-link", b.ID), r.staff, nil, 201, &link)
	r.Do("GET", "/api/v1/registrations/"+strings.TrimPrefix(b.ManageURL, "http://huizhan.test/r/"), "", nil, 404, nil)
	r.Do("GET", "/api/v1/registrations/"+strings.TrimPrefix(link.URL, "http://huizhan.test/r/"), "", nil, 200, nil)
}

func (r *regEnv) postForm(t *testing.T, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", r.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.Request(req, "")
}

// TestRegistrationRateLimit: past its attempts an address gets 429 with
// Retry-After, from the API and the form alike, refused attempts counted.
func TestRegistrationRateLimit(t *testing.T) {
	r := newRegEnv(t)
	r.h.reg = newAddrLimiter(3, 10*time.Minute, time.Now)
	r.register(t, map[string]any{"name": "甲", "phone": "13800000001", "category": "enterprise", "consent": true}, 201)
	r.register(t, map[string]any{"name": "乙", "phone": "13800000001", "category": "enterprise", "consent": true}, 409)
	r.register(t, map[string]any{"name": "丙", "phone": "13800000002", "category": "enterprise"}, 422)
	res, raw := r.send(t, "POST", fmt.Sprintf("/api/v1/editions/%d/registrations", r.f.e1.ID), "",
		map[string]any{"name": "丁", "phone": "13800000003", "category": "enterprise", "consent": true})
	if res.StatusCode != 429 {
		t.Fatalf("fourth attempt %d %s", res.StatusCode, raw)
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 600 {
		t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	res, _ = r.postForm(t, fmt.Sprintf("/editions/%d/register", r.f.e1.ID), url.Values{"name": {"丁"}, "phone": {"13800000003"},
		"category": {"enterprise"}, "consent": {"yes"}})
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("form past the limit: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if n := r.f.count(`SELECT COUNT(*) FROM attendees`); n != 1 {
		t.Errorf("%d attendees, want 1", n)
	}
}

func TestAddrLimiterWindow(t *testing.T) {
	now := time.Date(2024, 1, 18, 9, 0, 0, 0, time.UTC)
	l := newAddrLimiter(2, time.Minute, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.take("a"); ok != want {
			t.Fatalf("attempt %d: %v", i+1, ok)
		}
	}
	if ok, _ := l.take("b"); !ok {
		t.Error("another address is limited too")
	}
	now = now.Add(40 * time.Second)
	if ok, wait := l.take("a"); ok || wait != 20*time.Second {
		t.Errorf("within the window: %v, wait %v", ok, wait)
	}
	now = now.Add(21 * time.Second)
	if ok, _ := l.take("a"); !ok {
		t.Error("a new window is still limited")
	}
}

// TestApproveAll: the queue approves many at once, all or none.
func TestApproveAll(t *testing.T) {
	r := newRegEnv(t)
	r.settings(t, map[string]any{"public_categories": []string{"media"}, "approval_categories": []string{"media"}})
	var ids []int64
	for i := range 3 {
		ids = append(ids, r.register(t, map[string]any{"name": "记者", "phone": fmt.Sprintf("1380000000%d", i), "category": "media", "consent": true}, 201).ID)
	}
	approved := r.f.attendee(r.f.e1.ID, "已通过", "media")
	path := fmt.Sprintf("/api/v1/editions/%d/attendees/approve", r.f.e1.ID)
	r.Do("POST", path, r.org, map[string]any{"ids": append(ids[:2:2], approved.ID)}, 409, nil)
	if n := r.f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'pending'`); n != 3 {
		t.Fatalf("a refused batch approved some: %d pending", n)
	}
	var l web.List[Attendee]
	r.Do("POST", path, r.org, map[string]any{"ids": ids[:2]}, 200, &l)
	if len(l.Items) != 2 || r.f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'pending'`) != 1 {
		t.Errorf("approved %d", len(l.Items))
	}
	// The page's bulk form.
	req, _ := http.NewRequest("POST", r.Server.URL+fmt.Sprintf("/editions/%d/approvals", r.f.e1.ID), strings.NewReader(url.Values{"ids": {fmt.Sprint(ids[2])}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, _ := r.Request(req, r.org); res.StatusCode != http.StatusSeeOther || r.f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'pending'`) != 0 {
		t.Errorf("bulk form %d", res.StatusCode)
	}
}

// TestChangeCategory: an organiser's change reissues the badge (the
// category is signed into it) and frees the old category's place.
func TestChangeCategory(t *testing.T) {
	r := newRegEnv(t)
	r.settings(t, map[string]any{"public_categories": []string{"enterprise"}, "capacity": map[string]int{"enterprise": 1}})
	a := r.register(t, map[string]any{"name": "甲", "phone": "13800000001", "category": "enterprise", "consent": true}, 201)
	b := r.register(t, map[string]any{"name": "乙", "phone": "13800000002", "category": "enterprise", "consent": true}, 201)
	old := r.byPhone(t, "13800000001")
	r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/category", a.ID), r.staff, map[string]any{"category": "expert"}, 403, nil)
	var ch Attendee
	r.Do("POST", fmt.Sprintf("/api/v1/attendees/%d/category", a.ID), r.org, map[string]any{"category": "expert"}, 200, &ch)
	if ch.Category != "expert" || ch.Code == old.Code {
		t.Errorf("changed %+v", ch)
	}
	if res := r.scanAPI(t, old.Code); res.Reason != ReasonRevoked {
		t.Errorf("old code %+v", res)
	}
	if res := r.scanAPI(t, ch.Code); res.Verdict != Accepted || res.Attendee.Category != "expert" {
		t.Errorf("new code %+v", res)
	}
	if got := r.byPhone(t, "13800000002"); got.ID != b.ID || got.Status != StatusApproved {
		t.Errorf("the waiting person is %s after the place was freed", got.Status)
	}
}

func hasField(e web.ErrorInfo, field string) bool {
	for _, d := range e.Details {
		if d.Field == field {
			return true
		}
	}
	return false
}

func decode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func mustJSONReq(t *testing.T, method, url string, body any) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestBadgePageOfPendingShowsNoQR: the badge page of a pending attendee
// says it waits for approval instead of showing a QR to scan.
func TestBadgePageOfPendingShowsNoQR(t *testing.T) {
	r := newRegEnv(t)
	r.settings(t, map[string]any{"public_categories": []string{"guest"}, "approval_categories": []string{"guest"}})
	ans := r.register(t, map[string]any{"name": "甲", "phone": "13800000001", "category": "guest", "consent": true}, 201)
	a, err := r.f.store.Attendee(r.f.ctx, ans.ID)
	if err != nil {
		t.Fatal(err)
	}
	show := func() string {
		res, body := r.Request(mustReq(t, "GET", r.Server.URL+"/b/"+a.Code), "")
		if res.StatusCode != 200 {
			t.Fatalf("badge page %d", res.StatusCode)
		}
		return string(body)
	}
	if b := show(); strings.Contains(b, "/qr.png") || !strings.Contains(b, `id="badge-status"`) {
		t.Error("a pending badge page shows the QR")
	}
	if _, err := r.f.store.Approve(r.f.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(show(), "/b/"+a.Code+"/qr.png") {
		t.Error("an approved badge page shows no QR")
	}
}

// TestSettingsForm: the organisers' settings page stores what its form
// posts, and refuses a bad capacity naming the field.
func TestSettingsForm(t *testing.T) {
	r := newRegEnv(t)
	path := fmt.Sprintf("/editions/%d/registration-settings", r.f.e1.ID)
	post := func(form url.Values) (*http.Response, []byte) {
		req, _ := http.NewRequest("POST", r.Server.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r.Request(req, r.org)
	}
	res, body := post(url.Values{"public": {"guest", "media"}, "approval": {"media"}, "capacity_guest": {"abc"},
		"privacy_text": {"文字"}, "privacy_version": {"v1"}})
	if res.StatusCode != 422 || !strings.Contains(string(body), `data-field="capacity"`) {
		t.Fatalf("bad capacity: %d", res.StatusCode)
	}
	res, _ = post(url.Values{"public": {"guest", "media"}, "approval": {"media"}, "capacity_guest": {"50"},
		"privacy_text": {"文字"}, "privacy_version": {"v1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	set, err := r.f.store.RegistrationSettings(r.f.ctx, r.f.e1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%v %v %v %s", set.PublicCategories, set.ApprovalCategories, set.Capacity, set.PrivacyVersion) != "[guest media] [media] map[guest:50] v1" {
		t.Errorf("stored %+v", set)
	}
}

// TestCapacityUnderConcurrentRegistrations: registrations racing for the
// last places never take more places than there are.
func TestCapacityUnderConcurrentRegistrations(t *testing.T) {
	f := newFixture(t)
	if _, err := f.store.SetRegistrationSettings(f.ctx, f.e1.ID, RegistrationSettings{PublicCategories: []string{"enterprise"},
		Capacity: map[string]int{"enterprise": 5}, PrivacyText: "文字", PrivacyVersion: "1"}); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 20)
	for i := range 20 {
		go func() {
			_, err := f.store.Register(f.ctx, f.e1.ID, AttendeeInput{Name: "人", Phone: fmt.Sprintf("138000000%02d", i), Category: "enterprise", Consent: true})
			errs <- err
		}()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'approved'`); n != 5 {
		t.Errorf("%d approved for 5 places", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM attendees WHERE status = 'waiting'`); n != 15 {
		t.Errorf("%d waiting, want 15", n)
	}
}

// TestWaitingListPage: organisers see the waiting list in the order its
// people move up.
func TestWaitingListPage(t *testing.T) {
	r := newRegEnv(t)
	r.settings(t, map[string]any{"public_categories": []string{"enterprise"}, "capacity": map[string]int{"enterprise": 1}})
	for i, name := range []string{"甲一", "乙二", "丙三"} {
		r.register(t, map[string]any{"name": name, "phone": fmt.Sprint("1380000000", i), "category": "enterprise", "consent": true}, 201)
	}
	_, body := r.Request(mustReq(t, "GET", r.Server.URL+fmt.Sprintf("/editions/%d/approvals?status=waiting", r.f.e1.ID)), r.org)
	page := string(body)
	first, second := strings.Index(page, "乙二"), strings.Index(page, "丙三")
	if strings.Contains(page, "甲一") || first < 0 || second < first {
		t.Error("the waiting list does not show the waiting people in order")
	}
}

// TestDelegationAddsItsMembers: a delegation account adds members of its
// own delegation, as delegation members, whatever it asks for; through the
// API and its members page. It cannot add anyone to another edition.
func TestDelegationAddsItsMembers(t *testing.T) {
	env := webtest.New(t, migrationsForTest()...)
	f := fixtureOn(t, env.DB)
	NewHandlers(env.Site, f.store).Register(env.Engine)
	d, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "绵阳市科协", Region: "绵阳"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.conf.CreateDelegation(f.ctx, f.e1.ID, conference.DelegationInput{Name: "德阳市科协", Region: "德阳"})
	if err != nil {
		t.Fatal(err)
	}
	tok := env.Token(web.RoleDelegation, d.ID)
	var a Attendee
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), tok,
		map[string]any{"name": "赵磊", "phone": "13900000201", "category": "staff", "delegation_id": other.ID}, 201, &a)
	if a.Category != "delegation" || a.DelegationID == nil || *a.DelegationID != d.ID || a.Code == "" {
		t.Errorf("member added as %+v", a)
	}
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e2.ID), tok,
		map[string]any{"name": "赵磊", "category": "delegation"}, 403, nil)
	env.Do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", f.e1.ID), env.Token(web.RoleStaff, 0),
		map[string]any{"name": "x", "category": "guest"}, 403, nil)

	form := url.Values{"name": {"钱敏"}, "phone": {"13900000202"}, "organisation": {"绵阳市科协"}}
	req, _ := http.NewRequest("POST", env.Server.URL+"/delegation/members", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, body := env.Request(req, tok); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("members form: %d %s", res.StatusCode, body)
	}
	req, _ = http.NewRequest("GET", env.Server.URL+"/delegation/members", nil)
	res, body := env.Request(req, tok)
	if res.StatusCode != 200 || !strings.Contains(string(body), "赵磊") || !strings.Contains(string(body), "钱敏") {
		t.Errorf("members page: %d", res.StatusCode)
	}
	if n := f.count(`SELECT COUNT(*) FROM attendees WHERE delegation_id = ? AND category = 'delegation'`, d.ID); n != 2 {
		t.Errorf("%d members stored, want 2", n)
	}
}
