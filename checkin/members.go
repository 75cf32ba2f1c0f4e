package checkin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// A delegation's own account adds its members (category delegation, bound
// to the delegation): the public may not choose that category, and an
// organiser need not type every city's list in.

var errNotYourDelegation = apperr.New(apperr.Forbidden, "error.forbidden")

// AddMember adds an attendee as who: an organiser adds anyone; a delegation
// account adds members of its own delegation only, whatever it sends for
// the category and the delegation.
func (s *Store) AddMember(ctx context.Context, who *web.Identity, editionID int64, in AttendeeInput) (Attendee, error) {
	if !who.Is(web.RoleDelegation) {
		return s.CreateAttendee(ctx, editionID, in, "organiser")
	}
	d, err := s.editions.Delegation(ctx, who.DelegationID)
	if err != nil || d.EditionID != editionID {
		return Attendee{}, errNotYourDelegation
	}
	own := who.DelegationID
	in.DelegationID, in.Category = &own, "delegation"
	// source "organiser" marks an entry by an account, as against the
	// public's own registration (the column knows no third kind).
	return s.CreateAttendee(ctx, editionID, in, "organiser")
}

type membersData struct {
	Delegation conference.Delegation
	Edition    conference.Edition
	Members    web.List[Attendee]
	Form       AttendeeInput
	Error      *web.ErrorInfo
}

// membersPage is a delegation account's list of its members, with the
// form to add one.
func (h *Handlers) membersPage(c *gin.Context) { h.showMembers(c, http.StatusOK, AttendeeInput{}, nil) }

func (h *Handlers) showMembers(c *gin.Context, status int, form AttendeeInput, info *web.ErrorInfo) {
	ctx := c.Request.Context()
	who := web.IdentityOf(c)
	d := membersData{Form: form, Error: info}
	p, err := web.ParsePaging(c)
	if err == nil {
		d.Delegation, err = h.store.editions.Delegation(ctx, who.DelegationID)
	}
	if err == nil {
		d.Edition, err = h.store.editions.Edition(ctx, d.Delegation.EditionID)
	}
	var as []Attendee
	var total int
	if err == nil {
		as, total, err = h.store.Attendees(ctx, d.Edition.ID, AttendeeFilter{DelegationID: d.Delegation.ID}, p)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	for i := range as {
		as[i] = h.withURL(as[i])
	}
	d.Members = web.NewList(as, total, p)
	h.site.HTML(c, status, "checkin/members", "checkin.members_title", d)
}

func (h *Handlers) addMemberForm(c *gin.Context) {
	ctx := c.Request.Context()
	who := web.IdentityOf(c)
	in := attendeeForm(c)
	d, err := h.store.editions.Delegation(ctx, who.DelegationID)
	var a Attendee
	if err == nil {
		a, err = h.store.AddMember(ctx, who, d.EditionID, in)
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.showMembers(c, status, in, info)
		}
		return
	}
	h.site.Redirect(c, "/delegation/members?added="+strconv.FormatInt(a.ID, 10), "checkin.member_added")
}
