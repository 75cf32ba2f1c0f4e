package pairing

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Wan is an amount of money in 万元, held exactly as a count of hundredths
// (two decimals), so that totals are sums of integers and never drift or
// overflow to +Inf the way floating-point sums did.
//
// Amounts that users enter are 0 < x ≤ MaxWan (see ParseWan). Reading a row
// never fails, whatever was written into the column by hand: a value out
// of range (1e308, -1, Inf, NaN) is read as an out-of-range Wan that Valid
// reports, that the totals leave out, and that still prints and encodes.
type Wan int64

// MaxWan is the largest amount a pairing may carry: 10,000,000 万元
// (one thousand 亿元).
const MaxWan Wan = 10_000_000_00

// wanInvalid marks a stored amount that is not a finite number.
const wanInvalid Wan = math.MinInt64

// Valid reports whether w is an amount a pairing may carry.
func (w Wan) Valid() bool { return w > 0 && w <= MaxWan }

// ParseWan reads an amount as a person or a client writes it: digits with
// at most two decimals ("1200", "1,200.5", "0.01"), within 0 < x ≤ MaxWan.
// Exponents, signs, NaN and Inf are refused.
func ParseWan(s string) (Wan, error) {
	w, err := parseDecimal(s)
	if err != nil {
		return 0, err
	}
	if strings.HasPrefix(strings.TrimSpace(s), "-") || !w.Valid() {
		return 0, fmt.Errorf("amount %q: out of range", s)
	}
	return w, nil
}

// parseDecimal reads an optionally signed decimal with at most two
// decimals, of any size an int64 of hundredths holds.
func parseDecimal(s string) (Wan, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", rest
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (dot && frac == "") || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("amount %q: want digits with at most two decimals", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(sign+whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return Wan(n), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// WanOf converts a float amount (from older code and tests) to Wan,
// rounding to two decimals.
func WanOf(v float64) Wan { return wanFromFloat(v) }

func wanFromFloat(v float64) Wan {
	switch c := math.Round(v * 100); {
	case math.IsNaN(c):
		return wanInvalid
	case c >= math.MaxInt64:
		return math.MaxInt64
	case c <= math.MinInt64+1:
		return math.MinInt64 + 1
	default:
		return Wan(c)
	}
}

// String prints the amount with two decimals and no separators
// ("1200.50"), as forms take it back.
func (w Wan) String() string {
	if w == wanInvalid {
		return "NaN"
	}
	neg := w < 0
	u := uint64(w)
	if neg {
		u = uint64(-w)
	}
	s := fmt.Sprintf("%d.%02d", u/100, u%100)
	if neg {
		s = "-" + s
	}
	return s
}

// Grouped prints the amount with thousands separators and two decimals
// ("1,200.50"), for boards and reports.
func (w Wan) Grouped() string {
	s := w.String()
	whole, frac, _ := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	if frac == "" { // NaN
		return s
	}
	return sign + group(whole) + "." + frac
}

// group puts a comma between every three digits of an integer.
func group(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Float is the amount as a float64, for spreadsheets and the database.
func (w Wan) Float() float64 {
	if w == wanInvalid {
		return math.NaN()
	}
	return float64(w) / 100
}

// MarshalJSON writes a JSON number with two decimals; an unreadable stored
// amount is written as null rather than failing the whole answer.
func (w Wan) MarshalJSON() ([]byte, error) {
	if w == wanInvalid {
		return []byte("null"), nil
	}
	return []byte(w.String()), nil
}

// UnmarshalJSON reads a JSON number or a string of digits with at most two
// decimals, in or out of range (Valid says which); exponents, NaN and Inf
// are refused.
func (w *Wan) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s := strings.Trim(string(b), `"`)
	v, err := parseDecimal(s)
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// Value stores the amount in the REAL / DOUBLE PRECISION column: a
// two-decimal value below 10^9 survives the round trip exactly.
func (w Wan) Value() (driver.Value, error) { return w.Float(), nil }

// Scan reads any numeric column value without failing.
func (w *Wan) Scan(src any) error {
	switch v := src.(type) {
	case float64:
		*w = wanFromFloat(v)
	case int64:
		*w = wanFromFloat(float64(v))
	case []byte:
		return w.scanText(string(v))
	case string:
		return w.scanText(v)
	case nil:
		*w = 0
	default:
		return fmt.Errorf("scan amount from %T", src)
	}
	return nil
}

func (w *Wan) scanText(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		*w = wanInvalid
		return nil
	}
	*w = wanFromFloat(f)
	return nil
}

// Total is a sum of amounts. Out-of-range stored amounts are left out and
// counted in Skipped, so one bad row cannot turn the headline into
// nonsense or break the page that shows it.
type Total struct {
	Sum     Wan
	Skipped int
}

// Add counts w into the total.
func (t *Total) Add(w Wan) {
	if !w.Valid() || t.Sum > math.MaxInt64-MaxWan {
		t.Skipped++
		return
	}
	t.Sum += w
}
