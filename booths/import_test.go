package booths

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"huizhan/internal/apperr"
	"huizhan/internal/sheet"
)

func boothWorkbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
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

var boothHeader = []any{"展区", "展位号", "面积（㎡）", "X", "Y", "宽", "深"}

func TestImportBadRowImportsNothing(t *testing.T) {
	f := newFixture(t, 0)
	f.booth(t, "Z99")
	data := boothWorkbook(t, [][]any{
		boothHeader,
		{"综合展区", "A01", 9, 2, 2, 3, 3},
		{"没有的展区", "A02", 9, 5, 2, 3, 3},  // row 3: unknown zone
		{"综合展区", "A03", "九", 8, 2, 3, 3}, // row 4: area not a number
		{"综合展区", "A01", 9, 11, 2, 3, 3},  // row 5: A01 twice
		{"综合展区", "z99", 9, 14, 2, 3, 3},  // row 6: exists already
		{"综合展区", "A06", 9, -1, 2, 3, 3},  // row 7: negative x
	})
	_, err := f.store.Import(ctxb(), f.edition.ID, bytes.NewReader(data), "booths.xlsx", sheet.Limits{})
	ae := wantKind(t, err, apperr.Invalid, "sheet.rows_invalid")
	type at struct {
		row int
		col string
	}
	got := map[at]string{}
	for _, d := range ae.Details {
		got[at{d.Row, d.Column}] = d.Key
	}
	want := map[at]string{
		{3, "展区"}: "booth.zone_unknown", {4, "面积"}: "sheet.not_number", {5, "展位号"}: "booth.code_taken",
		{6, "展位号"}: "booth.code_taken", {7, "X"}: "booth.coord_range",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("row %d column %s: %q, want %q (all: %v)", k.row, k.col, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("details %v, want %v", got, want)
	}
	if _, total, _ := f.store.Booths(ctxb(), f.edition.ID, Filter{}, webPage()); total != 1 {
		t.Errorf("%d booths after a failed import, want 1", total)
	}

	good := boothWorkbook(t, [][]any{boothHeader, {"综合展区", "a01", "", 2, 2, 4, 3}, {"综合展区", "A02", 12, 6, 2, "", ""}})
	n, err := f.store.Import(ctxb(), f.edition.ID, bytes.NewReader(good), "booths.xlsx", sheet.Limits{})
	if err != nil || n != 2 {
		t.Fatalf("import: %d %v", n, err)
	}
	bs, _, _ := f.store.Booths(ctxb(), f.edition.ID, Filter{}, webPage())
	if bs[0].Code != "A01" || bs[0].AreaM2 != 12 || bs[0].W != 4 || bs[1].Code != "A02" || bs[1].AreaM2 != 12 || bs[1].W != 3 {
		t.Errorf("imported %+v", bs[:2])
	}
}
