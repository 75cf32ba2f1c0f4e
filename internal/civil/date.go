// Package civil has Date, a calendar day without a time or zone, as the
// conference's dates are ("18–19 January 2024" in Chengdu). It reads and
// writes "YYYY-MM-DD" in JSON, forms and the database.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day. The zero Date is "no date".
type Date struct{ t time.Time }

const layout = "2006-01-02"

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Parse reads "YYYY-MM-DD".
func Parse(s string) (Date, error) {
	t, err := time.Parse(layout, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// Year is the date's year.
func (d Date) Year() int { return d.t.Year() }

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// DaysUntil returns the number of days from d to e.
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 0, 0, 0, 0, loc)
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want \"YYYY-MM-DD\"")
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	v, err := Parse(*s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as TEXT "YYYY-MM-DD" (NULL when zero).
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads TEXT, a time or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10] // a driver may hand back a full timestamp
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
