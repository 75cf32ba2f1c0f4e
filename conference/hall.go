package conference

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// The cloud exhibition hall (云展厅): public pages that browse and search
// an edition's projects on a phone. Rejected projects are not shown, and
// nor are contact phone numbers.

func (h *ProjectHandlers) hallHome(c *gin.Context) {
	es, _, err := h.store.Editions(c.Request.Context(), web.Paging{Page: 1, PerPage: 1})
	if err == nil && len(es) == 0 {
		err = errEditionNotFound
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/hall/editions/"+strconv.FormatInt(es[0].ID, 10))
}

func (h *ProjectHandlers) hallPage(c *gin.Context) {
	d, err := h.loadList(c, true)
	if err == nil {
		d.Editions, _, err = h.store.Editions(c.Request.Context(), web.Paging{Page: 1, PerPage: web.MaxPerPage})
	}
	if err == nil {
		err = h.fillZones(c.Request.Context(), d.Edition.ID, c.Request.URL, &d)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "hall/list", "hall.title", d)
}

type hallProjectData struct {
	Project    Project
	Delegation Delegation
	Edition    Edition
}

func (h *ProjectHandlers) hallProject(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	var d hallProjectData
	if err == nil {
		d.Project, err = h.store.PublicProject(ctx, id)
	}
	if err == nil {
		d.Delegation, err = h.store.Delegation(ctx, d.Project.DelegationID)
	}
	if err == nil {
		d.Edition, err = h.store.Edition(ctx, d.Project.EditionID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	d.Project.ContactPhone = ""
	h.site.HTML(c, http.StatusOK, "hall/show", "hall.project_title", d)
}
