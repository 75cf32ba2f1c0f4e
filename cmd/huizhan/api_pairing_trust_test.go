package main

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/internal/web"
)

// trustProjects adds a demand of Mianyang and a supply of another
// delegation to the demo's current edition.
func trustProjects(t *testing.T, env *testEnv, demand, supply string) (int64, int64) {
	t.Helper()
	e := env.demo.Current()
	mianyang, _ := env.demo.DelegationNamed(e.ID, conference.Mianyang)
	other := env.demo.Delegations[e.ID][1]
	now := time.Now().UTC()
	var ids [2]int64
	for i, p := range []struct {
		del         int64
		kind, title string
	}{{mianyang.ID, "demand", demand}, {other.ID, "achievement", supply}} {
		err := env.app.db.W.Get(&ids[i], `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, organisation,
			contact_name, created_at, updated_at) VALUES (?, ?, ?, ?, '双碳与新能源', '示例单位', ?, ?, ?) RETURNING id`,
			e.ID, p.del, p.kind, p.title, "对接人"+p.title[:3], now, now)
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids[0], ids[1]
}

// signedSheets reads the signed workbook's two sheets as text.
func signedSheets(t *testing.T, env *testEnv) (signed, corrections string) {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/editions/%d/reports/signed.xlsx", env.srv.URL, env.demo.Current().ID), nil)
	res, body := env.client().Request(req, env.tokens[web.RoleLeader])
	if res.StatusCode != 200 {
		t.Fatalf("signed.xlsx: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	text := func(sheet string) string {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v (sheets %v)", sheet, err, x.GetSheetList())
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
		return b.String()
	}
	return text("签约项目"), text("更正记录")
}

// TestAPISignedToContactedLeavesTheSignedReport: signed → contacted
// without a reason is 422; with one it is recorded, the signed sheet no
// longer counts the pairing and the corrections sheet shows the reason.
func TestAPISignedToContactedLeavesTheSignedReport(t *testing.T) {
	env := newTestEnv(t)
	d, s := trustProjects(t, env, "储能电站热失控预警需求", "储能电池热失控早期预警系统")
	var p struct{ ID int64 }
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/pairings", env.demo.Current().ID), "coordinator",
		map[string]any{"demand_id": d, "supply_id": s}, 201, &p)
	stage := fmt.Sprintf("/api/v1/pairings/%d/stage", p.ID)
	env.do("POST", stage, "coordinator", map[string]any{"stage": "signed", "amount_wan": 2600.5, "signed_on": "2024-01-19"}, 200, nil)
	if signed, _ := signedSheets(t, env); !strings.Contains(signed, "储能电站热失控预警需求") {
		t.Fatalf("the signed sheet lacks the signing:\n%s", signed)
	}
	env.do("POST", fmt.Sprintf("/api/v1/pairings/%d/notes", p.ID), "coordinator", map[string]any{"text": "合同原件已归档"}, 201, nil)
	raw := env.do("POST", stage, "coordinator", map[string]any{"stage": "contacted"}, 422, nil)
	if e := apiError(t, raw); len(e.Details) == 0 || e.Details[0].Field != "reason" {
		t.Errorf("no reason: %+v", e)
	}
	env.do("POST", stage, "coordinator", map[string]any{"stage": "contacted", "reason": "合同未盖章，退回洽谈"}, 200, nil)
	signed, corrections := signedSheets(t, env)
	if strings.Contains(signed, "储能电站热失控预警需求") {
		t.Errorf("the signed sheet still counts the pairing moved back:\n%s", signed)
	}
	if !strings.Contains(corrections, "合同未盖章，退回洽谈") || !strings.Contains(corrections, "2,600.50") {
		t.Errorf("corrections sheet:\n%s", corrections)
	}
}

// TestAPIProjectOnStageAndAtTable: through the API, a project's roadshow
// slot refuses its meeting at that time, and its meeting refuses a slot,
// each 409 with a message naming the other engagement.
func TestAPIProjectOnStageAndAtTable(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	d, s := trustProjects(t, env, "氢能储运安全监测需求", "高压储氢瓶在线监测系统")
	sessions := fmt.Sprintf("/api/v1/editions/%d/sessions", ed)
	var rs, ps struct{ ID int64 }
	env.do("POST", sessions, "organiser", map[string]any{"title": "氢能专场路演", "kind": "roadshow", "room": "信任路演厅",
		"starts_at": "2024-01-19T14:00:00+08:00", "ends_at": "2024-01-19T16:00:00+08:00"}, 201, &rs)
	env.do("POST", sessions, "organiser", map[string]any{"title": "信任对接会", "kind": "pairing", "room": "信任对接区",
		"starts_at": "2024-01-19T14:00:00+08:00", "ends_at": "2024-01-19T16:00:00+08:00"}, 201, &ps)
	slots := fmt.Sprintf("/api/v1/sessions/%d/slots", rs.ID)
	env.do("POST", slots, "organiser", map[string]any{"project_id": s, "presenter": "路演人丙",
		"starts_at": "2024-01-19T14:20:00+08:00", "ends_at": "2024-01-19T14:35:00+08:00"}, 201, nil)
	var p struct{ ID int64 }
	env.do("POST", fmt.Sprintf("/api/v1/editions/%d/pairings", ed), "coordinator", map[string]any{"demand_id": d, "supply_id": s}, 201, &p)
	meeting := fmt.Sprintf("/api/v1/pairings/%d/meeting", p.ID)
	raw := env.do("POST", meeting, "coordinator", map[string]any{"session_id": ps.ID, "table": 1, "starts_at": "2024-01-19T14:20:00+08:00"}, 409, nil)
	if e := apiError(t, raw); !slices.ContainsFunc(e.Details, func(d web.DetailJSON) bool {
		return d.Kind == "project" && strings.Contains(d.Message, "氢能专场路演")
	}) {
		t.Errorf("meeting during the roadshow: %+v", e)
	}
	env.do("POST", meeting, "coordinator", map[string]any{"session_id": ps.ID, "table": 1, "starts_at": "2024-01-19T15:00:00+08:00"}, 201, nil)
	raw = env.do("POST", slots, "organiser", map[string]any{"project_id": s, "presenter": "路演人丁",
		"starts_at": "2024-01-19T15:05:00+08:00", "ends_at": "2024-01-19T15:15:00+08:00"}, 409, nil)
	if e := apiError(t, raw); !slices.ContainsFunc(e.Details, func(d web.DetailJSON) bool {
		return d.Kind == "project" && strings.Contains(d.Message, "1 号桌") && strings.Contains(d.Message, "氢能储运安全监测需求")
	}) {
		t.Errorf("roadshow slot during the meeting: %+v", e)
	}
}
