package checkin

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// Categories of attendees, in the order forms show them. The position
// (from 1) is the category's number inside a badge code: append only.
var Categories = []string{"guest", "expert", "enterprise", "delegation", "media", "staff"}

// publicCategories are the categories a member of the public may choose
// when registering themselves. Staff and delegation members are never
// public: an organiser, or a delegation's own account, adds those.
func publicCategories() []string { return []string{"guest", "expert", "enterprise", "media"} }

func categoryIndex(s string) uint8 {
	i := slices.Index(Categories, s)
	return uint8(i + 1) // 0 when unknown
}

func categoryName(b uint8) string {
	if b == 0 || int(b) > len(Categories) {
		return ""
	}
	return Categories[b-1]
}

// Attendee is a person with a badge for one edition.
type Attendee struct {
	ID           int64     `db:"id" json:"id"`
	EditionID    int64     `db:"edition_id" json:"edition_id"`
	Name         string    `db:"name" json:"name"`
	Organisation string    `db:"organisation" json:"organisation"`
	Phone        string    `db:"phone" json:"phone"`
	Category     string    `db:"category" json:"category"`
	DelegationID *int64    `db:"delegation_id" json:"delegation_id"`
	Code         string    `db:"code" json:"code"`
	Source       string    `db:"source" json:"source"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
	BadgeURL     string    `db:"-" json:"badge_url"`

	// Status is approved, pending, waiting or cancelled (registration.go);
	// only an approved attendee's badge is let in anywhere.
	Status         string     `db:"status" json:"status"`
	Email          string     `db:"email" json:"email"`
	ConsentVersion string     `db:"consent_version" json:"consent_version"`
	ConsentedAt    *time.Time `db:"consented_at" json:"consented_at"`
	ManageHash     *string    `db:"manage_hash" json:"-"`
}

// AttendeeInput is what an organiser or a registering person sends.
type AttendeeInput struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Phone        string `json:"phone"`
	Category     string `json:"category"`
	DelegationID *int64 `json:"delegation_id"`
	Email        string `json:"email"`
	// Consent is the registering person's yes to the edition's privacy
	// text; public registration needs it.
	Consent bool `json:"consent"`
}

var (
	mobilePhone   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePhone = regexp.MustCompile(`^0[1-9][0-9]{1,2}-?[0-9]{7,8}$`)
	phoneNoise    = strings.NewReplacer(" ", "", "\u00a0", "", "(", "", ")", "")
)

// normalPhone strips spaces and a +86 prefix; ok is false when what is
// left is neither a mainland mobile nor a landline number.
func normalPhone(s string, mobileOnly bool) (string, bool) {
	p := phoneNoise.Replace(strings.TrimSpace(s))
	p = strings.TrimPrefix(strings.TrimPrefix(p, "+86"), "0086")
	p = strings.TrimPrefix(p, "-")
	if mobilePhone.MatchString(strings.ReplaceAll(p, "-", "")) {
		return strings.ReplaceAll(p, "-", ""), true
	}
	return p, !mobileOnly && landlinePhone.MatchString(p)
}

// Validate trims the input and reports every problem at once. A public
// registration (public) must give a mobile number, may choose only a public
// category and claims no delegation; an organiser may leave the phone empty
// or give a landline, and chooses any category.
func (in *AttendeeInput) Validate(public bool) error {
	return in.validate(public, publicCategories())
}

// validate is Validate with the categories the public may choose (the
// edition's registration settings, within publicCategories). A public
// registration must also consent to the privacy text.
func (in *AttendeeInput) validate(public bool, publicAllowed []string) error {
	in.Name, in.Organisation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Organisation)
	in.Category = strings.TrimSpace(in.Category)
	var d []apperr.Detail
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		d = append(d, apperr.Detail{Field: "name", Key: "error.required_max", Args: map[string]any{"Max": 100}})
	}
	if utf8.RuneCountInString(in.Organisation) > 200 {
		d = append(d, apperr.Detail{Field: "organisation", Key: "error.max_length", Args: map[string]any{"Max": 200}})
	}
	if in.Phone != "" || public {
		p, ok := normalPhone(in.Phone, public)
		if !ok {
			d = append(d, apperr.Detail{Field: "phone", Key: "checkin.phone_invalid"})
		}
		in.Phone = p
	}
	allowed := Categories
	if public {
		allowed = publicAllowed
	}
	if !slices.Contains(allowed, in.Category) {
		d = append(d, apperr.Detail{Field: "category", Key: "checkin.category_invalid",
			Args: map[string]any{"Categories": strings.Join(allowed, ", ")}})
	}
	if in.DelegationID != nil && *in.DelegationID <= 0 {
		in.DelegationID = nil
	}
	if public && in.DelegationID != nil {
		d = append(d, apperr.Detail{Field: "delegation_id", Key: "checkin.delegation_not_public"})
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 200 {
			d = append(d, apperr.Detail{Field: "email", Key: "reg.email_invalid"})
		}
	}
	if public && !in.Consent {
		d = append(d, apperr.Detail{Field: "consent", Key: "reg.consent_required"})
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// AttendeeFilter narrows a list of attendees.
type AttendeeFilter struct {
	Q            string
	Category     string
	DelegationID int64
	Status       string
}
