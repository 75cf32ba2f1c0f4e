package roadshow

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// Session kinds, as named in API.md.
const (
	KindCeremony = "ceremony"
	KindRoadshow = "roadshow"
	KindSpecial  = "special"
	KindPairing  = "pairing"
)

// Kinds lists every session kind in the order the UI shows them.
var Kinds = []string{KindCeremony, KindRoadshow, KindSpecial, KindPairing}

// China is the conference's time zone: times are stored in UTC and typed
// and shown in Beijing time.
var China = time.FixedZone("CST", 8*3600)

// DefaultCriteria are the scoring criteria a new session gets.
var DefaultCriteria = Criteria{"innovation", "maturity", "market", "team"}

// Room is a room of the venue at one edition.
type Room struct {
	ID        int64     `db:"id" json:"id"`
	EditionID int64     `db:"edition_id" json:"edition_id"`
	Name      string    `db:"name" json:"name"`
	Capacity  int       `db:"capacity" json:"capacity"`
	CreatedAt time.Time `db:"created_at" json:"-"`
}

// Session is a timed block in a room (场次 / 专场).
type Session struct {
	ID             int64     `db:"id" json:"id"`
	EditionID      int64     `db:"edition_id" json:"edition_id"`
	RoomID         int64     `db:"room_id" json:"room_id"`
	Room           string    `db:"room" json:"room"`
	RoomCapacity   int       `db:"room_capacity" json:"room_capacity"`
	Kind           string    `db:"kind" json:"kind"`
	Title          string    `db:"title" json:"title"`
	StartsAt       time.Time `db:"starts_at" json:"starts_at"`
	EndsAt         time.Time `db:"ends_at" json:"ends_at"`
	MeetingMinutes int       `db:"meeting_minutes" json:"meeting_minutes,omitempty"`
	Tables         int       `db:"tables" json:"tables,omitempty"`
	Criteria       Criteria  `db:"criteria" json:"criteria"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time `db:"updated_at" json:"updated_at"`
}

// SessionInput is what a client sends to create a session. Room is a room
// name; a new name creates the room.
type SessionInput struct {
	Title          string    `json:"title"`
	Kind           string    `json:"kind"`
	Room           string    `json:"room"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	MeetingMinutes int       `json:"meeting_minutes"`
	Tables         int       `json:"tables"`
}

// Validate trims the input, fills the pairing defaults and reports every
// problem at once.
func (in *SessionInput) Validate() error {
	in.Title, in.Room = strings.TrimSpace(in.Title), strings.TrimSpace(in.Room)
	var d []apperr.Detail
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 {
		d = append(d, apperr.Detail{Field: "title", Key: "error.required_max", Args: map[string]any{"Max": 200}})
	}
	if !slices.Contains(Kinds, in.Kind) {
		d = append(d, apperr.Detail{Field: "kind", Key: "roadshow.kind_unknown"})
	}
	if in.Room == "" || utf8.RuneCountInString(in.Room) > 100 {
		d = append(d, apperr.Detail{Field: "room", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	d = append(d, checkTimes(in.StartsAt, in.EndsAt)...)
	if in.MeetingMinutes == 0 {
		in.MeetingMinutes = 20
	}
	if in.Tables == 0 {
		in.Tables = 10
	}
	if in.MeetingMinutes < 5 || in.MeetingMinutes > 240 {
		d = append(d, apperr.Detail{Field: "meeting_minutes", Key: "roadshow.meeting_minutes_range"})
	}
	if in.Tables < 1 || in.Tables > 500 {
		d = append(d, apperr.Detail{Field: "tables", Key: "roadshow.tables_range"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	in.StartsAt, in.EndsAt = toUTC(in.StartsAt), toUTC(in.EndsAt)
	return nil
}

// checkTimes reports a missing start or end, an end not after the start,
// and a block longer than a day.
func checkTimes(start, end time.Time) []apperr.Detail {
	var d []apperr.Detail
	if start.IsZero() {
		d = append(d, apperr.Detail{Field: "starts_at", Key: "roadshow.time_required"})
	}
	if end.IsZero() {
		d = append(d, apperr.Detail{Field: "ends_at", Key: "roadshow.time_required"})
	}
	if !start.IsZero() && !end.IsZero() {
		if !end.After(start) {
			d = append(d, apperr.Detail{Field: "ends_at", Key: "roadshow.ends_before_start"})
		} else if end.Sub(start) > 24*time.Hour {
			d = append(d, apperr.Detail{Field: "ends_at", Key: "roadshow.too_long"})
		}
	}
	return d
}

// Slot is one project pitched in a session (路演时段).
type Slot struct {
	ID           int64     `db:"id" json:"id"`
	SessionID    int64     `db:"session_id" json:"session_id"`
	EditionID    int64     `db:"edition_id" json:"edition_id"`
	RoomID       int64     `db:"room_id" json:"room_id"`
	ProjectID    int64     `db:"project_id" json:"project_id"`
	Project      string    `db:"project" json:"project"`
	Industry     string    `db:"industry" json:"industry"`
	DelegationID int64     `db:"delegation_id" json:"delegation_id"`
	Delegation   string    `db:"delegation" json:"delegation"`
	Presenter    string    `db:"presenter" json:"presenter"`
	StartsAt     time.Time `db:"starts_at" json:"starts_at"`
	EndsAt       time.Time `db:"ends_at" json:"ends_at"`
	Position     int       `db:"position" json:"position"`
	Warnings     Clashes   `db:"warnings" json:"warnings"`
}

// SlotInput is what a client sends to add or change a slot.
type SlotInput struct {
	ProjectID int64     `json:"project_id"`
	Presenter string    `json:"presenter"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
}

// Validate trims the input and reports every problem at once.
func (in *SlotInput) Validate() error {
	in.Presenter = strings.TrimSpace(in.Presenter)
	var d []apperr.Detail
	if in.ProjectID <= 0 {
		d = append(d, apperr.Detail{Field: "project_id", Key: "roadshow.project_required"})
	}
	if in.Presenter == "" || utf8.RuneCountInString(in.Presenter) > 100 {
		d = append(d, apperr.Detail{Field: "presenter", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	d = append(d, checkTimes(in.StartsAt, in.EndsAt)...)
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	in.StartsAt, in.EndsAt = toUTC(in.StartsAt), toUTC(in.EndsAt)
	return nil
}

// Criteria is a session's list of scoring criteria, stored as JSON.
type Criteria []string

// Scan reads the JSON column.
func (c *Criteria) Scan(src any) error { return scanJSON(src, c) }

// Value writes the JSON column.
func (c Criteria) Value() (driver.Value, error) { return valueJSON(c, "[]") }

// Clashes is a list of clashes, stored as JSON (a slot's saved warnings).
type Clashes []Clash

// Scan reads the JSON column.
func (c *Clashes) Scan(src any) error { return scanJSON(src, c) }

// Value writes the JSON column.
func (c Clashes) Value() (driver.Value, error) { return valueJSON(c, "[]") }

func scanJSON(src, dst any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		return nil
	default:
		return fmt.Errorf("roadshow: cannot scan %T as JSON", src)
	}
	return json.Unmarshal(b, dst)
}

func valueJSON(v any, empty string) (driver.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

// toUTC puts t in UTC to the second: the database compares timestamps as
// text, which is only right when every value has the same shape.
func toUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
