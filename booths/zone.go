package booths

import (
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

// Zone is an exhibition zone (展区) of one edition.
type Zone struct {
	ID           int64      `db:"id" json:"id"`
	EditionID    int64      `db:"edition_id" json:"edition_id"`
	Name         string     `db:"name" json:"name"`
	Hall         string     `db:"hall" json:"hall"`
	Key          bool       `db:"key_zone" json:"key"`
	Online       bool       `db:"online" json:"online"`
	DelegationID *int64     `db:"delegation_id" json:"delegation_id"`
	Delegation   string     `db:"delegation" json:"delegation"` // the delegation's name, "" when none
	OpensOn      civil.Date `db:"opens_on" json:"opens_on"`     // zero: the edition's first day
	ClosesOn     civil.Date `db:"closes_on" json:"closes_on"`   // zero: the edition's last day
	Booths       int        `db:"booths" json:"booths"`         // how many booths the zone has
	CreatedAt    time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at" json:"updated_at"`
}

// ZoneInput is what a client sends to create a zone.
type ZoneInput struct {
	Name         string     `json:"name"`
	Hall         string     `json:"hall"`
	Key          bool       `json:"key"`
	Online       bool       `json:"online"`
	DelegationID *int64     `json:"delegation_id"`
	OpensOn      civil.Date `json:"opens_on"`
	ClosesOn     civil.Date `json:"closes_on"`
}

// Validate trims the input and reports every problem at once.
func (in *ZoneInput) Validate() error {
	in.Name, in.Hall = strings.TrimSpace(in.Name), strings.TrimSpace(in.Hall)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if utf8.RuneCountInString(in.Hall) > 50 {
		d = append(d, apperr.Detail{Field: "hall", Key: "error.max_length", Args: map[string]any{"Max": 50}})
	}
	if !in.Online && in.Hall == "" {
		d = append(d, apperr.Detail{Field: "hall", Key: "zone.hall_required"})
	}
	if in.DelegationID != nil && *in.DelegationID == 0 {
		in.DelegationID = nil // a form's "none"
	}
	if !in.OpensOn.IsZero() && !in.ClosesOn.IsZero() && in.ClosesOn.Before(in.OpensOn) {
		d = append(d, apperr.Detail{Field: "closes_on", Key: "zone.closes_before_opens"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}
