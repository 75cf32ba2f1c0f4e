package reports

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// build writes a workbook and opens it again.
func (f *fixture) build(t *testing.T, req Request) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := f.r.Write(context.Background(), &buf, req); err != nil {
		t.Fatalf("write %s: %v", req.Name, err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen %s: %v", req.Name, err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// rows reads a sheet's raw values (numbers unformatted).
func rows(t *testing.T, x *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v (sheets %v)", sheet, err, x.GetSheetList())
	}
	return rs
}

// checkHeader compares a sheet's header row with the catalogue.
func (f *fixture) checkHeader(t *testing.T, x *excelize.File, sheet string, cols []column, lang string) {
	t.Helper()
	l := f.r.catalog.For(lang)
	head := rows(t, x, sheet)[0]
	if len(head) != len(cols) {
		t.Fatalf("%s header %v has %d columns, want %d", sheet, head, len(head), len(cols))
	}
	for i, c := range cols {
		if want := l.T(c.key, nil); head[i] != want {
			t.Errorf("%s header %d = %q, want %q", sheet, i, head[i], want)
		}
	}
	// The header row is frozen and filtered.
	panes, err := x.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s panes %+v, %v: header not frozen", sheet, panes, err)
	}
}

// column returns the values of one column below the header.
func col(rs [][]string, i int) []string {
	var out []string
	for _, r := range rs[1:] {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestProjectsWorkbook(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	x := f.build(t, Request{Name: "projects", EditionID: ed, Lang: "zh-CN", By: "tester"})
	if got := x.GetSheetList(); got[0] != "封面" || got[1] != "科创项目" {
		t.Fatalf("sheets %v", got)
	}
	f.checkHeader(t, x, "科创项目", projectColumns, "zh-CN")
	var want []struct {
		ID    int64  `db:"id"`
		Title string `db:"title"`
		Phone string `db:"contact_phone"`
		Del   string `db:"name"`
	}
	err := f.d.R.Select(&want, `SELECT p.id, p.title, p.contact_phone, d.name FROM projects p
		JOIN delegations d ON d.id = p.delegation_id WHERE p.edition_id = ? ORDER BY d.name, p.kind, p.id`, ed)
	if err != nil {
		t.Fatal(err)
	}
	rs := rows(t, x, "科创项目")
	if len(rs)-1 != len(want) {
		t.Fatalf("%d project rows, database has %d", len(rs)-1, len(want))
	}
	var ids, titles, phones, dels []string
	for _, w := range want {
		ids = append(ids, strconv.FormatInt(w.ID, 10))
		titles, phones, dels = append(titles, w.Title), append(phones, w.Phone), append(dels, w.Del)
	}
	eq(t, "ids", col(rs, 0), ids)
	eq(t, "delegations", col(rs, 1), dels)
	eq(t, "titles", col(rs, 3), titles)
	eq(t, "phones", col(rs, 8), phones)
	if v, _ := x.GetCellValue("科创项目", "G2"); v != "芯片、传感器" {
		t.Errorf("keywords %q", v)
	}
	// The cover names the edition, the filter and the time.
	cover := rows(t, x, "封面")
	if cover[0][0] != "第3届天府科技云服务大会 · 科创项目" || cover[7][1] != "代表团：全部代表团" ||
		cover[8][1] != "2024-01-18 10:30:00 （北京时间）" || cover[9][1] != "tester" {
		t.Errorf("cover %q", cover)
	}
}

// TestFormulaStaysText: typed text that looks like a formula is written
// as a string cell with no formula, in a streamed sheet and on the cover.
func TestFormulaStaysText(t *testing.T) {
	f := seed(t)
	x := f.build(t, Request{Name: "projects", EditionID: f.editions[2], Lang: "zh-CN", By: "=cmd|' /C calc'!A0"})
	rs := rows(t, x, "科创项目")
	found := false
	for i, r := range rs {
		for j, v := range r {
			if v != formula && v != "+86 138 0000 0000" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, err := x.GetCellType("科创项目", cell)
			if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s %q has type %v, want a string cell", cell, v, typ)
			}
			if fm, _ := x.GetCellFormula("科创项目", cell); fm != "" {
				t.Errorf("%s became formula %q", cell, fm)
			}
			found = found || v == formula
		}
	}
	if !found {
		t.Fatalf("the formula-like title is not in the sheet")
	}
	if typ, _ := x.GetCellType("封面", "B10"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("cover 'by' cell has type %v", typ)
	}
	if fm, _ := x.GetCellFormula("封面", "B10"); fm != "" {
		t.Errorf("cover cell became formula %q", fm)
	}
}

func TestSignedAndPairingsWorkbooks(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	x := f.build(t, Request{Name: "signed", EditionID: ed, Lang: "zh-CN"})
	f.checkHeader(t, x, "签约项目", signedColumns, "zh-CN")
	var want []struct {
		ID     int64   `db:"id"`
		Amount float64 `db:"amount_wan"`
		Sig    string  `db:"signatories"`
	}
	if err := f.d.R.Select(&want, `SELECT id, amount_wan, signatories FROM pairings
		WHERE edition_id = ? AND stage IN ('agreement','signed') ORDER BY signed_on, id`, ed); err != nil {
		t.Fatal(err)
	}
	rs := rows(t, x, "签约项目")
	if len(want) != 2 || len(rs)-1 != len(want) {
		t.Fatalf("%d signed rows, database has %d", len(rs)-1, len(want))
	}
	for i, w := range want {
		r := rs[i+1]
		got, _ := strconv.ParseFloat(r[9], 64)
		if r[0] != strconv.FormatInt(w.ID, 10) || got != w.Amount || r[11] != w.Sig || r[2] != "成都市科协" || r[5] != "绵阳市科协" {
			t.Errorf("signed row %d = %q, want %+v", i, r, w)
		}
	}
	// Dates are date cells shown as yyyy-mm-dd.
	if v, _ := x.GetCellValue("签约项目", "K2"); v != "2024-01-19" {
		t.Errorf("signed on shows %q", v)
	}

	x = f.build(t, Request{Name: "pairings", EditionID: ed, Lang: "zh-CN"})
	f.checkHeader(t, x, "供需对接", pairingColumns, "zh-CN")
	var n int
	if err := f.d.R.Get(&n, `SELECT COUNT(*) FROM pairings WHERE edition_id = ?`, ed); err != nil {
		t.Fatal(err)
	}
	rs = rows(t, x, "供需对接")
	if len(rs)-1 != n {
		t.Fatalf("%d pairing rows, database has %d", len(rs)-1, n)
	}
	var table string
	if err := f.d.R.Get(&table, `SELECT CAST(table_no AS TEXT) FROM meetings WHERE edition_id = ?`, ed); err != nil {
		t.Fatal(err)
	}
	if rs[2][10] != table || rs[2][9] != "电子信息路演" || rs[2][6] != "有效对接" {
		t.Errorf("pairing with a meeting: %q", rs[2])
	}
}

func TestRoadshowsBoothsCheckinsWorkbooks(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	x := f.build(t, Request{Name: "roadshows", EditionID: ed, Lang: "en"})
	f.checkHeader(t, x, "Roadshows", roadshowColumns, "en")
	var mean float64
	if err := f.d.R.Get(&mean, `SELECT AVG(score) FROM scores`); err != nil {
		t.Fatal(err)
	}
	rs := rows(t, x, "Roadshows")
	if got, _ := strconv.ParseFloat(rs[1][10], 64); got != mean || rs[1][9] != "2" || rs[1][1] != "Roadshow" {
		t.Errorf("scored slot %q, want mean %v from 2 judges", rs[1], mean)
	}
	if len(rs) != 3 || len(rs[2]) > 10 && rs[2][10] != "" {
		t.Errorf("slots %q", rs)
	}
	if v, _ := x.GetCellValue("Roadshows", "D2"); v != "2024-01-18 10:30:00" {
		t.Errorf("start time %q, want Beijing time", v)
	}

	x = f.build(t, Request{Name: "booths", EditionID: ed, Lang: "zh-CN"})
	f.checkHeader(t, x, "展位", boothColumns, "zh-CN")
	var codes []string
	if err := f.d.R.Select(&codes, `SELECT code FROM booths WHERE edition_id = ? ORDER BY code`, ed); err != nil {
		t.Fatal(err)
	}
	rs = rows(t, x, "展位")
	eq(t, "booth codes", col(rs, 4), codes)
	if rs[1][7] != "绵阳市科协" || rs[1][8] != "2" || rs[3][6] != "空闲" {
		t.Errorf("booths %q", rs)
	}

	x = f.build(t, Request{Name: "checkins", EditionID: ed, Lang: "zh-CN"})
	f.checkHeader(t, x, "签到记录", checkinColumns, "zh-CN")
	var verdicts []string
	if err := f.d.R.Select(&verdicts, `SELECT verdict FROM scans WHERE edition_id = ? ORDER BY scanned_at, id`, ed); err != nil {
		t.Fatal(err)
	}
	rs = rows(t, x, "签到记录")
	l := f.r.catalog.For("zh-CN")
	for i := range verdicts {
		verdicts[i] = l.Label("reports.verdict", verdicts[i])
	}
	eq(t, "verdicts", col(rs, 9), verdicts)
	if last := rs[len(rs)-1]; last[10] != "无效码（伪造或损坏）" || last[11] != "-dev" {
		t.Errorf("rejected scan %q", last)
	}
}

// TestDelegationRowsOnly: a delegation's workbooks hold its own rows only.
func TestDelegationRowsOnly(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	cases := []struct {
		name, sheet string
		col         int
		query       string
	}{
		{"projects", "科创项目", 1, `SELECT COUNT(*) FROM projects WHERE delegation_id = ?`},
		{"booths", "展位", 7, `SELECT COUNT(*) FROM booths WHERE delegation_id = ?`},
		{"checkins", "签到记录", 8, `SELECT COUNT(*) FROM scans s JOIN attendees a ON a.id = s.attendee_id WHERE a.delegation_id = ?`},
		{"roadshows", "路演评分", 6, `SELECT COUNT(*) FROM slots s JOIN projects p ON p.id = s.project_id WHERE p.delegation_id = ?`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := f.build(t, Request{Name: c.name, EditionID: ed, DelegationID: f.mianyang, Lang: "zh-CN"})
			var n int
			if err := f.d.R.Get(&n, c.query, f.mianyang); err != nil {
				t.Fatal(err)
			}
			rs := rows(t, x, c.sheet)
			if len(rs)-1 != n || n == 0 {
				t.Fatalf("%d rows, the delegation has %d", len(rs)-1, n)
			}
			for _, v := range col(rs, c.col) {
				if v != "绵阳市科协" {
					t.Errorf("row of %q in 绵阳市科协's workbook", v)
				}
			}
			if v, _ := x.GetCellValue("封面", "B8"); v != "代表团：绵阳市科协" {
				t.Errorf("cover filter %q", v)
			}
		})
	}
	// A delegation of another edition is not a filter of this one.
	var other int64
	if err := f.d.R.Get(&other, `SELECT id FROM delegations WHERE edition_id = ? LIMIT 1`, f.editions[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.r.Write(context.Background(), &bytes.Buffer{}, Request{Name: "projects", EditionID: ed, DelegationID: other}); err == nil {
		t.Error("a delegation of another edition was accepted as a filter")
	}
}
