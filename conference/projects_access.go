package conference

import (
	"huizhan/internal/apperr"
	"huizhan/internal/pii"
	"huizhan/internal/web"
)

// Who may do what with projects. Organisers do everything; a delegation
// account works on its own delegation's projects only, edits them while
// they are submitted and may do the city's pre-review (submitted ⇄
// reviewed); the other roles read.

var errNotYours = apperr.New(apperr.Forbidden, "project.not_yours")

// canRead reports whether a may see p.
func canRead(a *web.Identity, p Project) error {
	if a.Is(web.RoleDelegation) && a.DelegationID != p.DelegationID {
		return errNotYours
	}
	return nil
}

// ownDelegation fills in or checks the delegation of a new project.
func ownDelegation(a *web.Identity, in *ProjectInput) error {
	switch {
	case a.Is(web.RoleOrganiser):
		return nil
	case a.Is(web.RoleDelegation):
		if in.DelegationID == 0 {
			in.DelegationID = a.DelegationID
		}
		if in.DelegationID != a.DelegationID {
			return errNotYours
		}
		return nil
	}
	return apperr.New(apperr.Forbidden, "error.forbidden")
}

// canEdit reports whether a may change p's fields.
func canEdit(a *web.Identity, p Project) error {
	switch {
	case a.Is(web.RoleOrganiser):
		return nil
	case a.Is(web.RoleDelegation):
		if a.DelegationID != p.DelegationID {
			return errNotYours
		}
		if p.Status != StatusSubmitted {
			return apperr.New(apperr.Conflict, "project.locked")
		}
		return nil
	}
	return apperr.New(apperr.Forbidden, "error.forbidden")
}

// CanEdit is canEdit for templates and handlers.
func CanEdit(a *web.Identity, p Project) bool { return canEdit(a, p) == nil }

// canMove reports whether a may move p to status to.
func canMove(a *web.Identity, p Project, to string) error {
	switch {
	case a.Is(web.RoleOrganiser):
		return nil
	case a.Is(web.RoleDelegation):
		if a.DelegationID != p.DelegationID {
			return errNotYours
		}
		pre := func(s string) bool { return s == StatusSubmitted || s == StatusReviewed }
		if pre(p.Status) && pre(to) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "project.review_organiser")
}

// MovesFor lists the statuses a may move p to.
func MovesFor(a *web.Identity, p Project) []string {
	var out []string
	for _, to := range NextStatuses(p.Status) {
		if canMove(a, p, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

// forReader masks the contact phone for everyone but organisers and the
// project's own delegation: coordinators, staff, leaders and other
// delegations see that a contact exists, not the number (PIPL: no more
// personal data than a role needs).
func forReader(a *web.Identity, p Project) Project {
	if !a.Is(web.RoleOrganiser) && !(a.Is(web.RoleDelegation) && a.DelegationID == p.DelegationID) {
		p.ContactPhone = pii.MaskPhone(p.ContactPhone)
	}
	return p
}
