package reports

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"huizhan/internal/i18n"
)

// china is the conference's time zone. Excel has no time zones, so times
// are written as Beijing wall-clock time.
var china = time.FixedZone("CST", 8*3600)

// colKind says how a column's cells are formatted.
type colKind int

const (
	text     colKind = iota
	integer          // #,##0
	decimal          // #,##0.00
	date             // yyyy-mm-dd
	datetime         // yyyy-mm-dd hh:mm:ss
	percent          // +0.00%
)

// numFmts are the custom number formats of the kinds that have one.
var numFmts = map[colKind]string{
	integer:  "#,##0",
	decimal:  "#,##0.00",
	date:     "yyyy-mm-dd",
	datetime: "yyyy-mm-dd hh:mm:ss",
	percent:  "+0.00%;-0.00%;0.00%",
}

// column is one column of a data sheet.
type column struct {
	key   string // catalogue key of the header
	kind  colKind
	width float64 // in characters; Chinese text takes about two each
}

// book is one workbook being written: the excelize file, the localizer
// for headers and labels, and the styles every sheet shares.
type book struct {
	f      *excelize.File
	l      *i18n.Localizer
	header int // style of header cells
	title  int // style of the cover's title
	styles map[colKind]int
	labels map[string]string // "prefix.value" -> text, memoised
	sheets int
}

func newBook(l *i18n.Localizer) (*book, error) {
	b := &book{f: excelize.NewFile(), l: l, styles: map[colKind]int{}, labels: map[string]string{}}
	var err error
	b.header, err = b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if b.title, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}}); err != nil {
		return nil, fmt.Errorf("title style: %w", err)
	}
	for k, fm := range numFmts {
		f := fm
		if b.styles[k], err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &f}); err != nil {
			return nil, fmt.Errorf("number format %q: %w", fm, err)
		}
	}
	return b, nil
}

// T translates a catalogue key.
func (b *book) T(key string) string { return b.l.T(key, nil) }

// label translates "prefix.value" (kinds, stages, verdicts), once per value.
func (b *book) label(prefix, value string) string {
	if value == "" {
		return ""
	}
	k := prefix + "." + value
	if s, ok := b.labels[k]; ok {
		return s
	}
	s := b.l.Label(prefix, value)
	b.labels[k] = s
	return s
}

// yesNo shows a flag as 是/否.
func (b *book) yesNo(v bool) string {
	if v {
		return b.T("reports.yes")
	}
	return b.T("reports.no")
}

// sheetName makes the next sheet: the first one renames excelize's
// default "Sheet1".
func (b *book) sheetName(key string) (string, error) {
	name := b.T(key)
	b.sheets++
	if b.sheets == 1 {
		return name, b.f.SetSheetName("Sheet1", name)
	}
	_, err := b.f.NewSheet(name)
	return name, err
}

// write sends the workbook to w and releases the file's temporary files.
func (b *book) write(w io.Writer) error {
	defer b.f.Close()
	b.f.SetActiveSheet(0)
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// wall turns an instant into Beijing wall-clock time, the way Excel shows
// it; zero stays nil so the cell is blank.
func wall(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	b := t.In(china)
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)
}

// table streams one data sheet: a header row (frozen, with an
// auto-filter), then one call of add per row.
type table struct {
	b    *book
	name string
	sw   *excelize.StreamWriter
	cols []column
	rows int
}

// newTable starts a data sheet named by the catalogue key with cols.
func (b *book) newTable(key string, cols []column) (*table, error) {
	name, err := b.sheetName(key)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", key, err)
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	t := &table{b: b, name: name, sw: sw, cols: cols}
	if err := t.start(); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	return t, nil
}

func (t *table) start() error {
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = t.b.T(c.key)
		w := c.width
		if w == 0 {
			w = 14
		}
		if err := t.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
		if s := t.b.styles[c.kind]; s != 0 {
			if err := t.sw.SetColStyle(i+1, i+1, s); err != nil {
				return err
			}
		}
	}
	err := t.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	if err != nil {
		return err
	}
	return t.sw.SetRow("A1", header, excelize.RowOpts{StyleID: t.b.header, Height: 22})
}

// add writes one row. Strings are always written as text cells, so a value
// that begins with =, +, - or @ is never taken for a formula; times are
// shown in Beijing time.
func (t *table) add(vals ...any) error {
	for i, v := range vals {
		switch x := v.(type) {
		case time.Time:
			vals[i] = wall(x)
		case dateOnly:
			vals[i] = x.t
		}
	}
	t.rows++
	cell, err := excelize.CoordinatesToCellName(1, t.rows+1)
	if err != nil {
		return err
	}
	if err := t.sw.SetRow(cell, vals); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", t.name, t.rows, err)
	}
	return nil
}

// close puts the auto-filter over the header and the rows, and ends the
// stream.
func (t *table) close() error {
	last, err := excelize.CoordinatesToCellName(len(t.cols), t.rows+1)
	if err != nil {
		return err
	}
	// The stream writer serialises its worksheet at Flush, so a filter set
	// on the sheet now is written with it.
	if err := t.b.f.AutoFilter(t.name, "A1:"+last, nil); err != nil {
		return fmt.Errorf("sheet %s filter: %w", t.name, err)
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", t.name, err)
	}
	return nil
}
