package booths

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// manageData is an organiser's page for one booth: its holder, the
// projects shown, the staff, and the forms that change them.
type manageData struct {
	Detail      Detail
	Edition     EditionRef
	Delegations []web.Option
	Candidates  []ShownProject // the holder's projects
	Shown       map[int64]bool
	FreeBooths  []Booth // where the exhibitor could move
	StaffUsers  []web.Option
	Zones       []Zone     // for the edit form
	Edit        BoothInput // the edit form's values
	Error       *web.ErrorInfo
}

func (h *Handlers) managePage(c *gin.Context) { h.renderManage(c, http.StatusOK, nil) }

func (h *Handlers) renderManage(c *gin.Context, status int, info *web.ErrorInfo) {
	h.renderManageEdit(c, status, info, nil)
}

// renderManageEdit shows the page; edit, when not nil, refills the edit
// form with what was typed.
func (h *Handlers) renderManageEdit(c *gin.Context, status int, info *web.ErrorInfo, edit *BoothInput) {
	id, err := web.ParamID(c, "id")
	ctx := c.Request.Context()
	d := manageData{Error: info, Shown: map[int64]bool{}}
	if err == nil {
		d.Detail, err = h.store.Detail(ctx, id)
	}
	b := d.Detail.Booth
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, b.EditionID)
	}
	if err == nil {
		d.Zones, err = h.store.Zones(ctx, b.EditionID)
	}
	if err == nil {
		d.Delegations, err = h.store.DelegationOptions(ctx, b.EditionID)
	}
	if err == nil && b.DelegationID != nil {
		d.Candidates, err = h.store.HolderProjects(ctx, *b.DelegationID)
	}
	if err == nil && b.DelegationID != nil {
		d.FreeBooths, _, err = h.store.Booths(ctx, b.EditionID, Filter{State: StateFree}, web.Paging{Page: 1, PerPage: 1 << 20})
	}
	if err == nil {
		d.StaffUsers, err = h.store.StaffOptions(ctx)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Edit = b.InputOf()
	if edit != nil {
		d.Edit = *edit
	}
	for _, p := range d.Detail.Projects {
		d.Shown[p.ID] = true
	}
	h.site.HTML(c, status, "booths/manage", "booths.manage_title", d)
}

// afterManage redirects back to the booth (or where it moved to) on
// success, or shows the booth page again with the error.
func (h *Handlers) afterManage(c *gin.Context, to int64, flash string, err error) {
	if err == nil {
		h.site.Redirect(c, boothURL(to), flash)
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderManage(c, status, info)
	}
}

func (h *Handlers) holdForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var del int64
	if err == nil {
		del, err = web.FormInt64(c, "delegation_id")
	}
	if err == nil {
		if c.PostForm("action") == "reserve" {
			_, err = h.store.Reserve(c.Request.Context(), id, del)
		} else {
			_, err = h.store.Assign(c.Request.Context(), id, del)
		}
	}
	h.afterManage(c, id, "booths.saved", err)
}

func (h *Handlers) releaseForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.Release(c.Request.Context(), id)
	}
	h.afterManage(c, id, "booths.released", err)
}

func (h *Handlers) moveForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var to int64
	if err == nil {
		to, err = web.FormInt64(c, "to_booth_id")
	}
	if err == nil {
		_, err = h.store.Move(c.Request.Context(), id, to)
	}
	if err != nil {
		to = id
	}
	h.afterManage(c, to, "booths.moved", err)
}

func (h *Handlers) projectsForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var ids []int64
	if err == nil {
		for _, s := range c.PostFormArray("project_id") {
			n, perr := strconv.ParseInt(s, 10, 64)
			if perr == nil {
				ids = append(ids, n)
			}
		}
		_, err = h.store.SetProjects(c.Request.Context(), id, ids)
	}
	h.afterManage(c, id, "booths.saved", err)
}

func (h *Handlers) bindStaffForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var user int64
	if err == nil {
		user, err = web.FormInt64(c, "user_id")
	}
	if err == nil {
		_, err = h.store.BindStaff(c.Request.Context(), id, user)
	}
	h.afterManage(c, id, "booths.saved", err)
}

func (h *Handlers) unbindStaffForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var user int64
	if err == nil {
		user, err = web.ParamID(c, "user_id")
	}
	if err == nil {
		_, err = h.store.UnbindStaff(c.Request.Context(), id, user)
	}
	h.afterManage(c, id, "booths.saved", err)
}
