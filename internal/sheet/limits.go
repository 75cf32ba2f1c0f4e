package sheet

// Limits bound what one upload may cost. The zero value of a field means
// the default.
type Limits struct {
	MaxBytes     int64 // size of the uploaded file
	MaxUnzip     int64 // total inflated size of an .xlsx (excelize UnzipSizeLimit); default from MaxRows
	MaxUnzipXML  int64 // a worksheet larger than this inflated goes to a temporary file (UnzipXMLSizeLimit)
	MaxRows      int   // data rows, header excluded
	MaxColumns   int   // cells in one row
	MaxCellRunes int   // characters in one cell
}

// Defaults for an upload through the web: a 10,000-row workbook fits with
// room to spare.
const (
	DefaultMaxBytes     = 10 << 20
	DefaultMaxUnzipXML  = 16 << 20
	DefaultMaxRows      = 20000
	DefaultMaxColumns   = 100
	DefaultMaxCellRunes = 4000

	// unzipPerRow and unzipBase size the inflated-workbook limit from the
	// row limit: a real 20,000-row project workbook (14 columns, Chinese
	// summaries) inflates to 16 MB, so 2 KiB a row plus 8 MiB of styles and
	// shared parts leaves room, while a 190 KB file crafted to inflate to
	// 190 MB is refused before it is read.
	unzipPerRow = 2 << 10
	unzipBase   = 8 << 20
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
	defInt(&l.MaxRows, DefaultMaxRows)
	def(&l.MaxUnzip, int64(l.MaxRows)*unzipPerRow+unzipBase)
	def(&l.MaxUnzipXML, DefaultMaxUnzipXML)
	// excelize refuses an XML limit above the total limit.
	l.MaxUnzipXML = min(l.MaxUnzipXML, l.MaxUnzip)
	defInt(&l.MaxColumns, DefaultMaxColumns)
	defInt(&l.MaxCellRunes, DefaultMaxCellRunes)
	return l
}
