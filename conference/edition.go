package conference

import (
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

// Edition is one annual conference.
type Edition struct {
	ID            int64      `db:"id" json:"id"`
	Number        int        `db:"number" json:"number"`
	Name          string     `db:"name" json:"name"`
	Year          int        `db:"year" json:"year"`
	StartsOn      civil.Date `db:"starts_on" json:"starts_on"`
	EndsOn        civil.Date `db:"ends_on" json:"ends_on"`
	City          string     `db:"city" json:"city"`
	SelectedQuota *int       `db:"selected_quota" json:"selected_quota"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `db:"updated_at" json:"updated_at"`
}

// Days is the number of conference days.
func (e Edition) Days() int { return e.StartsOn.DaysUntil(e.EndsOn) + 1 }

// EditionInput is what a client sends to create or change an edition.
type EditionInput struct {
	Number   int        `json:"number"`
	Name     string     `json:"name"`
	Year     int        `json:"year"`
	StartsOn civil.Date `json:"starts_on"`
	EndsOn   civil.Date `json:"ends_on"`
	City     string     `json:"city"`
}

// Validate trims the input and reports every problem at once.
func (in *EditionInput) Validate() error {
	in.Name, in.City = strings.TrimSpace(in.Name), strings.TrimSpace(in.City)
	var d []apperr.Detail
	add := func(field, key string, args map[string]any) {
		d = append(d, apperr.Detail{Field: field, Key: key, Args: args})
	}
	if in.Number < 1 || in.Number > 1000 {
		add("number", "edition.number_range", nil)
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		add("name", "error.required_max", map[string]any{"Max": 200})
	}
	if in.Year < 2000 || in.Year > 2100 {
		add("year", "edition.year_range", nil)
	}
	if in.City == "" || utf8.RuneCountInString(in.City) > 100 {
		add("city", "error.required_max", map[string]any{"Max": 100})
	}
	if in.StartsOn.IsZero() {
		add("starts_on", "error.date_required", nil)
	}
	if in.EndsOn.IsZero() {
		add("ends_on", "error.date_required", nil)
	}
	if !in.StartsOn.IsZero() && !in.EndsOn.IsZero() {
		if in.EndsOn.Before(in.StartsOn) {
			add("ends_on", "edition.ends_before_start", nil)
		} else if in.StartsOn.DaysUntil(in.EndsOn) > 31 {
			add("ends_on", "edition.too_long", nil)
		}
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// Delegation is a city or organisation at one edition.
type Delegation struct {
	ID        int64     `db:"id" json:"id"`
	EditionID int64     `db:"edition_id" json:"edition_id"`
	Name      string    `db:"name" json:"name"`
	Region    string    `db:"region" json:"region"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// DelegationInput is what a client sends to create or change a delegation.
type DelegationInput struct {
	Name   string `json:"name"`
	Region string `json:"region"`
}

// Validate trims the input and reports every problem at once.
func (in *DelegationInput) Validate() error {
	in.Name, in.Region = strings.TrimSpace(in.Name), strings.TrimSpace(in.Region)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if utf8.RuneCountInString(in.Region) > 100 {
		d = append(d, apperr.Detail{Field: "region", Key: "error.max_length", Args: map[string]any{"Max": 100}})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}
