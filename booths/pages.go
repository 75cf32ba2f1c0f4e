package booths

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

func (h *Handlers) registerPages(r *gin.Engine) {
	org := h.site.Require(web.RoleOrganiser)
	seeAll := h.site.Require(web.RoleOrganiser, web.RoleLeader, web.RoleCoordinator)
	r.GET("/booths", h.site.SignedIn(), h.boothsHome)
	r.GET("/booths/mine", h.site.Require(web.RoleDelegation), h.myBoothsPage)
	r.GET("/editions/:id/booths", seeAll, h.listPage)
	r.GET("/editions/:id/floorplan", seeAll, h.floorPlanPage)
	r.POST("/editions/:id/zones", org, h.createZoneForm)
	r.POST("/editions/:id/booths", org, h.createBoothForm)
	r.POST("/editions/:id/booths/grid", org, h.createGridForm)
	r.POST("/editions/:id/booths/import", org, h.site.ImportSlot(), h.importForm)
	r.GET("/zones/:id/manage", org, h.zoneManagePage)
	r.POST("/zones/:id/edit", org, h.editZoneForm)
	r.POST("/zones/:id/delete", org, h.deleteZoneForm)
	r.GET("/booths/:id/manage", org, h.managePage)
	r.POST("/booths/:id/edit", org, h.editBoothForm)
	r.POST("/booths/:id/delete", org, h.deleteBoothForm)
	r.POST("/booths/:id/hold", org, h.holdForm)
	r.POST("/booths/:id/release", org, h.releaseForm)
	r.POST("/booths/:id/move", org, h.moveForm)
	r.POST("/booths/:id/projects", org, h.projectsForm)
	r.POST("/booths/:id/staff", org, h.bindStaffForm)
	r.POST("/booths/:id/staff/:user_id/remove", org, h.unbindStaffForm)
	// The cloud hall: public.
	r.GET("/editions/:id/zones", h.hallPage)
	r.GET("/zones/:id", h.zonePage)
	r.GET("/booths/:id", h.boothPage)
}

func boothURL(id int64) string   { return fmt.Sprintf("/booths/%d/manage", id) }
func editionURL(id int64) string { return fmt.Sprintf("/editions/%d/booths", id) }

// boothsHome is the nav entry: a delegation's own booths, or the newest
// edition's booth list.
func (h *Handlers) boothsHome(c *gin.Context) {
	if web.IdentityOf(c).Is(web.RoleDelegation) {
		c.Redirect(http.StatusSeeOther, "/booths/mine")
		return
	}
	e, ok, err := h.store.LatestEdition(c.Request.Context())
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if !ok {
		c.Redirect(http.StatusSeeOther, "/editions")
		return
	}
	if web.IdentityOf(c).Is(web.RoleStaff) {
		c.Redirect(http.StatusSeeOther, "/editions/"+strconv.FormatInt(e.ID, 10)+"/zones")
		return
	}
	c.Redirect(http.StatusSeeOther, editionURL(e.ID))
}

// listData is the booth list page: zones, booths by zone and code, and the
// forms that add to them.
type listData struct {
	Edition     EditionRef
	Zones       []Zone
	Booths      []Booth
	Delegations []web.Option
	Error       *web.ErrorInfo
	Form        string // which form Error belongs to: zone, booth, grid or import
}

func (h *Handlers) listPage(c *gin.Context) { h.renderList(c, http.StatusOK, "", nil) }

func (h *Handlers) renderList(c *gin.Context, status int, form string, info *web.ErrorInfo) {
	id, err := web.ParamID(c, "id")
	d := listData{Form: form, Error: info}
	ctx := c.Request.Context()
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, id)
	}
	if err == nil {
		d.Zones, err = h.store.Zones(ctx, id)
	}
	if err == nil {
		d.Booths, _, err = h.store.Booths(ctx, id, Filter{}, web.Paging{Page: 1, PerPage: 1 << 20})
	}
	if err == nil {
		d.Delegations, err = h.store.DelegationOptions(ctx, id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "booths/list", "booths.title", d)
}

// afterForm redirects on success, or shows the list again with the error
// beside the form that failed.
func (h *Handlers) afterForm(c *gin.Context, form, to, flash string, err error) {
	if err == nil {
		h.site.Redirect(c, to, flash)
		return
	}
	if info, status, ok := h.site.FormError(c, err); ok {
		h.renderList(c, status, form, info)
	}
}

func (h *Handlers) createZoneForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in ZoneInput
	if err == nil {
		in, err = zoneForm(c)
	}
	if err == nil {
		_, err = h.store.CreateZone(c.Request.Context(), id, in)
	}
	h.afterForm(c, "zone", editionURL(id), "zones.created", err)
}

func (h *Handlers) createBoothForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in BoothInput
	if err == nil {
		in, err = boothForm(c)
	}
	if err == nil {
		_, err = h.store.CreateBooth(c.Request.Context(), id, in)
	}
	h.afterForm(c, "booth", editionURL(id), "booths.created", err)
}

func (h *Handlers) createGridForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	g := GridInput{Pattern: c.PostForm("code_pattern")}
	if err == nil {
		g.ZoneID, err = web.FormInt64(c, "zone_id")
	}
	if err == nil {
		err = formInts(c, map[string]*int{"start": &g.Start, "rows": &g.Rows, "cols": &g.Cols})
	}
	if err == nil {
		err = formFloats(c, map[string]*float64{"x": &g.X, "y": &g.Y, "w": &g.W, "h": &g.H,
			"gap_x": &g.GapX, "gap_y": &g.GapY})
	}
	if err == nil {
		_, err = h.store.CreateGrid(c.Request.Context(), id, g)
	}
	h.afterForm(c, "grid", editionURL(id), "booths.grid_created", err)
}

type floorData struct {
	Edition EditionRef
	Halls   []Hall
}

func (h *Handlers) floorPlanPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d floorData
	if err == nil {
		d.Edition, err = h.store.Edition(c.Request.Context(), id)
	}
	if err == nil {
		d.Halls, err = h.store.FloorPlan(c.Request.Context(), id, c.Query("hall"))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "booths/floorplan", "booths.floorplan_title", d)
}
