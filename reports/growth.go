package reports

import (
	"fmt"
	"math"
)

// Growth is the change from prev to cur as a fraction: 11 → 20 is
// 0.8182 (+81.82%). A previous figure of zero has no growth rate, so ok is
// false and the rate is shown as "—" instead of dividing by zero.
func Growth(prev, cur float64) (rate float64, ok bool) {
	if prev == 0 {
		return 0, false
	}
	return (cur - prev) / prev, true
}

// FormatGrowth shows a growth rate the way the summary sheet's cells do:
// +81.82%, -50.00%, 0.00%, or — when there is none.
func FormatGrowth(prev, cur float64) string {
	r, ok := Growth(prev, cur)
	if !ok {
		return "—"
	}
	p := math.Round(r*10000) / 100
	if p > 0 {
		return fmt.Sprintf("+%.2f%%", p)
	}
	if p == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", p)
}

// growthCell is the value of a growth cell: the rate as a number (shown
// in percent format) or "—" as text.
func growthCell(prev, cur float64) any {
	if r, ok := Growth(prev, cur); ok {
		return r
	}
	return "—"
}
