package checkin

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"huizhan/internal/i18n"
)

// leadHeaders are the columns of a lead export, in Chinese: exhibitors
// open the file in Excel or WPS.
var leadHeaders = []string{"扫码时间", "展位", "姓名", "单位", "类别", "电话", "评分", "备注"}

// leadRows turns leads into export rows; zh names the categories.
func leadRows(ls []Lead, zh *i18n.Localizer) [][]string {
	rows := make([][]string, 0, len(ls))
	for _, l := range ls {
		rating := ""
		if l.Rating != nil {
			rating = strconv.Itoa(*l.Rating)
		}
		rows = append(rows, []string{l.ScannedAt.In(china).Format("2006-01-02 15:04"), l.BoothCode,
			l.Name, l.Organisation, zh.Label("checkin.category", l.Category), l.Phone, rating, l.Note})
	}
	return rows
}

// csvSafe keeps a cell that a spreadsheet would take for a formula (it
// begins with =, +, -, @ or a control character) as text, by putting an
// apostrophe before it: attendees type their own names and organisations.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// writeLeadsCSV writes UTF-8 with a byte-order mark, which Excel needs to
// read Chinese from a CSV.
func writeLeadsCSV(w io.Writer, rows [][]string) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return fmt.Errorf("leads csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(leadHeaders); err != nil {
		return fmt.Errorf("leads csv: %w", err)
	}
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, v := range r {
			safe[i] = csvSafe(v)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("leads csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// writeLeadsXLSX writes a workbook in which every cell is a string cell:
// text beginning with = stays text and is never evaluated.
func writeLeadsXLSX(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "线索"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("leads xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("leads xlsx: %w", err)
	}
	widths := []float64{18, 10, 14, 28, 12, 16, 8, 40}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("leads xlsx: %w", err)
		}
	}
	for i, r := range append([][]string{leadHeaders}, rows...) {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = excelize.Cell{Value: v} // a Go string: written as a string cell
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("leads xlsx: row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("leads xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("leads xlsx: write: %w", err)
	}
	return nil
}

// leadFileName names an export after the booth and the day.
func leadFileName(b BoothRef, ext string, now time.Time) string {
	return fmt.Sprintf("leads-booth-%d-%s.%s", b.ID, now.In(china).Format("20060102"), ext)
}
