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
