package pairing

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
)

// Stages of a pairing (DESIGN.md glossary: Stage), in order; dropped is
// off the line.
const (
	StageProposed    = "proposed"
	StageContacted   = "contacted"
	StageMet         = "met"         // 有效对接
	StageNegotiating = "negotiating" // 洽谈
	StageIntent      = "intent"      // 意向
	StageAgreement   = "agreement"   // 签署合作意向协议
	StageSigned      = "signed"      // 正式签约
	StageDropped     = "dropped"
)

// Line is the stages a pairing moves along, in order.
var Line = []string{StageProposed, StageContacted, StageMet, StageNegotiating, StageIntent, StageAgreement, StageSigned}

// Stages is every stage, for select boxes.
var Stages = append(slices.Clip(Line), StageDropped)

// rank is a stage's place on the line; dropped is -1.
func rank(stage string) int { return slices.Index(Line, stage) }

// Effective reports whether a pairing at stage counts as an effective
// pairing (有效对接): met or later.
func Effective(stage string) bool { return rank(stage) >= rank(StageMet) }

// Next is the stage after stage on the line, or "" at the end or when
// dropped.
func Next(stage string) string {
	r := rank(stage)
	if r < 0 || r+1 >= len(Line) {
		return ""
	}
	return Line[r+1]
}

// needsSigning reports whether a stage carries an amount, a date and the
// signatories.
func needsSigning(stage string) bool { return stage == StageAgreement || stage == StageSigned }

// Move kinds: how a stage change relates to the line.
const (
	MoveForward = "forward" // later on the line (skips allowed)
	MoveSame    = "same"    // the same signing stage, its amount or date edited
	MoveBack    = "back"    // earlier on the line: a correction
	MoveDrop    = "drop"    // off the line: a correction
	MoveReopen  = "reopen"  // from dropped back onto the line: a correction
)

// MoveKind says what moving from one stage to another is.
func MoveKind(from, to string) string {
	switch {
	case to == from:
		return MoveSame
	case to == StageDropped:
		return MoveDrop
	case from == StageDropped:
		return MoveReopen
	case rank(to) > rank(from):
		return MoveForward
	}
	return MoveBack
}

// IsCorrection reports whether a move needs a reason and is kept as a
// correction: anything but a move forward (or an unchanged stage).
func IsCorrection(from, to string) bool {
	k := MoveKind(from, to)
	return k == MoveBack || k == MoveDrop || k == MoveReopen
}

// StageInput moves a pairing. A move backward, dropping and reopening a
// dropped pairing need Reason. Note is kept with the change (a separate
// note that does not move the stage goes through AddNote).
//
// ForwardOnly is for callers that move a pairing on from an event (a
// participant's reported outcome): a move that is not forward then leaves
// the pairing as it is, without error.
type StageInput struct {
	Stage       string     `json:"stage"`
	AmountWan   *Wan       `json:"amount_wan"`
	SignedOn    civil.Date `json:"signed_on"`
	Signatories string     `json:"signatories"`
	Note        string     `json:"note"`
	Reason      string     `json:"reason"`
	Reopen      bool       `json:"reopen"`
	ForwardOnly bool       `json:"-"`

	badAmount bool // amount_wan was sent but is not an amount
}

// UnmarshalJSON reads the input; an amount that is not one (1e308, -1,
// "NaN") is remembered and refused by Validate with a 422 naming the
// field, rather than failing the whole body as malformed.
func (in *StageInput) UnmarshalJSON(b []byte) error {
	type plain StageInput
	var raw struct {
		plain
		AmountWan json.RawMessage `json:"amount_wan"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*in = StageInput(raw.plain)
	if a := bytes.TrimSpace(raw.AmountWan); len(a) > 0 && !bytes.Equal(a, []byte("null")) {
		var w Wan
		if err := w.UnmarshalJSON(a); err != nil {
			in.badAmount = true
		} else {
			in.AmountWan = &w
		}
	}
	return nil
}

// SetAmount reads an amount typed on a page; an unreadable one is refused
// by Validate.
func (in *StageInput) SetAmount(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	w, err := ParseWan(s)
	if err != nil {
		in.badAmount = true
		return
	}
	in.AmountWan = &w
}

// Validate checks the input on its own against today's date in Beijing;
// the move from the current stage is checked by check.
func (in *StageInput) Validate(today civil.Date) error {
	in.Stage, in.Note = strings.TrimSpace(in.Stage), strings.TrimSpace(in.Note)
	in.Signatories, in.Reason = strings.TrimSpace(in.Signatories), strings.TrimSpace(in.Reason)
	if in.Stage == StageDropped && in.Reason == "" {
		in.Reason = in.Note // the API's first version took the drop reason as the note
	}
	var d []apperr.Detail
	add := func(field, key string) { d = append(d, apperr.Detail{Field: field, Key: key}) }
	if !slices.Contains(Stages, in.Stage) {
		add("stage", "pairing.stage_invalid")
	}
	switch {
	case in.badAmount || (in.AmountWan != nil && !in.AmountWan.Valid()):
		add("amount_wan", "pairing.amount_range")
	case needsSigning(in.Stage) && in.AmountWan == nil:
		add("amount_wan", "pairing.amount_required")
	}
	switch {
	case needsSigning(in.Stage) && in.SignedOn.IsZero():
		add("signed_on", "pairing.signed_on_required")
	case !in.SignedOn.IsZero() && today.Before(in.SignedOn):
		add("signed_on", "pairing.signed_on_future")
	}
	if utf8.RuneCountInString(in.Note) > 1000 || utf8.RuneCountInString(in.Reason) > 1000 ||
		utf8.RuneCountInString(in.Signatories) > 500 {
		add("note", "pairing.text_too_long")
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// check refuses moves the pairing's state forbids: any move of a request
// not yet accepted, an unchanged stage, and a correction without a reason.
func (in StageInput) check(p Pairing) error {
	if p.Request == RequestPending || p.Request == RequestDeclined {
		return apperr.New(apperr.Conflict, "pairing.not_accepted")
	}
	switch MoveKind(p.Stage, in.Stage) {
	case MoveSame:
		if !needsSigning(in.Stage) {
			return apperr.Field("stage", "pairing.same_stage", nil)
		}
		if amountChanged(p, in) && in.Reason == "" {
			return apperr.Field("reason", "pairing.reason_required", nil)
		}
	case MoveBack, MoveDrop, MoveReopen:
		if in.Reason == "" {
			return apperr.Field("reason", "pairing.reason_required", nil)
		}
	}
	return nil
}

// amountChanged reports whether a move at the same signing stage changes
// the amount or the date already recorded.
func amountChanged(p Pairing, in StageInput) bool {
	return p.AmountWan != nil && in.AmountWan != nil && *p.AmountWan != *in.AmountWan ||
		!p.SignedOn.IsZero() && p.SignedOn != in.SignedOn
}

// china is the conference's zone (Beijing time).
var china = time.FixedZone("CST", 8*3600)

// dayOf is the date of t in the conference's zone.
func dayOf(t time.Time) civil.Date {
	t = t.In(china)
	return civil.NewDate(t.Year(), t.Month(), t.Day())
}
