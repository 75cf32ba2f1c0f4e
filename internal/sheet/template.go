package sheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Template describes an import template workbook: a data sheet with the
// headers, drop-down lists and example rows, and an instructions sheet.
type Template struct {
	Sheet        string     // name of the data sheet, e.g. "项目"
	Columns      []Column   // headers come from Column.Name(); required ones are marked with *
	Widths       []float64  // column widths; missing ones default to 16
	Choices      [][]string // per column, the drop-down list (nil: free text)
	Examples     [][]string // example rows under the header
	Instructions []string   // lines of the instructions sheet
	InfoSheet    string     // name of the instructions sheet, e.g. "填写说明"
	ValidRows    int        // how many rows the drop-downs cover; default 5000
}

// Write writes the workbook as .xlsx. Every cell is written as a string,
// so example text starting with = is not taken for a formula.
func (t Template) Write(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := t.writeData(f); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := t.writeChoices(f); err != nil {
		return fmt.Errorf("template: drop-downs: %w", err)
	}
	if err := t.writeInfo(f); err != nil {
		return fmt.Errorf("template: instructions: %w", err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("template: write: %w", err)
	}
	return nil
}

func (t Template) writeData(f *excelize.File) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF1F5"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": cells typed later stay text
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		h := c.Name()
		if c.Required {
			h = "*" + h
		}
		if err := f.SetCellStr(t.Sheet, col+"1", h); err != nil {
			return err
		}
		width := 16.0
		if i < len(t.Widths) {
			width = t.Widths[i]
		}
		if err := f.SetColWidth(t.Sheet, col, col, width); err != nil {
			return err
		}
		if err := f.SetColStyle(t.Sheet, col, text); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(max(len(t.Columns), 1))
	if err := f.SetCellStyle(t.Sheet, "A1", last+"1", bold); err != nil {
		return err
	}
	for r, ex := range t.Examples {
		for i, v := range ex {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			if err := f.SetCellStr(t.Sheet, cell, v); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(t.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// writeChoices adds the drop-down lists. The choices live on a hidden
// sheet and the validation refers to their range, since an inline list is
// capped at 255 characters and organisers keep adding industries.
func (t Template) writeChoices(f *excelize.File) error {
	const lists = "_lists"
	created := false
	rows := t.ValidRows
	if rows <= 0 {
		rows = 5000
	}
	for i, choices := range t.Choices {
		if len(choices) == 0 || i >= len(t.Columns) {
			continue
		}
		if !created {
			if _, err := f.NewSheet(lists); err != nil {
				return err
			}
			created = true
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		for j, v := range choices {
			if err := f.SetCellStr(lists, fmt.Sprintf("%s%d", col, j+1), v); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, rows+1)
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$1:$%s$%d", lists, col, col, len(choices)))
		dv.SetError(excelize.DataValidationErrorStyleStop, "", "请从下拉列表中选择 / choose from the list")
		if err := f.AddDataValidation(t.Sheet, dv); err != nil {
			return err
		}
	}
	if created {
		return f.SetSheetVisible(lists, false)
	}
	return nil
}

func (t Template) writeInfo(f *excelize.File) error {
	if len(t.Instructions) == 0 {
		return nil
	}
	name := t.InfoSheet
	if name == "" {
		name = "说明"
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "A", "A", 100); err != nil {
		return err
	}
	for i, line := range t.Instructions {
		if err := f.SetCellStr(name, fmt.Sprintf("A%d", i+1), line); err != nil {
			return err
		}
	}
	return nil
}

// ChoiceLabels joins labels for messages and instructions.
func ChoiceLabels(labels []string) string { return strings.Join(labels, "、") }
