package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// grid is a small sheet (the summary's tables) written with excelize's
// ordinary API, so charts can sit beside it. Rows after data (a totals
// line) are outside the auto-filter.
type grid struct {
	headers []string
	widths  []float64
	kind    func(row, col int) colKind // format of a data cell; row from 0
	rows    [][]any
	after   [][]any
}

// writeGrid writes g on a new sheet named by key and returns the sheet's
// name, as chart ranges need it.
func (b *book) writeGrid(key string, g grid) (string, error) {
	name, err := b.sheetName(key)
	if err != nil {
		return "", fmt.Errorf("sheet %s: %w", key, err)
	}
	f := b.f
	if err := f.SetSheetRow(name, "A1", &g.headers); err != nil {
		return "", err
	}
	last, _ := excelize.CoordinatesToCellName(len(g.headers), 1)
	if err := f.SetCellStyle(name, "A1", last, b.header); err != nil {
		return "", err
	}
	for i, w := range g.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return "", err
		}
	}
	all := append(append([][]any{}, g.rows...), g.after...)
	for r, row := range all {
		if err := b.gridRow(name, r, row, g.kind); err != nil {
			return "", err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return "", err
	}
	end, _ := excelize.CoordinatesToCellName(len(g.headers), len(g.rows)+1)
	if err := f.AutoFilter(name, "A1:"+end, nil); err != nil {
		return "", err
	}
	return name, nil
}

// gridRow writes one row; text is always a string cell.
func (b *book) gridRow(name string, r int, row []any, kind func(row, col int) colKind) error {
	for c, v := range row {
		cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
		var err error
		switch x := v.(type) {
		case nil:
			continue
		case string:
			err = b.f.SetCellStr(name, cell, x)
		default:
			err = b.f.SetCellValue(name, cell, x)
		}
		if err != nil {
			return err
		}
		if s := b.styles[kind(r, c)]; s != 0 {
			if err := b.f.SetCellStyle(name, cell, cell, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// ref is an absolute reference to cells of sheet for chart series.
func ref(sheet string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	b, _ := excelize.CoordinatesToCellName(col2, row2, true)
	return fmt.Sprintf("'%s'!%s:%s", sheet, a, b)
}
