package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huizhan/internal/outbox"
)

// outboxFor returns the messages queued to addr, oldest first.
func outboxFor(t *testing.T, e *testEnv, addr string) []outbox.Record {
	t.Helper()
	rs, _, err := e.app.outbox.List(context.Background(), outbox.Filter{Q: addr, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return rs
}

func templatesOf(rs []outbox.Record) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Template+"/"+r.Status)
	}
	return strings.Join(out, " ")
}

// Each change that concerns a person queues its message in the change's
// transaction: badge reissued, registration, project reviewed, selected
// and rejected, roadshow slots on agenda release, meetings booked and
// moved with their reminders.
func TestMessagesFollowChanges(t *testing.T) {
	e := newTestEnv(t)
	ed := e.demo.Current()
	var del struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/delegations", ed.ID), "organiser", map[string]any{"name": "通知测试代表团", "region": "测试"}, 201, &del)

	// Attendees: an organiser's entry is not messaged, its reissue is;
	// a public registration gets its confirmation with the badge link.
	var at struct {
		ID   int64
		Code string
	}
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/attendees", ed.ID), "organiser",
		map[string]any{"name": "王伟", "phone": "13911110001", "category": "guest"}, 201, &at)
	e.do("POST", fmt.Sprintf("/api/v1/attendees/%d/reissue", at.ID), "organiser", nil, 200, &at)
	rs := outboxFor(t, e, "13911110001")
	if templatesOf(rs) != "badge_reissued/pending" || !strings.Contains(rs[0].Body, "/b/"+at.Code) || rs[0].Channel != "sms" {
		t.Fatalf("reissue messages %q: %+v", templatesOf(rs), rs)
	}
	var reg struct {
		ID        int64
		ManageURL string `json:"manage_url"`
	}
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/registrations", ed.ID), "",
		map[string]any{"name": "李娜", "phone": "13911110002", "email": "lina@example.com", "category": "enterprise", "consent": true}, 201, &reg)
	rs = outboxFor(t, e, "13911110002")
	if templatesOf(rs) != "registered/pending" || !strings.Contains(rs[0].Body, "李娜") || !strings.Contains(rs[0].Body, "/b/") {
		t.Fatalf("registration messages %q: %+v", templatesOf(rs), rs)
	}
	// With an e-mail address the confirmation also goes by e-mail, with the
	// badge link and the self-service link; a cancellation says so.
	rs = outboxFor(t, e, "lina@example.com")
	if templatesOf(rs) != "registered/pending" || rs[0].Channel != "email" || !strings.Contains(rs[0].Body, "/b/") ||
		reg.ManageURL == "" || !strings.Contains(rs[0].Body, reg.ManageURL) {
		t.Fatalf("registration e-mail %q: %+v (manage %q)", templatesOf(rs), rs, reg.ManageURL)
	}
	// Lost links: the same answer for a registered and an unknown phone;
	// the registered one gets its badge and a new self-service link, and
	// the old self-service link stops working.
	resend := fmt.Sprintf("/api/v1/editions/%d/registrations/resend", ed.ID)
	a := e.do("POST", resend, "", map[string]any{"phone": "139 1111 0002"}, 202, nil)
	b := e.do("POST", resend, "", map[string]any{"phone": "13911119999"}, 202, nil)
	if string(a) != string(b) {
		t.Errorf("resend answers differ: %s / %s", a, b)
	}
	if rs := outboxFor(t, e, "13911119999"); len(rs) != 0 {
		t.Errorf("an unknown phone got %q", templatesOf(rs))
	}
	rs = outboxFor(t, e, "13911110002")
	if last := rs[len(rs)-1]; last.Template != "registration_links" || !strings.Contains(last.Body, "/r/") {
		t.Errorf("resent links: %+v", last)
	}
	if got := templatesOf(outboxFor(t, e, "lina@example.com")); got != "registered/pending registration_links/pending" {
		t.Errorf("resent e-mail: %q", got)
	}
	e.do("GET", "/api/v1/registrations/"+reg.ManageURL[strings.LastIndex(reg.ManageURL, "/")+1:], "", nil, 404, nil)
	e.do("POST", resend, "", map[string]any{"phone": "12345"}, 422, nil)

	e.do("POST", fmt.Sprintf("/api/v1/attendees/%d/cancel", reg.ID), "organiser", nil, 200, nil)
	if got := templatesOf(outboxFor(t, e, "lina@example.com")); got != "registered/pending registration_links/pending registration_cancelled/pending" {
		t.Errorf("after a cancellation: %q", got)
	}

	// Projects: reviewed, selected, rejected reach the contact phone.
	project := func(kind, title, phone string) int64 {
		var p struct{ ID int64 }
		e.do("POST", fmt.Sprintf("/api/v1/editions/%d/projects", ed.ID), "organiser", map[string]any{
			"delegation_id": del.ID, "kind": kind, "title": title, "summary": "通知测试", "industry": "电子信息",
			"organisation": "绵阳测试所", "contact_name": "联系人", "contact_phone": phone}, 201, &p)
		return p.ID
	}
	demand := project("demand", "通知测试需求", "13911110003")
	supply := project("achievement", "通知测试成果", "13911110004")
	other := project("achievement", "通知测试落选", "13911110005")
	status := func(id int64, s string) {
		e.do("POST", fmt.Sprintf("/api/v1/projects/%d/status", id), "organiser", map[string]any{"status": s}, 200, nil)
	}
	status(supply, "reviewed")
	status(supply, "selected")
	status(demand, "reviewed")
	status(demand, "selected")
	status(other, "rejected")
	if got := templatesOf(outboxFor(t, e, "13911110004")); got != "project_reviewed/pending project_selected/pending" {
		t.Errorf("supply messages %q", got)
	}
	if got := templatesOf(outboxFor(t, e, "13911110005")); got != "project_rejected/pending" {
		t.Errorf("rejected messages %q", got)
	}

	// Roadshow: the release that places the slot says so; the next
	// release after a move says it moved.
	var ss struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/sessions", ed.ID), "organiser", map[string]any{"title": "通知专场",
		"kind": "roadshow", "room": "通知厅", "starts_at": "2024-01-18T09:00:00+08:00", "ends_at": "2024-01-18T12:00:00+08:00"}, 201, &ss)
	var slot struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/sessions/%d/slots", ss.ID), "organiser", map[string]any{"project_id": supply,
		"presenter": "路演人", "starts_at": "2024-01-18T09:00:00+08:00", "ends_at": "2024-01-18T09:15:00+08:00"}, 201, &slot)
	if got := templatesOf(outboxFor(t, e, "13911110004")); strings.Contains(got, "slot") {
		t.Errorf("a slot was messaged before its release: %q", got)
	}
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/releases", ed.ID), "organiser", nil, 201, nil)
	e.do("PATCH", fmt.Sprintf("/api/v1/slots/%d", slot.ID), "organiser", map[string]any{"project_id": supply,
		"presenter": "路演人", "starts_at": "2024-01-18T10:00:00+08:00", "ends_at": "2024-01-18T10:15:00+08:00"}, 200, nil)
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/releases", ed.ID), "organiser", nil, 201, nil)
	rs = outboxFor(t, e, "13911110004")
	if got := templatesOf(rs); !strings.HasSuffix(got, "slot_created/pending slot_moved/pending") || !strings.Contains(rs[len(rs)-1].Body, "1月18日 10:00") {
		t.Errorf("roadshow messages %q, last %q", got, rs[len(rs)-1].Body)
	}

	// Meetings: both sides are told, reminded 30 minutes before, and told
	// again when it moves, the old reminders withdrawn.
	var pr struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/pairings", ed.ID), "coordinator", map[string]any{"demand_id": demand, "supply_id": supply}, 201, &pr)
	var ps struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/editions/%d/sessions", ed.ID), "organiser", map[string]any{"title": "通知对接会",
		"kind": "pairing", "room": "通知对接区", "starts_at": "2024-01-19T14:00:00+08:00", "ends_at": "2024-01-19T16:00:00+08:00"}, 201, &ps)
	book := func(table int, at string) {
		e.do("POST", fmt.Sprintf("/api/v1/pairings/%d/meeting", pr.ID), "coordinator", map[string]any{"session_id": ps.ID, "table": table, "starts_at": at}, 201, nil)
	}
	book(3, "2024-01-19T14:00:00+08:00")
	book(4, "2024-01-19T15:00:00+08:00")
	rs = outboxFor(t, e, "13911110003")
	if got := templatesOf(rs); got != "project_reviewed/pending project_selected/pending meeting_booked/pending meeting_reminder/cancelled meeting_moved/pending meeting_reminder/pending" {
		t.Fatalf("demand side messages %q", got)
	}
	rem := rs[len(rs)-1]
	// The meeting is in 2024, so its reminder is due now (and expires
	// when the sender sees the meeting has passed).
	start := time.Date(2024, 1, 19, 7, 0, 0, 0, time.UTC)
	if rem.Kind != "reminder" || rem.EventAt == nil || !rem.EventAt.Equal(start) || rem.NextAt.Before(start.Add(-30*time.Minute)) {
		t.Errorf("reminder %+v", rem)
	}
	if !strings.Contains(rs[4].Body, "4号桌") || !strings.Contains(rs[4].Body, "通知测试成果") {
		t.Errorf("moved message %q", rs[4].Body)
	}
	if got := templatesOf(outboxFor(t, e, "13911110004")); !strings.HasSuffix(got, "meeting_moved/pending meeting_reminder/pending") {
		t.Errorf("supply side messages %q", got)
	}

	// Participants: the side asked hears of the request; the side that
	// asked hears the answer, with the reason of a refusal.
	token := func(project int64) string {
		var l struct{ URL string }
		e.do("POST", fmt.Sprintf("/api/v1/projects/%d/participant-link", project), "organiser", nil, 201, &l)
		return l.URL[strings.LastIndex(l.URL, "/")+1:]
	}
	asker, asked := other, demand // the rejected supply asks the demand
	var req struct{ ID int64 }
	e.do("POST", "/api/v1/participant/"+token(asker)+"/requests", "", map[string]any{"project_id": asked, "message": "希望面谈"}, 201, &req)
	if got := templatesOf(outboxFor(t, e, "13911110003")); !strings.HasSuffix(got, "meeting_requested/pending") {
		t.Errorf("the side asked got %q", got)
	}
	e.do("POST", fmt.Sprintf("/api/v1/participant/%s/requests/%d/decline", token(asked), req.ID), "", map[string]any{"reason": "方向不符"}, 200, nil)
	rs = outboxFor(t, e, "13911110005")
	if last := rs[len(rs)-1]; last.Template != "meeting_declined" || !strings.Contains(last.Body, "方向不符") {
		t.Errorf("the side that asked got %+v", last)
	}
	// A participant link can go straight to the contact's phone.
	var sent struct {
		URL  string
		Sent bool
	}
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/participant-link", supply), "organiser", map[string]any{"send": true}, 201, &sent)
	rs = outboxFor(t, e, "13911110004")
	if last := rs[len(rs)-1]; !sent.Sent || last.Template != "participant_link" || !strings.Contains(last.Body, sent.URL) {
		t.Errorf("sent link %+v: %+v", sent, last)
	}
}
