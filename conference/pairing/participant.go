package pairing

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// The participants' side (DESIGN.md glossary: Participant link): a
// project's contact person opens a personal link instead of signing in,
// asks counterparts for meetings, answers their requests, says which
// half-days they are at the hall, sees their schedule and reports how a
// meeting went. A request is not a pairing: accepting it creates one
// (stage contacted, its request column "accepted") and books its meeting.

// Request states.
const (
	RequestOpen      = "open"      // waiting for the other side; accepted and declined as for pairings
	RequestWithdrawn = "withdrawn" // taken back by the side that asked, before an answer
)

// maxOpenRequests bounds the requests one project may have waiting, so a
// link cannot flood the edition.
const maxOpenRequests = 30

// Outcomes a participant reports after a meeting.
const (
	OutcomeMet           = "met"
	OutcomeInterested    = "interested"
	OutcomeNotInterested = "not_interested"
)

// Outcomes is every outcome, for forms.
var Outcomes = []string{OutcomeMet, OutcomeInterested, OutcomeNotInterested}

// errLinkNotFound is what every unknown, revoked or malformed token gets.
var errLinkNotFound = apperr.New(apperr.NotFound, "participant.not_found")

// newToken returns a fresh unguessable token (256 random bits) and the
// hash that is stored in its place.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validToken reports whether s looks like a token newToken makes, so that
// junk never reaches the database.
func validToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// ParticipantPath is the path of a link's page.
func ParticipantPath(token string) string { return "/participant/" + token }

// Link is a live participant link, as resolved from its token.
type Link struct {
	ID        int64     `db:"id" json:"-"`
	ProjectID int64     `db:"project_id" json:"project_id"`
	EditionID int64     `db:"edition_id" json:"-"`
	CreatedBy string    `db:"created_by" json:"created_by"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// Request is one participant's meeting request. From and To are the two
// projects; Direction says which one the link's project is.
type Request struct {
	ID            int64      `db:"id" json:"id"`
	EditionID     int64      `db:"edition_id" json:"edition_id"`
	FromProjectID int64      `db:"from_project_id" json:"from_project_id"`
	ToProjectID   int64      `db:"to_project_id" json:"to_project_id"`
	DemandID      int64      `db:"demand_id" json:"demand_id"`
	SupplyID      int64      `db:"supply_id" json:"supply_id"`
	Message       string     `db:"message" json:"message"`
	State         string     `db:"state" json:"state"`
	Reason        string     `db:"reason" json:"reason"`
	AnsweredBy    string     `db:"answered_by" json:"answered_by"`
	PairingID     *int64     `db:"pairing_id" json:"pairing_id"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
	AnsweredAt    *time.Time `db:"answered_at" json:"answered_at"`
	From          Side       `db:"from" json:"from"`
	To            Side       `db:"to" json:"to"`
	Stage         *string    `db:"stage" json:"stage"` // the pairing's, once accepted
	Direction     string     `db:"-" json:"direction,omitempty"`
	Meeting       *Meeting   `db:"-" json:"meeting,omitempty"`
	// Queued is an accepted request no slot fitted: it waits for a
	// coordinator (or for a change of availability).
	Queued   bool      `db:"-" json:"queued"`
	Outcomes []Outcome `db:"-" json:"outcomes"`
}

// Outcome is what one side reported after the meeting.
type Outcome struct {
	PairingID  int64     `db:"pairing_id" json:"pairing_id"`
	ProjectID  int64     `db:"project_id" json:"project_id"`
	Outcome    string    `db:"outcome" json:"outcome"`
	ReportedAt time.Time `db:"reported_at" json:"reported_at"`
}

// NewRequest is what a participant sends to ask for a meeting.
type NewRequest struct {
	ProjectID int64  `json:"project_id" form:"project_id"`
	Message   string `json:"message" form:"message"`
}

// maxRequestText bounds a request's message and a decline's reason.
const maxRequestText = 300

// Validate checks the input on its own.
func (in *NewRequest) Validate() error {
	in.Message = strings.TrimSpace(in.Message)
	var d []apperr.Detail
	if in.ProjectID <= 0 {
		d = append(d, apperr.Detail{Field: "project_id", Key: "pairing.project_required"})
	}
	if utf8.RuneCountInString(in.Message) > maxRequestText {
		d = append(d, apperr.Detail{Field: "message", Key: "participant.text_too_long", Args: map[string]any{"Max": maxRequestText}})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxRequestText {
		return "", apperr.Field("reason", "participant.text_too_long", map[string]any{"Max": maxRequestText})
	}
	return reason, nil
}

func checkOutcome(o string) error {
	if !slices.Contains(Outcomes, o) {
		return apperr.Field("outcome", "participant.outcome_invalid", nil)
	}
	return nil
}

// halfDayOf is the start of the half-day t falls in: 09:00 Beijing time for
// a morning, 14:00 for an afternoon (noon divides them), in UTC.
func halfDayOf(t time.Time) time.Time {
	b := t.In(china)
	hour := 9
	if b.Hour() >= 12 {
		hour = 14
	}
	return time.Date(b.Year(), b.Month(), b.Day(), hour, 0, 0, 0, china).UTC()
}

// halfDays lists the half-days in which the sessions have slots, in order.
func halfDays(ss []Session) []time.Time {
	var out []time.Time
	for _, s := range ss {
		for i := range s.Slots() {
			h := halfDayOf(s.SlotStart(i))
			if !slices.ContainsFunc(out, h.Equal) {
				out = append(out, h)
			}
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// available reports whether a project whose half-days are avail may meet
// at t: any time when it has not said.
func available(avail []time.Time, t time.Time) bool {
	return len(avail) == 0 || slices.ContainsFunc(avail, halfDayOf(t).Equal)
}

// outcomeStage is the stage a pairing reaches by its participants'
// reports: a meeting reported in any way is an effective pairing (met);
// both sides interested means talks go on (negotiating). One side's
// interest alone is not the other's; "not interested" is for the
// coordinator to act on (drop, with a reason), not for a participant.
func outcomeStage(os []Outcome) string {
	interested := 0
	for _, o := range os {
		if o.Outcome == OutcomeInterested {
			interested++
		}
	}
	if interested >= 2 {
		return StageNegotiating
	}
	return StageMet
}

// Other is the counterpart of a request as its Direction sees it.
func (r Request) Other() Side {
	if r.Direction == "incoming" {
		return r.From
	}
	return r.To
}

// ByParticipant reports whether the side asked answered through its link
// rather than a coordinator for it.
func (r Request) ByParticipant() bool { return strings.HasPrefix(r.AnsweredBy, participantName+" #") }
