package conference

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// ProjectInput is what a client sends to register or change a project.
type ProjectInput struct {
	DelegationID int64    `json:"delegation_id"`
	Kind         string   `json:"kind"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Industry     string   `json:"industry"`
	Organisation string   `json:"organisation"`
	Keywords     []string `json:"keywords"`
	ContactName  string   `json:"contact_name"`
	ContactPhone string   `json:"contact_phone"`
	Major        bool     `json:"major"`
}

// inputOf is the input that reproduces p, the start of a PATCH.
func inputOf(p Project) ProjectInput {
	return ProjectInput{DelegationID: p.DelegationID, Kind: p.Kind, Title: p.Title, Summary: p.Summary,
		Industry: p.Industry, Organisation: p.Organisation, Keywords: append([]string(nil), p.Keywords...),
		ContactName: p.ContactName, ContactPhone: p.ContactPhone, Major: p.Major}
}

// Field limits, shared by the form, the API and the import.
const (
	maxTitle        = 100
	maxSummary      = 2000
	maxOrganisation = 100
	maxKeywords     = 10
	maxKeyword      = 20
	maxContactName  = 50
	maxContactPhone = 30
)

// Normalize trims every text field and drops blank and repeated keywords.
func (in *ProjectInput) Normalize() {
	for _, f := range []*string{&in.Kind, &in.Title, &in.Summary, &in.Industry, &in.Organisation, &in.ContactName, &in.ContactPhone} {
		*f = strings.TrimSpace(*f)
	}
	var kw []string
	for _, k := range in.Keywords {
		if k = strings.TrimSpace(k); k != "" && !slices.Contains(kw, k) {
			kw = append(kw, k)
		}
	}
	in.Keywords = kw
}

// Problems lists what is wrong with the (normalized) input; industries is
// the set of known industries. Each problem names the JSON field.
func (in *ProjectInput) Problems(industries map[string]bool) []apperr.Detail {
	var d []apperr.Detail
	add := func(field, key string, args map[string]any) {
		d = append(d, apperr.Detail{Field: field, Key: key, Args: args})
	}
	maxLen := func(field, v string, max int, required bool) {
		if n := utf8.RuneCountInString(v); (required && n == 0) || n > max {
			key := "error.max_length"
			if required {
				key = "error.required_max"
			}
			add(field, key, map[string]any{"Max": max})
		}
	}
	if in.DelegationID <= 0 {
		add("delegation_id", "project.delegation_required", nil)
	}
	if !slices.Contains(Kinds, in.Kind) {
		add("kind", "project.kind_invalid", nil)
	}
	maxLen("title", in.Title, maxTitle, true)
	maxLen("summary", in.Summary, maxSummary, false)
	if !industries[in.Industry] {
		add("industry", "project.industry_invalid", nil)
	}
	maxLen("organisation", in.Organisation, maxOrganisation, false)
	if len(in.Keywords) > maxKeywords {
		add("keywords", "project.keywords_count", map[string]any{"Max": maxKeywords})
	}
	for _, k := range in.Keywords {
		if utf8.RuneCountInString(k) > maxKeyword {
			add("keywords", "project.keyword_length", map[string]any{"Max": maxKeyword})
			break
		}
	}
	maxLen("contact_name", in.ContactName, maxContactName, false)
	maxLen("contact_phone", in.ContactPhone, maxContactPhone, false)
	if in.ContactPhone != "" && strings.Trim(in.ContactPhone, "0123456789+-() 转#") != "" {
		add("contact_phone", "project.phone_invalid", nil)
	}
	return d
}

// StatusChange is one entry of a project's status history.
type StatusChange struct {
	ID         int64     `db:"id" json:"id"`
	ProjectID  int64     `db:"project_id" json:"project_id"`
	FromStatus string    `db:"from_status" json:"from_status"`
	ToStatus   string    `db:"to_status" json:"to_status"`
	Note       string    `db:"note" json:"note"`
	UserID     *int64    `db:"user_id" json:"user_id"`
	Username   string    `db:"username" json:"username"`
	ChangedAt  time.Time `db:"changed_at" json:"changed_at"`
}

// ProjectFilter narrows a project list. Zero fields do not filter.
type ProjectFilter struct {
	Q            string
	Kind         string
	Industry     string
	Status       string
	DelegationID int64
	ZoneID       int64   // the hall's zone filter, resolved into InIDs
	InIDs        []int64 // nil does not filter; empty matches nothing
	Public       bool    // the cloud hall: rejected projects are not shown
}

// transitions says which status may follow which. Going back a step is
// allowed so a mistake can be undone; every change is kept in the history.
var transitions = map[string][]string{
	StatusSubmitted: {StatusReviewed, StatusRejected},
	StatusReviewed:  {StatusSelected, StatusRejected, StatusSubmitted},
	StatusSelected:  {StatusReviewed},
	StatusRejected:  {StatusSubmitted, StatusReviewed},
}

// CanMove reports whether a project may go from one status to another.
func CanMove(from, to string) bool { return slices.Contains(transitions[from], to) }

// NextStatuses lists where a project of status may go.
func NextStatuses(status string) []string { return transitions[status] }
