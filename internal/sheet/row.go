package sheet

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"huizhan/internal/apperr"
)

// Row is one data row. Getters read a cell by column key; a cell that does
// not fit the getter records an error on the row (see Errors) and the
// getter returns the zero value, so a caller reads every cell and then
// looks at all the row's errors at once.
type Row struct {
	Num   int // physical row number in the file, as Excel shows it
	sheet *Sheet
	cells []string
	errs  []apperr.Detail
}

// NewRow builds a row outside a file, from cells by column key; for tests
// and fuzzing of the callers' row parsers.
func NewRow(num int, cols []Column, values map[string]string) *Row {
	s := &Sheet{cols: cols, lim: Limits{}.withDefaults()}
	r := &Row{Num: num, sheet: s, cells: make([]string, len(cols))}
	for i, c := range cols {
		r.cells[i] = clean(values[c.Key])
	}
	return r
}

func (r *Row) col(key string) int {
	for i, c := range r.sheet.cols {
		if c.Key == key {
			return i
		}
	}
	panic("sheet: no column " + strconv.Quote(key)) // a programming error
}

func (r *Row) fail(i int, msgKey string, args map[string]any) {
	col := r.sheet.cols[i].Name()
	for _, d := range r.errs {
		if d.Column == col {
			return // one message per cell is enough
		}
	}
	r.errs = append(r.errs, apperr.Detail{Row: r.Num, Column: col, Key: msgKey, Args: args})
}

// Fail records an error of the caller's own on the cell of key.
func (r *Row) Fail(key, msgKey string, args map[string]any) { r.fail(r.col(key), msgKey, args) }

// Errors lists the row's errors in column order of discovery.
func (r *Row) Errors() []apperr.Detail { return r.errs }

// OK reports whether the row has no errors so far.
func (r *Row) OK() bool { return len(r.errs) == 0 }

// Text is the trimmed cell, exactly as typed otherwise.
func (r *Row) Text(key string) string { return r.cells[r.col(key)] }

// Required is Text, recording an error when the cell is blank.
func (r *Row) Required(key string) string {
	i := r.col(key)
	if r.cells[i] == "" {
		r.fail(i, "sheet.required", nil)
	}
	return r.cells[i]
}

// MaxRunes records an error when the cell is longer than max characters.
func (r *Row) MaxRunes(key string, max int) string {
	i := r.col(key)
	if len([]rune(r.cells[i])) > max {
		r.fail(i, "sheet.too_long", map[string]any{"Max": max})
	}
	return r.cells[i]
}

// Int reads a whole number; blank is (0, false) without an error. Number
// cells such as "12.0" count as whole.
func (r *Row) Int(key string) (int64, bool) {
	i := r.col(key)
	v := strings.ReplaceAll(r.cells[i], ",", "")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		r.fail(i, "sheet.not_integer", nil)
		return 0, false
	}
	return int64(f), true
}

// Float reads a number; blank is (0, false) without an error.
func (r *Row) Float(key string) (float64, bool) {
	i := r.col(key)
	v := strings.ReplaceAll(r.cells[i], ",", "")
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(i, "sheet.not_number", nil)
		return 0, false
	}
	return f, true
}

var yes = map[string]bool{"是": true, "y": true, "yes": true, "true": true, "1": true, "√": true, "✓": true, "对": true}
var no = map[string]bool{"否": true, "n": true, "no": true, "false": true, "0": true, "×": true, "": true, "不是": true}

// Bool reads yes/no: 是/否, Y/N, yes/no, TRUE/FALSE, 1/0; blank is false.
func (r *Row) Bool(key string) bool {
	i := r.col(key)
	v := strings.ToLower(r.cells[i])
	switch {
	case yes[v]:
		return true
	case no[v]:
		return false
	}
	r.fail(i, "sheet.not_bool", nil)
	return false
}

// Choice maps the cell onto one of options (shown text → value); a cell
// that already holds a value is taken too. Blank is "" without an error.
// labels lists the shown texts in the order the message names them.
func (r *Row) Choice(key string, options map[string]string, labels []string) string {
	i := r.col(key)
	v := r.cells[i]
	if v == "" {
		return ""
	}
	if code, ok := options[v]; ok {
		return code
	}
	for _, code := range options {
		if strings.EqualFold(code, v) {
			return code
		}
	}
	r.fail(i, "sheet.choice", map[string]any{"Options": strings.Join(labels, "、")})
	return ""
}

// List splits the cell on commas, semicolons and the Chinese 、，；, trims
// the parts and drops blank ones.
func (r *Row) List(key string) []string {
	parts := strings.FieldsFunc(r.cells[r.col(key)], func(c rune) bool {
		return strings.ContainsRune(",，;；、|\n", c)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clean trims white space (Unicode, the ideographic space included) and
// the zero-width characters and byte-order marks that copying from web
// pages leaves behind.
func clean(s string) string {
	return strings.TrimFunc(s, func(c rune) bool {
		return unicode.IsSpace(c) || c == '\ufeff' || c == '\u200b' || c == '\u200c' || c == '\u200d'
	})
}

// Normalize prepares a header for comparison: trimmed, lower case, without
// spaces, required-field stars or a trailing note in brackets, so that
// "* 项目名称（必填）" matches "项目名称".
func Normalize(h string) string {
	h = clean(h)
	for _, pair := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if strings.HasSuffix(h, pair[1]) {
			if i := strings.LastIndex(h, pair[0]); i > 0 {
				h = h[:i]
			}
		}
	}
	h = strings.Map(func(c rune) rune {
		if unicode.IsSpace(c) || c == '*' || c == '＊' || c == '\ufeff' {
			return -1
		}
		return unicode.ToLower(c)
	}, h)
	return h
}
