package pairing

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

// Request states: a pairing an organiser or coordinator makes needs no
// acceptance (none); a delegation's request waits for the other side.
const (
	RequestNone     = "none"
	RequestPending  = "pending"
	RequestAccepted = "accepted"
	RequestDeclined = "declined"
)

// Side is one project of a pairing, with what a list needs to show it.
type Side struct {
	ID           int64  `db:"id" json:"id"`
	Kind         string `db:"kind" json:"kind"`
	Title        string `db:"title" json:"title"`
	Industry     string `db:"industry" json:"industry"`
	Organisation string `db:"organisation" json:"organisation"`
	DelegationID int64  `db:"delegation_id" json:"delegation_id"`
	Delegation   string `db:"delegation" json:"delegation"`
	ContactName  string `db:"contact_name" json:"-"`
}

// Pairing is one demand matched with one supply.
type Pairing struct {
	ID               int64      `db:"id" json:"id"`
	EditionID        int64      `db:"edition_id" json:"edition_id"`
	DemandID         int64      `db:"demand_id" json:"demand_id"`
	SupplyID         int64      `db:"supply_id" json:"supply_id"`
	Stage            string     `db:"stage" json:"stage"`
	Request          string     `db:"request" json:"request"`
	RequestedBy      *int64     `db:"requested_by" json:"requested_by"`
	Message          string     `db:"message" json:"message"`
	AmountWan        *float64   `db:"amount_wan" json:"amount_wan"`
	SignedOn         civil.Date `db:"signed_on" json:"signed_on"`
	Signatories      string     `db:"signatories" json:"signatories"`
	DropReason       string     `db:"drop_reason" json:"drop_reason"`
	CeremonyPosition *int       `db:"ceremony_position" json:"ceremony_position"`
	CreatedBy        *int64     `db:"created_by" json:"-"`
	CreatedAt        time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at" json:"updated_at"`
	Demand           Side       `db:"demand" json:"demand"`
	Supply           Side       `db:"supply" json:"supply"`
	Meeting          *Meeting   `db:"-" json:"meeting,omitempty"`
}

// Next is the stage a coordinator would move the pairing to next.
func (p Pairing) Next() string { return Next(p.Stage) }

// Bookable reports whether the pairing may get a meeting: open, and
// accepted if it was a request.
func (p Pairing) Bookable() bool {
	return p.Stage != StageDropped && p.Request != RequestPending && p.Request != RequestDeclined
}

// Involves reports whether a delegation is on either side.
func (p Pairing) Involves(delegationID int64) bool {
	return delegationID != 0 && (p.Demand.DelegationID == delegationID || p.Supply.DelegationID == delegationID)
}

// Change is one entry of a pairing's history.
type Change struct {
	ID        int64      `db:"id" json:"id"`
	PairingID int64      `db:"pairing_id" json:"pairing_id"`
	FromStage string     `db:"from_stage" json:"from_stage"`
	ToStage   string     `db:"to_stage" json:"to_stage"`
	AmountWan *float64   `db:"amount_wan" json:"amount_wan"`
	SignedOn  civil.Date `db:"signed_on" json:"signed_on"`
	Note      string     `db:"note" json:"note"`
	UserID    *int64     `db:"user_id" json:"user_id"`
	Username  string     `db:"username" json:"username"`
	ChangedAt time.Time  `db:"changed_at" json:"changed_at"`
}

// NewPairing is what a client sends to create a pairing; Message is for a
// delegation's request.
type NewPairing struct {
	DemandID int64  `json:"demand_id"`
	SupplyID int64  `json:"supply_id"`
	Message  string `json:"message"`
}

// Validate checks the input on its own.
func (in *NewPairing) Validate() error {
	in.Message = strings.TrimSpace(in.Message)
	var d []apperr.Detail
	if in.DemandID <= 0 {
		d = append(d, apperr.Detail{Field: "demand_id", Key: "pairing.project_required"})
	}
	if in.SupplyID <= 0 {
		d = append(d, apperr.Detail{Field: "supply_id", Key: "pairing.project_required"})
	}
	if utf8.RuneCountInString(in.Message) > 1000 {
		d = append(d, apperr.Detail{Field: "message", Key: "pairing.text_too_long"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// Amount is the amount in 万元 as shown on pages ("" when none).
func (p Pairing) Amount() string {
	if p.AmountWan == nil {
		return ""
	}
	return formatWan(*p.AmountWan)
}

func formatWan(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
