package booths

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// Pages that edit and delete a zone or a booth. A failed form is shown
// again with what was typed, so that one wrong field costs one correction.

func zoneManageURL(id int64) string { return fmt.Sprintf("/zones/%d/manage", id) }

// zoneForm reads the zone form of the list and manage pages.
func zoneForm(c *gin.Context) (ZoneInput, error) {
	in := ZoneInput{Name: c.PostForm("name"), Hall: c.PostForm("hall"),
		Key: c.PostForm("key") != "", Online: c.PostForm("online") != ""}
	del, err := web.FormInt64(c, "delegation_id")
	if err != nil {
		return in, err
	}
	if del != 0 {
		in.DelegationID = &del
	}
	in.OpensOn, in.ClosesOn, err = formDates(c)
	return in, err
}

// boothForm reads the booth form of the list and manage pages.
func boothForm(c *gin.Context) (BoothInput, error) {
	in := BoothInput{Code: c.PostForm("code")}
	var err error
	if in.ZoneID, err = web.FormInt64(c, "zone_id"); err != nil {
		return in, err
	}
	err = formFloats(c, map[string]*float64{"area_m2": &in.AreaM2, "x": &in.X, "y": &in.Y, "w": &in.W, "h": &in.H})
	return in, err
}

// zoneManageData is an organiser's page for one zone: its edit form and
// the delete button.
type zoneManageData struct {
	Edition     EditionRef
	Zone        Zone
	Edit        ZoneInput
	Delegations []web.Option
	Error       *web.ErrorInfo
	Form        string // which form Error belongs to: edit or delete
}

func (h *Handlers) zoneManagePage(c *gin.Context) {
	h.renderZoneManage(c, http.StatusOK, "", nil, nil)
}

func (h *Handlers) renderZoneManage(c *gin.Context, status int, form string, info *web.ErrorInfo, edit *ZoneInput) {
	id, err := web.ParamID(c, "id")
	ctx := c.Request.Context()
	d := zoneManageData{Error: info, Form: form}
	if err == nil {
		d.Zone, err = h.store.Zone(ctx, id)
	}
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, d.Zone.EditionID)
	}
	if err == nil {
		d.Delegations, err = h.store.DelegationOptions(ctx, d.Zone.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Edit = d.Zone.InputOf()
	if edit != nil {
		d.Edit = *edit
	}
	h.site.HTML(c, status, "booths/zone_manage", "zones.manage_title", d)
}

func (h *Handlers) editZoneForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in ZoneInput
	if err == nil {
		in, err = zoneForm(c)
	}
	if err == nil {
		_, err = h.store.UpdateZone(c.Request.Context(), id, in)
	}
	if err == nil {
		h.site.Redirect(c, zoneManageURL(id), "zones.saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderZoneManage(c, status, "edit", info, &in)
	}
}

func (h *Handlers) deleteZoneForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var z Zone
	if err == nil {
		z, err = h.store.Zone(c.Request.Context(), id)
	}
	if err == nil {
		err = h.store.DeleteZone(c.Request.Context(), id)
	}
	if err == nil {
		h.site.Redirect(c, editionURL(z.EditionID), "zones.deleted")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderZoneManage(c, status, "delete", info, nil)
	}
}

func (h *Handlers) editBoothForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in BoothInput
	if err == nil {
		in, err = boothForm(c)
	}
	if err == nil {
		_, err = h.store.UpdateBooth(c.Request.Context(), id, in)
	}
	if err == nil {
		h.site.Redirect(c, boothURL(id), "booths.saved")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderManageEdit(c, status, info, &in)
	}
}

func (h *Handlers) deleteBoothForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var b Booth
	if err == nil {
		b, err = h.store.Booth(c.Request.Context(), id)
	}
	if err == nil {
		err = h.store.DeleteBooth(c.Request.Context(), id)
	}
	if err == nil {
		h.site.Redirect(c, editionURL(b.EditionID), "booths.deleted")
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderManage(c, status, info)
	}
}
