package reports

import (
	"fmt"
)

// cover writes the first sheet: what the workbook is, of which edition,
// for whom, and when it was made.
func (j *job) cover() error {
	b := j.b
	name, err := b.sheetName("reports.sheet.cover")
	if err != nil {
		return err
	}
	everyone := b.T("reports.all_delegations")
	filter := everyone
	if j.delegation != "" {
		filter = j.delegation
	}
	by := j.req.By
	if by == "" {
		by = "—"
	}
	rows := [][2]any{
		{b.T("reports.cover.report"), b.label("reports.name", j.req.Name)},
		{b.T("reports.cover.edition"), j.ed.Name},
		{b.T("reports.cover.number"), j.ed.Number},
		{b.T("reports.cover.dates"), j.ed.StartsOn.Format("2006-01-02") + " – " + j.ed.EndsOn.Format("2006-01-02")},
		{b.T("reports.cover.city"), j.ed.City},
		{b.T("reports.cover.filter"), b.T("reports.cover.delegation") + filter},
		{b.T("reports.cover.generated"), j.at.In(china).Format("2006-01-02 15:04:05") + " " + b.T("reports.cover.beijing")},
		{b.T("reports.cover.by"), by},
	}
	f := b.f
	if err := f.SetCellValue(name, "A1", j.ed.Name+" · "+b.label("reports.name", j.req.Name)); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", "A1", b.title); err != nil {
		return err
	}
	for i, r := range rows {
		row := i + 3
		if err := f.SetCellStyle(name, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), b.header); err != nil {
			return err
		}
		for c, v := range r {
			cell := fmt.Sprintf("%c%d", 'A'+c, row)
			var err error
			if s, ok := v.(string); ok {
				err = f.SetCellStr(name, cell, s) // names typed by people stay text
			} else {
				err = f.SetCellValue(name, cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(name, "A", "A", 16); err != nil {
		return err
	}
	return f.SetColWidth(name, "B", "B", 60)
}
