package reports

import (
	"math"
	"strconv"
	"testing"
)

func TestGrowth(t *testing.T) {
	cases := []struct {
		prev, cur float64
		rate      float64
		ok        bool
		shown     string
	}{
		{11, 20, 9.0 / 11, true, "+81.82%"},
		{20, 11, -9.0 / 20, true, "-45.00%"},
		{5, 5, 0, true, "0.00%"},
		{0, 7, 0, false, "—"},
		{0, 0, 0, false, "—"},
		{4, 0, -1, true, "-100.00%"},
		{3, 4, 1.0 / 3, true, "+33.33%"},
	}
	for _, c := range cases {
		rate, ok := Growth(c.prev, c.cur)
		if ok != c.ok || math.Abs(rate-c.rate) > 1e-12 {
			t.Errorf("Growth(%v, %v) = %v, %v; want %v, %v", c.prev, c.cur, rate, ok, c.rate, c.ok)
		}
		if got := FormatGrowth(c.prev, c.cur); got != c.shown {
			t.Errorf("FormatGrowth(%v, %v) = %q, want %q", c.prev, c.cur, got, c.shown)
		}
		cell := growthCell(c.prev, c.cur)
		if _, isText := cell.(string); isText == c.ok {
			t.Errorf("growthCell(%v, %v) = %#v", c.prev, c.cur, cell)
		}
	}
}

func TestFunnel(t *testing.T) {
	got := funnel(map[string]int{"proposed": 4, "met": 2, "signed": 1, "dropped": 9})
	want := []int{7, 3, 3, 1, 1, 1, 1}
	for i, s := range got {
		if s.Reached != want[i] {
			t.Errorf("%s reached %d, want %d", s.Stage, s.Reached, want[i])
		}
	}
}

// TestSummaryWorkbook reads the summary back: Mianyang 11 → 20 projects
// is +81.82%, Chengdu 0 → 5 has no rate, the cumulative totals add up,
// and the three charts are there.
func TestSummaryWorkbook(t *testing.T) {
	f := seed(t)
	ed := f.editions[2]
	x := f.build(t, Request{Name: "summary", EditionID: ed, Lang: "zh-CN"})
	want := []string{"封面", "总览", "按代表团", "按展区", "按类型", "按产业领域", "对接阶段", "每日签到"}
	if got := x.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	rs := rows(t, x, "按代表团")
	eq(t, "header", rs[0], []string{"代表团", "第1届", "第2届", "第3届", "较上届增长", "历届累计"})
	byName := map[string][]string{}
	for _, r := range rs[1:] {
		byName[r[0]] = r
	}
	count := func(ed int64, name string) string {
		var n int
		if err := f.d.R.Get(&n, `SELECT COUNT(*) FROM projects p JOIN delegations d ON d.id = p.delegation_id
			WHERE p.edition_id = ? AND d.name = ?`, ed, name); err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(n)
	}
	for _, name := range []string{"绵阳市科协", "成都市科协"} {
		r := byName[name]
		for i, e := range f.editions {
			if r[i+1] != count(e, name) {
				t.Errorf("%s edition %d: %s, database %s", name, i+1, r[i+1], count(e, name))
			}
		}
	}
	m := byName["绵阳市科协"]
	if g, _ := strconv.ParseFloat(m[4], 64); m[2] != "11" || m[3] != "21" || math.Abs(g-10.0/11) > 1e-9 {
		t.Errorf("Mianyang %q: want 11 → 21 and growth 10/11", m)
	}
	if v, _ := x.GetCellValue("按代表团", "E2"); v != "+90.91%" {
		t.Errorf("growth shown as %q", v)
	}
	if c := byName["成都市科协"]; c[4] != "—" || c[5] != "7" {
		t.Errorf("Chengdu %q: growth from zero must be —, cumulative 7", c)
	}
	if total := byName["合计"]; total == nil || total[3] != "25" {
		t.Errorf("total line %q", total)
	}
	for _, part := range []string{"xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"} {
		if _, ok := x.Pkg.Load(part); !ok {
			t.Errorf("no %s: a chart is missing", part)
		}
	}
	st := rows(t, x, "对接阶段")
	if st[1][2] != "4" || st[6][2] != "2" || st[7][2] != "1" {
		t.Errorf("funnel %q", st)
	}
	days := rows(t, x, "每日签到")
	if len(days) != 3 || days[1][0] != "2024-01-18" || days[1][1] != "2" || days[2][1] != "1" {
		t.Errorf("check-ins per day %q", days)
	}
	ov := rows(t, x, "总览")
	for _, r := range ov[1:] {
		if r[0] == "签约金额（万元）" && r[3] != "752.5" {
			t.Errorf("signed amount %q", r)
		}
	}
}

// TestSummaryOfDelegation limits every figure to one delegation by name,
// across editions.
func TestSummaryOfDelegation(t *testing.T) {
	f := seed(t)
	s, err := f.r.Summary(t.Context(), f.editions[2], "绵阳市科协")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ByDelegation.Rows) != 1 || s.ByDelegation.Rows[0].Name != "绵阳市科协" {
		t.Fatalf("by delegation %+v", s.ByDelegation.Rows)
	}
	if got := s.ByDelegation.Rows[0].Values; got[0] != 5 || got[1] != 11 || got[2] != 21 {
		t.Errorf("values %v", got)
	}
	if c := s.Counters(); c.Checkins != 2 || c.Pairings != 4 {
		t.Errorf("counters %+v", c)
	}
}
