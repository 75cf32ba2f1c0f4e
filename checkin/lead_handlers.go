package checkin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// registerLeads adds lead capture (booth staff, at a booth checkpoint) and
// the exhibitor's view and export of its leads.
func (h *Handlers) registerLeads(r *gin.Engine, scanners gin.HandlerFunc) {
	viewers := h.site.Require(web.RoleOrganiser, web.RoleLeader, web.RoleDelegation, web.RoleStaff)
	r.POST("/api/v1/checkpoints/:id/leads", scanners, h.apiSaveLead)
	r.GET("/api/v1/booths/:id/leads", viewers, h.apiLeads)
	r.GET("/leads", viewers, h.leadBoothsPage)
	r.GET("/booths/:id/leads", viewers, h.leadsPage)
}

func (h *Handlers) apiSaveLead(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var in LeadInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var l Lead
	if err == nil {
		l, err = h.store.SaveLead(c.Request.Context(), id, scanner(c), in)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, l)
}

// apiLeads answers a booth's leads as JSON, or as a file with
// ?format=csv or ?format=xlsx.
func (h *Handlers) apiLeads(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	format := c.DefaultQuery("format", "json")
	if err == nil && format != "json" && format != "csv" && format != "xlsx" {
		err = apperr.New(apperr.Invalid, "checkin.format_invalid")
	}
	var b BoothRef
	var ls []Lead
	if err == nil {
		b, ls, err = h.store.Leads(c.Request.Context(), web.IdentityOf(c), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, LeadList{Booth: b, Items: ls})
		return
	}
	rows := leadRows(ls, h.site.Catalog.For("zh-CN"))
	c.Header("Content-Disposition", `attachment; filename="`+leadFileName(b, format, h.store.now())+`"`)
	c.Header("Cache-Control", "no-store")
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		err = writeLeadsCSV(c.Writer, rows)
	} else {
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = writeLeadsXLSX(c.Writer, rows)
	}
	if err != nil {
		h.site.Log.Error("export leads", "booth", id, "err", err)
	}
}

// LeadList is the answer of GET /api/v1/booths/{id}/leads.
type LeadList struct {
	Booth BoothRef `json:"booth"`
	Items []Lead   `json:"items"`
}

type leadBoothsData struct {
	Booths []BoothRef
}

func (h *Handlers) leadBoothsPage(c *gin.Context) {
	bs, err := h.store.LeadBooths(c.Request.Context(), web.IdentityOf(c))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "checkin/leadbooths", "checkin.leads_title", leadBoothsData{Booths: bs})
}

func (h *Handlers) leadsPage(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var d LeadList
	if err == nil {
		d.Booth, d.Items, err = h.store.Leads(c.Request.Context(), web.IdentityOf(c), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, http.StatusOK, "checkin/leads", "checkin.leads_title", d)
}
