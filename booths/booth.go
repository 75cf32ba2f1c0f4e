package booths

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// Booth states: free → reserved (held for a delegation) → assigned.
const (
	StateFree     = "free"
	StateReserved = "reserved"
	StateAssigned = "assigned"
)

// States lists every state in workflow order.
var States = []string{StateFree, StateReserved, StateAssigned}

// Booth is a numbered stand (展位) in a zone. X, Y, W and H place it on its
// hall's floor plan, in metres from the hall's top-left corner.
type Booth struct {
	ID           int64     `db:"id" json:"id"`
	EditionID    int64     `db:"edition_id" json:"edition_id"`
	ZoneID       int64     `db:"zone_id" json:"zone_id"`
	Zone         string    `db:"zone" json:"zone"`
	Hall         string    `db:"hall" json:"hall"`
	Code         string    `db:"code" json:"code"`
	AreaM2       float64   `db:"area_m2" json:"area_m2"`
	X            float64   `db:"x" json:"x"`
	Y            float64   `db:"y" json:"y"`
	W            float64   `db:"w" json:"w"`
	H            float64   `db:"h" json:"h"`
	State        string    `db:"state" json:"state"`
	DelegationID *int64    `db:"delegation_id" json:"delegation_id"`
	Exhibitor    string    `db:"exhibitor" json:"exhibitor"` // the holder's name, "" when free
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// BoothInput is what a client sends to create a booth.
type BoothInput struct {
	ZoneID int64   `json:"zone_id"`
	Code   string  `json:"code"`
	AreaM2 float64 `json:"area_m2"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	W      float64 `json:"w"`
	H      float64 `json:"h"`
}

// maxCoord bounds coordinates: no hall is a kilometre long.
const maxCoord = 1000

// Validate normalises the code (trimmed, upper case, so "a01" and "A01"
// are the same booth) and reports every problem at once. A booth without a
// size gets the standard 3 m × 3 m stand.
func (in *BoothInput) Validate() error {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	if in.W == 0 && in.H == 0 {
		in.W, in.H = 3, 3
	}
	if in.AreaM2 == 0 {
		in.AreaM2 = in.W * in.H
	}
	return detailsError(in.details())
}

func (in *BoothInput) details() []apperr.Detail {
	var d []apperr.Detail
	add := func(field, key string, args map[string]any) {
		d = append(d, apperr.Detail{Field: field, Key: key, Args: args})
	}
	if in.ZoneID <= 0 {
		add("zone_id", "booth.zone_required", nil)
	}
	if in.Code == "" || utf8.RuneCountInString(in.Code) > 20 || strings.ContainsAny(in.Code, " \t\r\n/") {
		add("code", "booth.code_invalid", nil)
	}
	if bad(in.AreaM2, 0, 10000) {
		add("area_m2", "booth.area_range", nil)
	}
	for _, c := range []struct {
		field string
		v     float64
		min   float64
	}{{"x", in.X, 0}, {"y", in.Y, 0}, {"w", in.W, 0.5}, {"h", in.H, 0.5}} {
		if bad(c.v, c.min, maxCoord) {
			add(c.field, "booth.coord_range", map[string]any{"Min": c.min, "Max": maxCoord})
		}
	}
	return d
}

func bad(v, lo, hi float64) bool { return math.IsNaN(v) || v < lo || v > hi }

func detailsError(d []apperr.Detail) error {
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}
