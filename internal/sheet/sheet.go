package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"huizhan/internal/apperr"
)

// Column is one column a caller expects. Key is how the caller asks for the
// cell; Headers are the header texts that name the column (compared after
// Normalize), the first being the one shown in messages.
type Column struct {
	Key      string
	Headers  []string
	Required bool // the header must be present (a cell may still be blank)
}

// Name is the column's header as shown in messages.
func (c Column) Name() string {
	if len(c.Headers) > 0 {
		return c.Headers[0]
	}
	return c.Key
}

// Sheet is an open spreadsheet read row by row:
//
//	s, err := sheet.Open(r, name, cols, sheet.Limits{})
//	defer s.Close()
//	for s.Next() { row := s.Row(); ... }
//	err = s.Err()
type Sheet struct {
	cols      []Column
	index     []int // cols[i] is in cell index[i] of a row, -1 when absent
	header    []string
	headerRow int
	lim       Limits
	next      func() ([]string, error) // the next physical row; io.EOF at the end
	close     func() error
	num       int // physical number of the row last read
	rows      int // data rows read
	row       *Row
	err       error
}

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// Open reads the header of the file in r. name (the uploaded file name)
// only helps to tell an old .xls apart; the format is judged by content.
func Open(r io.Reader, name string, cols []Column, lim Limits) (*Sheet, error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sheet: read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, TooLarge(lim.MaxBytes)
	}
	s := &Sheet{cols: cols, lim: lim}
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, apperr.New(apperr.Invalid, "sheet.empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		err = s.openXLSX(data)
	case bytes.HasPrefix(data, oleMagic) || strings.HasSuffix(strings.ToLower(name), ".xls"):
		// An old binary workbook, or an encrypted .xlsx: excelize reads
		// neither without a password.
		return nil, apperr.New(apperr.Invalid, "sheet.xls_unsupported")
	default:
		err = s.openCSV(data)
	}
	if err != nil {
		return nil, err
	}
	if err := s.readHeader(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// TooLarge is the error for a file over the upload limit of max bytes;
// handlers that cap the request body use it too.
func TooLarge(max int64) error {
	return apperr.New(apperr.TooLarge, "sheet.too_large").With(map[string]any{"MaxMB": mb(max)})
}

func mb(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprint(n >> 20)
	}
	return fmt.Sprintf("%.1f", float64(n)/(1<<20))
}

func (s *Sheet) openXLSX(data []byte) error {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: s.lim.MaxUnzip, UnzipXMLSizeLimit: s.lim.MaxUnzipXML,
	})
	if err != nil {
		// excelize exports no sentinel for this one.
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return apperr.New(apperr.TooLarge, "sheet.unzip_too_large").With(map[string]any{"MaxMB": mb(s.lim.MaxUnzip)})
		}
		return apperr.New(apperr.Invalid, "sheet.unreadable")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return apperr.New(apperr.Invalid, "sheet.empty")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return apperr.New(apperr.Invalid, "sheet.unreadable")
	}
	s.close = func() error { return errors.Join(rows.Close(), f.Close()) }
	s.next = func() ([]string, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, apperr.New(apperr.Invalid, "sheet.unreadable")
			}
			return nil, io.EOF
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "sheet.unreadable")
		}
		return cells, nil
	}
	return nil
}

// Close releases the workbook and its temporary files.
func (s *Sheet) Close() error {
	if s.close == nil {
		return nil
	}
	c := s.close
	s.close = nil
	return c()
}

// physical reads the next physical row and checks the column cap.
func (s *Sheet) physical() ([]string, error) {
	cells, err := s.next()
	if err != nil {
		return nil, err
	}
	s.num++
	if len(cells) > s.lim.MaxColumns {
		// excelize pads to the last non-empty cell, so trailing blanks
		// of a sloppy sheet do not count against the cap.
		for len(cells) > 0 && clean(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) > s.lim.MaxColumns {
			return nil, apperr.New(apperr.Invalid, "sheet.too_many_columns").
				With(map[string]any{"Max": s.lim.MaxColumns, "Row": s.num})
		}
	}
	return cells, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

// readHeader finds the header (the first non-blank row) and maps the
// expected columns onto it.
func (s *Sheet) readHeader() error {
	for {
		cells, err := s.physical()
		if err == io.EOF {
			return apperr.New(apperr.Invalid, "sheet.empty")
		}
		if err != nil {
			return err
		}
		if !blank(cells) {
			s.header, s.headerRow = cells, s.num
			break
		}
	}
	return s.mapColumns()
}

func (s *Sheet) mapColumns() error {
	at := map[string]int{}
	for i, h := range s.header {
		if n := Normalize(h); n != "" {
			if _, dup := at[n]; !dup {
				at[n] = i
			}
		}
	}
	s.index = make([]int, len(s.cols))
	var missing []apperr.Detail
	var names []string
	for i, c := range s.cols {
		s.index[i] = -1
		for _, h := range c.Headers {
			if j, ok := at[Normalize(h)]; ok {
				s.index[i] = j
				break
			}
		}
		if s.index[i] < 0 && c.Required {
			names = append(names, c.Name())
			missing = append(missing, apperr.Detail{Row: s.num, Column: c.Name(), Key: "sheet.missing_column",
				Args: map[string]any{"Column": c.Name()}})
		}
	}
	if len(missing) > 0 {
		return apperr.New(apperr.Invalid, "sheet.missing_columns").
			With(map[string]any{"Columns": strings.Join(names, "、")}).WithDetails(missing...)
	}
	return nil
}

// Header is the header row as written in the file.
func (s *Sheet) Header() []string { return s.header }

// HeaderRow is the physical number of the header row.
func (s *Sheet) HeaderRow() int { return s.headerRow }

// Next reads the next non-blank data row; it returns false at the end or
// on an error (see Err).
func (s *Sheet) Next() bool {
	if s.err != nil {
		return false
	}
	for {
		cells, err := s.physical()
		if err == io.EOF {
			return false
		}
		if err != nil {
			s.err = err
			return false
		}
		if blank(cells) {
			continue
		}
		s.rows++
		if s.rows > s.lim.MaxRows {
			s.err = apperr.New(apperr.TooLarge, "sheet.too_many_rows").With(map[string]any{"Max": s.lim.MaxRows})
			return false
		}
		s.row = s.newRow(cells)
		return true
	}
}

// Row is the row Next read.
func (s *Sheet) Row() *Row { return s.row }

// Err is the error that stopped Next, if any.
func (s *Sheet) Err() error { return s.err }

// Rows is the number of data rows read so far.
func (s *Sheet) Rows() int { return s.rows }

func (s *Sheet) newRow(cells []string) *Row {
	r := &Row{Num: s.num, sheet: s, cells: make([]string, len(s.cols))}
	for i, j := range s.index {
		if j < 0 || j >= len(cells) {
			continue
		}
		v := clean(cells[j])
		if n := utf8.RuneCountInString(v); n > s.lim.MaxCellRunes {
			r.fail(i, "sheet.too_long", map[string]any{"Max": s.lim.MaxCellRunes})
			v = string([]rune(v)[:s.lim.MaxCellRunes])
		}
		r.cells[i] = v
	}
	return r
}
