package reports

import (
	"fmt"
	"testing"

	"huizhan/internal/db"
	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// TestSignedWorkbookCorrections: a pairing moved back from signed (as the
// pairing package records it: stage and amount off the pairing, a
// correction in its history) is not on the signed sheet; the correction
// is, on a sheet of its own, with its reason and the amount it removed.
func TestSignedWorkbookCorrections(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	var id int64
	if err := f.d.R.Get(&id, `SELECT id FROM pairings WHERE edition_id = ? AND stage = 'signed'`, ed); err != nil {
		t.Fatal(err)
	}
	exec(t, f.d, `UPDATE pairings SET stage = 'contacted', amount_wan = NULL, signed_on = NULL WHERE id = ?`, id)
	exec(t, f.d, `INSERT INTO pairing_changes (pairing_id, from_stage, to_stage, reason, correction, previous_amount_wan,
		previous_signed_on, username, changed_at) VALUES (?, 'signed', 'contacted', '误录为签约', ?, 451.5, '2024-01-19', 'coordinator', ?)`,
		id, true, seedNow)
	x := f.build(t, Request{Name: "signed", EditionID: ed, Lang: "zh-CN"})
	if rs := rows(t, x, "签约项目"); len(rs) != 2 {
		t.Errorf("signed sheet has %d rows, want the header and the agreement: %q", len(rs), rs)
	}
	f.checkHeader(t, x, "更正记录", correctionColumns, "zh-CN")
	rs := rows(t, x, "更正记录")
	if len(rs) != 2 {
		t.Fatalf("corrections sheet %q", rs)
	}
	r := rs[1]
	if r[0] != fmt.Sprint(id) || r[3] != "正式签约" || r[4] != "已联系" || r[5] != "451.5" || r[8] != "误录为签约" || r[9] != "coordinator" {
		t.Errorf("correction row %q", r)
	}
}

// TestDashboardSurvivesHugeAmounts: amounts written straight into the
// table (1e308, +Inf) leave the dashboard up, with the total of the real
// amounts.
func TestDashboardSurvivesHugeAmounts(t *testing.T) {
	env := webtest.New(t, sets()...)
	f := seedDB(t, env)
	ed := f.editions[2]
	exec(t, f.d, `UPDATE pairings SET stage = 'signed', amount_wan = 1e308, signed_on = '2024-01-19' WHERE edition_id = ? AND stage = 'proposed'`, ed)
	inf := "9e999" // +Inf as SQLite reads it
	if f.d.Dialect() == db.Postgres {
		inf = "'Infinity'"
	}
	exec(t, f.d, `UPDATE pairings SET stage = 'signed', amount_wan = `+inf+`, signed_on = '2024-01-19' WHERE edition_id = ? AND stage = 'met'`, ed)
	leader := env.Token(web.RoleLeader, 0)
	var d struct {
		Counters Counters `json:"counters"`
	}
	env.Do("GET", fmt.Sprintf("/api/v1/editions/%d/dashboard", ed), leader, nil, 200, &d)
	if d.Counters.Amount != 752.5 || d.Counters.Agreements != 4 {
		t.Errorf("dashboard counters %+v, want 752.5 万元 of the two real amounts", d.Counters)
	}
	if res, _ := get(t, env, fmt.Sprintf("/editions/%d/dashboard", ed), leader, nil); res.StatusCode != 200 {
		t.Errorf("dashboard page %d", res.StatusCode)
	}
}
