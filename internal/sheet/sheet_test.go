package sheet

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"huizhan/internal/apperr"
)

var testCols = []Column{
	{Key: "title", Headers: []string{"名称", "title"}, Required: true},
	{Key: "count", Headers: []string{"数量", "count"}},
	{Key: "day", Headers: []string{"日期", "date"}},
	{Key: "kind", Headers: []string{"类别"}},
}

// workbook builds an .xlsx whose first sheet holds rows; every cell is a
// string except those given as numbers.
func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if s, ok := v.(string); ok {
				err = f.SetCellStr("Sheet1", cell, s)
			} else {
				err = f.SetCellValue("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type readRow struct {
	Num   int
	Title string
	Count int64
	Day   string
	Errs  []string
}

func readAll(t *testing.T, data []byte, name string, lim Limits) ([]readRow, error) {
	t.Helper()
	s, err := Open(bytes.NewReader(data), name, testCols, lim)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []readRow
	for s.Next() {
		r := s.Row()
		rr := readRow{Num: r.Num, Title: r.Required("title")}
		rr.Count, _ = r.Int("count")
		if d, ok := r.Date("day"); ok {
			rr.Day = d.String()
		}
		for _, e := range r.Errors() {
			rr.Errs = append(rr.Errs, e.Column+":"+e.Key)
		}
		out = append(out, rr)
	}
	return out, s.Err()
}

func TestXLSXRowsAndTypes(t *testing.T) {
	data := workbook(t, [][]any{
		{"* 名称（必填）", "数量", "日期", "备注"},
		{"  锂电池寿命预估\u3000", 12, 45309, "x"}, // 45309 is 2024-01-18 as a date cell
		{}, // blank rows are skipped, numbering stays physical
		{"=SUM(A1:A2)", "3.0", "2024年1月18日"},
		{"", "abc", "2024-02-30"},
		{"+86 138", "", "2024/1/9"},
	})
	rows, err := readAll(t, data, "p.xlsx", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []readRow{
		{Num: 2, Title: "锂电池寿命预估", Count: 12, Day: "2024-01-18"},
		{Num: 4, Title: "=SUM(A1:A2)", Count: 3, Day: "2024-01-18"},
		{Num: 5, Errs: []string{"名称:sheet.required", "数量:sheet.not_integer", "日期:sheet.not_date"}},
		{Num: 6, Title: "+86 138", Day: "2024-01-09"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v, want %+v", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i].Errs, ",") != strings.Join(want[i].Errs, ",") ||
			rows[i].Num != want[i].Num || rows[i].Title != want[i].Title ||
			rows[i].Count != want[i].Count || rows[i].Day != want[i].Day {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
}

func TestCSVEncodings(t *testing.T) {
	text := "名称,数量,日期\n高分子功能薄膜材料研究,2,2024-01-18\n\"@cmd,x\",-1,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"utf8": text, "utf8-bom": "\ufeff" + text, "gbk": gbk,
		"tabs": "名称\t数量\t日期\n高分子功能薄膜材料研究\t2\t2024-01-18\n@cmd,x\t-1\t\n",
	} {
		t.Run(name, func(t *testing.T) {
			rows, err := readAll(t, []byte(data), "p.csv", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Title != "高分子功能薄膜材料研究" || rows[0].Count != 2 ||
				rows[0].Day != "2024-01-18" || rows[1].Title != "@cmd,x" || rows[1].Count != -1 || rows[1].Num != 3 {
				t.Errorf("rows %+v", rows)
			}
		})
	}
}

func kindOf(err error) (apperr.Kind, string) {
	ae, ok := apperr.As(err)
	if !ok {
		return apperr.Internal, err.Error()
	}
	return ae.Kind, ae.Key
}

func TestRefusals(t *testing.T) {
	big := workbook(t, [][]any{{"名称"}, {strings.Repeat("长", 100)}})
	manyRows := "名称\n" + strings.Repeat("a\n", 11)
	wide := "名称" + strings.Repeat(",x", 10) + "\n"
	ole := append(append([]byte{}, oleMagic...), make([]byte, 100)...)
	cases := []struct {
		name string
		data []byte
		file string
		lim  Limits
		kind apperr.Kind
		key  string
	}{
		{"too large", big, "a.xlsx", Limits{MaxBytes: 1000}, apperr.TooLarge, "sheet.too_large"},
		{"zip bomb", zipBomb(t, 50<<20), "a.xlsx", Limits{MaxUnzip: 10 << 20}, apperr.TooLarge, "sheet.unzip_too_large"},
		// The default inflated limit follows the row limit: 190 MB is far
		// more than 20,000 rows need.
		{"zip bomb at the defaults", zipBomb(t, 190<<20), "a.xlsx", Limits{}, apperr.TooLarge, "sheet.unzip_too_large"},
		{"too many rows", []byte(manyRows), "a.csv", Limits{MaxRows: 10}, apperr.TooLarge, "sheet.too_many_rows"},
		{"too many columns", []byte(wide), "a.csv", Limits{MaxColumns: 5}, apperr.Invalid, "sheet.too_many_columns"},
		{"a line of separators", []byte("名称\n" + strings.Repeat(",", 1<<20)), "a.csv", Limits{}, apperr.Invalid, "sheet.too_many_columns"},
		{"old xls", ole, "a.xls", Limits{}, apperr.Invalid, "sheet.xls_unsupported"},
		{"broken zip", []byte("PK\x03\x04garbage"), "a.xlsx", Limits{}, apperr.Invalid, "sheet.unreadable"},
		{"empty", []byte(" \n"), "a.csv", Limits{}, apperr.Invalid, "sheet.empty"},
		{"no title column", []byte("数量\n1\n"), "a.csv", Limits{}, apperr.Invalid, "sheet.missing_columns"},
		{"binary", []byte("名称\n\x00\x01\x02"), "a.csv", Limits{}, apperr.Invalid, "sheet.unreadable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(t, c.data, c.file, c.lim)
			if err == nil {
				t.Fatal("no error")
			}
			if k, key := kindOf(err); k != c.kind || key != c.key {
				t.Errorf("error %v (kind %d, key %s), want kind %d key %s", err, k, key, c.kind, c.key)
			}
		})
	}
}

// zipBomb is a small .xlsx-shaped zip whose one worksheet inflates to n bytes.
func zipBomb(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < n; i += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > n/100 {
		t.Fatalf("bomb is %d bytes: not much of a bomb", buf.Len())
	}
	return buf.Bytes()
}

func TestCellTooLong(t *testing.T) {
	rows, err := readAll(t, []byte("名称\n"+strings.Repeat("字", 11)+"\n"), "a.csv", Limits{MaxCellRunes: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || len(rows[0].Errs) != 1 || rows[0].Errs[0] != "名称:sheet.too_long" {
		t.Errorf("rows %+v", rows)
	}
}

func TestGetters(t *testing.T) {
	cols := []Column{{Key: "b"}, {Key: "c"}, {Key: "l"}, {Key: "f"}}
	r := NewRow(7, cols, map[string]string{"b": "是", "c": "科技需求", "l": "锂电池, 储能、寿命；；", "f": "1,234.5"})
	if !r.Bool("b") {
		t.Error("是 is not true")
	}
	if got := r.Choice("c", map[string]string{"科技成果": "achievement", "科技需求": "demand"}, []string{"科技成果", "科技需求"}); got != "demand" {
		t.Errorf("choice %q", got)
	}
	if got := strings.Join(r.List("l"), "|"); got != "锂电池|储能|寿命" {
		t.Errorf("list %q", got)
	}
	if f, ok := r.Float("f"); !ok || f != 1234.5 {
		t.Errorf("float %v %v", f, ok)
	}
	if !r.OK() {
		t.Errorf("errors %+v", r.Errors())
	}
	bad := NewRow(8, cols, map[string]string{"b": "maybe", "c": "other"})
	bad.Bool("b")
	bad.Choice("c", map[string]string{"科技成果": "achievement"}, []string{"科技成果"})
	if len(bad.Errors()) != 2 || bad.Errors()[0].Row != 8 || bad.Errors()[1].Args["Options"] != "科技成果" {
		t.Errorf("errors %+v", bad.Errors())
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"* 项目名称（必填）": "项目名称", "Title (required)": "title", "\ufeff名称": "名称", "联系 电话": "联系电话"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	tpl := Template{Sheet: "项目", InfoSheet: "填写说明", Columns: testCols,
		Choices:      [][]string{nil, nil, nil, {"甲", "乙"}},
		Examples:     [][]string{{"=示例", "1", "2024-01-18", "甲"}},
		Instructions: []string{"第一行是表头"}}
	var buf bytes.Buffer
	if err := tpl.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); got[0] != "项目" || !contains(got, "填写说明") {
		t.Errorf("sheets %v", got)
	}
	dvs, err := f.GetDataValidations("项目")
	if err != nil || len(dvs) != 1 || !strings.HasPrefix(dvs[0].Sqref, "D2:") {
		t.Errorf("validations %+v %v", dvs, err)
	}
	if fm, _ := f.GetCellFormula("项目", "A2"); fm != "" {
		t.Errorf("example became a formula %q", fm)
	}
	rows, err := readAll(t, buf.Bytes(), "t.xlsx", Limits{})
	if err != nil || len(rows) != 1 || rows[0].Title != "=示例" || rows[0].Day != "2024-01-18" {
		t.Errorf("template reads back as %+v, %v", rows, err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// FuzzCSV feeds arbitrary bytes through the reader: it must never panic,
// and every row must carry a positive row number.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("名称,数量,日期\nA,1,2024-01-18\n"))
	f.Add([]byte("名称\n\"unterminated\n"))
	f.Add([]byte("\xc3\xfb\xb3\xc6\n\xb2\xe2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(bytes.NewReader(data), "f.csv", testCols, Limits{MaxRows: 50})
		if err != nil {
			return
		}
		defer s.Close()
		for s.Next() {
			r := s.Row()
			r.Required("title")
			r.Int("count")
			r.Date("day")
			if r.Num <= s.HeaderRow() {
				t.Fatalf("row %d not after header %d", r.Num, s.HeaderRow())
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-01-18", "45309", "2024年1月18日", "20240118", "1e308", "-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDate(s); ok && (d.Year() < 1899 || d.Year() > 9999) {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
	})
}
