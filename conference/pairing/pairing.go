package pairing

import (
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
	AmountWan        *Wan       `db:"amount_wan" json:"amount_wan"`
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

// Change is one entry of a pairing's history: who (UserID, Username),
// when, from, to, the amount and date the move recorded, and, for a
// correction (a move backward, a drop, a reopening, an amount changed),
// the reason and the amount and date it took off the pairing.
type Change struct {
	ID             int64      `db:"id" json:"id"`
	PairingID      int64      `db:"pairing_id" json:"pairing_id"`
	FromStage      string     `db:"from_stage" json:"from_stage"`
	ToStage        string     `db:"to_stage" json:"to_stage"`
	AmountWan      *Wan       `db:"amount_wan" json:"amount_wan"`
	SignedOn       civil.Date `db:"signed_on" json:"signed_on"`
	Note           string     `db:"note" json:"note"`
	Reason         string     `db:"reason" json:"reason"`
	Correction     bool       `db:"correction" json:"correction"`
	PreviousAmount *Wan       `db:"previous_amount_wan" json:"previous_amount_wan"`
	PreviousOn     civil.Date `db:"previous_signed_on" json:"previous_signed_on"`
	UserID         *int64     `db:"user_id" json:"user_id"`
	Username       string     `db:"username" json:"username"`
	ChangedAt      time.Time  `db:"changed_at" json:"changed_at"`
}

// Amount is the amount the change recorded, as pages show it.
func (c Change) Amount() string { return amountText(c.AmountWan) }

// Previous is the amount the change took off the pairing.
func (c Change) Previous() string { return amountText(c.PreviousAmount) }

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

// Amount is the amount in 万元 as shown on pages, with thousands
// separators and two decimals ("" when none).
func (p Pairing) Amount() string { return amountText(p.AmountWan) }

// AmountInput is the amount as a form field takes it back ("1200.50").
func (p Pairing) AmountInput() string {
	if p.AmountWan == nil {
		return ""
	}
	return p.AmountWan.String()
}

func amountText(w *Wan) string {
	if w == nil {
		return ""
	}
	return w.Grouped()
}
