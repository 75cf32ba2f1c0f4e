package sheet

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"huizhan/internal/civil"
)

// excelEpoch is day 0 of Excel's 1900 date system as it counts in
// practice (serial 1 is 1900-01-01, with the phantom 1900-02-29 from Lotus
// absorbed by starting on 30 December).
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

var textDate = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$`)

// Date reads a date: a date cell (Excel keeps it as a serial number), or
// text such as 2024-01-18, 2024/1/18, 2024.1.18, 2024年1月18日 or 20240118.
// Blank is (zero, false) without an error.
func (r *Row) Date(key string) (civil.Date, bool) {
	i := r.col(key)
	d, ok := ParseDate(r.cells[i])
	if !ok && r.cells[i] != "" {
		r.fail(i, "sheet.not_date", nil)
	}
	return d, ok
}

// ParseDate reads what Row.Date accepts.
func ParseDate(v string) (civil.Date, bool) {
	v = clean(v)
	if v == "" {
		return civil.Date{}, false
	}
	if m := textDate.FindStringSubmatch(v); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if len(v) == 8 && strings.Trim(v, "0123456789") == "" && (v[0] == '1' || v[0] == '2') {
		return ymd(v[:4], v[4:6], v[6:])
	}
	// A serial number, possibly with a time of day as the fraction.
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f >= 2958466 || math.IsNaN(f) { // 2958465 is 9999-12-31
		return civil.Date{}, false
	}
	t := excelEpoch.AddDate(0, 0, int(math.Floor(f)))
	return civil.NewDate(t.Year(), t.Month(), t.Day()), true
}

func ymd(ys, ms, ds string) (civil.Date, bool) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return civil.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2 月 30 日 and the like
		return civil.Date{}, false
	}
	return civil.NewDate(y, time.Month(m), d), true
}
