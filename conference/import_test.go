package conference

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/sheet"
	"huizhan/internal/web"
)

var importHeader = []string{"*项目类别", "*项目名称", "*产业领域", "项目简介", "所属单位", "关键词", "联系人", "联系电话", "重大发布"}

// projectWorkbook builds an import workbook from rows of text cells.
func projectWorkbook(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append([][]string{importHeader}, rows...) {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = excelize.Cell{Value: v} // strings stay strings, = included
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func goodRow(i int) []string {
	return []string{"科技成果", fmt.Sprintf("锂电池储能系统第%d代", i), "双碳与新能源", "简介", "西南科技大学", "锂电池、储能", "张三", "0816-1234567", "否"}
}

func (f projectFixture) importFile(t *testing.T, a *web.Identity, del int64, data []byte, name string) (int, error) {
	t.Helper()
	return f.s.ImportProjects(context.Background(), a, f.edition.ID, del, bytes.NewReader(data), name, ImportOptions{})
}

func (f projectFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.s.Projects(context.Background(), f.organiser, f.edition.ID, ProjectFilter{}, web.Paging{Page: 1, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportGoodWorkbook(t *testing.T) {
	f := newProjectFixture(t)
	rows := [][]string{goodRow(1), goodRow(2),
		{"科技需求", "=HYPERLINK(\"http://x\")", "电子信息", "+86 前缀", "-负号单位", "@提及", "", "", "是"},
		{"demand", "  English kind code  ", "生命健康"},
	}
	n, err := f.importFile(t, f.delegation, 0, projectWorkbook(t, rows), "p.xlsx")
	if err != nil || n != 4 {
		t.Fatalf("imported %d, %v", n, err)
	}
	ps, _, _ := f.s.Projects(context.Background(), f.organiser, f.edition.ID, ProjectFilter{Kind: KindDemand}, web.Paging{Page: 1, PerPage: 50})
	if len(ps) != 2 {
		t.Fatalf("demands %+v", ps)
	}
	formula := ps[0] // major first
	if formula.Title != `=HYPERLINK("http://x")` || formula.Summary != "+86 前缀" || formula.Organisation != "-负号单位" ||
		formula.Keywords[0] != "@提及" || !formula.Major || formula.DelegationID != f.mianyang.ID {
		t.Errorf("formula-like text not kept as text: %+v", formula)
	}
	if ps[1].Title != "English kind code" {
		t.Errorf("trimmed title %q", ps[1].Title)
	}
}

func TestImportBadRowsImportsNothing(t *testing.T) {
	f := newProjectFixture(t)
	f.create(t, f.delegation, 0, "已登记的项目")
	rows := [][]string{
		goodRow(1),
		{"科技成果", "", "双碳与新能源"}, // row 3: no title
		goodRow(2),
		{"魔法", "新项目", "炼金术"}, // row 5: kind and industry
		goodRow(1),           // row 6: repeats row 2
		{"科技成果", "已登记的项目", "先进材料"},                                // row 7: exists already
		{"科技成果", "电话不对", "先进材料", "", "", "", "", "call me", "也许"}, // row 8
	}
	_, err := f.importFile(t, f.delegation, 0, projectWorkbook(t, rows), "p.xlsx")
	wantErr(t, err, apperr.Invalid, "sheet.rows_invalid")
	ae, _ := apperr.As(err)
	var got []string
	for _, d := range ae.Details {
		got = append(got, fmt.Sprintf("%d %s %s", d.Row, d.Column, d.Key))
	}
	want := []string{
		"3 项目名称 sheet.required",
		"5 项目类别 sheet.choice", "5 产业领域 sheet.choice",
		"6 项目名称 project.duplicate_in_file",
		"7 项目名称 project.duplicate_existing",
		"8 重大发布 sheet.not_bool",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("details:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := f.count(t); n != 1 {
		t.Errorf("%d projects after a refused import, want the 1 from before", n)
	}
	// With row 8's bool fixed, the phone is the next thing wrong.
	rows[6][8] = "否"
	_, err = f.importFile(t, f.delegation, 0, projectWorkbook(t, rows[6:]), "p.xlsx")
	if ae, _ := apperr.As(err); ae == nil || len(ae.Details) != 1 || ae.Details[0].Column != "联系电话" || ae.Details[0].Row != 2 {
		t.Errorf("phone error %v", err)
	}
}

func TestImportGBKCSV(t *testing.T) {
	f := newProjectFixture(t)
	text := "项目类别,项目名称,产业领域,项目简介,所属单位,关键词\r\n" +
		"科技成果,高分子功能薄膜材料研究,先进材料,功能薄膜,龙华光电薄膜公司,薄膜；光电\r\n" +
		"科技需求,\"=1+2\",食品饮料,,,\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.importFile(t, f.organiser, f.mianyang.ID, []byte(gbk), "项目.csv")
	if err != nil || n != 2 {
		t.Fatalf("imported %d, %v", n, err)
	}
	ps, _, _ := f.s.Projects(context.Background(), f.organiser, f.edition.ID, ProjectFilter{Q: "薄膜"}, web.Paging{Page: 1, PerPage: 5})
	if len(ps) != 1 || ps[0].Organisation != "龙华光电薄膜公司" || strings.Join(ps[0].Keywords, ",") != "薄膜,光电" {
		t.Errorf("GBK project %+v", ps)
	}
}

func TestImportRefusesOversizedAndZipBombs(t *testing.T) {
	f := newProjectFixture(t)
	// A bomb says in its zip headers how large it inflates (Go's zip
	// reader refuses data beyond the declared size), so the declared 4 GB
	// is what excelize's UnzipSizeLimit sees before inflating anything.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 5, UncompressedSize64: 4 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0, 0, 0, 0})
	zw.Close()
	_, err = f.importFile(t, f.delegation, 0, bomb.Bytes(), "bomb.xlsx")
	wantErr(t, err, apperr.TooLarge, "sheet.unzip_too_large")

	big := projectWorkbook(t, [][]string{goodRow(1)})
	_, err = f.s.ImportProjects(context.Background(), f.delegation, f.edition.ID, 0, bytes.NewReader(big), "p.xlsx",
		ImportOptions{Limits: sheet.Limits{MaxBytes: 1024}})
	wantErr(t, err, apperr.TooLarge, "sheet.too_large")
	if f.count(t) != 0 {
		t.Error("a refused file imported projects")
	}
}

func TestImportOrganiserNeedsDelegationOfEdition(t *testing.T) {
	f := newProjectFixture(t)
	data := projectWorkbook(t, [][]string{goodRow(1)})
	_, err := f.importFile(t, f.organiser, 0, data, "p.xlsx")
	wantErr(t, err, apperr.Invalid, "error.invalid_fields")
	_, err = f.importFile(t, f.delegation, f.chengdu.ID, data, "p.xlsx")
	wantErr(t, err, apperr.Forbidden, "project.not_yours")
	_, err = f.importFile(t, f.leader, f.chengdu.ID, data, "p.xlsx")
	wantErr(t, err, apperr.Forbidden, "")
}

// FuzzProjectRow feeds arbitrary cells to the row parser: it must not
// panic, and a row it accepts must pass the same checks as the API.
func FuzzProjectRow(f *testing.F) {
	f.Add("科技成果", "锂电池", "先进材料", "简介", "单位", "a、b", "张三", "123", "是")
	f.Add("demand", "=1+1", "电子信息", "", "", ";;;", "", "+86", "")
	f.Add("", "", "", "", "", "", "", "", "maybe")
	industries := []string{"电子信息", "先进材料", "装备制造"}
	rp := newRowParser(1, industries)
	set := map[string]bool{}
	for _, n := range industries {
		set[n] = true
	}
	f.Fuzz(func(t *testing.T, kind, title, industry, summary, org, kw, name, phone, major string) {
		r := sheet.NewRow(2, importColumns, map[string]string{"kind": kind, "title": title, "industry": industry,
			"summary": summary, "organisation": org, "keywords": kw, "contact_name": name, "contact_phone": phone, "major": major})
		in := rp.parse(r)
		for _, d := range r.Errors() {
			if d.Row != 2 || d.Column == "" || d.Key == "" {
				t.Fatalf("bad detail %+v", d)
			}
		}
		if r.OK() {
			if p := in.Problems(set); len(p) > 0 {
				t.Fatalf("accepted row has problems %+v: %+v", p, in)
			}
			if in.Title != strings.TrimSpace(in.Title) || in.Title == "" {
				t.Fatalf("title %q", in.Title)
			}
		}
	})
}

// An import indexes its rows for search in one statement at the end (see
// FTS5Search.Bulk); projects created one by one before and after it must
// still be found, so the trigger is back on once the import is done.
func TestImportedProjectsAreSearchable(t *testing.T) {
	f := newProjectFixture(t)
	ctx := context.Background()
	f.create(t, f.delegation, 0, "导入之前的锂电池项目")
	rows := [][]string{
		{"科技成果", "钙钛矿光伏组件", "双碳与新能源", "柔性钙钛矿叠层电池", "绵阳光伏研究院", "光伏、储能"},
		{"科技需求", "锂电池回收工艺需求", "先进材料", "", "", "回收"},
	}
	if n, err := f.importFile(t, f.delegation, 0, projectWorkbook(t, rows), "p.xlsx"); err != nil || n != 2 {
		t.Fatalf("imported %d, %v", n, err)
	}
	f.create(t, f.delegation, 0, "导入之后的锂电隔膜项目")
	for q, want := range map[string]int{"钙钛矿": 1, "光伏": 1, "叠层电池": 1, "锂电": 3, "锂电池": 2, "隔膜": 1, "回收": 1} {
		if _, n, err := f.s.Projects(ctx, f.organiser, f.edition.ID, ProjectFilter{Q: q}, web.Paging{Page: 1, PerPage: 5}); err != nil || n != want {
			t.Errorf("search %q: %d matches (%v), want %d", q, n, err, want)
		}
	}
	if f.s.db.Dialect() != db.SQLite {
		return // PostgreSQL's index defers nothing
	}
	var deferred int
	if err := f.s.db.R.Get(&deferred, `SELECT COUNT(*) FROM projects_fts_deferred`); err != nil || deferred != 0 {
		t.Errorf("deferral left on: %d, %v", deferred, err)
	}
}

// TestFullWorkbookFitsTheDefaultLimits: a workbook at the row limit, with
// realistic Chinese content, inflates within the default unzip limit that
// the row limit sets; only crafted files are refused for their size.
func TestFullWorkbookFitsTheDefaultLimits(t *testing.T) {
	data := importWorkbook(t, sheet.DefaultMaxRows)
	s, err := sheet.Open(bytes.NewReader(data), "p.xlsx", importColumns, sheet.Limits{})
	if err != nil {
		t.Fatalf("a %d-row workbook of %d KB: %v", sheet.DefaultMaxRows, len(data)>>10, err)
	}
	s.Close()
}
