package sheet

// Limits bound what one upload may cost. The zero value of a field means
// the default.
type Limits struct {
	MaxBytes     int64 // size of the uploaded file
	MaxUnzip     int64 // total inflated size of an .xlsx (excelize UnzipSizeLimit)
	MaxUnzipXML  int64 // a worksheet larger than this inflated goes to a temporary file (UnzipXMLSizeLimit)
	MaxRows      int   // data rows, header excluded
	MaxColumns   int   // cells in one row
	MaxCellRunes int   // characters in one cell
}

// Defaults for an upload through the web: a 10,000-row workbook fits with
// room to spare.
const (
	DefaultMaxBytes     = 10 << 20
	DefaultMaxUnzip     = 200 << 20
	DefaultMaxUnzipXML  = 16 << 20
	DefaultMaxRows      = 20000
	DefaultMaxColumns   = 100
	DefaultMaxCellRunes = 4000
)

func (l Limits) withDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBytes, DefaultMaxBytes)
	def(&l.MaxUnzip, DefaultMaxUnzip)
	def(&l.MaxUnzipXML, DefaultMaxUnzipXML)
	// excelize refuses an XML limit above the total limit.
	l.MaxUnzipXML = min(l.MaxUnzipXML, l.MaxUnzip)
	defInt(&l.MaxRows, DefaultMaxRows)
	defInt(&l.MaxColumns, DefaultMaxColumns)
	defInt(&l.MaxCellRunes, DefaultMaxCellRunes)
	return l
}
