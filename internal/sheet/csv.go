package sheet

import (
	"bytes"
	"encoding/csv"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"huizhan/internal/apperr"
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// openCSV reads a CSV file. Text that is valid UTF-8 is taken as UTF-8;
// anything else is decoded as GB18030, the superset of GBK that Chinese
// Excel and WPS write. A header line with tabs and no commas is read as
// tab-separated (Excel's "text" export).
func (s *Sheet) openCSV(data []byte) error {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return apperr.New(apperr.Invalid, "sheet.unreadable")
		}
		data = dec
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// Binary content (or UTF-16) is not a CSV we can read.
		return apperr.New(apperr.Invalid, "sheet.unreadable")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(first, '\t') >= 0 && bytes.IndexByte(first, ',') < 0 {
		r.Comma = '\t'
	}
	if line := tooManySeparators(data, byte(r.Comma), 64*s.lim.MaxColumns); line > 0 {
		// encoding/csv would build a slice of every field of such a line
		// before the column cap could refuse it.
		return apperr.New(apperr.Invalid, "sheet.too_many_columns").
			With(map[string]any{"Max": s.lim.MaxColumns, "Row": line})
	}
	s.next = func() ([]string, error) {
		rec, err := r.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "sheet.csv_syntax").With(map[string]any{"Row": s.num + 1})
		}
		return rec, nil
	}
	return nil
}

// tooManySeparators returns the number of the first line of data that
// holds more than max separators (far more than the column cap allows,
// even with separators inside quoted text), or 0.
func tooManySeparators(data []byte, sep byte, max int) int {
	n, line := 0, 1
	for _, c := range data {
		switch c {
		case '\n':
			n, line = 0, line+1
		case sep:
			if n++; n > max {
				return line
			}
		}
	}
	return 0
}
