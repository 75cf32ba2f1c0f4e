package sheet

import (
	"io"

	"huizhan/internal/apperr"
)

// ReadAll reads every row of a sheet with parse and returns the parsed rows
// only when no row is bad: an import is all or nothing. Every bad row's
// errors are collected, so the person fixing the file sees all of them at
// once; a sheet without data rows is an error too.
func ReadAll[T any](r io.Reader, name string, cols []Column, lim Limits, parse func(*Row) (T, []apperr.Detail)) ([]T, error) {
	sh, err := Open(r, name, cols, lim)
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	var out []T
	var bad []apperr.Detail
	for sh.Next() {
		v, errs := parse(sh.Row())
		bad = append(bad, errs...)
		out = append(out, v)
	}
	if err := sh.Err(); err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, apperr.New(apperr.Invalid, "sheet.rows_invalid").With(map[string]any{"Count": len(bad)}).WithDetails(bad...)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Invalid, "sheet.empty")
	}
	return out, nil
}
