package pairing

import (
	"slices"
	"strings"
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

// StageInput moves a pairing. Reopen must be set to leave dropped.
type StageInput struct {
	Stage       string     `json:"stage"`
	AmountWan   *float64   `json:"amount_wan"`
	SignedOn    civil.Date `json:"signed_on"`
	Signatories string     `json:"signatories"`
	Note        string     `json:"note"`
	Reopen      bool       `json:"reopen"`
}

// Validate checks the input on its own; the move from the current stage is
// checked by check.
func (in *StageInput) Validate() error {
	in.Stage, in.Note = strings.TrimSpace(in.Stage), strings.TrimSpace(in.Note)
	in.Signatories = strings.TrimSpace(in.Signatories)
	var d []apperr.Detail
	add := func(field, key string) { d = append(d, apperr.Detail{Field: field, Key: key}) }
	if !slices.Contains(Stages, in.Stage) {
		add("stage", "pairing.stage_invalid")
	}
	if in.Stage == StageDropped && in.Note == "" {
		add("note", "pairing.drop_reason_required")
	}
	if needsSigning(in.Stage) {
		if in.AmountWan == nil || *in.AmountWan <= 0 {
			add("amount_wan", "pairing.amount_required")
		}
		if in.SignedOn.IsZero() {
			add("signed_on", "pairing.signed_on_required")
		}
	} else if in.AmountWan != nil && *in.AmountWan < 0 {
		add("amount_wan", "pairing.amount_required")
	}
	if utf8.RuneCountInString(in.Note) > 1000 || utf8.RuneCountInString(in.Signatories) > 500 {
		add("note", "pairing.text_too_long")
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// check refuses moves the pairing's state forbids: anything from dropped
// without reopening, and any move of a request not yet accepted.
func (in StageInput) check(p Pairing) error {
	if p.Request == RequestPending || p.Request == RequestDeclined {
		return apperr.New(apperr.Conflict, "pairing.not_accepted")
	}
	if p.Stage == StageDropped && !in.Reopen {
		return apperr.New(apperr.Conflict, "pairing.reopen_first")
	}
	if in.Stage == p.Stage && !needsSigning(in.Stage) {
		return apperr.Field("stage", "pairing.same_stage", nil)
	}
	return nil
}
