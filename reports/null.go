package reports

import (
	"database/sql"
	"time"
)

// The null helpers turn NULL columns into blank cells (nil).

func nullFloat(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

func nullInt(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func nullTime(v sql.NullTime) any {
	if !v.Valid {
		return nil
	}
	return v.Time
}

// nullDate is a calendar date: stored as midnight UTC, it is written as
// that day, not shifted to Beijing.
func nullDate(v sql.NullTime) any {
	if !v.Valid || v.Time.IsZero() {
		return nil
	}
	t := v.Time
	return dateOnly{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// dateOnly marks a date that add must not move to Beijing time.
type dateOnly struct{ t time.Time }
